# faultlib.sh — sourced after tests/lib.sh (or tests/tui/lib.sh): build faultfs.c into
# $T/faultfs.so for LD_PRELOAD, or end the test as skipped (TAP "1..0 # SKIP") when the
# machine cannot build it. See faultfs.c for the AKW_FAULT_COUNT / AKW_*_AT variables.
if ! cc -shared -fPIC -O1 -o "$T/faultfs.so" "$AKW_SRCDIR/tests/reliability/faultfs.c" -ldl \
        2>"$T/cc.err"; then
    echo "1..0 # SKIP cannot build the LD_PRELOAD fault library: $(head -1 "$T/cc.err")"
    exit 0
fi
# an ASan binary wants its runtime first; faultfs only wraps libc calls, so that is fine
export ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0"
