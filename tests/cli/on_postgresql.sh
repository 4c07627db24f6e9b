#!/bin/sh
# on_postgresql.sh — every CLI command gives the same answer on a PostgreSQL store as on a
# SQLite file: one script of commands (scan, list, show, handle, whitelist, calls, export)
# runs on each, and the outputs and exit codes must be equal once the store's name and the
# clock are taken out. Then what only a server store meets: a URL is never a path, an
# unreachable server is one line and exit 2, and the password is in no message.
. "$AKW_SRCDIR/tests/lib.sh"
. "$AKW_SRCDIR/tests/pglib.sh"
. "$AKW_SRCDIR/tests/cli/plant.sh"
pg_start
cd "$T" || exit 1
plant proj
export USER=alice AKWATCH_NOW=1780000000
demo="$AKW_SRCDIR/data/demo"

session() { # session STORE OUT: the command script, each command's output and exit code
    db=$1
    {
        for c in "scan proj" "scan proj" "list" "list --format json" "list --ak ltai5t" \
            "list --search main/App" "list --sort severity --format tsv" "show 1" "show 2" \
            "handle 1 --as deleted --note rotated" "handle 2 --as whitelisted --note test-key" \
            "list --status unhandled" "whitelist list" "whitelist add LTAI5tNotSeen00000000001" \
            "whitelist remove $AWS_ID" "handle 3 --as disabled" "handle 3 --as reopened" \
            "show 1" "show 3" "scan proj" "calls import $demo/actiontrail.jsonl $demo/access.log" \
            "calls list" "calls list --ak ltai5tu8jzpde0igxld6gncf" "calls access 3" \
            "export --format json -o out.json --force" "show 99"; do
            echo "== $c"
            # shellcheck disable=SC2086
            akw --db "$db" $c 2>&1
            echo "-> $?"
        done
        cat out.json
    } | sed -e "s|$db|STORE|g" -e 's/[0-9]\{4\}-[0-9][0-9]-[0-9][0-9][T ][0-9:]*Z\{0,1\}/TIME/g' >"$2"
}
session "$T/store.db" sqlite.out
session "$PG_URL" pg.out
diff sqlite.out pg.out >diff.out
ok $? "the same command script gives the same output on SQLite and PostgreSQL"
[ -s diff.out ] && head -40 diff.out | sed 's/^/# /'
like "$(grep -c '^== ' pg.out)" '^26$' "every command ran"
like "$(cat pg.out)" 'leak 1: handled \(deleted\)' "and they did things (a decision was taken)"
is "$(pg_sql "$PG_URL" "SELECT who || ':' || what FROM actions WHERE leak_id = 1 ORDER BY id LIMIT 1")" \
    "alice:deleted" "the decision is in the server's audit table"

# --- what only a server store meets -----------------------------------------------------
out=$(akw --db "postgresql://akwatch@/akw?host=$PG_DIR" list 2>&1 | head -1)
like "$out" '^ID ' "postgresql:// opens the server's store"
[ ! -e "postgresql:" ] && [ ! -e "$T/postgresql:" ]
ok $? "no folder named postgresql: is created"
out=$(akw --db "postgresql://akwatch:s3cretPW@/nosuchdb?host=$PG_DIR" list 2>&1); rc=$?
is "$rc" 2 "a database that does not exist: exit 2"
is "$(printf '%s\n' "$out" | wc -l)" 1 "one line"
like "$out" 'nosuchdb.*cannot connect' "naming the store and what failed"
unlike "$out" 's3cretPW' "without the password"
out=$(akw --db "postgresql://akwatch:s3cretPW@/akw?host=$T/nothing-here&password=s3cretPW" list 2>&1); rc=$?
is "$rc" 2 "an unreachable server: exit 2"
unlike "$out" 's3cretPW' "the password is in no message (user info nor query)"
out=$(akw --db "mysql://u@h/db" list 2>&1); rc=$?
is "$rc" 2 "a URL of another scheme: exit 2"
like "$out" 'mysql://u@h/db: not a store location' "says so"
[ ! -e "mysql:" ]
ok $? "and is not taken for a path"
out=$(AKWATCH_DB="$PG_URL" akw list --status handled 2>&1)
like "$out" 'deleted' "AKWATCH_DB may be a URL"
mkdir -p "$HOME/.config/akwatch"
printf '[store]\nurl = %s\n' "$PG_URL" >"$HOME/.config/akwatch/config"
chmod 600 "$HOME/.config/akwatch/config"
out=$(akw list --status handled 2>&1)
like "$out" 'deleted' "so may [store] url in the configuration"
out=$(akw config check 2>&1); rc=$?
is "$rc" 0 "config check knows [store] url ($out)"
out=$(AKWATCH_DB="$T/other.db" akw list 2>&1)
is "$out" "No leaks." "AKWATCH_DB comes before [store] url"
done_testing
