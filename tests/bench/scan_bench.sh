#!/bin/sh
# scan_bench — how fast `akwatch scan` reads a source tree, beside ripgrep on the same files
# in the same run: ripgrep with ~20 credential regexes like akwatch's rules, and ripgrep
# with only the rules' prefilter keywords as fixed strings (the floor for any scanner that
# must at least find the keywords). The corpus (~SIZE_MB of text files copied from
# /usr/include, /usr/share, /usr/lib/python3) gets ~45 planted leaks, one or more per rule
# family; the run reports which akwatch found. Figures only, not a test: nothing here can
# fail a build, but the exit status is 1 when a planted leak was missed.
#   usage: tests/bench/scan_bench.sh [SIZE_MB=150]   (from the build folder, or set
#          AKWATCH_BIN); needs ripgrep (Debian ripgrep) and /usr/bin/python3.
# Each tool runs once to warm the page cache, then RUNS times (default 3); the best run
# counts. ripgrep runs with its default threads and with -j1; akwatch scan is one thread.
set -eu
size=${1:-150}
runs=${RUNS:-3}
here=$(cd "$(dirname "$0")/../.." && pwd)
bin=${AKWATCH_BIN:-./akwatch}
py=/usr/bin/python3
helper="$here/tests/bench/scan_corpus.py"
[ -x "$bin" ] || { echo "scan_bench: no akwatch binary at $bin (set AKWATCH_BIN)" >&2; exit 2; }
command -v rg >/dev/null || { echo "scan_bench: ripgrep (rg) not found; apt-get install ripgrep" >&2; exit 2; }
T=$(mktemp -d /tmp/akw-scanbench.XXXXXX)
trap 'rm -rf "$T"' EXIT
export HOME="$T" XDG_CONFIG_HOME="$T/.config" XDG_DATA_HOME="$T/.local/share"
unset AKWATCH_CONFIG AKWATCH_DB GITHUB_TOKEN

echo "scan_bench: building a ${size} MB corpus in $T/corpus ..."
bytes=$("$py" "$helper" build "$T/corpus" "$size" "$T/expected.tsv")
files=$(find "$T/corpus" -type f | wc -l)
"$py" "$helper" keywords "$here/data/rules" >"$T/keywords"

# ~20 credential regexes, the same families as data/rules (ripgrep's regex dialect).
cat >"$T/regexes" <<'EOF'
LTAI[A-Za-z0-9]{12,22}
(?i)secret[\w.-]{0,25}["'`]?\s*(=|:|,|\()\s*["'`]?[A-Za-z0-9]{30}\b
\b(AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b
(?i)(aws.{0,20}(secret|sk)|secret_?access_?key)[\w.-]{0,10}["'`]?\s*[=:,(]\s*["'`]?[A-Za-z0-9/+]{40}
\bAKID[A-Za-z0-9]{13,40}\b
(?i)secret_?key[\w.-]{0,10}["'`]?\s*[=:,(]\s*["'`]?[A-Za-z0-9]{32}\b
(?i)(huawei|hwcloud|obs)[\w.-]{0,20}(ak|sk|access_?key)\s*[=:]\s*["'`]?[A-Za-z0-9]{20,40}
AIza[0-9A-Za-z_-]{35}
\bgh[pousr]_[A-Za-z0-9]{36,251}\b
github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}
xox[abeoprs]-[0-9A-Za-z-]{10,}
hooks\.slack\.com/(services|workflows|triggers)/[A-Za-z0-9+/_-]{20,}
-----BEGIN[ A-Z0-9]*PRIVATE KEY-----
(?i)(mysql|mariadb|postgres(ql)?|mongodb(\+srv)?|rediss?|amqps?|mssql)(\+[a-z0-9]+)?://[^:/?#@\s"'`<>]*:[^@/?#\s"'`<>]+@
(?i)jdbc:[a-z0-9]+:[^\s"'`<>]*[;?&]password=[^&;\s"'`<>]+
(?i)[a-z0-9-]+(\.[a-z0-9-]+)*\.(rds|redis)\.aliyuncs\.com
(?i)spring\.(datasource|redis|data\.redis)(\.[\w-]+)*\.password\s*[=:]\s*\S+
["']PASSWORD["']\s*:\s*["'][^"']+["']
(?i)(mysqli_connect|new\s+mysqli|new\s+PDO)\s*\([^)]*,[^)]*,\s*["'][^"']+["']
(?m)^\s*[A-Z0-9_]*(DB|DATABASE|MYSQL|REDIS)[A-Z0-9_]*PASS(WORD)?\s*=\s*\S+
(?i)(requirepass|masterauth)\s+\S+
sshpass\s+(-[a-zA-Z]\s+)*-p\s*\S+
(?i)ansible_(ssh_pass|ssh_password|password|become_pass|become_password)\s*[=:]\s*\S+
(?i)\.connect\s*\([^)]{0,300}password\s*=\s*["'][^"']+["']
(?i)(password|passwd|pwd|secret|token|api_?key|access_?key)[\w.-]{0,20}["'`]?\s*(=|:=|=>|:)\s*["'`][^"'`\s]{8,200}["'`]
EOF
set -- # build rg's -e list
while IFS= read -r re; do set -- "$@" -e "$re"; done <"$T/regexes"
nre=$(wc -l <"$T/regexes")
nkw=$(wc -l <"$T/keywords")

best() { # best NAME OUT CMD... : warm once, run $runs times, keep the fastest; "secs rss"
    name=$1 out=$2
    shift 2
    "$py" "$helper" measure "$out" -- "$@" >/dev/null
    b=""
    i=0
    while [ $i -lt "$runs" ]; do
        r=$("$py" "$helper" measure "$out" -- "$@")
        s=${r%% *}
        if [ -z "$b" ] || awk -v a="$s" -v b="${b%% *}" 'BEGIN { exit !(a < b) }'; then b=$r; fi
        i=$((i + 1))
    done
    echo "$b" >"$T/res.$name"
}

export AKWATCH_DB="$T/bench.db"
best akwatch "$T/akwatch.jsonl" env AKWATCH_DB="$T/bench.db" "$bin" --quiet scan --format json --no-store "$T/corpus"
best akwatch_store "$T/akwatch_store.jsonl" env AKWATCH_DB="$T/bench.db" "$bin" --quiet scan --format json "$T/corpus"
best rg_regex "$T/rg_regex.out" rg -uu --no-messages -c "$@" "$T/corpus"
best rg_regex_j1 "$T/rg_regex_j1.out" rg -uu -j1 --no-messages -c "$@" "$T/corpus"
# The same regexes one rg run each (ripgrep's combined automaton for many regexes is what
# costs it most; this row shows its best case). Summed seconds, largest RSS; one warm run.
rg_sum=0 rg_rss=0
while IFS= read -r re; do
    r=$("$py" "$helper" measure "$T/rg_one.out" -- rg -uu -j1 --no-messages -c -e "$re" "$T/corpus")
    rg_sum=$(awk -v a="$rg_sum" -v b="${r%% *}" 'BEGIN { print a + b }')
    k=$(echo "$r" | cut -d' ' -f2)
    [ "$k" -gt "$rg_rss" ] && rg_rss=$k
done <"$T/regexes"
echo "$rg_sum $rg_rss 0" >"$T/res.rg_each"
best rg_kw "$T/rg_kw.out" rg -uu --no-messages -c -i -F -f "$T/keywords" "$T/corpus"
best rg_kw_j1 "$T/rg_kw_j1.out" rg -uu -j1 --no-messages -c -i -F -f "$T/keywords" "$T/corpus"

check=$("$py" "$helper" check "$T/expected.tsv" "$T/akwatch.jsonl")
found=$(echo "$check" | head -1 | cut -d' ' -f1)
planted=$(echo "$check" | head -1 | cut -d' ' -f2)
other=$(echo "$check" | head -1 | cut -d' ' -f3)

echo "scan_bench: $files files, $bytes bytes, $planted planted leaks; $(nproc) CPUs; best of $runs warm runs"
printf '  %-44s %8s %9s %10s\n' "tool" "seconds" "MB/s" "peak RSS"
row() { # row LABEL NAME
    set -- "$1" $(cat "$T/res.$2")
    awk -v l="$1" -v s="$2" -v k="$3" -v b="$bytes" \
        'BEGIN { printf "  %-44s %8.2f %9.1f %7.1f MB\n", l, s, b / 1e6 / s, k / 1024 }'
}
row "akwatch scan (1 thread, --no-store)" akwatch
row "akwatch scan (1 thread, findings stored)" akwatch_store
row "rg, $nre credential regexes" rg_regex
row "rg -j1, $nre credential regexes" rg_regex_j1
row "rg -j1, the $nre regexes one run each (sum)" rg_each
row "rg -i -F, $nkw keywords only" rg_kw
row "rg -j1 -i -F, $nkw keywords only" rg_kw_j1
a=$(cut -d' ' -f1 "$T/res.akwatch")
awk -v a="$a" -v r="$(cut -d' ' -f1 "$T/res.rg_regex")" -v r1="$(cut -d' ' -f1 "$T/res.rg_regex_j1")" \
    -v k="$(cut -d' ' -f1 "$T/res.rg_kw")" -v k1="$(cut -d' ' -f1 "$T/res.rg_kw_j1")" \
    -v e="$(cut -d' ' -f1 "$T/res.rg_each")" 'BEGIN {
    printf "  akwatch vs rg regexes:       %.1fx faster (%.1fx vs -j1; %.1fx vs one run per regex)   [target >= 4x]\n", r / a, r1 / a, e / a
    printf "  akwatch vs rg keywords only: %.2fx the time (%.2fx vs -j1)  [target <= 2x]\n", a / k, a / k1
}'
echo "  planted leaks found by akwatch: $found/$planted; other findings: $other"
echo "$check" | sed -n '2,$p' | sed 's/^/  /'
[ "$found" -eq "$planted" ]
