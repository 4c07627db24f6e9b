/* keybody — what the body of a private-key block (PEM, OpenSSH, PGP armour; whitespace
 * already dropped) holds: an obvious placeholder (EXAMPLE..., filler, <key>), or the start
 * of a complete key structure (a DER SEQUENCE whose length matches the body, the OpenSSH
 * magic, a PGP secret-key packet, an encrypted legacy PEM), or a DER key cut short. It
 * reads only the body. */
#include "config.h"
#include "detect/detect_int.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#define COUNT(a) (sizeof(a) / sizeof *(a))

int
keybody_placeholder(const char *s, size_t n)
{
    /* words of 7+ letters: a real body holds one by chance about once in 10^8 keys */
    static const char *const parts[] = {"example", "xxxxxxxx", "redacted", "placeholder",
                                        "yourkey", "privatekeyhere"};
    for (size_t i = 0; i < COUNT(parts); i++) {
        size_t m = strlen(parts[i]);
        for (size_t k = 0; k + m <= n; k++)
            if (strncasecmp(s + k, parts[i], m) == 0)
                return 1;
    }
    size_t run = 1;
    for (size_t i = 1; i < n; i++) { /* AAAAAAAAAAAAAAAAAAAA...: filler, not a key */
        run = s[i] == s[i - 1] ? run + 1 : 1;
        if (run >= 20)
            return 1;
    }
    return 0;
}

static int
b64(unsigned char c)
{
    const char *abc = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const char *p = c ? strchr(abc, c) : NULL;
    return p ? (int)(p - abc) : -1;
}

int
keybody_complete(const char *s, size_t n)
{
    if (memmem(s, n, "Proc-Type:", 10) || memmem(s, n, "DEK-Info:", 9))
        return 1; /* an encrypted legacy PEM: its body is ciphertext */
    unsigned char b[24];
    size_t o = 0, chars = 0;
    unsigned acc = 0;
    int bits = 0;
    for (size_t i = 0; i < n; i++) {
        int v = b64((unsigned char)s[i]);
        if (v < 0)
            continue; /* '=' padding, or a header's text */
        chars++;
        acc = (acc << 6) | (unsigned)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            if (o < sizeof b)
                b[o++] = (unsigned char)(acc >> bits);
        }
    }
    size_t decoded = chars * 6 / 8;
    if (o >= 15 && memcmp(b, "openssh-key-v1", 14) == 0)
        return 1;
    if (o >= 1 && (b[0] == 0xC5 || (b[0] >= 0x94 && b[0] <= 0x97)))
        return 1; /* a PGP secret-key packet */
    if (o < 4 || b[0] != 0x30)
        return 0; /* no structure this knows */
    size_t total;
    if (b[1] < 0x80)
        total = 2 + (size_t)b[1];
    else if (b[1] == 0x81)
        total = 3 + (size_t)b[2];
    else if (b[1] == 0x82)
        total = 4 + ((size_t)b[2] << 8 | b[3]);
    else if (b[1] == 0x83 && o >= 5)
        total = 5 + ((size_t)b[2] << 16 | (size_t)b[3] << 8 | b[4]);
    else
        return 0;
    if (total + 2 >= decoded && decoded + 2 >= total)
        return 1;
    return total > decoded ? -1 : 0; /* shorter than its header says: cut short */
}
