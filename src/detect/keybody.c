/* keybody — what the body of a private-key block (PEM, OpenSSH, PGP armour; whitespace
 * already dropped) holds: an obvious placeholder (EXAMPLE..., filler, <key>), or the start
 * of a complete key structure (a DER SEQUENCE whose length matches the body, the OpenSSH
 * magic with its strings inside the body, a PGP secret-key packet no longer than the body,
 * an encrypted legacy PEM), or a key cut short (a DER or OpenSSH key, or a PGP packet,
 * whose lengths run past the body: a documentation key abridged to a line or two). It
 * reads only the body. */
#include "config.h"
#include "detect/detect_int.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define COUNT(a) (sizeof(a) / sizeof *(a))

int
keybody_placeholder(const char *s, size_t n)
{
    /* words of 7+ letters: a real body holds one by chance about once in 10^8 keys */
    static const char *const parts[] = {"example",     "xxxxxxxx", "redacted",
                                        "placeholder", "yourkey",  "privatekeyhere"};
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

/* Big-endian uint32 at b[o], or -1 past n. */
static long
be32(const unsigned char *b, size_t n, size_t o)
{
    if (o + 4 > n)
        return -1;
    return (long)((unsigned long)b[o] << 24 | (unsigned long)b[o + 1] << 16 |
                  (unsigned long)b[o + 2] << 8 | b[o + 3]);
}

/* An OpenSSH key (b: n decoded bytes, magic checked): 1 when its strings (cipher, kdf,
 * kdf options, the public keys, the private section) end inside the body, -1 when the
 * body stops before them (a key cut short: its first line or lines). */
static int
openssh_whole(const unsigned char *b, size_t n)
{
    size_t o = 15;                /* "openssh-key-v1\0" */
    for (int k = 0; k < 3; k++) { /* ciphername, kdfname, kdfoptions */
        long len = be32(b, n, o);
        if (len < 0 || (size_t)len > n)
            return -1;
        o += 4 + (size_t)len;
    }
    long nkeys = be32(b, n, o);
    if (nkeys < 1 || nkeys > 64)
        return -1;
    o += 4;
    for (long k = 0; k <= nkeys; k++) { /* the public keys, then the private section */
        long len = be32(b, n, o);
        if (len < 0 || (size_t)len > n)
            return -1;
        o += 4 + (size_t)len;
    }
    return o <= n ? 1 : -1;
}

/* A PGP secret-key packet's length (old format 0x94-0x97, new format 0xC5), or 0 when the
 * header gives none (indeterminate) or is cut. */
static size_t
pgp_packet_len(const unsigned char *b, size_t n)
{
    if (b[0] == 0xC5) {
        if (n >= 2 && b[1] < 192)
            return 2 + (size_t)b[1];
        if (n >= 3 && b[1] < 224)
            return 3 + (((size_t)b[1] - 192) << 8) + b[2] + 192;
        if (n >= 6 && b[1] == 255)
            return 6 + (size_t)be32(b, n, 2);
        return 0;
    }
    switch (b[0] & 3) {
    case 0:
        return n >= 2 ? 2 + (size_t)b[1] : 0;
    case 1:
        return n >= 3 ? 3 + ((size_t)b[1] << 8 | b[2]) : 0;
    case 2:
        return n >= 5 ? 5 + (size_t)be32(b, n, 1) : 0;
    default:
        return 0;
    }
}

/* What the decoded body b (decoded bytes) starts with: see keybody_complete. */
static int
keybody_structure(const unsigned char *b, size_t decoded)
{
    if (decoded >= 15 && memcmp(b, "openssh-key-v1", 15) == 0)
        return openssh_whole(b, decoded);
    if (decoded >= 1 && (b[0] == 0xC5 || (b[0] >= 0x94 && b[0] <= 0x97))) {
        size_t len = pgp_packet_len(b, decoded); /* a PGP secret-key packet */
        return len && len > decoded ? -1 : 1;
    }
    if (decoded < 4 || b[0] != 0x30)
        return 0; /* no structure this knows */
    size_t total;
    if (b[1] < 0x80)
        total = 2 + (size_t)b[1];
    else if (b[1] == 0x81)
        total = 3 + (size_t)b[2];
    else if (b[1] == 0x82)
        total = 4 + ((size_t)b[2] << 8 | b[3]);
    else if (b[1] == 0x83 && decoded >= 5)
        total = 5 + ((size_t)b[2] << 16 | (size_t)b[3] << 8 | b[4]);
    else
        return 0;
    if (total + 2 >= decoded && decoded + 2 >= total)
        return 1;
    return total > decoded ? -1 : 0; /* shorter than its header says: cut short */
}

int
keybody_complete(const char *s, size_t n)
{
    if (memmem(s, n, "Proc-Type:", 10) || memmem(s, n, "DEK-Info:", 9))
        return 1; /* an encrypted legacy PEM: its body is ciphertext */
    /* The whole body decoded (a PGP armour's "=CRC" line too: 3 bytes more, never fewer). */
    unsigned char *b = xmalloc(n / 4 * 3 + 3);
    size_t o = 0;
    unsigned acc = 0;
    int bits = 0;
    for (size_t i = 0; i < n; i++) {
        int v = b64((unsigned char)s[i]);
        if (v < 0)
            continue; /* '=' padding, or a header's text */
        acc = (acc << 6) | (unsigned)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            b[o++] = (unsigned char)(acc >> bits);
        }
    }
    int res = keybody_structure(b, o);
    free(b);
    return res;
}
