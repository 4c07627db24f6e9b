/* b64 — base64 decoding as GitHub sends it (standard alphabet, wrapped in newlines).
 * Decoding only; akwatch never needs to encode. */
#include "config.h"
#include "github/github.h"

static int
b64_val(unsigned char ch)
{
    if (ch >= 'A' && ch <= 'Z')
        return ch - 'A';
    if (ch >= 'a' && ch <= 'z')
        return ch - 'a' + 26;
    if (ch >= '0' && ch <= '9')
        return ch - '0' + 52;
    if (ch == '+' || ch == '-')
        return 62;
    if (ch == '/' || ch == '_')
        return 63;
    return -1;
}

int
gh_b64_decode(const char *in, size_t len, struct buf *out)
{
    unsigned acc = 0;
    int bits = 0;
    buf_reserve(out, len / 4 * 3 + 3);
    buf_append(out, "", 0); /* terminated even when nothing decodes */
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)in[i];
        if (ch == '\n' || ch == '\r' || ch == ' ' || ch == '\t')
            continue;
        if (ch == '=')
            break;
        int v = b64_val(ch);
        if (v < 0)
            return -1;
        acc = (acc << 6) | (unsigned)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            buf_putc(out, (char)((acc >> bits) & 0xff));
        }
    }
    return 0;
}
