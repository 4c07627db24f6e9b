#!/bin/sh
# scan_github — `akwatch scan --github --once` against the fake GitHub on loopback: every
# planted leak found with its provenance (list --format json), a rerun adds nothing and
# refetches no file, 401 and non-loopback http give one clear line and exit 2, and the
# token appears nowhere (output, store).
. "$AKW_SRCDIR/tests/lib.sh"
. "$AKW_SRCDIR/tests/github/fakelib.sh"
SC="$AKW_SRCDIR/tests/fakegh/scenarios"
TOKEN=ghp_akwatch_test_token_1
export AKWATCH_DB="$T/akwatch.db" AKWATCH_CONFIG="$T/config" GITHUB_TOKEN="$TOKEN"
cat >"$T/config" <<'CONF'
[github]
org = acme
events = on
keep_unowned = off
poll_interval = 1
[assets]
access_key_id = LTAI5tR7xK2mQ9pW4vN8sB3dZ
endpoint = rm-acme.mysql.rds.aliyuncs.com
[scan]
skip = vendor/
CONF
cat >>"$T/config" <<CONF
[notify]
command = $T/alert.sh
bell = off
CONF
cat >"$T/alert.sh" <<'SH'
#!/bin/sh
echo "$AKWATCH_ALERT_TYPE $AKWATCH_RULE ${GITHUB_TOKEN:-no-token}" >>"$(dirname "$0")/alerts"
SH
chmod +x "$T/alert.sh"
fake_start "$SC/basic.json"

akw scan --github --once >"$T/out1" 2>"$T/err1"
is "$?" 1 "scan --github --once exits 1: unhandled findings"
out=$(cat "$T/out1")
like "$out" "NEW OWNED +alibaba-accesskey-id acme/app/config/application.properties:3" "org repo leak printed"
like "$out" "stranger/leaky/src/cfg.py:12" "events-feed leak printed"
like "$(cat "$T/err1")" "^github: [0-9]+ events, [0-9]+ commits, [0-9]+ files" "summary on stderr"
unlike "$(cat "$T/err1")" "$(printf '\r')" "no progress line when stderr is not a tty"

akw list --format json >"$T/list1"
ok $? "list --format json"
/usr/bin/python3 - "$T/list1" >"$T/prov" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
want = {
  ("acme/app", "config/application.properties", 3): ("a1"*20, "alice", "2026-11-01T08:00:00Z", True),
  ("other/public", "src/settings.py", 3): ("b1"*20, None, None, True),
  ("stranger/leaky", "src/cfg.py", 12): ("51"*20, "bob", "2026-11-02T09:30:00Z", True),
  ("other/public", "deploy/staging.env", 2): ("b1"*20, "Carol", "2026-11-03T10:00:00Z", True),
}
for key, (commit, author, when, owned) in sorted(want.items()):
    hits = [(r, l) for r in rows for l in r["locations"]
            if (l["repo"], l["path"], l["line"]) == key]
    good = [1 for r, l in hits if l["platform"] == "github" and l["commit"] == commit
            and (author is None or l["author"] == author)
            and (when is None or l["committed_at"] == when)
            and l["url"].endswith("/blob/%s/%s#L%d" % (commit, key[1], key[2]))
            and l["found_at"] and bool(r["owned"]) == owned]
    print("%s:%s:%d %s" % (key[0], key[1], key[2], "ok" if good else "MISSING %r" % hits))
print("big_file %d" % sum(1 for r in rows if r.get("ak_id") == "AKIAB1GF1LEQ7XZ4M2WK"))
print("akia_unowned %d" % sum(1 for r in rows if r.get("ak_id") == "AKIAQ7RMZ3TLX9WKVN2Y"))
print("leaks %d locations %d" % (len(rows), sum(len(r["locations"]) for r in rows)))
PY
prov=$(cat "$T/prov")
for loc in acme/app:config/application.properties:3 other/public:src/settings.py:3 \
           stranger/leaky:src/cfg.py:12 other/public:deploy/staging.env:2; do
    like "$prov" "$loc ok" "provenance of $loc (platform, commit, author, time, url, owned)"
done
like "$prov" "big_file 1" "a 2 KB file under the default max_file_size is scanned"
like "$prov" "akia_unowned 0" "unowned feed finding not kept (keep_unowned = off)"
counts1=$(grep '^leaks' "$T/prov")

alerts1=$(wc -l <"$T/alerts" 2>/dev/null || echo 0)
ok $([ "$alerts1" -ge 4 ]; echo $?) "each new leak alerted through [notify] command ($alerts1)"
is "$(grep -c 'no-token$' "$T/alerts")" "$alerts1" "the alert command never sees GITHUB_TOKEN"

# Rerun: nothing new, no file or blob fetched again.
blobs=$(fake_count '/git/blobs/'); contents=$(fake_count '/contents/')
akw scan --github --once >"$T/out2" 2>"$T/err2"
is "$?" 1 "rerun exits 1 (the leaks are still unhandled)"
is "$(grep -c NEW "$T/out2")" 0 "rerun reports no new leak"
akw list --format json >"$T/list2"
is "$(/usr/bin/python3 -c 'import json,sys; rows=[json.loads(l) for l in open(sys.argv[1])]; print("leaks %d locations %d" % (len(rows), sum(len(r["locations"]) for r in rows)))' "$T/list2")" \
   "$counts1" "rerun adds no leak and no location"
is "$(fake_count '/git/blobs/')" "$blobs" "rerun fetches no blob"
is "$(fake_count '/contents/')" "$contents" "rerun fetches no file"
is "$(wc -l <"$T/alerts")" "$alerts1" "rerun raises no alert"

# The token: sent as Bearer to the API, never to another host, never shown or stored.
like "$(fake_count "\"auth\": \"Bearer $TOKEN\"")" "^[1-9]" "token sent as Bearer"
is "$(grep '"host": "localhost' "$FAKE_LOG" | grep -c "$TOKEN")" 0 "token never sent to another host"
is "$(cat "$T"/out* "$T"/err* "$T"/list* | grep -c "$TOKEN")" 0 "token never printed"
is "$(cat "$T"/akwatch.db* | grep -ac "$TOKEN")" 0 "token never in the store"

# GitHub Enterprise Server: the API under /api/v3 (paths, Link pages and buckets follow).
AKWATCH_API_URL="$FAKE_URL/api/v3" AKWATCH_DB="$T/ghe.db" akw scan --github --once >"$T/out.ghe" 2>"$T/err.ghe"
is "$?" 1 "api_url with a path (GitHub Enterprise /api/v3) works"
like "$(fake_count '"path": "/api/v3/orgs/acme/repos')" "^[1-9]" "requests go under /api/v3"
AKWATCH_DB="$T/ghe.db" akw list --format json >"$T/list.ghe"
is "$(wc -l <"$T/list.ghe")" "$(wc -l <"$T/list1")" "same leaks found through the Enterprise root"

# 401: one clear line, exit 2, no token in it.
GITHUB_TOKEN=ghp_wrong_token_123 akw scan --github --once >"$T/out3" 2>"$T/err3"
is "$?" 2 "bad token: exit 2"
like "$(cat "$T/err3")" "akwatch: .*401 Bad credentials.*GITHUB_TOKEN" "bad token: clear message"
unlike "$(cat "$T/err3")" "ghp_wrong" "bad token: not echoed"
is "$(grep -c 'Bad credentials' "$T/err3")" 1 "bad token: the error is printed once, not again at the end"

# Plain http is for loopback only; nothing is sent.
AKWATCH_API_URL=http://203.0.113.7/api/v3 akw scan --github --once >/dev/null 2>"$T/err4"
is "$?" 2 "plain http to a non-loopback host: exit 2"
like "$(cat "$T/err4")" "http" "plain http refused with a message"
akw --api-url http://example.com scan --github --once >/dev/null 2>"$T/err5"
is "$?" 2 "--api-url http://example.com: exit 2"

# Usage errors.
akw scan --github --once somepath >/dev/null 2>"$T/err6"
is "$?" 2 "scan --github with a PATH: exit 2"
printf '[github]\n' >"$T/empty.conf"
AKWATCH_CONFIG="$T/empty.conf" akw scan --github --once >/dev/null 2>"$T/err7"
is "$?" 2 "no source configured: exit 2"
like "$(cat "$T/err7")" "no GitHub source configured" "says what to configure"
done_testing
