#!/bin/sh
# search_gaps — a code-search hit whose file GitHub never serves (its contents answer HTML
# instead of JSON every time): the round skips it, scans the other hits of that query and of
# the next one, names it once (it matches both queries: fetched once), and does not mark it
# seen, so the next run fetches it again (and only it). After give_up_after (3) failed runs in
# a row it is no longer fetched but still reported. Three files failing in a row are an outage:
# the round stops (exit 2) and nothing counts against the files.
. "$AKW_SRCDIR/tests/lib.sh"
. "$AKW_SRCDIR/tests/github/fakelib.sh"
export AKWATCH_CONFIG="$T/config" GITHUB_TOKEN=ghp_search_gap_token
printf '[github]\nquery = alpha\nquery = beta\n' >"$T/config"
/usr/bin/python3 - "$T/fault.json" "$T/outage.json" <<'PY'
import json, random, sys
rnd = random.Random(11)
a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
def leak(word):
    return "# %s\naliyun.accesskey.id=LTAI5t%s\naliyun.accesskey.secret=%s\n" % (word,
        "".join(rnd.choice(a) for _ in range(18)), "".join(rnd.choice(a) for _ in range(30)))
app = {"conf/a0.properties": leak("alpha"), "conf/a1.properties": leak("alpha"),
       "conf/broken.properties": leak("alpha beta")}
lib = {"conf/b0.properties": leak("beta"), "conf/b1.properties": leak("beta")}
sc = {"tokens": ["ghp_search_gap_token"], "limits": {"code_search": {"limit": 100}},
      "repos": {"acme/app": {"files": app}, "other/lib": {"files": lib}},
      "faults": [{"match": "/contents/conf/broken", "kind": "malformed", "times": 1000}]}
json.dump(sc, open(sys.argv[1], "w"))
sc["faults"] = [{"match": "/contents/", "kind": "malformed", "times": 1000}]
json.dump(sc, open(sys.argv[2], "w"))
PY
fake_start "$T/fault.json"
run() { # run N — one `scan --github --once`; $rc, $T/err.N; counts before it in c0 bc0 q0
    c0=$(fake_count '/contents/'); bc0=$(fake_count '/contents/conf/broken')
    q0=$(fake_count '/search/code')
    AKWATCH_DB="$T/a.db" timeout 120 "$AKWATCH_BIN" scan --github --once >"$T/out.$1" 2>"$T/err.$1"
    rc=$?
    sed 's/^/#   /' "$T/err.$1"
}
leaks() { sqlite3 "$T/a.db" "select count(*) || ' ' || (select count(*) from locations) from leaks"; }
delta() { echo $(($(fake_count "$1") - $2)); }

run 1
is "$rc" 1 "run 1: completes, exit 1 by findings (a skipped hit is not a failed round)"
is "$(leaks)" "4 4" "run 1: the other hits of both queries scanned"
is "$(delta '/search/code' "$q0")" 2 "run 1: the second query is reached"
is "$(delta '/contents/conf/broken' "$bc0")" 1 "run 1: the bad file asked once (it matches both queries)"
is "$(grep -c 'conf/broken.properties' "$T/err.1")" 1 "run 1: the file is named once"
like "$(cat "$T/err.1")" "akwatch: acme/app: conf/broken.properties could not be fetched \(.*contents/conf/broken.properties.*JSON.*\): tried again next run \(failed 1 of 3\)" \
    "run 1: with its repository, the failed request and what happens next"
like "$(tail -1 "$T/err.1")" "; 1 file could not be fetched$" "run 1: counted in the summary"

run 2
is "$rc" 1 "run 2: exit 1"
is "$(delta '/contents/' "$c0")" 1 "run 2: only the failed file is fetched again (it was not marked seen)"
like "$(cat "$T/err.2")" "conf/broken.properties could not be fetched .*failed 2 of 3" "run 2: second failed run"

run 3
like "$(cat "$T/err.3")" "acme/app: conf/broken.properties could not be fetched in 3 runs in a row .*skipped from now on" \
    "run 3: given up after give_up_after = 3 runs"

run 4
is "$rc" 1 "run 4: exit 1"
is "$(delta '/contents/' "$c0")" 0 "run 4: the given-up file is not asked for"
is "$(grep -c 'conf/broken.properties' "$T/err.4")" 1 "run 4: still named once"
like "$(cat "$T/err.4")" "acme/app: conf/broken.properties skipped: it could not be fetched in 3 runs" \
    "run 4: reported as skipped"
like "$(tail -1 "$T/err.4")" "; 1 file could not be fetched$" "run 4: still counted in the summary"
is "$(leaks)" "4 4" "runs 2-4: nothing found twice"

# Every file fails: an outage, not bad files.
fake_reload "$T/outage.json" >/dev/null
AKWATCH_DB="$T/c.db" timeout 120 "$AKWATCH_BIN" scan --github --once >"$T/out.5" 2>"$T/err.5"
is "$?" 2 "outage: the round stops, exit 2"
like "$(cat "$T/err.5")" "3 files in a row could not be fetched" "outage: said as such"
is "$(sqlite3 "$T/c.db" "select count(*) from scan_state where key like 'fail:%'")" 0 \
    "outage: nothing counts against the files"
fake_stop
done_testing
