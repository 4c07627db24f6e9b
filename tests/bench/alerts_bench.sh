#!/bin/sh
# alerts_bench — what recording and delivering alerts costs a first `akwatch scan` that finds
# many new leaks: N files, each with a distinct high-entropy database URL, scanned into a new
# store (1) with the [notify] window closed (every alert recorded suppressed) and (2) with it
# open and a `command` channel of /bin/true (every alert delivered, M files). Prints wall and
# CPU seconds (user+sys) and the alert rows by state. Figures only, not a test.
#   usage: tests/bench/alerts_bench.sh [N=20000] [M=2000]   (run from the build folder, or
#          set AKWATCH_BIN)
set -eu
n=${1:-20000}
m=${2:-2000}
bin=${AKWATCH_BIN:-./akwatch}
[ -x "$bin" ] || { echo "alerts_bench: no akwatch binary at $bin (set AKWATCH_BIN)" >&2; exit 2; }
T=$(mktemp -d /tmp/akw-bench.XXXXXX)
trap 'rm -rf "$T"' EXIT
export HOME="$T" AKWATCH_CONFIG="$T/config" LC_ALL=C.UTF-8 TZ=UTC
unset AKWATCH_DB GITHUB_TOKEN
gen() { # gen DIR COUNT: one leak a file; a fixed seed, so every run scans the same text
    /usr/bin/python3 - "$1" "$2" <<'PY'
import os, random, string, sys
d, n = sys.argv[1], int(sys.argv[2])
rnd = random.Random(20261125)
abc = string.ascii_letters + string.digits
for i in range(n):
    sub = os.path.join(d, "d%03d" % (i // 1000))
    os.makedirs(sub, exist_ok=True)
    pw = "".join(rnd.choice(abc) for _ in range(20))
    with open(os.path.join(sub, "app%05d.env" % i), "w") as f:
        f.write("DATABASE_URL=mysql://app:%s@db.internal:3306/x\n" % pw)
PY
}
run() { # run LABEL DIR NOW
    rm -f "$T/db" "$T/db-wal" "$T/db-shm"
    AKWATCH_NOW=$3 /usr/bin/time -f "%e %U %S" -o "$T/time" "$bin" --db "$T/db" scan "$2" \
        --quiet >/dev/null 2>"$T/err" || [ $? -eq 1 ] || { cat "$T/err" >&2; exit 1; }
    read -r wall user sys <<EOT
$(tail -n 1 "$T/time")
EOT
    rows=$(sqlite3 "$T/db" "select group_concat(state || '=' || n, ' ') from
        (select state, count(*) n from alerts group by state order by state)")
    printf '%-34s wall %6.2f s  cpu %6.2f s  alerts: %s\n' "$1" "$wall" \
        "$(awk "BEGIN { print $user + $sys }")" "$rows"
}
printf '[notify]\nwindow = 08:00-09:00\ntz = UTC\ncommand = /bin/true\n' >"$T/config"
gen "$T/big" "$n"
gen "$T/small" "$m"
echo "akwatch: $bin"
run "closed window, $n new leaks" "$T/big" 2026-03-10T12:00:00Z
run "open window, $m new leaks" "$T/small" 2026-03-10T08:30:00Z
