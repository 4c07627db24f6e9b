/* entropy — Shannon entropy of a secret in bits per byte, the gate that tells a random key
 * from a word. It knows nothing of rules or thresholds. */
#include "config.h"
#include "detect/detect_int.h"

#include <math.h>

double
detect_entropy(const char *s, size_t len)
{
    if (!s || len == 0)
        return 0.0;
    size_t count[256] = {0};
    for (size_t i = 0; i < len; i++)
        count[(unsigned char)s[i]]++;
    double h = 0.0;
    for (int c = 0; c < 256; c++) {
        if (!count[c])
            continue;
        double p = (double)count[c] / (double)len;
        h -= p * log2(p);
    }
    return h;
}
