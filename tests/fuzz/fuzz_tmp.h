/* fuzz_tmp — shared by the harnesses that must hand a file to the code under test (rule
 * loader, config parser): one private temp directory per process, removed at exit.
 * Header-only; each harness includes it once. Not used by the in-memory harnesses. */
#ifndef AKW_FUZZ_TMP_H
#define AKW_FUZZ_TMP_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char fuzz_dir[64];

static void
fuzz_tmp_cleanup(void)
{
    char cmd[128];
    if (fuzz_dir[0]) {
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", fuzz_dir);
        if (system(cmd) != 0)
            fprintf(stderr, "fuzz: could not remove %s\n", fuzz_dir);
    }
}

/* The temp directory (created on first use). */
static const char *
fuzz_tmp_dir(void)
{
    if (!fuzz_dir[0]) {
        const char *base = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
        snprintf(fuzz_dir, sizeof fuzz_dir, "%.40s/akw-fuzz.XXXXXX", base);
        if (!mkdtemp(fuzz_dir))
            abort();
        atexit(fuzz_tmp_cleanup);
    }
    return fuzz_dir;
}

/* Write data to DIR/name (replacing it); path receives the full name. */
static void
fuzz_tmp_write(const char *name, const unsigned char *data, size_t len, char *path, size_t cap)
{
    snprintf(path, cap, "%s/%s", fuzz_tmp_dir(), name);
    FILE *f = fopen(path, "wb");
    if (!f || (len && fwrite(data, 1, len, f) != len) || fclose(f) != 0)
        abort();
}

#endif
