#!/bin/sh
# akwatch scan --history on a repository made here with git init + commits: only added
# lines are scanned, each finding with commit, author, date, path and the line in the new
# file; a secret removed later is still found; locations are platform "git".
. "$AKW_SRCDIR/tests/lib.sh"
. "$AKW_SRCDIR/tests/cli/plant.sh"
PY=/usr/bin/python3
cd "$T" || exit 1
export GIT_AUTHOR_NAME=Alice GIT_AUTHOR_EMAIL=alice@example.com
export GIT_COMMITTER_NAME=Alice GIT_COMMITTER_EMAIL=alice@example.com
export GIT_AUTHOR_DATE=2026-01-02T03:04:05Z GIT_COMMITTER_DATE=2026-01-02T03:04:05Z
export GIT_CONFIG_NOSYSTEM=1
g() { git -C repo -c user.name=Alice -c user.email=alice@example.com -c commit.gpgsign=false "$@"; }
mkdir repo
g init -q
mkdir -p repo/conf
printf 'server.port=8080\n' >repo/conf/app.properties
g add -A && g commit -qm "first"
printf 'server.port=8080\nname=shop\naliyun.accessKeyId=%s\naliyun.accessKeySecret=%s\n' \
    "$AK_ID" "$AK_SECRET" >repo/conf/app.properties
export GIT_AUTHOR_DATE=2026-02-03T04:05:06Z
g add -A && g commit -qm "add keys"
C2=$(g rev-parse HEAD)
printf 'server.port=8080\nname=shop\n' >repo/conf/app.properties
export GIT_AUTHOR_DATE=2026-03-01T00:00:00Z
g add -A && g commit -qm "remove keys"

# the working tree is clean now
akw --db "$T/tree.db" scan --quiet repo >/dev/null
is "$?" 0 "the working tree holds no secret any more"

out=$(akw --db "$T/h.db" scan --history --format json repo 2>"$T/err")
is "$?" 1 "history scan finds the removed secret: exit 1"
is "$(count_lines "$out")" 1 "one finding (the pair), only from the commit that added it"
res=$(printf '%s\n' "$out" | $PY -c '
import json, sys
r = json.loads(sys.stdin.readline())
want = {"commit": sys.argv[1], "author": "Alice <alice@example.com>",
        "date": "2026-02-03T04:05:06Z", "path": "repo/conf/app.properties", "line": 4,
        "ak_id": sys.argv[2], "platform": "git"}
bad = ["%s=%r" % (k, r.get(k)) for k in want if r.get(k) != want[k]]
print("ok" if not bad else " ".join(bad))' "$C2" "$AK_ID")
is "$res" ok "json: commit, author, date, path as reached, line in the new file"
like "$(cat "$T/err")" "^akwatch: 3 commits, 2 files \([0-9]+ bytes\) scanned, 1 finding" "summary counts commits"
is "$(sqlite3 "$T/h.db" "select platform||'|'||commit_sha||'|'||author||'|'||path||'|'||line from locations")" \
    "git|$C2|Alice <alice@example.com>|conf/app.properties|4" "stored location: platform git, commit, author, path in repo, line"
is "$(sqlite3 "$T/h.db" "select committed_at from locations")" 1770091506 "stored committed_at is the author date"
txt=$(akw --db "$T/h.db" scan --history --quiet repo)
like "$txt" "^repo/conf/app.properties:4:[0-9]+: critical .* commit=$(printf '%.12s' "$C2") author=\"Alice <alice@example.com>\" date=2026-02-03T04:05:06Z" "text output names commit, author, date"
is "$(sqlite3 "$T/h.db" 'select count(*) from locations')" 1 "rescan of history adds no location"

# a folder inside the repository: only its history, paths as reached from the argument
out=$(akw --db "$T/sub.db" scan --history --format json repo/conf 2>/dev/null)
like "$out" '"path":"repo/conf/app.properties"' "history of a subfolder: path as reached"
like "$out" '"line":4,' "history of a subfolder: same line"

# a path with a space and a quote-worthy name, and [scan] skip on history paths
mkdir -p "repo/my dir" repo/vendor
printf 'aws_access_key_id = %s\n' "$AWS_ID" >"repo/my dir/creds"
printf 'aws_access_key_id = %s\n' "$AWS_ID" >repo/vendor/creds
g add -A && g commit -qm "more"
mkdir -p "$XDG_CONFIG_HOME/akwatch"
printf '[scan]\nskip = vendor/\n' >"$XDG_CONFIG_HOME/akwatch/config"
out=$(akw --db "$T/h2.db" scan --history --format json repo 2>"$T/err")
like "$out" '"path":"repo/my dir/creds"' "paths with spaces come through unquoted"
unlike "$out" 'repo/vendor/creds' "[scan] skip applies to history"
like "$(cat "$T/err")" "skip rule: 1" "the skipped history path is counted"

akw --db "$T/h3.db" scan --history "$T" >/dev/null 2>"$T/err"
is "$?" 2 "history of a folder that is no repository: exit 2"
like "$(cat "$T/err")" "^akwatch: $T: .*not a git repository" "one line naming the folder"
ok "$([ ! -f "$T/h3.db" ]; echo $?)" "no store created when the arguments are bad"
done_testing
