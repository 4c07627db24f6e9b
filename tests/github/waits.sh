#!/bin/sh
# waits — rate limits are honoured: with a code-search budget of 1 per 2 s and a core budget
# of 2 per 3 s, plus a secondary limit (Retry-After) and a 500 on the way, no request reaches
# a bucket between an answer that exhausted it and that answer's reset (request-log order),
# and every planted leak is still found.
. "$AKW_SRCDIR/tests/lib.sh"
. "$AKW_SRCDIR/tests/github/fakelib.sh"
export AKWATCH_DB="$T/akwatch.db" AKWATCH_CONFIG="$T/config" GITHUB_TOKEN=ghp_waits_token
cat >"$T/scenario.json" <<'JSON'
{"tokens": ["ghp_waits_token"],
 "limits": {"code_search": {"limit": 1, "window": 2}, "core": {"limit": 2, "window": 3}},
 "repos": {"leaky/one": {"files": {
    "a.env": "ALIYUN_ID=LTAI5tW8qP3zK7mR2xV9nB4cD\nALIYUN_SECRET=Qm7Zp2Kx9Lr4Tn8Wv3Bc6Yh1Jd5Fg0\n",
    "b.env": "DB=mysql://u:Pw9xQ2mZ7kL4rT8v@rm-acme.mysql.rds.aliyuncs.com:3306/x\n",
    "c.txt": "host 198.51.100.23 root password is Zx8Kq2Lm9Rt4Vn7W\n"}}},
 "faults": [{"match": "q=badquery", "kind": "status", "status": 422, "times": 9,
             "message": "Validation Failed"},
            {"match": "/search/code", "kind": "secondary", "retry_after": 1, "skip": 1},
            {"match": "/contents/b.env", "kind": "status", "status": 500}]}
JSON
cat >"$T/config" <<'CONF'
[github]
[assets]
access_key_id = LTAI5tW8qP3zK7mR2xV9nB4cD
endpoint = rm-acme.mysql.rds.aliyuncs.com
host = 198.51.100.23
domain = acme.example
[github]
query = badquery
CONF
fake_start "$T/scenario.json"
akw scan --github --once >"$T/out" 2>"$T/err"
is "$?" 1 "scan completes through the limits (exit 1)"
res=$(/usr/bin/python3 "$AKW_SRCDIR/tests/fakegh/check_waits.py" "$FAKE_LOG")
ok $? "no request before its bucket's reset: $res"
like "$res" "waits=[2-9]" "the client did wait for resets"
like "$(fake_count '"fault": "secondary"')" "^1$" "a secondary limit was served"
like "$(fake_count '"path": "/search/code.*"status": 200')" "^4$" "each of the four searches answered once the limit passed"
out=$(cat "$T/out")
like "$out" "leaky/one/a.env" "leak behind the code_search limit found"
like "$out" "leaky/one/b.env" "leak behind a 500 found"
like "$(cat "$T/err")" "code search badquery: GET /search/code.*422 Validation Failed" "a rejected query is reported, the others go on"
# On a terminal the progress line says so while waiting (script(1) gives a tty).
script -qfec "'$AKWATCH_BIN' scan --github --once" "$T/typescript" >/dev/null 2>&1
like "$(tr '\r' '\n' <"$T/typescript")" "rate-limited until [0-9]{2}:[0-9]{2}" "tty progress: rate-limited until HH:MM"
like "$(tr '\r' '\n' <"$T/typescript")" "[0-9]+ findings" "tty progress shows the counts"
done_testing
