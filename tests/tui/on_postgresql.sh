#!/bin/sh
# on_postgresql.sh — TUI scenarios again, each on a PostgreSQL store of its own (a private
# cluster started by tests/tui/lib.sh when TUI_ON_POSTGRESQL is set): the first screen,
# search, scrolling, details, views, triage with a note, whitelisting, [actions] hooks.
. "$AKW_SRCDIR/tests/lib.sh"
. "$AKW_SRCDIR/tests/pglib.sh"
[ -n "$pg_bin" ] && [ -x "$pg_bin/initdb" ] ||
    { echo "1..0 # SKIP PostgreSQL server binaries not installed (./setup.sh deps)"; exit 0; }
for t in open-quit search scroll-page details views disable-note whitelist hooks; do
    tap_include "$t" env TUI_ON_POSTGRESQL=1 sh "$AKW_SRCDIR/tests/tui/$t.sh"
done
done_testing
