#!/bin/sh
# watch_roles — GitHub watching under least privilege (`akwatch store roles`) on a private
# PostgreSQL cluster and the fake GitHub: walt, a login role in akwatch_watcher only, runs
# a round of every source (leases, cursors, ETags, leaks, locations) and `akwatch watch`;
# victor (akwatch_viewer) may list the watchers but not watch: one line, exit 2, nothing
# recorded. A server reached over TCP is asked for TLS (verify-full) unless the URL or
# PGSSLMODE says otherwise.
. "$AKW_SRCDIR/tests/lib.sh"
. "$AKW_SRCDIR/tests/github/fakelib.sh"
. "$AKW_SRCDIR/tests/pglib.sh"
export AKWATCH_CONFIG="$T/config" GITHUB_TOKEN=ghp_resume_token
PG_THEN='fake_stop; rm -rf "$T"'
pg_start
cd "$T" || exit 1
P=$(pg_db team)
akw --db "$P" store roles --apply >/dev/null 2>&1
ok $? "the roles are made"
pg_sql "$P" "CREATE ROLE walt LOGIN IN ROLE akwatch_watcher;
  CREATE ROLE victor LOGIN IN ROLE akwatch_viewer"
url() { echo "postgresql://$1@/team?host=$PG_DIR"; }
fake_keys_world delay=0

out=$(AKWATCH_DB=$(url victor) "$AKWATCH_BIN" scan --github --once 2>&1 >/dev/null); rc=$?
is "$rc" 2 "victor (viewer) may not watch: exit 2"
is "$(printf '%s\n' "$out" | grep -c '^akwatch:')" 1 "one error line (beside the round's summary)"
like "$out" "permission denied: role victor \(akwatch_viewer\) may not .* needs akwatch_watcher" \
    "naming what it lacks and the watcher's role"
is "$(pg_sql "$P" "SELECT (SELECT count(*) FROM leaks) + (SELECT count(*) FROM scan_state)
  + (SELECT count(*) FROM leases)")" 0 "nothing recorded"

AKWATCH_DB=$(url walt) "$AKWATCH_BIN" scan --github --once >walt.out 2>walt.err
is "$?" 1 "walt (watcher) runs a round of every source (exit 1: unhandled leaks)"
is "$(pg_sql "$P" "SELECT count(*) FROM leaks")" 30 "the 30 planted leaks are recorded"
is "$(pg_sql "$P" "SELECT count(*) > 0 FROM scan_state")" t "with the sources' scan state"
unlike "$(cat walt.err)" "permission denied" "and nothing was refused"

AKWATCH_DB=$(url walt) "$AKWATCH_BIN" watch >watch.out 2>watch.err &
w=$!
held() { [ "$(pg_sql "$P" "SELECT count(*) FROM leases WHERE owner LIKE '%:$w'")" -ge 1 ]; }
wait_for 30 held
ok $? "walt's akwatch watch leases the sources"
like "$(AKWATCH_DB=$(url victor) akw watchers 2>&1)" ":$w " "victor sees who holds them"
kill -TERM $w
wait $w
is "$(pg_sql "$P" "SELECT count(*) FROM leases WHERE owner LIKE '%:$w'")" 0 \
    "and walt gives them back when stopped"
unlike "$(cat watch.err)" "permission denied" "nothing refused while watching"

# --- TLS over TCP: a server that answers the first packet and says no to TLS -----------
/usr/bin/python3 -c '
import socket, struct, sys
d = sys.argv[1]
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(4); s.settimeout(60)  # gone if left
open(d + "/port.tmp", "w").write(str(s.getsockname()[1])); __import__("os").rename(d + "/port.tmp", d + "/port")
while True:
    c, _ = s.accept()
    first = None
    while True:
        h = c.recv(8)
        if len(h) < 8: break
        code = struct.unpack("!II", h)[1]
        if code == 80877104: c.sendall(b"N"); continue   # GSSENCRequest: no
        first = "ssl" if code == 80877103 else "plain"
        break
    open(d + "/first", "a").write((first or "none") + "\n")
    if first == "ssl": c.sendall(b"N")
    c.close()
' "$T" &
tls=$!
wait_for 10 test -e "$T/port"
port=$(cat "$T/port")
out=$(akw --db "postgresql://walt@127.0.0.1:$port/team" list 2>&1); rc=$?
is "$rc" 2 "a TCP server without TLS: exit 2"
like "$out" "SSL.*required" "refused: TLS is required (sslmode=verify-full by default)"
is "$(tail -1 "$T/first")" ssl "akwatch asked for TLS first"
akw --db "postgresql://walt@127.0.0.1:$port/team?sslmode=disable" list >/dev/null 2>&1
is "$(tail -1 "$T/first")" plain "the URL's sslmode=disable is kept"
PGSSLMODE=disable akw --db "postgresql://walt@127.0.0.1:$port/team" list >/dev/null 2>&1
is "$(tail -1 "$T/first")" plain "and so is PGSSLMODE"
kill $tls 2>/dev/null
done_testing
