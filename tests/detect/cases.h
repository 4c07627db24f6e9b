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

extern const struct rule_case cases_core[];
extern const struct rule_case cases_ai[];

#endif
