/* cases_messaging — positives and hard negatives of messaging.conf (Twilio, SendGrid,
 * Mailgun, Mailchimp and Mandrill, Brevo, Postmark, Telegram, Discord, Slack app-level
 * tokens). A pair (SID and secret) is one finding under the SID rule. Made-up keys only. */
#include "config.h"

#include <stddef.h>

#include "cases.h"

// clang-format off
const struct rule_case cases_messaging[] = {
    {"twilio-account-sid", "sms.py", "from twilio.rest import Client\n\naccount_sid = 'AC3a36711503763571626a0ff4836c40f9'\nauth_token = '56cea6a57ed79c5bf87647252fc1df45'\nclient = Client(account_sid, auth_token)\n",
     "56cea6a57ed79c5bf87647252fc1df45", "AC3a36711503763571626a0ff4836c40f9"},
    {"twilio-account-sid", "sms.py", "from twilio.rest import Client\naccount_sid = 'AC3a36711503763571626a0ff4836c40f9'\nclient = Client(account_sid, os.environ['TWILIO_AUTH_TOKEN'])\n", NULL, NULL},
    {"twilio-auth-token", ".env", "TWILIO_AUTH_TOKEN=56cea6a57ed79c5bf87647252fc1df45\n", "56cea6a57ed79c5bf87647252fc1df45", NULL},
    {"twilio-auth-token", "app.py", "auth_token = '56cea6a57ed79c5bf87647252fc1df45'  # the session's token\n", NULL, NULL},
    /* the placeholder of Twilio's quickstarts */
    {"twilio-auth-token", ".env", "TWILIO_AUTH_TOKEN=your_auth_token\n", NULL, NULL},
    {"twilio-api-key-sid", "notify.js", "const twilio = require('twilio')(\n  'SKef2b8bc3ae5a141cef41ae53ebeac7e7', 'uB8HfzfzP7XpBG5lIFgjBVRBve07mYKw',\n  { accountSid: process.env.TWILIO_ACCOUNT_SID });\n",
     "uB8HfzfzP7XpBG5lIFgjBVRBve07mYKw", "SKef2b8bc3ae5a141cef41ae53ebeac7e7"},
    {"twilio-api-key-sid", "notify.js", "// twilio key SKef2b8bc3ae5a141cef41ae53ebeac7e7 is rotated monthly\n", NULL, NULL},
    {"twilio-api-key-secret", ".env", "TWILIO_API_SECRET=uB8HfzfzP7XpBG5lIFgjBVRBve07mYKw\n", "uB8HfzfzP7XpBG5lIFgjBVRBve07mYKw", NULL},
    {"twilio-api-key-secret", ".env", "TWILIO_API_SECRET=uB8HfzfzP7XpBG5lIFgjBVRB\n", NULL, NULL},
    {"sendgrid-api-key", "mail.py", "sg = SendGridAPIClient('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')\n", "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", NULL},
    {"sendgrid-api-key", "mail.py", "msg.KJbrgJoP-fTAB7KiU3-TMc.vyKje_d6hEyzUNthAvQNEkTsU7KvR9WYcHDJguuPm4Z = 1\n", NULL, NULL},
    {"mailgun-api-key", "send.sh", "curl -s --user 'api:key-30e3d80e33ce7f6ec0bd1519072c3182' https://api.mailgun.net/v3/mg.acme.io/messages\n", "key-30e3d80e33ce7f6ec0bd1519072c3182", NULL},
    {"mailgun-api-key", ".env", "MAILGUN_API_KEY=30e3d80e33ce7f6ec0bd1519072c3182-5ed616c0-40c36383\n", "30e3d80e33ce7f6ec0bd1519072c3182-5ed616c0-40c36383", NULL},
    {"mailgun-api-key", "cache.js", "const cacheKey = 'key-30e3d80e33ce7f6ec0bd1519';\n", NULL, NULL},
    {"mailchimp-api-key", "newsletter.php", "$MailChimp = new MailChimp('a589fe0ef98b236b125291fb10314367-us14');\n", "a589fe0ef98b236b125291fb10314367-us14", NULL},
    {"mailchimp-api-key", "i18n.js", "const id = 'a589fe0ef98b236b125291fb10314367-usd';\n", NULL, NULL},
    {"mandrill-api-key", "settings.py", "MANDRILL_API_KEY = 'md-4tj0uW4wr5JSqxXhGqB7tt'\n", "md-4tj0uW4wr5JSqxXhGqB7tt", NULL},
    {"mandrill-api-key", "settings.py", "MANDRILL_API_KEY = 'md-4tj0uW4wr5JS'\n", NULL, NULL},
    {"brevo-api-key", ".env", "BREVO_API_KEY=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\n", "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", NULL},
    {"brevo-api-key", ".env", "BREVO_API_KEY=xkeysib-df1632b96eef02ddc1fb8375981203c1b52be9e8fdf3fa1209664632814d743c\n", NULL, NULL},
    {"postmark-token", "config/initializers/mail.rb", "config.action_mailer.postmark_settings = { api_token: '85f83786-61ea-229b-6db3-2f7d7a5527f9' }\n", "85f83786-61ea-229b-6db3-2f7d7a5527f9", NULL},
    {"postmark-token", "config/initializers/mail.rb", "config.action_mailer.postmark_settings = { message_stream: '85f83786-61ea-229b-6db3-2f7d7a5527f9' }\n", NULL, NULL},
    {"telegram-bot-token", "bot.py", "bot = telebot.TeleBot('7261043958:AAbTyPynY5D56laowoohOHf8dMvBKc6RyAB')\n", "7261043958:AAbTyPynY5D56laowoohOHf8dMvBKc6RyAB", NULL},
    {"telegram-bot-token", "bot.py", "bot = telebot.TeleBot('7261043958:ABbTyPynY5D56laowoohOHf8dMvBKc6RyAB')\n", NULL, NULL},
    /* cut short: 31 characters after AA */
    {"telegram-bot-token", "bot.py", "bot = telebot.TeleBot('7261043958:AAbTyPynY5D56laowoohOHf8dMvBKc6Ry')\n", NULL, NULL},
    {"discord-bot-token", "bot.py", "client.run('MNh20adCgKi8X23b1JZVt3eGn.EHAoBw.kQPGXyz1r_yi_8jXBoTxEkRoq2d')\n", "MNh20adCgKi8X23b1JZVt3eGn.EHAoBw.kQPGXyz1r_yi_8jXBoTxEkRoq2d", NULL},
    {"discord-bot-token", ".env", "DISCORD_BOT_TOKEN=MNh20adCgKi8X23b1JZVt3eGn.EHAoBw.kQPGXyz1r_yi_8jXBoTxEkRoq2d\n", "MNh20adCgKi8X23b1JZVt3eGn.EHAoBw.kQPGXyz1r_yi_8jXBoTxEkRoq2d", NULL},
    {"discord-bot-token", "bot.py", "client.run('MNh20adCgKi8X23b1JZV')\n", NULL, NULL},
    {"discord-webhook", "alert.sh", "curl -H 'Content-Type: application/json' -d @msg.json https://discord.com/api/webhooks/1187429301558243328/954S6sCegaE5QF8JR9MenJWxISZiCNW1aiwx-959LvL52Iux5suHkVfD4RKLgrFRxkz2\n",
     "https://discord.com/api/webhooks/1187429301558243328/954S6sCegaE5QF8JR9MenJWxISZiCNW1aiwx-959LvL52Iux5suHkVfD4RKLgrFRxkz2", NULL},
    {"discord-webhook", "docs.md", "POST https://discord.com/api/webhooks/{webhook.id}/{webhook.token}\n", NULL, NULL},
    {"slack-app-token", ".env", "SLACK_APP_TOKEN=xapp-1-A06BQ7K2M3R-6382710495123-edfd6db9ef7b5629d8471909e0567e9cb5b5229d220e9ee6b446e366201b9d8d\n", "xapp-1-A06BQ7K2M3R-6382710495123-edfd6db9ef7b5629d8471909e0567e9cb5b5229d220e9ee6b446e366201b9d8d", NULL},
    {"slack-app-token", ".env", "SLACK_APP_TOKEN=xapp-1-A06BQ7K2M3R-6382710495123\n", NULL, NULL},
    {NULL, NULL, NULL, NULL, NULL},
};
// clang-format on
