/* fuzz_rules — libFuzzer harness for the rule loader: the input is written as the only rule
 * file of a folder and loaded; when it loads, the rules it made scan the input itself, so
 * the regexes, windows and pairing the file asked for run too. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>

#include "detect/detect.h"
#include "fuzz_tmp.h"

static int
on_finding(const struct finding *f, void *user)
{
    (void)f;
    (void)user;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[256];
    struct detect_ruleset *rs = NULL;
    struct akw_err err = {0};

    fuzz_tmp_write("fuzz.conf", data, size, path, sizeof path);
    if (detect_rules_load(fuzz_tmp_dir(), &rs, &err) != AKW_OK)
        return 0;
    for (size_t i = 0; i < detect_rules_count(rs); i++)
        (void)detect_rule_info(rs, i);
    struct detector *d = detector_new(rs);
    detector_scan(d, ".env", (const char *)data, size, on_finding, NULL);
    detector_free(d);
    detect_rules_free(rs);
    return 0;
}
