/* fuzz_config — libFuzzer harness for the config parser: the input is written as the config
 * file, then loaded (first error) and checked (every error), as `akwatch` and
 * `akwatch config check` would. Every error message must be one line. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config/conf.h"
#include "fuzz_tmp.h"

static void
on_error(const char *msg, void *user)
{
    (void)user;
    if (strchr(msg, '\n'))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[256];
    struct config cfg;
    struct akw_err err = {0};

    fuzz_tmp_write("akwatch.conf", data, size, path, sizeof path);
    config_init(&cfg);
    if (config_load(path, 1, &cfg, &err) != AKW_OK && strchr(err.msg, '\n'))
        abort();
    config_done(&cfg);
    (void)config_check(path, on_error, NULL, &err);
    return 0;
}
