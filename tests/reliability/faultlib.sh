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

# kill_plan FIRST LAST — the kill points to try, one per line: every point FIRST..LAST (the
# CI tests), or, when AKW_KILL_SAMPLE=M is set (tests/reliability/kill_soak.sh), M points
# drawn at random in FIRST..LAST with AKW_KILL_SEED (repeatable: the same seed, the same plan).
kill_plan() {
    if [ -z "${AKW_KILL_SAMPLE:-}" ]; then
        seq "$1" "$2"
    else
        awk -v a="$1" -v b="$2" -v m="$AKW_KILL_SAMPLE" -v s="${AKW_KILL_SEED:-1}" \
            'BEGIN { srand(s); for (i = 0; i < m; i++) print a + int(rand() * (b - a + 1)) }'
    fi
}
