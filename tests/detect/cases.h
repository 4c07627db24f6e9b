/* cases — the per-rule tables of test_providers: for every shipped rule a real-shaped
 * positive and a hard negative (a near miss of the same shape). One table per rule family
 * (cases_FAMILY.c), each ended by an entry with rule == NULL. Every key in them is made up
 * for these tests; none was ever issued. */
#ifndef AKW_TESTS_DETECT_CASES_H
#define AKW_TESTS_DETECT_CASES_H

struct rule_case {
    const char *rule;   /* the rule under test */
    const char *path;   /* the file name the text is scanned as */
    const char *text;
    const char *secret; /* positive: the one finding's secret; NULL: a hard negative (no
                           finding of this rule, nor of any rule but the generic ones) */
    const char *ak_id;  /* positive: its ak_id (a pair: the ID); NULL: not checked */
};

/* A made-up key body: three lines of a PEM block, and the secret they make (no newlines). */
#define CASE_PEM_1 "c92P2+zHd3OC2pYwL82DeaGdyy8Yck0kF4nP47GiCpj7ZfZzp72dpiifA9SHEA8J"
#define CASE_PEM_2 "MOE9mQfHdlNwl9cyhDujS38BqRV1p0do/43+7tcVtUFQwjqDSQcRkMQbZhvYSmIR"
#define CASE_PEM_3 "9QTYrwA2Ne3pDXhg+rVlaxKQoTLHrEVWFk9VA/ZowuweIj+0GQIPd8x8La6PMHKC"
#define CASE_PEM_SECRET CASE_PEM_1 CASE_PEM_2 CASE_PEM_3

extern const struct rule_case cases_core[];
extern const struct rule_case cases_ai[];
extern const struct rule_case cases_cloud_intl[];
extern const struct rule_case cases_cloud_cn[];
extern const struct rule_case cases_vcs[];
extern const struct rule_case cases_payment[];
extern const struct rule_case cases_messaging[];
extern const struct rule_case cases_webhooks[];
extern const struct rule_case cases_saas[];
extern const struct rule_case cases_apps[];
extern const struct rule_case cases_passwords[];

#endif
