#!/bin/sh
# on_postgresql.sh — the store's unit tests again, on a PostgreSQL store: a private cluster
# (tests/pglib.sh), each store of a test a database of its own (AKWATCH_TEST_DB_URL, read
# by tests/store/fixture.h). Their TAP lines are numbered on as this test's own.
. "$AKW_SRCDIR/tests/lib.sh"
. "$AKW_SRCDIR/tests/pglib.sh"
pg_start
AKWATCH_TEST_DB_URL="postgresql://akwatch@/%s?host=$PG_DIR"
export AKWATCH_TEST_DB_URL
for prog in test_store_leaks test_store_page test_store_concurrent test_store_lease test_store_confidence test_store_team test_store_reconnect; do
    tap_include "$prog" "$AKW_BUILDDIR/tests/store/$prog"
done
done_testing
