#!/bin/sh
# summary.sh BUILDDIR... — add up the automake .trs results of each build's test run and
# print "N passed, N failed[, N skipped]" alone on the last line. Exit 1 on any failure
# (or when no test ran at all). For each failed test it prints the "not ok" lines of its
# .log, or when it has none (a crash before any TAP line, make distcheck) the FAIL/ERROR
# lines and the tail of the log.
# The tree a failed make distcheck leaves (DIR/PACKAGE-VERSION/_build/sub) is not counted:
# its result is DIR/distcheck.trs.
pass=0 fail=0 skip=0
for d in "$@"; do
    for r in $(find "$d" -path '*/_build/sub' -prune -o -name '*.trs' -print 2>/dev/null); do
        p=$(grep -c '^:test-result: PASS' "$r"); pass=$((pass + p))
        f=$(grep -c -E '^:test-result: (FAIL|XPASS|ERROR)' "$r"); fail=$((fail + f))
        s=$(grep -c -E '^:test-result: (SKIP|XFAIL)' "$r"); skip=$((skip + s))
        [ "$f" -gt 0 ] || continue
        echo "FAILED in $r:"
        log=${r%.trs}.log
        nok=$(grep -E '^not ok' "$log" 2>/dev/null | head -20)
        if [ -n "$nok" ]; then echo "$nok"
        else
            # no TAP of its own (a crash before any, make distcheck): the failed results
            # the log names, then how it ended
            grep -E '^(FAIL|ERROR|XPASS): ' "$log" 2>/dev/null | head -20
            tail -n 30 "$log" 2>/dev/null
        fi
    done
done
if [ "$skip" -gt 0 ]; then echo "$pass passed, $fail failed, $skip skipped"
else echo "$pass passed, $fail failed"; fi
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
