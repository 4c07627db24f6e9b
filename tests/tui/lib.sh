# tests/tui/lib.sh — drive the real akwatch TUI in tmux (tig's test design): a hermetic
# environment (tests/lib.sh), a private tmux server per test (`tmux -L akw$$`), keys sent
# with send-keys, and waits on conditions (the AKWATCH_TEST_DUMP model dump, or text on
# the screen), never on fixed sleeps. A watchdog kills a hung test.
. "$AKW_SRCDIR/tests/lib.sh"

FILL="$AKW_BUILDDIR/tests/tools/akw_fill"
DEMO_DATA="$AKW_SRCDIR/data/demo/findings.conf"
SOCK="akw$$"
starts=0
DUMP="$T/dump"
DB="$T/akwatch.db"
TUI_TIMEOUT=${TUI_TIMEOUT:-30} # seconds a condition may take (ASan builds are slow)
keys_sent=0

tmx() { tmux -L "$SOCK" -f /dev/null "$@"; }

tui_cleanup() {
    tmx kill-server 2>/dev/null
    [ -n "${watchdog:-}" ] && kill "$watchdog" 2>/dev/null
    rm -rf "$T"
}
trap tui_cleanup EXIT
# TUI_ON_POSTGRESQL=1 (tests/tui/on_postgresql.sh): the store is a database on a private
# PostgreSQL cluster instead of a file
if [ -n "${TUI_ON_POSTGRESQL:-}" ]; then
    . "$AKW_SRCDIR/tests/pglib.sh"
    PG_THEN=tui_cleanup
    pg_start
    DB=$PG_URL
fi

# The watchdog: a hung test is killed (and reported) instead of hanging make check. Its
# sleep writes nowhere, so a finished test never waits on it.
(
    trap 'kill "$_wd_sleep" 2>/dev/null; exit 0' TERM
    sleep "${TUI_WATCHDOG:-300}" </dev/null >/dev/null 2>&1 &
    _wd_sleep=$!
    wait "$_wd_sleep" && { echo "not ok - watchdog: test hung, killed"; kill -TERM $$; }
) &
watchdog=$!

command -v tmux >/dev/null || { echo "not ok 1 - tmux is required (./setup.sh deps)"; exit 1; }

# demo_store [FILE]: a store from the demo data (or FILE) at $DB.
demo_store() {
    "$FILL" "$DB" "${1:-$DEMO_DATA}" || { echo "Bail out! akw_fill failed"; exit 1; }
}

# tui_start [COLS ROWS] [akwatch args...]: open the TUI on $DB (with --no-scan unless
# TUI_ARGS says otherwise; TUI_ENV adds environment variables). The shell around it
# records the exit status and the terminal modes after it exits (to prove it restored
# the terminal).
tui_start() {
    _ts_cols=80 _ts_rows=24
    case "${1:-}" in [0-9]*) _ts_cols=$1 _ts_rows=$2; shift 2 ;; esac
    keys_sent=0
    tmx kill-server 2>/dev/null
    starts=$((starts + 1))
    SOCK="akw$$.$starts" # a fresh server: the old one may still be shutting down
    rm -f "$DUMP" "$T/exit" "$T/stty"
    cat >"$T/run.sh" <<RUN
trap '' INT # Ctrl-C is for akwatch (which installs its own handler), not this wrapper
cd "$T"
sh -c 'echo \$\$ >"$T/pid"; exec "\$0" "\$@"' env AKWATCH_TEST_DUMP="$DUMP" ${TUI_ENV:-} "$AKWATCH_BIN" --db "$DB" "\$@" tui ${TUI_ARGS---no-scan}
echo \$? >"$T/exit.tmp"
stty -a >"$T/stty" 2>&1
mv "$T/exit.tmp" "$T/exit"
exec sleep 600
RUN
    tmx new-session -d -x "$_ts_cols" -y "$_ts_rows" -s t \
        "HOME=$HOME XDG_CONFIG_HOME=$XDG_CONFIG_HOME XDG_DATA_HOME=$XDG_DATA_HOME LANG=C.UTF-8 LC_ALL=C.UTF-8 TZ=UTC exec sh $T/run.sh $*"
    wait_idle
}

# tui_wait DESCRIPTION COMMAND...: poll until COMMAND succeeds; a timeout fails the test.
tui_wait() {
    _wf_desc=$1; shift
    _wf_n=0
    while ! "$@" 2>/dev/null; do
        _wf_n=$((_wf_n + 1))
        if [ $_wf_n -gt $((TUI_TIMEOUT * 20)) ]; then
            echo "# timed out waiting for: $_wf_desc"
            echo "# dump:"; sed 's/^/#   /' "$DUMP" 2>/dev/null
            echo "# screen:"; screen | sed 's/^/#   /'
            return 1
        fi
        sleep 0.05
    done
}

dump_has() { grep -qxF -- "$1" "$DUMP"; }
idle_after() {
    { dump_has "state=idle" || dump_has "state=exited"; } && dump_has "keys=$keys_sent"
}
# wait_idle: the UI has handled every key sent so far and waits for the next one (or
# has exited after the last one).
wait_idle() { tui_wait "UI idle after $keys_sent keys" idle_after; }

# press KEY...: tmux key names (j, Enter, Escape, Tab, NPage, C-c, F2); one key each.
press() {
    for _pk in "$@"; do
        tmx send-keys -t t "$_pk"
        keys_sent=$((keys_sent + 1))
        wait_idle || return 1
    done
}
# type TEXT: literal text, one key per character (UTF-8 aware).
type_text() {
    tmx send-keys -t t -l "$1"
    keys_sent=$((keys_sent + $(printf '%s' "$1" | LC_ALL=C.UTF-8 wc -m)))
    wait_idle
}

# dump KEY: the value of KEY in the model dump.
dump() { sed -n "s/^$1=//p" "$DUMP" | head -n1; }
# screen: the visible screen, trailing blanks removed. The dump is written right after the
# UI's output, which tmux may still be reading: take the screen once two captures agree.
screen() {
    _sc_prev=$(tmx capture-pane -p -t t)
    _sc_n=0
    while [ $_sc_n -lt 20 ]; do
        sleep 0.03
        _sc_now=$(tmx capture-pane -p -t t)
        [ "$_sc_now" = "$_sc_prev" ] && break
        _sc_prev=$_sc_now
        _sc_n=$((_sc_n + 1))
    done
    printf '%s\n' "$_sc_prev" | sed 's/[[:space:]]*$//'
}
screen_has() { screen | grep -qF -- "$1"; }
wait_screen() { tui_wait "screen shows: $1" screen_has "$1"; }
# screen_is DESCRIPTION FIRST LAST: compare screen lines FIRST..LAST with stdin.
screen_is() {
    screen | sed -n "$2,$3p" >"$T/got"
    cat >"$T/want"
    diff -u "$T/want" "$T/got" >"$T/diff"
    _si_r=$?
    ok $_si_r "$1"
    [ $_si_r -eq 0 ] || sed 's/^/#   /' "$T/diff"
}
# tui_kill SIGNAL: signal this test's akwatch (by its pid, never by name).
tui_kill() { kill -"$1" "$(cat "$T/pid")"; }
# exited: the TUI process has ended (its exit status is in $T/exit).
exited() { [ -f "$T/exit" ]; }
wait_exit() { tui_wait "akwatch to exit" exited; }

# store_query: the store as `akw_fill --list` prints it (through the store API).
store_leak() { # store_leak AK_ID -> "status handled_as note"
    "$FILL" --list "$DB" | awk -F'\t' -v ak="$1" '$2 == ak { print $3 "\t" $4 "\t" $5 }'
}
store_whitelist() { "$FILL" --whitelist "$DB" | cut -f1; }
store_audit() { "$FILL" --audit "$DB"; }
