/* inline — allow comments: a finding whose line carries `akwatch:allow` (or the markers of
 * gitleaks and trufflehog, `gitleaks:allow` and `trufflehog:ignore`, so code already
 * annotated for those scanners needs no second comment) is flagged allowed. Any comment
 * syntax works because only the marker is looked for. Callers decide what allowed means;
 * detect still reports the finding.
 */
#include "config.h"
#include "detect/detect_int.h"

#include <string.h>
#include <strings.h>

/* How far from the secret, on its line, a marker is looked for: a minified line may be
 * megabytes long, and the comment that silences a finding sits next to it. */
#define ALLOW_REACH 4096

static const char *const markers[] = {"akwatch:allow", "gitleaks:allow", "trufflehog:ignore"};

/* 1 when one of the markers (any case) starts at p, with n bytes readable there. */
static int
marker_at(const char *p, size_t n)
{
    for (size_t i = 0; i < sizeof markers / sizeof markers[0]; i++) {
        size_t len = strlen(markers[i]);
        if (len <= n && strncasecmp(p, markers[i], len) == 0)
            return 1;
    }
    return 0;
}

int
detect_line_allows(const char *data, size_t len, size_t line_start, size_t s, size_t e)
{
    size_t from = s - line_start > ALLOW_REACH ? s - ALLOW_REACH : line_start;
    size_t to = e + ALLOW_REACH < len ? e + ALLOW_REACH : len;
    const char *nl = memchr(data + e, '\n', to - e);
    if (nl)
        to = (size_t)(nl - data);
    for (size_t i = from; i < to; i++)
        if ((data[i] == 'a' || data[i] == 'A' || data[i] == 'g' || data[i] == 'G' ||
             data[i] == 't' || data[i] == 'T') &&
            marker_at(data + i, to - i))
            return 1;
    return 0;
}
