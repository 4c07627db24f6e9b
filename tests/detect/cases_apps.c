/* cases_apps — positives and hard negatives of apps.conf (Meta / Facebook, X / Twitter,
 * Contentful, Asana, Dropbox, Typeform, Zendesk, Travis CI). Made-up tokens only. */
#include "config.h"

#include <stddef.h>

#include "cases.h"

// clang-format off
const struct rule_case cases_apps[] = {
    {"facebook-access-token", "graph.py", "graph = facebook.GraphAPI(access_token='EAAGoPshUKcTFAV3Wm76tOvCm6BhKFYqJWALpMZ24aAnR4qqjeJH3WdKr9ApY9scoZHxh2TLCnYE7ZBlzE0ywflBss57ZRFiPogL0QegaXxiaNWJEi1kLWLJJU7Cw3ma4zV16MV4XitPlXQXd9Jdob1KPYx3V31wMdkQYy7oJ7FumdBo5p1eYOLU')\n", "EAAGoPshUKcTFAV3Wm76tOvCm6BhKFYqJWALpMZ24aAnR4qqjeJH3WdKr9ApY9scoZHxh2TLCnYE7ZBlzE0ywflBss57ZRFiPogL0QegaXxiaNWJEi1kLWLJJU7Cw3ma4zV16MV4XitPlXQXd9Jdob1KPYx3V31wMdkQYy7oJ7FumdBo5p1eYOLU", NULL},
    {"facebook-access-token", "graph.py", "graph = facebook.GraphAPI(access_token='EAAGrBkHn9itMAnbxJYSX5An5mNIe33F6n0x74bFxPqc')\n", NULL, NULL},
    {"facebook-app-secret", ".env", "FACEBOOK_APP_SECRET=b5f47f95d38ceffa211c8e07821cd5c7\n", "b5f47f95d38ceffa211c8e07821cd5c7", NULL},
    {"facebook-app-secret", ".env", "FACEBOOK_APP_ID_HASH=b5f47f95d38ceffa211c8e07821cd5c7\n", NULL, NULL},
    {"twitter-bearer-token", "stream.py", "headers = {'Authorization': 'Bearer AAAAAAAAAAAAAAAAAAAAAMekHQOuU8SsnnpMSg5ZU3%2FlJjrqB04uz6m87SnEYcLdVCMdap5lYOjHsw3WgJT%3DQcxi72oYhgRopZu3rTaboYYX6R00JL'}\n", "AAAAAAAAAAAAAAAAAAAAAMekHQOuU8SsnnpMSg5ZU3%2FlJjrqB04uz6m87SnEYcLdVCMdap5lYOjHsw3WgJT%3DQcxi72oYhgRopZu3rTaboYYX6R00JL", NULL},
    {"twitter-bearer-token", "stream.py", "padding = 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'\n", NULL, NULL},
    {"twitter-api-secret", ".env", "TWITTER_CONSUMER_SECRET=d8pfxTs70LfPfSWB5ZeDNk0mDmTIUzkzyufCTh2KOrEycbKBlR\n", "d8pfxTs70LfPfSWB5ZeDNk0mDmTIUzkzyufCTh2KOrEycbKBlR", NULL},
    {"twitter-api-secret", ".env", "TWITTER_CONSUMER_SECRET=Cg6JrVXJBaESAtSSTcHsl1vWmiLpNbQ7b2Kx9mZp\n", NULL, NULL},
    {"contentful-token", ".env", "CONTENTFUL_MANAGEMENT_TOKEN=CFPAT-Unvwdxa7BywrSbupTcM9sn2Gv2mB-cZbCAdPCligtHP\n", "CFPAT-Unvwdxa7BywrSbupTcM9sn2Gv2mB-cZbCAdPCligtHP", NULL},
    {"contentful-token", ".env", "CONTENTFUL_MANAGEMENT_TOKEN=CFPAT-l6_gLaVC0SMdfButsnjn\n", NULL, NULL},
    {"asana-token", "asana.js", "const client = asana.Client.create().useAccessToken('2/1204967391046028/1208813563829174:3115dd4c04fa71985181ed6b73c06750');\n", "2/1204967391046028/1208813563829174:3115dd4c04fa71985181ed6b73c06750", NULL},
    {"asana-token", "asana.js", "// asana task https://app.asana.com/0/1204967391046028/1208813563829174\n", NULL, NULL},
    {"dropbox-token", "backup.py", "dbx = dropbox.Dropbox('sl.u.EaEWXzbdExJNA1cAkLQzVmgRC2BmD_sfkLa3-UYMCJ7eBZ5ugsQJJI9kmqmQbl1IO3JBjGy0-fBpI3F8ALdTCBjaJ7c52TdacMjL-TpGgIem7FcUyP1Uden3jVCU0Qh25iJr3m6cXODHcNeIEspPb-IkaU4wVs6KVwg8c2nKa57MjKTyDWXxR19sTs7TG2xE6Y01lDjJ4WdxwEu2P8SOWfmkzerV9zUhOUCVYMAZx0cZukaV8pekIkRbfTzzEWoYGnk7Cq91CMLZocD6ugNeBhesCOLzz0Q6yJIHE4uuz_WNmE-mHQGn8nIElmD-3vJB7xRONRN37vPEAOFZHNQ8S9nikcyxHL1CVX_CUOCVoBeVARuvXHvkObCWG_FyDwXFGejAT7AGoauDakRK')\n", "sl.u.EaEWXzbdExJNA1cAkLQzVmgRC2BmD_sfkLa3-UYMCJ7eBZ5ugsQJJI9kmqmQbl1IO3JBjGy0-fBpI3F8ALdTCBjaJ7c52TdacMjL-TpGgIem7FcUyP1Uden3jVCU0Qh25iJr3m6cXODHcNeIEspPb-IkaU4wVs6KVwg8c2nKa57MjKTyDWXxR19sTs7TG2xE6Y01lDjJ4WdxwEu2P8SOWfmkzerV9zUhOUCVYMAZx0cZukaV8pekIkRbfTzzEWoYGnk7Cq91CMLZocD6ugNeBhesCOLzz0Q6yJIHE4uuz_WNmE-mHQGn8nIElmD-3vJB7xRONRN37vPEAOFZHNQ8S9nikcyxHL1CVX_CUOCVoBeVARuvXHvkObCWG_FyDwXFGejAT7AGoauDakRK", NULL},
    {"dropbox-token", "backup.py", "dbx = dropbox.Dropbox(os.environ['DROPBOX_TOKEN'])  # sl.MJ08e-LYjgyYyAqUKSff\n", NULL, NULL},
    {"typeform-token", ".env", "TYPEFORM_TOKEN=tfp_z2MBvrIKfjulWBQMHgxw89Xj6B6AT-WovXUMcJoZCfkFQ83PUxUtoaZq9Lb\n", "tfp_z2MBvrIKfjulWBQMHgxw89Xj6B6AT-WovXUMcJoZCfkFQ83PUxUtoaZq9Lb", NULL},
    {"typeform-token", ".env", "TYPEFORM_TOKEN=tfp_Fx-i_RLgycgVRNxgPvB7\n", NULL, NULL},
    {"zendesk-api-token", "zendesk.yml", "zendesk_api_token: V2pfYkAZLCQ53bwrPqsWAMLIFvI7lrF4uuXptkHc\n", "V2pfYkAZLCQ53bwrPqsWAMLIFvI7lrF4uuXptkHc", NULL},
    {"zendesk-api-token", "zendesk.yml", "zendesk_api_token: wBebNeZ4UlIJOtDsnBqdhon6\n", NULL, NULL},
    {"travis-ci-token", ".env", "TRAVIS_API_TOKEN=6mR93zs0Hlp8Cxc3zkNK62\n", "6mR93zs0Hlp8Cxc3zkNK62", NULL},
    {"travis-ci-token", ".env", "TRAVIS_BUILD_ID=HXbZSQjRaM2K249q56Kb9S\n", NULL, NULL},
    {NULL, NULL, NULL, NULL, NULL},
};
// clang-format on
