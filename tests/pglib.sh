# pglib.sh — a private PostgreSQL cluster for a test: initdb in a temp folder as an
# unprivileged user (postgres when the test runs as root, else the test's own user),
# listening only on a Unix socket in that folder, stopped on exit even when the test fails
# or is killed. Source tests/lib.sh first, then this, then call pg_start.
#   pg_start          start the cluster (TAP skip of the whole test when the server
#                     binaries are absent); sets PG_DIR and PG_URL (database "akw")
#   pg_db NAME        create database NAME; prints its URL
#   pg_sql URL SQL    run SQL with psql (quiet, stops at the first error)
#   pg_restart        stop and start the server again (the fault tests)
#   pg_stop           stop it now (also done at exit)
#   tap_include NAME CMD...  run a TAP program; its results become this test's, numbered
#                     on and prefixed with NAME (plus one result: it exited 0)
# PG_THEN: shell code the exit trap runs (eval) after stopping the server (default: remove $T).

pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)

pg_as() { # run a server binary as the cluster's owner
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_ctl_() {
    pg_as "$pg_bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w -t 60 "$@" >/dev/null
}

pg_start() {
    if [ -z "$pg_bin" ] || [ ! -x "$pg_bin/initdb" ] || ! command -v psql >/dev/null; then
        echo "1..0 # SKIP PostgreSQL server binaries not installed (./setup.sh deps)"
        exit 0
    fi
    PG_DIR=$(mktemp -d /tmp/akw-pg.XXXXXX)
    [ "$(id -u)" -eq 0 ] && chown postgres "$PG_DIR"
    chmod 700 "$PG_DIR"
    trap 'pg_stop; eval "${PG_THEN:-rm -rf \"\$T\"}"' EXIT
    trap 'exit 1' INT TERM HUP
    if ! pg_as "$pg_bin/initdb" -D "$PG_DIR/data" -U akwatch --auth=trust -E UTF8 \
        --locale=C.UTF-8 >"$PG_DIR/initdb.log" 2>&1; then
        echo "Bail out! initdb failed: $(tail -3 "$PG_DIR/initdb.log")"
        exit 1
    fi
    # no TCP at all; fsync off: a test cluster's data need not survive a power cut
    pg_as sh -c "cat >>'$PG_DIR/data/postgresql.conf'" <<EOF
listen_addresses = ''
unix_socket_directories = '$PG_DIR'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 60
EOF
    if ! pg_ctl_ start; then
        echo "Bail out! the test PostgreSQL did not start: $(tail -3 "$PG_DIR/log")"
        exit 1
    fi
    # a SIGKILLed test runs no trap: this watcher stops the server when the test is gone
    (
        trap '' HUP
        while kill -0 "$$" 2>/dev/null; do sleep 1; done
        pg_ctl_ stop -m immediate 2>/dev/null
        rm -rf "$PG_DIR"
    ) >/dev/null 2>&1 &
    PG_URL=$(pg_db akw)
    export PG_DIR PG_URL
}

pg_db() {
    createdb -h "$PG_DIR" -U akwatch "$1" || return 1
    echo "postgresql://akwatch@/$1?host=$PG_DIR"
}

pg_sql() {
    psql -q -X -v ON_ERROR_STOP=1 -At "$1" -c "$2"
}

pg_restart() {
    pg_ctl_ stop -m fast && pg_ctl_ start
}

tap_include() {
    _ti_name=$1
    shift
    "$@" >"$T/included" 2>&1
    _ti_rc=$?
    grep -E '^(ok|not ok|#)' "$T/included" >"$T/included.tap"
    while IFS= read -r _ti_line; do
        _ti_what=$(printf '%s' "$_ti_line" | sed -E 's/^(not )?ok [0-9]+ *-? *//')
        case $_ti_line in
        "not ok"*) tap_n=$((tap_n + 1)); tap_failed=$((tap_failed + 1))
            echo "not ok $tap_n - $_ti_name: $_ti_what" ;;
        ok*) tap_n=$((tap_n + 1)); echo "ok $tap_n - $_ti_name: $_ti_what" ;;
        *) echo "$_ti_line" ;;
        esac
    done <"$T/included.tap"
    [ "$_ti_rc" -ne 0 ] && grep -E '^Bail out' "$T/included" | sed 's/^/# /'
    ok "$_ti_rc" "$_ti_name exits 0"
}

pg_stop() {
    [ -n "${PG_DIR:-}" ] && [ -d "$PG_DIR/data" ] || return 0
    pg_ctl_ stop -m immediate 2>/dev/null
    rm -rf "$PG_DIR"
}
