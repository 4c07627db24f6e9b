/* fuzz_detect — libFuzzer harness for the detector on arbitrary bytes with the shipped rules
 * (data/rules of the source tree). The first byte picks the path the bytes claim to come
 * from (file-name rules, path allowlists); every finding's strings are read in full so ASan
 * sees any that run past their end. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "detect/detect.h"

static struct detect_ruleset *rules;
static struct detector *det;

static const char *const paths[] = {NULL, ".env", "config/settings.py", "docs/example.md",
                                    "k8s/secret.yaml", "id_rsa", "test/fixtures/fake.json",
                                    "a/b/c/application.properties"};

static int
on_finding(const struct finding *f, void *user)
{
    size_t *sum = user;
    *sum += strlen(f->secret) + strlen(f->secret_masked) + strlen(f->fingerprint) +
            strlen(f->line_masked) + (f->ak_id ? strlen(f->ak_id) : 0) + f->line + f->column;
    if (strlen(f->fingerprint) != 64 || f->line == 0 || f->column == 0)
        abort();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!rules) {
        struct akw_err err = {0};
        const char *dir = getenv("AKW_FUZZ_RULES") ? getenv("AKW_FUZZ_RULES")
                                                   : AKW_SRCDIR "/data/rules";
        if (detect_rules_load(dir, &rules, &err) != AKW_OK)
            abort();
        det = detector_new(rules);
    }
    if (size == 0)
        return 0;
    const char *path = paths[data[0] % (sizeof paths / sizeof paths[0])];
    size_t sum = 0;
    /* A copy of exactly the input's length: no NUL after it, as from a mapped file. */
    char *copy = malloc(size - 1 ? size - 1 : 1);
    memcpy(copy, data + 1, size - 1);
    (void)detect_is_binary(copy, size - 1);
    detector_scan(det, path, copy, size - 1, on_finding, &sum);
    free(copy);
    return 0;
}
