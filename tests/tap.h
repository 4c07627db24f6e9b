/* tap — a tiny TAP producer for the C unit tests: ok(), is_str(), is_int(), done_testing().
 * Each assertion is one TAP test point, so the summary counts assertions. */
#ifndef AKW_TAP_H
#define AKW_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed;

__attribute__((format(printf, 2, 3))) static int
ok(int cond, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    printf("%s %d - ", cond ? "ok" : "not ok", ++tap_n);
    vprintf(fmt, ap);
    printf("\n");
    va_end(ap);
    if (!cond)
        tap_failed++;
    fflush(stdout);
    return cond;
}

#define is_str(got, want, ...)                                                               \
    do {                                                                                     \
        const char *g_ = (got), *w_ = (want);                                                \
        if (!ok((g_ == NULL && w_ == NULL) || (g_ && w_ && strcmp(g_, w_) == 0), __VA_ARGS__)) \
            printf("#   got:  '%s'\n#   want: '%s'\n", g_ ? g_ : "(null)", w_ ? w_ : "(null)"); \
    } while (0)

#define is_int(got, want, ...)                                                               \
    do {                                                                                     \
        long long g_ = (long long)(got), w_ = (long long)(want);                             \
        if (!ok(g_ == w_, __VA_ARGS__))                                                      \
            printf("#   got:  %lld\n#   want: %lld\n", g_, w_);                              \
    } while (0)

static int
done_testing(void)
{
    printf("1..%d\n", tap_n);
    return tap_failed ? 1 : 0;
}

#endif
