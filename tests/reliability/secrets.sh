#!/bin/sh
# secrets.sh — TAP: unique secrets are planted (Alibaba secret, AWS secret key, database
# password, GitHub token, private key body), then scan, list (every format), show, export
# (xlsx, csv, json), the notify webhook and command hook, and the store file itself are
# searched for them: none may appear unless store_secrets = on (then the store holds them:
# the positive control that proves the search works). Store and exports are 0600. TLS: no
# option turns certificate checks off, and plain http is refused for non-loopback hosts.
. "$AKW_SRCDIR/tests/lib.sh"
PY=/usr/bin/python3
cd "$T" || exit 1
export AKWATCH_DB="$T/store/akwatch.db" AKWATCH_CONFIG="$T/config"
# made-up, unique to this test
ALI_ID=LTAI5tJq8Wm3Rk2ZxNv7Yb4P
ALI_SECRET=Qm7Rk2ZxNv4Wb9Jq3Tp6Ls8Hd1Fg5C
AWS_SECRET=Vh3nQ9zR2kXw7Lp5Tm8Yb1Jd4Cg6Fs0Ae2Ku9Wi
DB_PASS=Xr8Kq2Lm9Zt4
GH_TOKEN=ghp_R7kQ2mZ9xW4vN8pL3tY6bJ1dH5gF0sC2aE4u
KEY_BODY=MIIEpQIBAAKCAQEAr7kQ2mZ9xW4vN8pL3tY6bJ1dH5gF0sC2aE4uXr8Kq2Lm9Zt4
SECRETS="$ALI_SECRET|$AWS_SECRET|$DB_PASS|$GH_TOKEN|$KEY_BODY"
mkdir -p src
printf 'aliyun.accesskey.id=%s\naliyun.accesskey.secret=%s\n' "$ALI_ID" "$ALI_SECRET" >src/app.properties
printf '[default]\naws_access_key_id = AKIAT4JQ2MZ8XWLV7RNB\naws_secret_access_key = %s\n' \
    "$AWS_SECRET" >src/credentials
printf "DB = 'mysql://shop:%s@rm-zz.mysql.rds.aliyuncs.com:3306/shop'\n" "$DB_PASS" >src/db.py
printf 'token: %s\n' "$GH_TOKEN" >src/ci.yml
printf -- '-----BEGIN RSA PRIVATE KEY-----\n%s\nc3VwZXJzZWNyZXQga2V5IG1hdGVyaWFsIGZvciB0ZXN0cw==\n-----END RSA PRIVATE KEY-----\n' \
    "$KEY_BODY" >src/id_rsa

. "$AKW_SRCDIR/tests/notify/receiver.sh"
printf '#!/bin/sh\n{ env; cat; } >>"%s/hook.out"\n' "$T" >hook.sh
chmod +x hook.sh
printf '[notify]\nwebhook = %s/hook\ncommand = %s/hook.sh\nbell = off\n' \
    "$RECEIVER_URL" "$T" >"$T/config"

umask 022
mkdir -p out
akw scan src >out/scan.out 2>out/scan.err
is "$?" 1 "scan finds the planted secrets"
n=$(sqlite3 "$AKWATCH_DB" "select count(*) from leaks")
ok $([ "$n" -ge 5 ]; echo $?) "$n findings in the store"
for f in table json tsv; do akw list --format $f >"out/list.$f" 2>&1; done
for id in $(sqlite3 "$AKWATCH_DB" "select id from leaks"); do akw show "$id" >>out/show 2>&1; done
akw export --format xlsx -o out/report.xlsx >out/export.log 2>&1
ok $? "export xlsx"
akw export --format csv -o out/report.csv >>out/export.log 2>&1
ok $? "export csv"
akw export --format json -o out/report.json >>out/export.log 2>&1
ok $? "export json"
$PY -c 'import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
sys.stdout.write("".join(z.read(n).decode("utf-8", "replace") for n in z.namelist()))' \
    out/report.xlsx >out/report.xlsx.txt
ok $? "the xlsx opens as a zip (its XML searched below)"
ok $([ -s "$T/capture" ] && [ -s "$T/hook.out" ]; echo $?) "the webhook and the command hook were called"
cp "$T/capture" out/webhook; cp "$T/hook.out" out/hook

leaks=""
for f in $(find out -type f); do
    LC_ALL=C grep -aEq -- "$SECRETS" "$f" && leaks="$leaks $f"
done
is "$leaks" "" "no raw secret in scan output, list, show, exports, webhook, hook env/stdin"
sqlite3 "$AKWATCH_DB" "pragma wal_checkpoint(truncate)" >/dev/null
LC_ALL=C grep -aEq -- "$SECRETS" "$T"/store/*
is "$?" 1 "no raw secret in the store file (store_secrets off)"
is "$(stat -c %a "$AKWATCH_DB")" 600 "store created 0600 (umask 022)"
for f in out/report.xlsx out/report.json $(find out/report.csv -type f); do
    is "$(stat -c %a "$f")" 600 "export ${f#out/} created 0600"
done
is "$(stat -c %a out/report.csv)" 700 "the csv export folder is 0700"

# positive control: with store_secrets = on the raw secrets are kept (and found by grep)
printf '[scan]\nstore_secrets = on\n' >"$T/config"
rm -f "$T/store/akwatch.db"*
akw scan src >/dev/null 2>&1
sqlite3 "$AKWATCH_DB" "pragma wal_checkpoint(truncate)" >/dev/null
LC_ALL=C grep -aq -- "$ALI_SECRET" "$AKWATCH_DB"
is "$?" 0 "store_secrets = on: the store holds the raw secret (the search above works)"
akw list --format json >out2.json 2>&1
LC_ALL=C grep -aEq -- "$SECRETS" out2.json
is "$?" 1 "store_secrets = on: list still shows masked secrets"

# TLS
grep -rn 'SSL_VERIFYPEER\|SSL_VERIFYHOST' "$AKW_SRCDIR/src" | grep -v '1L)\|2L)' >tls.txt
is "$(cat tls.txt)" "" "certificate checks are never set off in the source (VERIFYPEER 1, VERIFYHOST 2)"
akw --help >help.txt 2>&1; akw scan --help >>help.txt 2>&1; akw config check --help >>help.txt 2>&1
unlike "$(cat help.txt)" 'insecure|no-verify|verify-tls|skip-tls|ssl_verify' "no option to skip TLS checks"
printf '[github]\napi_url = http://api.example.com\n' >"$T/config"
akw config check >tls.out 2>&1
is "$?" 2 "plain http to a non-loopback API host is refused"
like "$(cat tls.out)" 'loopback' "and says plain http is for loopback only"
AKWATCH_API_URL=http://10.1.2.3:8080 akw scan --github --once >tls.out 2>&1
is "$?" 2 "AKWATCH_API_URL=http://10.1.2.3 is refused too"
done_testing
