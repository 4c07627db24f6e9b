#!/bin/sh
# robots — the chat robot formats through a loopback receiver: DingTalk signed in the URL
# (timestamp + sign, recomputed here with python's hmac from the known secret and the
# AKWATCH_NOW clock), Feishu / Lark signed in the body, WeCom's text message, a Feishu
# refusal answered with HTTP 200, and a secret for a format that does not sign refused.
. "$AKW_SRCDIR/tests/lib.sh"
PY=/usr/bin/python3
cd "$T" || exit 1
CONF="$T/config"
SECRET=SEC9f3b2c7d1e8a4f60b5c2d9e7a1f3b8c4d6e2a9f0b7c5d3e1a8f6b4c2d0e9a7f5b3
export AKWATCH_CONFIG="$CONF" AKWATCH_DB="$T/akwatch.db" AKWATCH_NOW=2026-03-27T22:30:00Z
rpids=""
trap 'kill $rpids 2>/dev/null; rm -rf "$T"' EXIT
receiver() { # receiver NAME MODE: a receiver capturing to $T/NAME.capture; sets HOOKBASE
    $PY "$AKW_SRCDIR/tests/notify/receiver.py" "$T/$1.port" "$T/$1.capture" "$2" &
    rpids="$rpids $!"
    i=0; while [ ! -s "$T/$1.port" ] && [ $i -lt 500 ]; do sleep 0.02; i=$((i + 1)); done
    HOOKBASE="http://127.0.0.1:$(cat "$T/$1.port")"
}
conf() { # conf FORMAT URL [SECRET]
    printf '[notify]\nwebhook = %s\nwebhook_format = %s\nbell = off\n' "$2" "$1" >"$CONF"
    [ -z "${3:-}" ] || printf 'webhook_secret = %s\n' "$3" >>"$CONF"
}

# ---- DingTalk, signed: timestamp (ms) and sign in the query, the access token kept -------
receiver ding 0
conf dingtalk "$HOOKBASE/robot/send?access_token=T0KEN" "$SECRET"
like "$(akw notify status)" "channels: webhook\(dingtalk,signed\)" "status: the hook is signed"
akw notify test >"$T/out" 2>"$T/err"
is "$?" 0 "dingtalk signed: notify test exits 0"
check=$($PY - "$T/ding.capture" "$SECRET" <<'PY'
import base64, hashlib, hmac, json, sys, urllib.parse
req = json.loads(open(sys.argv[1]).readline())
q = urllib.parse.parse_qs(urllib.parse.urlsplit(req["path"]).query)
ts, secret = q["timestamp"][0], sys.argv[2]
want = base64.b64encode(hmac.new(secret.encode(), ("%s\n%s" % (ts, secret)).encode(),
                                 hashlib.sha256).digest()).decode()
body = json.loads(req["body"])
print(q["access_token"][0], ts, q["sign"][0] == want, body["msgtype"],
      "akwatch: test alert" in body["text"]["content"])
PY
)
is "$check" "T0KEN 1774650600000 True text True" \
    "dingtalk: token kept, timestamp = now in ms, sign = base64(HMAC-SHA256(secret, ts\\nsecret))"
unlike "$(cat "$T/out" "$T/err" "$T/ding.capture")" "$SECRET" "dingtalk: the secret never leaves"

# ---- Feishu / Lark, signed: timestamp (s) and sign in the body ----------------------------
receiver feishu 0
conf lark "$HOOKBASE/open-apis/bot/v2/hook/0f1e2d" "$SECRET"
akw notify test >"$T/out" 2>"$T/err"
is "$?" 0 "feishu (as lark) signed: notify test exits 0"
check=$($PY - "$T/feishu.capture" "$SECRET" <<'PY'
import base64, hashlib, hmac, json, sys
req = json.loads(open(sys.argv[1]).readline())
body, secret = json.loads(req["body"]), sys.argv[2]
key = ("%s\n%s" % (body["timestamp"], secret)).encode()
want = base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()
print(req["path"], body["timestamp"], body["sign"] == want, body["msg_type"],
      "akwatch: test alert" in body["content"]["text"])
PY
)
is "$check" "/open-apis/bot/v2/hook/0f1e2d 1774650600 True text True" \
    "feishu: timestamp = now in s, sign = base64(HMAC-SHA256(key = ts\\nsecret, empty))"
unlike "$(cat "$T/out" "$T/err" "$T/feishu.capture")" "$SECRET" "feishu: the secret never leaves"

# ---- WeCom: the text message, nothing signed -------------------------------------------------
receiver wecom 0
conf WeCom "$HOOKBASE/cgi-bin/webhook/send?key=K3Y"
akw notify test >/dev/null 2>&1
is "$?" 0 "wecom (any case): notify test exits 0"
is "$($PY -c 'import json,sys; r=json.loads(open(sys.argv[1]).readline()); b=json.loads(r["body"])
print(r["path"], b["msgtype"], "akwatch: test alert" in b["text"]["content"])' "$T/wecom.capture")" \
    "/cgi-bin/webhook/send?key=K3Y text True" "wecom: the text message to the hook as given"

# ---- refusals and misconfiguration -----------------------------------------------------------
receiver refuse -2
conf feishu "$HOOKBASE/open-apis/bot/v2/hook/x" "$SECRET"
akw notify test >"$T/out" 2>"$T/err"
is "$?" 2 "feishu refusing (HTTP 200, code 19021): exit 2"
like "$(cat "$T/err")" "refused: .*sign match fail" "with the robot's reason"
conf slack "$HOOKBASE/services/x" "$SECRET"
akw notify test >"$T/out" 2>"$T/err"
is "$?" 2 "webhook_secret with slack: exit 2"
like "$(cat "$T/err")" "webhook_secret: only DingTalk and Feishu robots sign" "the error names the key"
unlike "$(cat "$T/out" "$T/err")" "$SECRET" "and not the secret"
conf telegram "$HOOKBASE/x"
akw config check >"$T/out" 2>"$T/err"
is "$?" 2 "config check: an unknown webhook_format is an error"
like "$(cat "$T/err")" "webhook_format.*expected generic, slack, dingtalk, wecom or feishu" \
    "naming every format"
conf JSON "$HOOKBASE/x"
akw config check >/dev/null 2>&1
is "$?" 0 "config check accepts what notify accepts (json, any case)"
done_testing
