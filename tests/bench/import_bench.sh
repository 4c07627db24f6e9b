#!/bin/sh
# import_bench — how fast `akwatch calls import` reads a large log set, and how much memory it
# takes: a generated mix of ActionTrail JSON lines, gzipped CloudTrail Records documents and
# combined-format access logs (1 event in 500 made with a leaked key), imported into a store
# holding those leaks. Prints events/second and peak RSS. Figures only, not a test.
#   usage: tests/bench/import_bench.sh [SIZE_MB=1024] [BUILDDIR=build]
# Logs are cached in $AKW_BENCH_DIR (default /tmp/akwatch-bench) as import-SIZE/; the store
# is made fresh each run. wall_s depends on the machine's load; cpu_s (user+sys) much less.
# Needs /usr/bin/time (Debian package time).
set -eu
size=${1:-1024}
build=$(cd "${2:-build}" && pwd)
here=$(cd "$(dirname "$0")/../.." && pwd)
bin="$build/akwatch"
[ -x "$bin" ] || { echo "import_bench: no akwatch binary at $bin" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "import_bench: /usr/bin/time missing (Debian package time)" >&2; exit 2; }
dir=${AKW_BENCH_DIR:-/tmp/akwatch-bench}/import-$size
mkdir -p "$dir"
AK_ID=LTAI5tu8jzPde0IgxLd6Gncf
AK_SECRET=oOOL8dKLzdocJ2isAjIhKtJ0RlgLKO
AWS_ID=AKIAT75V2SEH60KVJ50C

if [ ! -f "$dir/done" ]; then
    start=$(date +%s)
    /usr/bin/python3 - "$dir" "$size" "$AK_ID" "$AWS_ID" <<'EOF'
import gzip, json, os, random, sys
out, size_mb, ak, aws = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
rnd = random.Random(42)
budget = size_mb << 20
FILE = max(1 << 20, min(64 << 20, budget // 10))  # bytes per file (uncompressed)
ips = ["198.51.100.%d" % i for i in range(1, 255)] + ["203.0.113.%d" % i for i in range(1, 255)]
names = ["DescribeInstances", "DescribeRegions", "GetObject", "PutObject", "ListUsers",
         "CreateAccessKey", "RunInstances", "DescribeDBInstances"]
def key(i, leaked):
    return leaked if i % 500 == 0 else "LTAI5tOther%013d" % (i % 100000)
def ali_event(i, t):
    return ('{"eventId":"ali-%d","eventVersion":1,"eventSource":"ecs.aliyuncs.com",'
            '"sourceIpAddress":"%s","userAgent":"aliyun-cli/3.0.%d","eventType":"ApiCall",'
            '"eventName":"%s","userIdentity":{"type":"ram-user","principalId":"2109876543%02d",'
            '"accountId":"1234567890123456","userName":"deploy","accessKeyId":"%s"},'
            '"serviceName":"Ecs","eventTime":"2026-03-%02dT%02d:%02d:%02dZ","requestId":"%08X-%04d",'
            '"acsRegion":"cn-hangzhou","isGlobal":false}\n'
            % (i, ips[i % len(ips)], i % 300, names[i % len(names)], i % 100, key(i, ak),
               1 + t // 86400 % 28, t // 3600 % 24, t // 60 % 60, t % 60, i, i % 9999))
def aws_event(i, t):
    return {"eventVersion": "1.08", "eventID": "aws-%d" % i,
            "eventTime": "2026-03-%02dT%02d:%02d:%02dZ" % (1 + t // 86400 % 28, t // 3600 % 24, t // 60 % 60, t % 60),
            "eventSource": "sts.amazonaws.com", "eventName": "GetCallerIdentity",
            "awsRegion": "us-east-1", "sourceIPAddress": ips[i % len(ips)],
            "userAgent": "aws-cli/2.15.%d Python/3.11.6" % (i % 50), "readOnly": True,
            "userIdentity": {"type": "IAMUser", "accountId": "111122223333",
                             "accessKeyId": aws if i % 500 == 0 else "AKIAOTHER%011d" % (i % 100000)},
            "requestID": "%08x-0000-4000-8000-%012x" % (i, i), "eventType": "AwsApiCall"}
def access_line(i, t):
    d = 1 + t // 86400 % 28
    if i % 500 == 0:
        path = "/reports/q%d.pdf?OSSAccessKeyId=%s&Expires=1772430000&Signature=abc%d" % (i % 4, ak, i)
    else:
        path = "/static/%s/%d.%s" % (["js", "css", "img", "api"][i % 4], i % 5000, ["js", "css", "png", "json"][i % 4])
    return ('%s - - [%02d/Mar/2026:%02d:%02d:%02d +0800] "GET %s HTTP/1.1" %d %d "https://acme.example/" '
            '"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120.0.%d Safari/537.36"\n'
            % (ips[i % len(ips)], d, t // 3600 % 24, t // 60 % 60, t % 60, path,
               [200, 200, 304, 404][i % 4], 200 + i % 50000, i % 100))
written, n, seq, i = 0, 0, 0, 0
while written < budget:
    kind = ["actiontrail", "actiontrail", "cloudtrail", "access", "access"][seq % 5]
    seq += 1
    target = min(FILE, budget - written)
    t0 = 5 * 86400 + seq * 7
    if kind == "actiontrail":
        path = os.path.join(out, "actiontrail-%03d.jsonl" % seq)
        with open(path, "w") as f:
            got = 0
            while got < target:
                line = ali_event(i, t0 + i % 86400); f.write(line); got += len(line); i += 1; n += 1
    elif kind == "access":
        path = os.path.join(out, "access-%03d.log" % seq)
        with open(path, "w") as f:
            got = 0
            while got < target:
                line = access_line(i, t0 + i % 86400); f.write(line); got += len(line); i += 1; n += 1
    else:
        path = os.path.join(out, "cloudtrail-%03d.json.gz" % seq)
        with gzip.open(path, "wt", compresslevel=1) as f:
            f.write('{"Records":[')
            got, first = 0, True
            while got < target:
                s = json.dumps(aws_event(i, t0 + i % 86400), separators=(",", ":"))
                f.write(s if first else "," + s); first = False; got += len(s) + 1; i += 1; n += 1
            f.write("]}")
    written += target
with open(os.path.join(out, "events"), "w") as f:
    f.write(str(n))
EOF
    touch "$dir/done"
    echo "# generated $(cat "$dir/events") events (${size} MB uncompressed) in $(($(date +%s) - start)) s" >&2
fi

T=$(mktemp -d /tmp/akw-bench.XXXXXX)
trap 'rm -rf "$T"' EXIT
export AKWATCH_DB="$T/bench.db" AKWATCH_CONFIG="$T/config" HOME="$T"
printf '[notify]\nbell = off\n' >"$T/config"
mkdir -p "$T/proj"
printf 'String accessKeyId = "%s";\nString accessKeySecret = "%s";\naws_access_key_id = %s\n' \
    "$AK_ID" "$AK_SECRET" "$AWS_ID" >"$T/proj/App.java"
AKWATCH_NOW=2026-01-01T00:00:00Z "$bin" --quiet scan "$T/proj" >/dev/null || true

# shellcheck disable=SC2046
/usr/bin/time -v -o "$T/time.txt" "$bin" calls import $(ls "$dir"/*.jsonl "$dir"/*.json.gz "$dir"/*.log) \
    >"$T/out.txt" 2>"$T/err.txt" || { cat "$T/err.txt" "$T/time.txt"; exit 1; }
secs=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$T/time.txt" |
    awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }')
cpu=$(sed -n 's/.*\(User\|System\) time (seconds): //p' "$T/time.txt" | awk '{ s += $1 } END { print s }')
kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$T/time.txt")
events=$(sed -n 's/.*, \([0-9]*\) events, .*/\1/p' "$T/out.txt" | awk '{ s += $1 } END { print s }')
calls=$(sed -n 's/.*with a leaked key (\([0-9]*\) new).*/\1/p' "$T/out.txt" | awk '{ s += $1 } END { print s }')
reqs=$(sed -n 's/.*, \([0-9]*\) access-log requests stored.*/\1/p' "$T/out.txt" | awk '{ s += $1 } END { print s }')
db_mb=$(du -sm "$T" | cut -f1)
printf '%8s %10s %8s %8s %12s %14s %8s %10s %8s %8s\n' size_MB events wall_s cpu_s events_per_s events_per_cpu_s calls requests peak_MB store_MB
awk -v sz="$size" -v e="$events" -v s="$secs" -v c="$cpu" -v kb="$kb" -v k="$calls" -v r="$reqs" -v d="$db_mb" \
    'BEGIN { printf "%8d %10d %8.1f %8.1f %12d %14d %8d %10d %8.1f %8d\n", sz, e, s, c,
             (s > 0 ? e / s : 0), (c > 0 ? e / c : 0), k, r, kb / 1024, d }'
