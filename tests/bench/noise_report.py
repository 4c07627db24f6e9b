#!/usr/bin/python3
"""noise_report — the figures of tests/bench/noise_bench.sh from akwatch's json lines.

usage: noise_report.py MANIFEST SCAN.jsonl SECONDS SUMMARY

SUMMARY: the scan's summary line ("N files (B bytes) scanned, ..."); figures per GB are per GB
scanned (binary and oversized files are skipped by the scan, not counted).

MANIFEST: package, version, bytes, files (tab-separated), one line per unpacked package.
Every finding is a false leak except real private-key material (a PEM, OpenSSH or PGP block
whose body decodes to a key structure: test fixtures), counted apart. A finding's shape is
its rule, the few characters before the value on its line (letters kept, digits as 9) and
the value's character classes (A upper, a lower, 9 digit, others as is, runs collapsed),
read back from the corpus file at the finding's line and column.
"""
import base64
import binascii
import collections
import json
import re
import sys

LEVELS = ("low", "medium", "high")


def read_line(path, line, cache={}):
    lines = cache.get(path)
    if lines is None:
        try:
            with open(path, "rb") as f:
                lines = f.read().split(b"\n")
        except OSError:
            lines = []
        cache.clear()
        cache[path] = lines
    return lines[line - 1] if 0 < line <= len(lines) else b""


def pem_block(path, line):
    """The base64 body of the key block starting at (or just before) line, as bytes."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError:
        return None
    lines = data.split(b"\n")
    start = sum(len(l) + 1 for l in lines[: max(line - 3, 0)])
    m = re.compile(rb"-----BEGIN[ A-Z0-9]*PRIVATE KEY(?: BLOCK)?-----(.*?)-----END", re.S).search(
        data, start)
    if not m:
        return None
    body = m.group(1).replace(b"\\n", b"\n").replace(b"\\r", b"")
    keep = []
    for l in body.split(b"\n"):
        l = l.strip()
        if b":" in l or l.startswith(b"="):  # PEM headers, PGP checksum
            continue
        keep.append(l)
    return b"".join(keep)


def real_key(path, line):
    body = pem_block(path, line)
    if not body:
        return False
    try:
        raw = base64.b64decode(body + b"=" * (-len(body) % 4), validate=False)
    except (binascii.Error, ValueError):
        return False
    if raw.startswith(b"openssh-key-v1\0"):
        return True
    if len(raw) > 2 and raw[0] in (0xC5, 0x94, 0x95, 0x96, 0x97):
        return True  # PGP secret-key packet, new or old format
    if len(raw) < 4 or raw[0] != 0x30:
        return False
    n = raw[1]  # DER SEQUENCE: its length must match what was decoded
    if n < 0x80:
        total = 2 + n
    else:
        k = n & 0x7F
        if k == 0 or k > 3 or len(raw) < 2 + k:
            return False
        total = 2 + k + int.from_bytes(raw[2:2 + k], "big")
    return abs(total - len(raw)) <= 2 and total > 64


def classes(v):
    out = []
    for ch in v:
        c = "A" if ch.isupper() else "a" if ch.islower() else "9" if ch.isdigit() else ch
        if not out or out[-1] != c:
            out.append(c)
    s = "".join(out)
    return s if len(s) <= 24 else s[:21] + "..."


def shape(f):
    line = read_line(f["path"], f["line"]).decode("utf-8", "replace")
    col = f["column"] - 1
    n = len(f["secret_masked"])
    before = line[max(col - 18, 0):col] if col <= len(line) else ""
    before = re.sub(r"[0-9]", "9", before).lstrip()
    value = line[col:col + n] if col < len(line) else ""
    return "%s  %s<%s len %d>" % (f["rule"], before, classes(value), n)


def main():
    manifest, scan, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
    pkgs = []
    with open(manifest) as f:
        for l in f:
            p, v, b, n = l.rstrip("\n").split("\t")
            pkgs.append((p, v, int(b), int(n)))
    cbytes = sum(p[2] for p in pkgs)
    cfiles = sum(p[3] for p in pkgs)
    m = re.search(r"([0-9]+) files? \(([0-9.]+) (bytes|KB|MB|GB)\) scanned",
                  sys.argv[4] if len(sys.argv) > 4 else "")
    unit = {"bytes": 1, "KB": 1e3, "MB": 1e6, "GB": 1e9}
    nfiles, nbytes = ((int(m.group(1)), float(m.group(2)) * unit[m.group(3)]) if m
                      else (cfiles, cbytes))
    gb = nbytes / 1e9
    found = []
    with open(scan) as f:
        for l in f:
            l = l.strip()
            if l.startswith("{"):
                found.append(json.loads(l))
    keys = [x for x in found if x["kind"] == "private_key" and real_key(x["path"], x["line"])]
    keyset = {id(x) for x in keys}
    false = [x for x in found if id(x) not in keyset]
    default = [x for x in false if x["confidence"] in ("medium", "high")]

    print("noise_bench: %d packages, %d files, %.3f GB unpacked; %d files, %.3f GB scanned"
          % (len(pkgs), cfiles, cbytes / 1e9, nfiles, gb))
    print("  scan: %.0f s (%.1f MB/s, one thread); %s" % (seconds, nbytes / 1e6 / seconds
                                                           if seconds else 0, sys.argv[4] if len(sys.argv) > 4 else ""))
    print("  findings: %d; real private-key material of test fixtures (apart): %d; false: %d"
          % (len(found), len(keys), len(false)))
    print("  false leaks per GB, default threshold (medium and up): %.2f   [target <= 5]"
          % (len(default) / gb))
    print("  false leaks per GB, all confidences:                  %.2f" % (len(false) / gb))
    byconf = collections.Counter(x["confidence"] for x in false)
    print("  by confidence: " + ", ".join("%s %d (%.2f/GB)" % (c, byconf[c], byconf[c] / gb)
                                          for c in LEVELS))
    print("  by rule (all confidences / medium and up, per GB):")
    byrule = collections.Counter(x["rule"] for x in false)
    byrule_d = collections.Counter(x["rule"] for x in default)
    for r, n in byrule.most_common():
        print("    %-32s %6d %8.2f/GB   %6d %8.2f/GB" % (r, n, n / gb, byrule_d[r], byrule_d[r] / gb))
    print("  the ten most frequent shapes (count, shape, an example):")
    shapes = collections.Counter()
    example = {}
    for x in false:
        s = shape(x)
        shapes[s] += 1
        example.setdefault(s, "%s:%d [%s]" % (x["path"], x["line"], x["confidence"]))
    for s, n in shapes.most_common(10):
        print("    %5d  %s\n           e.g. %s" % (n, s, example[s]))
    print("  packages (name version bytes files):")
    for p in pkgs:
        print("    %s %s %d %d" % p)


if __name__ == "__main__":
    main()
