#!/bin/sh
# events_bench — how fast `akwatch watch` keeps up with a fast public events feed: the fake
# server generates RATE push events per second (2 commits each, 2 files per commit, a leak
# in every 10th file, every 7th push without a commit list), akwatch runs for SECONDS, and
# the figures are printed: events and commits per second, HTTP requests per commit, gaps,
# peak memory. Figures only, not a test (nothing here can fail a build).
#   usage: tests/bench/events_bench.sh [SECONDS=30] [RATE=20]   (run from the build folder,
#          or set AKWATCH_BIN); 1000 push events a minute is RATE≈17.
set -eu
secs=${1:-30}
rate=${2:-20}
here=$(cd "$(dirname "$0")/../.." && pwd)
bin=${AKWATCH_BIN:-./akwatch}
[ -x "$bin" ] || { echo "events_bench: no akwatch binary at $bin (set AKWATCH_BIN)" >&2; exit 2; }
T=$(mktemp -d /tmp/akw-bench.XXXXXX)
fake=""
trap '[ -n "$fake" ] && kill $fake 2>/dev/null; rm -rf "$T"' EXIT
cat >"$T/scenario.json" <<JSON
{"tokens": ["ghp_bench_token"], "poll_interval": 1,
 "limits": {"core": {"limit": 10000000, "window": 3600}},
 "generate": {"rate": $rate, "commits_per_push": 2, "files_per_commit": 2,
              "leak_every": 10, "omit_commits_every": 7, "other_every": 5}}
JSON
printf '[github]\nevents = on\npoll_interval = 1\nkeep_unowned = on\n' >"$T/config"
/usr/bin/python3 "$here/tests/fakegh/fakegh.py" "$T/scenario.json" --port-file "$T/port" \
    --log "$T/requests.log" >/dev/null &
fake=$!
while [ ! -s "$T/port" ]; do sleep 0.1; done
export AKWATCH_API_URL="http://127.0.0.1:$(cat "$T/port")" GITHUB_TOKEN=ghp_bench_token
export AKWATCH_DB="$T/bench.db" AKWATCH_CONFIG="$T/config" HOME="$T"
"$bin" watch >"$T/out" 2>"$T/err" &
pid=$!
peak=0
i=0
while [ $i -lt $((secs * 10)) ]; do
    kb=$(awk '/VmHWM/ {print $2}' /proc/$pid/status 2>/dev/null || echo 0)
    [ "${kb:-0}" -gt "$peak" ] && peak=$kb
    sleep 0.1
    i=$((i + 1))
done
ticks=$(awk '{print $14 + $15}' /proc/$pid/stat 2>/dev/null || echo 0)
hz=$(getconf CLK_TCK)
kill -INT $pid
wait $pid || true
line=$(grep '^github:' "$T/err" | tail -1)
echo "events_bench: $secs s at $rate push events/s (fake feed)"
echo "  $line"
echo "$line" | awk -v peak="$peak" -v secs="$secs" -v cpu="$ticks" -v hz="$hz" '{
    for (i = 1; i <= NF; i++) {
        if ($(i+1) ~ /^events/) ev = $i; if ($(i+1) ~ /^commits/) cm = $i;
        if ($(i+1) ~ /^requests/) rq = $i; if ($(i+1) ~ /^gaps/) gp = $i;
        if ($(i+1) ~ /^findings/) fd = $i
    }
    printf "  events/s      %.1f\n  commits/s     %.1f\n  requests/commit %.2f\n", ev / secs, cm / secs, (cm ? rq / cm : 0)
    printf "  findings      %d\n  gaps          %d\n  peak RSS      %.1f MiB\n", fd, gp, peak / 1024
    printf "  akwatch CPU   %.1f s (%.0f%% of one core)\n", cpu / hz, 100 * cpu / hz / secs
}'
