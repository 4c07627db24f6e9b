#!/bin/sh
# kill_watch.sh — TAP: `akwatch watch` against the fake GitHub, killed with SIGKILL at 20
# different points of a scan (after the 1st, 2nd or 3rd request of each run, counted in the
# fake's request log; the fake is slow on blobs and commits so the kill lands mid-scan, not
# at a guessed wall-clock moment). After every kill the store passes PRAGMA integrity_check;
# then a run to the end must leave exactly the findings and locations (fingerprint, repo,
# path, line) of a clean uninterrupted run into another store: none lost, none duplicated.
. "$AKW_SRCDIR/tests/lib.sh"
. "$AKW_SRCDIR/tests/github/fakelib.sh"
KILLS=${AKW_KILLS:-20}
export AKWATCH_CONFIG="$T/config" GITHUB_TOKEN=ghp_kill_token
# 24 files (one key also in conf/copy.properties), 12 commits, blobs and commits 0.05 s
fake_keys_world seed=11 files=24 copy=1 commits=12 sha_tag=k first_event=700 init_sha=cd \
    delay=0.05 token=ghp_kill_token

# the set a store holds: one line per (rule, fingerprint, location)
fingerprints() {
    sqlite3 "$1" "select l.rule || ' ' || l.fingerprint || ' ' || o.repo || ' ' || o.path || ' ' || o.line
                  || ' ' || o.commit_sha
                  from leaks l join locations o on o.leak_id = l.id order by 1"
}

# the clean run, into its own store
AKWATCH_DB="$T/clean.db" "$AKWATCH_BIN" scan --github --once >"$T/clean.out" 2>&1
is "$?" 1 "clean uninterrupted run completes (exit 1: leaks found)"
fingerprints "$T/clean.db" >"$T/clean.set" 2>"$T/sql.err"
ok $? "the store's leaks and locations can be read"
nclean=$(wc -l <"$T/clean.set")
ok $([ "$nclean" -eq 37 ]; echo $?) "clean run: 24 Alibaba pairs + 12 AWS keys + 1 copy = 37 locations ($nclean)"

# the killed runs, into another store
export AKWATCH_DB="$T/killed.db"
bad=0 killed=0 k=1
while [ $k -le "$KILLS" ]; do
    base=$(fake_count .)
    # after request 1, 2 or 3 of this run (any request: rate limit, repository list, tree,
    # search, events, blobs, commits); the run resumes where the last stopped, so the kills
    # walk through the whole scan
    want=$(( (k - 1) % 3 + 1 ))
    # kill_soak.sh: after a random request 1..4 of the run instead (AKW_KILL_SEED)
    [ -z "${AKW_KILL_SEED:-}" ] ||
        want=$(awk -v s="$AKW_KILL_SEED" -v k="$k" 'BEGIN { srand(s * 1000 + k); print 1 + int(rand() * 4) }')
    fake_kill_at . $((base + want)) "$AKWATCH_BIN" watch >>"$T/watch.out" 2>>"$T/watch.err" \
        && killed=$((killed + 1))
    chk=$(sqlite3 "$AKWATCH_DB" "pragma integrity_check" 2>&1)
    [ "$chk" = ok ] || { bad=$((bad + 1)); echo "# kill $k: integrity_check: $chk"; }
    k=$((k + 1))
done
is "$killed" "$KILLS" "watch killed with SIGKILL $KILLS times mid-scan"
is "$bad" 0 "PRAGMA integrity_check = ok after every kill"
before=$(sqlite3 "$AKWATCH_DB" "select count(*) from locations")
ok $([ "$before" -lt "$nclean" ]; echo $?) "the kills landed mid-scan ($before of $nclean locations stored by then)"
"$AKWATCH_BIN" scan --github --once >"$T/final.out" 2>&1
is "$?" 1 "the run after the kills completes"
fingerprints "$AKWATCH_DB" >"$T/killed.set"
d=$(diff "$T/clean.set" "$T/killed.set")
is "$d" "" "same findings and locations as the clean run: none lost, none duplicated"
is "$(sqlite3 "$AKWATCH_DB" "select count(*) from leaks")" \
   "$(sqlite3 "$T/clean.db" "select count(*) from leaks")" "same number of findings"
is "$(sqlite3 "$AKWATCH_DB" "select sum(n) from leak_counts")" \
   "$(sqlite3 "$AKWATCH_DB" "select count(*) from leaks")" "the kept row counts agree with the rows"
mkdir -p "$AKW_BUILDDIR/tests/reliability"
echo "$killed" >"$AKW_BUILDDIR/tests/reliability/kill_watch.stats"
done_testing
