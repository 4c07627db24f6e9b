#!/bin/sh
# [keys] bind = CONTEXT KEY ACTION: `config check` and starting the TUI both check the
# context, key and action names with the TUI's own tables; a bad line is
# "FILE:LINE: [keys] bind: unknown ... 'x'" and exit 2, and the TUI touches nothing.
. "$AKW_SRCDIR/tests/lib.sh"
cd "$T" || exit 1
DB="$T/store.db"

cat >good.ini <<'INI'
[keys]
bind = list x process
bind = list p none
bind = generic ^D page-down
bind = generic Ctrl-U page-up
bind = list F5 reload
bind = generic PgDn move_down
bind = processing Enter note-confirm
bind = list Semicolon search
bind = list ü sort
INI
akw --config good.ini config check >out 2>err
is "$?" 0 "config check accepts good bindings"
is "$(cat out)" "ok: good.ini" "and says ok"

# check_bad NAME WANT-REGEX LINE...: a config with [keys] and the lines; config check and
# tui both say WANT on one line and exit 2
check_bad() {
    name=$1 want=$2
    shift 2
    { echo "[keys]"; for l in "$@"; do echo "$l"; done; } >"$name.ini"
    akw --config "$name.ini" config check >out 2>err
    is "$?" 2 "config check: $name: exit 2"
    like "$(cat err)" "^akwatch: $name\.ini:$want\$" "config check: $name: file:line and the culprit"
    akw --config "$name.ini" --db "$DB" tui --no-scan </dev/null >out 2>err
    is "$?" 2 "tui: $name: exit 2"
    like "$(cat err)" "^akwatch: $name\.ini:$want\$" "tui: $name: the same line"
    test ! -e "$DB"
    ok $? "tui: $name: no store was created"
}
check_bad action "3: \[keys\] bind: unknown action 'frobnicate' \(\? lists them\)" \
    "bind = list x process" "bind = list y frobnicate"
check_bad context "2: \[keys\] bind: unknown context 'lst' \(generic, list, .*\)" "bind = lst x process"
check_bad key "2: \[keys\] bind: unknown key 'Meta-x' \(a character, .*\)" "bind = list Meta-x process"
check_bad key2 "2: \[keys\] bind: unknown key 'F13' \(.*\)" "bind = list F13 process"
check_bad words "2: \[keys\] bind: expected CONTEXT KEY ACTION, like: bind = list x process \(list x\)" "bind = list x"
check_bad unknownkey "2: \[keys\] unbind: unknown key" "unbind = list x"

# every bad line is reported, in file order
printf '[keys]\nbind = list x nope\nbind = list y process\nbind = nowhere z process\n' >two.ini
akw --config two.ini config check >out 2>err
is "$?" 2 "two bad lines: exit 2"
is "$(cut -d: -f1-3 err | tr '\n' ' ')" "akwatch: two.ini:2 akwatch: two.ini:4 " "both are reported, in order"
done_testing
