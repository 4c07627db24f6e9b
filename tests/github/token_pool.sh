#!/bin/sh
# token_pool — a pool of two tokens, one of them revoked (GitHub answers 401 Bad credentials
# to it): the revoked one is dropped for the rest of the run with one line naming it masked,
# the scan goes on with the other and finds every leak; only when every token is bad does it
# stop, exit 2, with a clear line. No full token in any output or in the store.
. "$AKW_SRCDIR/tests/lib.sh"
. "$AKW_SRCDIR/tests/github/fakelib.sh"
SC="$AKW_SRCDIR/tests/fakegh/scenarios"
GOOD=ghp_akwatch_test_token_1          # one of basic.json's tokens
BAD=ghp_revoked_token_0000001          # unknown to the fake: 401 on every request
BAD_MASKED='ghp_****0001'
unset GITHUB_TOKEN
export AKWATCH_CONFIG="$T/config"
conf() { # conf TOKEN... — the sources of basic.json, the given token lines
    printf '[github]\norg = acme\nevents = on\npoll_interval = 1\n' >"$T/config"
    for t in "$@"; do printf 'token = %s\n' "$t" >>"$T/config"; done
    printf '[assets]\naccess_key_id = LTAI5tR7xK2mQ9pW4vN8sB3dZ\n' >>"$T/config"
    printf 'endpoint = rm-acme.mysql.rds.aliyuncs.com\n[scan]\nskip = vendor/\n' >>"$T/config"
}
counts() { # counts DB — "leaks N locations M"
    AKWATCH_DB="$1" "$AKWATCH_BIN" list --format json >"$T/list.json" 2>/dev/null
    /usr/bin/python3 -c 'import json,sys; rows=[json.loads(l) for l in open(sys.argv[1])]; print("leaks %d locations %d" % (len(rows), sum(len(r["locations"]) for r in rows)))' "$T/list.json"
}
fake_start "$SC/basic.json"

# The reference: the good token alone.
conf "$GOOD"
AKWATCH_DB="$T/ref.db" akw scan --github --once >"$T/out.ref" 2>"$T/err.ref"
is "$?" 1 "one good token: exit 1 (leaks found)"
want=$(counts "$T/ref.db")
like "$want" "^leaks [1-9]" "reference run found leaks ($want)"

# The pool, revoked token first (it is the one picked first).
conf "$BAD" "$GOOD"
before=$(fake_count "Bearer $BAD")
AKWATCH_DB="$T/pool.db" akw scan --github --once >"$T/out.pool" 2>"$T/err.pool"
is "$?" 1 "pool with a revoked token: the scan completes, exit 1 (leaks found)"
sed 's/^/#   /' "$T/err.pool" | head -5
is "$(counts "$T/pool.db")" "$want" "every leak and location found with the other token"
is "$(grep -cF -- "$BAD_MASKED" "$T/err.pool")" 1 "the revoked token is named once, masked"
like "$(grep -F -- "$BAD_MASKED" "$T/err.pool")" "^akwatch: .*token 1 of 2.*401 Bad credentials.*other 1 token" \
    "the line says which token, why, and that the scan goes on"
is "$(grep -c '' "$T/err.pool")" 2 "stderr: that line and the summary, nothing else"
is "$(($(fake_count "Bearer $BAD") - before))" 1 "the revoked token is sent once, then never again"
is "$(cat "$T"/out.* "$T"/err.* | grep -c -e "$BAD" -e "$GOOD")" 0 "no full token in any output"
is "$(cat "$T"/*.db* | grep -ac -e "$BAD" -e "$GOOD")" 0 "no full token in the stores"

# Every token bad: stop, exit 2, one clear line (and the first drop), no token in it.
conf "$BAD" ghp_revoked_token_0000002
AKWATCH_DB="$T/bad.db" akw scan --github --once >"$T/out.bad" 2>"$T/err.bad"
is "$?" 2 "every token revoked: exit 2"
like "$(cat "$T/err.bad")" "akwatch: .*rejected every token of the pool.*401 Bad credentials.*GITHUB_TOKEN" \
    "every token revoked: a clear message"
is "$(grep -c 'rejected every token' "$T/err.bad")" 1 "every token revoked: said once"
is "$(grep -cF -- "$BAD_MASKED" "$T/err.bad")" 1 "the first one dropped is named once"
is "$(cat "$T/err.bad" "$T/out.bad" | grep -c -e "$BAD" -e ghp_revoked_token_0000002)" 0 \
    "every token revoked: no full token shown"
done_testing
