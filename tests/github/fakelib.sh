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

# fake_keys_world KEY=VALUE... — write $T/scenario.json and $T/config, start the fake on them.
# The world: org acme with repo acme/many, whose files conf/appNN.properties each hold an
# Alibaba AccessKey pair, and an events feed of push events to dev/keys, each commit adding
# one AWS key; blob and commit answers are slow, so a kill can land mid-scan. The config
# scans org acme, the events feed, and keeps unowned finds. Keys (defaults):
#   seed (7) files (20) copy (0; 1 adds conf/copy.properties = app03, a second location)
#   commits (10) sha_tag (c: commit shas are sha1(TAG + i)) first_event (500) init_sha (ab)
#   delay (0.15 s) token (ghp_resume_token, also the fake's one valid token)
fake_keys_world() {
    /usr/bin/python3 - "$T/scenario.json" "$@" <<'PY'
import json, sys, hashlib, random
opt = {"seed": "7", "files": "20", "copy": "0", "commits": "10", "sha_tag": "c",
       "first_event": "500", "init_sha": "ab", "delay": "0.15", "token": "ghp_resume_token"}
for a in sys.argv[2:]:
    k, _, v = a.partition("=")
    if k not in opt:
        sys.exit("fake_keys_world: unknown key " + k)
    opt[k] = v
rnd = random.Random(int(opt["seed"]))
alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
def rs(n, chars=alnum): return "".join(rnd.choice(chars) for _ in range(n))
files = {}
for i in range(int(opt["files"])):
    files["conf/app%02d.properties" % i] = ("x=%d\naliyun.accesskey.id=LTAI5t%s\n"
        "aliyun.accesskey.secret=%s\n" % (i, rs(18), rs(30)))
if opt["copy"] == "1":
    files["conf/copy.properties"] = files["conf/app03.properties"]
commits, events = [], []
for i in range(int(opt["commits"])):
    sha = hashlib.sha1(("%s%d" % (opt["sha_tag"], i)).encode()).hexdigest()
    key = "AKIA" + rs(16, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
    commits.append({"sha": sha, "message": "c%d" % i,
                    "author": {"name": "Dev", "email": "d@x", "login": "dev",
                               "date": "2026-11-0%dT00:00:00Z" % (1 + i % 9)},
                    "files": [{"filename": "k%d.py" % i, "status": "added",
                               "patch": "@@ -0,0 +1,1 @@\n+aws_key = \"%s\"" % key}]})
    events.append({"id": str(int(opt["first_event"]) + i), "repo": "dev/keys",
                   "payload": {"head": sha, "commits": [sha]}})
sc = {"tokens": [opt["token"]], "poll_interval": 1,
      "repos": {"acme/many": {"files": files, "commits": [{"sha": opt["init_sha"] * 20, "message": "init",
                "author": {"name": "A", "email": "a@x", "date": "2026-11-01T00:00:00Z"}, "files": []}]},
                "dev/keys": {"files": {}, "commits": commits}},
      "orgs": {"acme": ["acme/many"]}, "events": events,
      "slow": [{"match": "/git/blobs/|/commits/[0-9a-f]{40}", "delay": float(opt["delay"])}]}
json.dump(sc, open(sys.argv[1], "w"))
PY
    printf '[github]\norg = acme\nevents = on\nkeep_unowned = on\n' >"$T/config"
    fake_start "$T/scenario.json"
}

# fake_kill_at REGEX N COMMAND... — run COMMAND in the background and kill -9 it once the
# request log holds N lines matching REGEX (the whole log: add fake_count's value from before
# the run to count this run's requests only). Returns 0 when the kill reached it running.
fake_kill_at() {
    fk_re=$1 fk_n=$2
    shift 2
    "$@" &
    fk_pid=$!
    wait_for 60 sh -c "n=\$(grep -cE '$fk_re' '$FAKE_LOG' 2>/dev/null); [ \"\${n:-0}\" -ge $fk_n ]"
    kill -9 $fk_pid 2>/dev/null
    fk_rc=$?
    wait $fk_pid 2>/dev/null
    return $fk_rc
}
