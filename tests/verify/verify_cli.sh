#!/bin/sh
# verify_cli — `akwatch verify` end to end: scan a folder with leaked key pairs into a real
# store, then verify them against the fake providers on loopback (which recompute the
# signatures). The keys are random-looking on purpose: the detector drops placeholders.
# Covers live/invalid/unknown, JSON output, `list --format json` "verified",
# the cache (AKWATCH_NOW), --force, the missing-secret message, scan-time verification with
# [verify] enabled = on, and that no secret reaches stdout, stderr or the AK providers.
. "$AKW_SRCDIR/tests/lib.sh"

FAKE="$AKW_SRCDIR/tests/fakeprov/fakeprov.py"
ALI_LIVE=LTAI5tQ8zKp2Lm9Xw3Rt7YvBn1
ALI_SECRET=Hq3LmZp8Xw2Rt7YvBn4Kc9Jd6Fs1Ga
ALI_DEAD=LTAI5tN4bVc7Xz2Qw9Er5Ty8Ui3
ALI_WRONG=Pz7Kx2Mq9Wn4Lr8Vt3Bs6Hd1Jf5GcR
AWS_LIVE=AKIAQ7ZK2LM9XW3RT7YV
AWS_SECRET=wZ3kQ9pL2mX8vR4tY7bN1cJ6dF5gH0sA/e+Tq2Ws
TC_LIVE=AKIDq8Zk2Lm9Xw3Rt7YvBn4Kc1Jd6Fs5Ga0H
TC_SECRET=Rz4Kq8Lm2Xw9Vt3Bn7Yc1Jd6Fs5Ga0Hp
GH_LIVE=ghp_Zq8Lm3Xw9Rt2Yv7Bn4Kc1Jd6Fs5Ga0Hp3Ue8W
GH_DEAD=ghp_Mv4Nx8Qz2Lp7Wk3Rj9Ts5Yb1Hc6Gd0Fe2Ua7Vi

pids=""
start_fake() { # start_fake PROVIDER KEY... ; sets PORT
    prov=$1; shift
    args=""
    for k in "$@"; do args="$args --key $k"; done
    # shellcheck disable=SC2086
    /usr/bin/python3 "$FAKE" --provider "$prov" --log "$T/$prov.log" --port-file "$T/$prov.port" \
        $args &
    pids="$pids $!"
    i=0
    while [ ! -s "$T/$prov.port" ] && [ $i -lt 3000 ]; do sleep 0.01; i=$((i + 1)); done
    PORT=$(cat "$T/$prov.port")
}
trap 'for p in $pids; do kill "$p" 2>/dev/null; done; rm -rf "$T"' EXIT

start_fake alibaba "$ALI_LIVE,$ALI_SECRET"
ALI_PORT=$PORT
start_fake aws "$AWS_LIVE,$AWS_SECRET,arn:aws:iam::210987654321:user/ci-deploy"
AWS_PORT=$PORT
start_fake github "$GH_LIVE,leaky-bot"
GH_PORT=$PORT
start_fake tencent "$TC_LIVE,$TC_SECRET,qcs::cam::uin/100012345678:uin/100012345678"
TC_PORT=$PORT

mkdir -p "$T/src"
cat >"$T/src/app.properties" <<EOF
aliyun.accesskey.id=$ALI_LIVE
aliyun.accesskey.secret=$ALI_SECRET
EOF
cat >"$T/src/old.properties" <<EOF
aliyun.accesskey.id=$ALI_DEAD
aliyun.accesskey.secret=$ALI_WRONG
EOF
cat >"$T/src/deploy.ini" <<EOF
aws_access_key_id = $AWS_LIVE
aws_secret_access_key = $AWS_SECRET
EOF
cat >"$T/src/cos.properties" <<EOF
tencent.cloud.secret-id=$TC_LIVE
tencent.cloud.secret-key=$TC_SECRET
EOF
printf 'GITHUB_TOKEN=%s\nOLD_TOKEN=%s\n' "$GH_LIVE" "$GH_DEAD" >"$T/src/ci.env"
# a database password on an Alibaba Cloud RDS host: same provider family, not an AccessKey
cat >"$T/src/db.properties" <<EOF
spring.datasource.url=jdbc:mysql://rm-acme.mysql.rds.aliyuncs.com:3306/pay
spring.datasource.username=payapp
spring.datasource.password=Vb7Qx2Lm9Kp4Zt8W
EOF

write_config() { # write_config STORE_SECRETS VERIFY_ENABLED ALIBABA_URL
    cat >"$T/config" <<EOF
[scan]
store_secrets = $1
[verify]
enabled = $2
alibaba_endpoint = $3
aws_sts_endpoint = http://127.0.0.1:$AWS_PORT
github_api = http://127.0.0.1:$GH_PORT
tencent_sts_endpoint = http://127.0.0.1:$TC_PORT
recheck_after = 1h
EOF
}
write_config on off "http://127.0.0.1:$ALI_PORT"
export AKWATCH_CONFIG="$T/config" AKWATCH_DB="$T/a.db"
export AKWATCH_NOW=2026-03-04T08:00:00Z

akw scan "$T/src" >"$T/scan.out" 2>"$T/scan.err"
is "$?" 1 "scan stores the findings (unhandled: exit 1)"
n0=$(cat "$T"/alibaba.log "$T"/aws.log "$T"/github.log "$T"/tencent.log 2>/dev/null | wc -l)
is "$n0" 0 "with [verify] enabled = off a scan sends nothing to any provider"

akw verify >"$T/o" 2>"$T/e"
is "$?" 2 "verify without ID or --all: usage error"
akw verify --all 7 >"$T/o" 2>"$T/e"
is "$?" 2 "verify with both ID and --all: usage error"

akw verify --all --format json >"$T/v1.json" 2>"$T/v1.err"
is "$?" 1 "verify --all: exit 1 when a live key is reported"
verdict() { # verdict FILE AK_OR_MASK_FRAGMENT -> the "verified" value on its line
    grep -F "$2" "$1" | head -1 | sed -n 's/.*"verified":"\([a-z]*\)".*/\1/p'
}
is "$(verdict "$T/v1.json" "\"ak_id\":\"$ALI_LIVE\"")" live "alibaba pair: live"
is "$(verdict "$T/v1.json" "\"ak_id\":\"$ALI_DEAD\"")" invalid "alibaba unknown ID: invalid"
is "$(verdict "$T/v1.json" "\"ak_id\":\"$AWS_LIVE\"")" live "aws pair: live"
like "$(grep -F "$AWS_LIVE" "$T/v1.json")" 'arn:aws:iam::210987654321:user/ci-deploy' \
    "aws identity: the ARN"
like "$(grep -F "\"ak_id\":\"$ALI_DEAD\"" "$T/v1.json")" 'InvalidAccessKeyId.NotFound' \
    "alibaba invalid: the provider's code"
is "$(grep -c '"provider":"github"' "$T/v1.json")" 2 "two github tokens checked"
like "$(grep '"provider":"github"' "$T/v1.json" | grep '"verified":"live"')" 'leaky-bot' \
    "github live token: the login"
is "$(grep '"provider":"github"' "$T/v1.json" | grep -c '"verified":"invalid"')" 1 \
    "github revoked token: invalid"
is "$(verdict "$T/v1.json" "\"ak_id\":\"$TC_LIVE\"")" live "tencent pair: live"
like "$(grep -F "\"ak_id\":\"$TC_LIVE\"" "$T/v1.json")" 'qcs::cam::uin/100012345678' \
    "tencent identity: the CAM ARN"
like "$(cat "$T/v1.err")" '4 live, 2 invalid, 0 unknown' "summary line on stderr"
is "$(grep -c '"how":"unsupported"' "$T/v1.json")" 0 "--all lists only what a provider can check"
like "$(cat "$T/v1.err")" '[1-9][0-9]* not verifiable' "... and counts the rest"
n1=$(cat "$T"/alibaba.log "$T"/aws.log "$T"/github.log "$T"/tencent.log | wc -l)

akw list --format json >"$T/list.json"
is "$(verdict "$T/list.json" "\"ak_id\":\"$ALI_LIVE\"")" live "list --format json carries verified"
is "$(verdict "$T/list.json" "\"ak_id\":\"$ALI_DEAD\"")" invalid "... invalid too"
like "$(grep -F "\"ak_id\":\"$AWS_LIVE\"" "$T/list.json")" \
    '"verified_at":"2026-03-04T08:00:00Z","verification":"arn:aws:iam::210987654321:user/ci-deploy' \
    "list json: when it was checked and what the provider said"
akw list --verified live --format json >"$T/live.json"
is "$(wc -l <"$T/live.json")" 4 "list --verified live: the four live keys"
unlike "$(cat "$T/live.json")" "$ALI_DEAD" "... not the dead one"
is "$(akw list --verified invalid --verified live --format json | wc -l)" 6 \
    "list --verified combines"
akw list --verified alive >/dev/null 2>&1
is "$?" 2 "list --verified with a bad value: usage error"
id_aws=$(grep -F "\"ak_id\":\"$AWS_LIVE\"" "$T/v1.json" | sed -n 's/^{"id":\([0-9]*\),.*/\1/p')
akw show --format json "$id_aws" >"$T/show.json"
like "$(cat "$T/show.json")" '"history":\[\{"at":"2026-03-04T08:00:00Z","who":"[^"]*","what":"verified-live"' \
    "show --format json: the history carries the verdict"
akw show "$id_aws" >"$T/show1.out"
like "$(cat "$T/show1.out")" 'Checked.*2026-03-04T08:00:00Z.*arn:aws:iam' "show: when checked, as whom"
akw export --format csv -o "$T/report" >/dev/null 2>&1
like "$(grep -F "$AWS_LIVE" "$T/report/leaks.csv" | head -1)" 'live,2026-03-04T08:00:00Z,arn:aws:iam' \
    "export csv: verdict, time and identity"
like "$(grep -F "verified-live" "$T/report/audit.csv" | grep -F "$AWS_LIVE")" "arn:aws:iam" \
    "export csv: the verdict is in the audit log"

# the cache: within recheck_after nothing is sent again
export AKWATCH_NOW=2026-03-04T08:59:00Z
akw verify --all >"$T/v2.out" 2>"$T/v2.err"
is "$(cat "$T"/alibaba.log "$T"/aws.log "$T"/github.log "$T"/tencent.log | wc -l)" "$n1" \
    "within recheck_after: answered from the store, nothing sent"
like "$(cat "$T/v2.out")" '\(cached\)' "cached outcomes are marked"
id_live=$(grep -F "\"ak_id\":\"$ALI_LIVE\"" "$T/v1.json" | sed -n 's/^{"id":\([0-9]*\),.*/\1/p')
akw verify --force "$id_live" >"$T/v3.out" 2>&1
is "$?" 1 "verify --force ID: live (exit 1)"
like "$(tail -1 "$T/alibaba.log")" "$ALI_LIVE" "--force asked the provider again"
export AKWATCH_NOW=2026-03-04T09:00:01Z
before=$(wc -l <"$T/alibaba.log")
akw verify --all >/dev/null 2>&1
is "$(wc -l <"$T/alibaba.log")" "$((before + 1))" \
    "after recheck_after: the pair checked at 08:00 is asked again, the one forced at 08:59 is not"

# a provider that cannot be reached: unknown, with the reason
write_config on off "http://127.0.0.1:1"
akw verify --force --format json "$id_live" >"$T/v4.json" 2>&1
is "$(verdict "$T/v4.json" "$ALI_LIVE")" unknown "provider down: unknown"
like "$(cat "$T/v4.json")" '127\.0\.0\.1' "... with the reason"
akw show "$id_live" >"$T/show.out" 2>&1
like "$(cat "$T/show.out")" 'unknown' "show displays the outcome"

# no stored secret: a clear message, nothing sent
write_config off off "http://127.0.0.1:$ALI_PORT"
export AKWATCH_DB="$T/b.db"
akw scan "$T/src" >/dev/null 2>&1
before=$(wc -l <"$T/alibaba.log")
akw verify 1 >"$T/v5.out" 2>"$T/v5.err"
is "$?" 2 "verify ID without a stored secret: exit 2"
like "$(cat "$T/v5.err")" 'store_secrets = on' "... and says how to get there"
mkdir -p "$T/locale/zh_CN/LC_MESSAGES"
msgfmt -o "$T/locale/zh_CN/LC_MESSAGES/akwatch.mo" "$AKW_SRCDIR/po/zh_CN.po"
LANG=zh_CN.UTF-8 LC_ALL=zh_CN.UTF-8 AKWATCH_LOCALEDIR="$T/locale" akw verify 1 >/dev/null \
    2>"$T/v5zh.err"
like "$(cat "$T/v5zh.err")" '未保存原始密钥.*store_secrets = on' "the message in Chinese (zh_CN)"
akw verify --all >"$T/v6.out" 2>"$T/v6.err"
like "$(cat "$T/v6.err")" 'not checked without a stored secret' "verify --all counts them"
is "$(wc -l <"$T/alibaba.log")" "$before" "nothing was sent for them"

# scan-time verification: [verify] enabled = on uses the secret in hand (not stored)
write_config off on "http://127.0.0.1:$ALI_PORT"
export AKWATCH_DB="$T/c.db"
akw scan "$T/src" >/dev/null 2>"$T/scan2.err"
akw list --format json >"$T/list2.json"
is "$(verdict "$T/list2.json" "\"ak_id\":\"$ALI_LIVE\"")" live \
    "scan with verification on: the pair is verified live without storing the secret"
is "$(verdict "$T/list2.json" "\"ak_id\":\"$AWS_LIVE\"")" live "... the aws pair too"
is "$(verdict "$T/list2.json" "\"ak_id\":\"$TC_LIVE\"")" live "... and the tencent pair"

# secrets never in output, never to the AK providers
all_out=$(cat "$T"/*.out "$T"/*.err "$T"/*.json)
unlike "$all_out" "$ALI_SECRET|$AWS_SECRET|$TC_SECRET|$GH_LIVE|$GH_DEAD|$ALI_WRONG|Vb7Qx2Lm9Kp4Zt8W" \
    "no secret or token in any stdout/stderr"
unlike "$(cat "$T/alibaba.log" "$T/aws.log" "$T/tencent.log")" \
    "$ALI_SECRET|$AWS_SECRET|$TC_SECRET|$ALI_WRONG|ghp_" \
    "AK providers received signatures, never a secret (nor a GitHub token)"
unlike "$(cat "$T/alibaba.log")" 'rm-acme' "the RDS password's host was never sent as an AccessKey ID"

done_testing
