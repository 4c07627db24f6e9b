# fakelib.sh — start tests/fakegh/fakegh.py for a shell test and read its request log.
# Source after tests/lib.sh. Sets FAKE_URL, FAKE_LOG; the server stops when the test exits.
FAKE_PY="$AKW_SRCDIR/tests/fakegh/fakegh.py"
FAKE_LOG="$T/requests.log"
FAKE_PID=""
fake_start() { # fake_start SCENARIO.json
    rm -f "$T/fake.port"
    /usr/bin/python3 "$FAKE_PY" "$1" --port-file "$T/fake.port" --log "$FAKE_LOG" >/dev/null &
    FAKE_PID=$!
    i=0
    while [ ! -s "$T/fake.port" ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
    FAKE_URL="http://127.0.0.1:$(cat "$T/fake.port")"
    export AKWATCH_API_URL="$FAKE_URL"
}
fake_stop() { [ -n "$FAKE_PID" ] && kill "$FAKE_PID" 2>/dev/null; wait "$FAKE_PID" 2>/dev/null; FAKE_PID=""; }
trap 'fake_stop; rm -rf "$T"' EXIT
fake_count() { # fake_count REGEX — request-log lines matching
    [ -f "$FAKE_LOG" ] || { echo 0; return; }
    grep -cE -- "$1" "$FAKE_LOG" || true
}
fake_reload() { # fake_reload SCENARIO.json — swap the world, keep budgets and the log
    /usr/bin/python3 -c 'import sys,urllib.request; urllib.request.urlopen(urllib.request.Request(sys.argv[1], headers={"User-Agent": "test"})).read()' \
        "$FAKE_URL/_fake/reload?file=$1"
}
wait_for() { # wait_for SECONDS COMMAND... — poll a condition (a guard against hangs only)
    limit=$(($1 * 10)); shift; i=0
    until "$@"; do
        i=$((i + 1)); [ $i -ge $limit ] && return 1; sleep 0.1
    done
}
