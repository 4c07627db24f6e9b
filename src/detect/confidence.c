/* confidence — how sure a finding is: a provider's own shape (or an ID paired with its
 * secret) is high; a generic password/secret assignment is medium. It reads the candidate
 * and its rule; it does not drop candidates (match.c's gates do). */
#include "config.h"
#include "detect/detect_int.h"

#include <string.h>

enum confidence
detect_confidence(const struct detector *d, const struct raw *x, const struct rule *r)
{
    (void)d;
    (void)x;
    if (strcmp(r->kind, "generic_secret") == 0)
        return CONFIDENCE_MEDIUM;
    return CONFIDENCE_HIGH;
}
