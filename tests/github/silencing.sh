#!/bin/sh
# GitHub sources do not trust the silencing a scanned repository carries: a leak on a line
# with akwatch:allow, and one listed in the repository's own .akwatchignore, are recorded
# and alert as any other (a marker in someone else's code proves nothing about your key;
# the whitelist is where you silence GitHub findings). The same files scanned locally are
# silenced, to show that the markers and the baseline are the real ones.
. "$AKW_SRCDIR/tests/lib.sh"
. "$AKW_SRCDIR/tests/github/fakelib.sh"
PY=/usr/bin/python3
TOKEN=ghp_akwatch_test_token_1
export AKWATCH_DB="$T/akwatch.db" AKWATCH_CONFIG="$T/config" GITHUB_TOKEN="$TOKEN"
cd "$T" || exit 1
cat >"$T/config" <<CONF
[github]
org = acme
keep_unowned = on
poll_interval = 1
[notify]
command = $T/alert.sh
bell = off
CONF
printf '#!/bin/sh\necho "$AKWATCH_RULE" >>"%s/alerts"\n' "$T" >"$T/alert.sh"
chmod +x "$T/alert.sh"

# the repository's files, first as a local work tree, whose baseline akwatch writes itself
mkdir -p local/config && git -C local init -q
printf 'aliyun.accesskey.id=LTAI5tQ8bRmZp3Lx9wKvN2Yd\naliyun.accesskey.secret=Xk9mP2qR7sT4vW8yZ3bN6cF1hJ5kL0  # akwatch:allow\n' \
    >local/config/application.properties
printf 'aws_access_key_id = AKIAQ3EGRIPJ4LZ5W6XA\naws_secret_access_key = 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\n' \
    >local/config/creds
akw baseline local >/dev/null
ok $? "a baseline of the AWS pair, written by akwatch"
akw scan --no-store local >/dev/null 2>"$T/err"
is "$?" 0 "locally both are silenced (exit 0)"
like "$(cat "$T/err")" "1 allowed by an inline comment, 1 listed in .akwatchignore" "by the marker and by the baseline"

"$PY" - "$T/local" "$T/scenario.json" <<'EOF'
import json, os, sys
root, out = sys.argv[1], sys.argv[2]
files = {}
for rel in ("config/application.properties", "config/creds", ".akwatchignore"):
    files[rel] = open(os.path.join(root, rel)).read()
patch = lambda text: "@@ -0,0 +1,%d @@\n" % text.count("\n") + "".join("+" + l + "\n" for l in text.splitlines())
commit = {"sha": "c1" * 20, "message": "init",
          "author": {"name": "Alice Doe", "email": "alice@acme.example", "login": "alice",
                     "date": "2026-11-01T08:00:00Z"},
          "files": [{"filename": k, "status": "added", "patch": patch(v)} for k, v in files.items()]}
world = {"tokens": ["ghp_akwatch_test_token_1"], "poll_interval": 1,
         "orgs": {"acme": ["acme/app"]}, "events": [],
         "repos": {"acme/app": {"owner_type": "Organization", "pushed_at": "2026-11-01T08:00:00Z",
                                "files": files, "commits": [commit]}}}
json.dump(world, open(out, "w"))
EOF
ok $? "a fake GitHub whose repository holds the same files and the baseline"
fake_start "$T/scenario.json"
akw scan --github --once >"$T/out" 2>"$T/err"
is "$?" 1 "scan --github: unhandled findings, exit 1"
rules=$(sqlite3 "$AKWATCH_DB" "select rule from leaks order by rule" | tr '\n' ,)
is "$rules" "alibaba-accesskey-id,aws-access-key-id," "both leaks are recorded from GitHub"
is "$(sort -u "$T/alerts" | tr '\n' ,)" "alibaba-accesskey-id,aws-access-key-id," "and both alerted"
unlike "$(cat "$T/err")" "not reported|allowed|akwatchignore" "nothing is said to be silenced"
done_testing
