#!/bin/sh
# akwatch calls import / list / access on the real binary: trail and access logs made with
# keys found by a real scan, gzip, malformed lines reported as file:line, re-import adds
# nothing, a broken gzip imports nothing (exit 2), call alerts posted to a loopback webhook
# inside the window and suppressed outside it, secrets never in any output.
. "$AKW_SRCDIR/tests/lib.sh"
. "$AKW_SRCDIR/tests/cli/plant.sh"
PY=/usr/bin/python3
cd "$T" || exit 1
plant proj
DB="$XDG_DATA_HOME/akwatch/akwatch.db"
CONF="$XDG_CONFIG_HOME/akwatch/config"
mkdir -p "$(dirname "$CONF")"

# --- a webhook receiver on loopback ---------------------------------------------------
. "$AKW_SRCDIR/tests/notify/receiver.sh"
printf '[scan]\nskip = node_modules/\n\n[notify]\nwindow = 08:00-20:00 ; office hours\ntz = UTC\nwebhook = %s\nbell = off\n' \
    "$HOOK" >"$CONF"

# --- leaks found by a scan on 2026-03-01 ----------------------------------------------
AKWATCH_NOW=2026-03-01T00:00:00Z akw --quiet scan proj >/dev/null
ALI_LEAK=$(akw list --ak "$AK_ID" --format json | $PY -c 'import json,sys; print(json.loads(sys.stdin.readline())["id"])')
like "$ALI_LEAK" '^[0-9]+$' "(setup) the scan stored the AccessKey pair as a leak"

# --- logs made with those keys --------------------------------------------------------
$PY - "$AK_ID" "$AWS_ID" <<'EOF'
import gzip, json, sys
ak, aws = sys.argv[1], sys.argv[2]
def ali(i, t, ip, name, key=ak):
    return {"eventId": "evt-%d" % i, "eventVersion": 1, "eventSource": "ecs.aliyuncs.com",
            "eventName": name, "eventTime": t, "eventType": "ApiCall", "serviceName": "Ecs",
            "sourceIpAddress": ip, "userAgent": "aliyun-cli/3.0.200", "acsRegion": "cn-hangzhou",
            "userIdentity": {"type": "ram-user", "accountId": "1234567890123456", "accessKeyId": key}}
with open("ali.jsonl", "w") as f:
    f.write(json.dumps(ali(1, "2026-02-28T12:00:00Z", "192.0.2.1", "DescribeRegions")) + "\n")
    f.write(json.dumps(ali(2, "2026-03-01T03:00:00Z", "198.51.100.23", "DescribeInstances")) + "\n")
    f.write('{"eventId": "evt-3", "eventName": "RunInstances", "eventTime": "2026-03-01T0\n')
    f.write(json.dumps(ali(4, "2026-03-01T04:00:00Z", "198.51.100.23", "CreateInstance")) + "\n")
    f.write(json.dumps(ali(5, "2026-03-01T05:00:00Z", "192.0.2.9", "DescribeRegions", "LTAI5tNotLeaked00000000X")) + "\n")
recs = [{"eventVersion": "1.08", "eventID": "aws-1", "eventTime": "2026-03-01T06:00:00Z",
         "eventSource": "sts.amazonaws.com", "eventName": "GetCallerIdentity",
         "awsRegion": "us-east-1", "sourceIPAddress": "203.0.113.77", "userAgent": "aws-cli/2.15.0",
         "userIdentity": {"type": "IAMUser", "accessKeyId": aws}}]
with gzip.open("ct.json.gz", "wt") as f:
    json.dump({"Records": recs}, f)
later = [dict(recs[0], eventID="aws-2", eventTime="2026-03-01T07:00:00Z", eventName="ListBuckets",
              eventSource="s3.amazonaws.com")]
with gzip.open("ct-late.json.gz", "wt") as f:
    json.dump({"Records": later}, f)
data = open("ct.json.gz", "rb").read()
open("broken.json.gz", "wb").write(data[: len(data) // 2])
with open("access.log", "w") as f:
    f.write('203.0.113.9 - - [01/Mar/2026:10:15:02 +0000] "GET /src/main/App.java HTTP/1.1" 200 734 "-" "python-requests/2.31.0"\n')
    f.write('203.0.113.9 - - [01/Mar/2026:10:15:03 +0000] "GET /src/main/App.java.bak HTTP/1.1" 404 0 "-" "python-requests/2.31.0"\n')
    f.write('not a log line\n')
EOF

# --- import inside the window ---------------------------------------------------------
out=$(AKWATCH_NOW=2026-03-02T10:00:00Z akw calls import ali.jsonl ct.json.gz access.log 2>"$T/err"); rc=$?
is "$rc" 0 "import exits 0 with malformed lines"
err=$(cat "$T/err")
like "$err" "^akwatch: ali.jsonl:3: truncated JSON \(line skipped\)" "malformed trail line named file:line"
like "$err" "akwatch: access.log:3: not in combined log format" "malformed access-log line named file:line"
like "$out" "ali.jsonl: actiontrail, 4 events, 2 with a leaked key \(2 new\)" "actiontrail summary: the call before first_seen does not count"
like "$out" "ct.json.gz: cloudtrail, 1 events, 1 with a leaked key \(1 new\)" "gzipped CloudTrail Records"
like "$out" "access.log: access_log, 2 events, 0 with a leaked key \(0 new\), 2 access-log requests stored, 1 malformed" "access log summary"
is "$(posts)" 2 "one webhook message per leaked key"
cap=$(cat "$T/capture")
like "$cap" 'suspicious calls with leaked key '"$AK_ID" "the AccessKey message counts its calls"
like "$cap" 'GetCallerIdentity' "the AWS message names the action"
unlike "$cap$out$err" "$AK_SECRET" "no raw secret in the webhook payloads or output"
is "$(sqlite3 "$DB" "select count(*) from alerts where type='call' and state='sent' and sent_at=strftime('%s','2026-03-02T10:00:00Z')")" 3 \
    "three call alerts sent, sent_at from the clock seam"

# --- list ------------------------------------------------------------------------------
list=$(akw calls list)
like "$list" "2026-03-01T03:00:00Z +$AK_ID +198.51.100.23 +Ecs:DescribeInstances +aliyun-cli/3.0.200 +ali.jsonl:2" "table row: time, key, IP, action, agent, file:line"
is "$(akw calls list --format json | grep -c '"id"')" 3 "json: three calls"
res=$(akw calls list --ak "$AWS_ID" --format json | $PY -c '
import json, sys
rows = [json.loads(l) for l in sys.stdin]
r = rows[0]
print(len(rows), r["at"], r["source_ip"], r["action"], r["kind"], r["source_file"], r["source_line"])')
is "$res" "1 2026-03-01T06:00:00Z 203.0.113.77 sts:GetCallerIdentity cloudtrail ct.json.gz 1" "list --ak filters by key"

# --- re-import, broken gzip -------------------------------------------------------------
out=$(AKWATCH_NOW=2026-03-02T11:00:00Z akw calls import ali.jsonl ct.json.gz access.log 2>/dev/null)
like "$out" "ali.jsonl: actiontrail, 4 events, 2 with a leaked key \(0 new\)" "re-import: nothing new"
like "$out" "access.log: .*, 0 access-log requests stored" "re-import: no request stored twice"
is "$(akw calls list --format json | grep -c '"id"')" 3 "re-import: still three calls"
is "$(posts)" 2 "re-import: no new message"
before=$(sqlite3 "$DB" 'select count(*) from calls')
out=$(AKWATCH_NOW=2026-03-02T11:00:00Z akw calls import broken.json.gz ct-late.json.gz 2>"$T/err"); rc=$?
is "$rc" 2 "a broken gzip makes the import exit 2"
like "$(cat "$T/err")" "broken.json.gz: gzip: unexpected end of file \(nothing imported from this file\)" "and names the file"
like "$out" "ct-late.json.gz: cloudtrail, 1 events, 1 with a leaked key \(1 new\)" "the other files are still imported"
is "$(sqlite3 "$DB" 'select count(*) from calls')" $((before + 1)) "only the good file's call was added"

# --- outside the window: suppressed, never sent later --------------------------------------
sed 's/evt-4/evt-40/; s/CreateInstance/DeleteInstance/' ali.jsonl >ali2.jsonl
n=$(posts)
AKWATCH_NOW=2026-03-02T21:00:00Z akw --quiet calls import ali2.jsonl 2>/dev/null
is "$(posts)" "$n" "outside the window nothing is posted"
like "$(sqlite3 "$DB" "select state||' '||suppressed_reason from alerts where type='call' order by id desc limit 1")" \
    "^suppressed outside the notification window \(08:00-20:00 UTC\); not sent later" "the alert is suppressed with the reason"

# --- access-log search ----------------------------------------------------------------------
acc=$(akw calls access "$ALI_LEAK")
like "$acc" "2026-03-01T10:15:02Z +203.0.113.9 +GET +/src/main/App.java +200" "the file that held the key was requested"
unlike "$acc" "App.java.bak" "other paths are not listed"
is "$(akw calls access "$ALI_LEAK" --format json | grep -c '"path":"/src/main/App.java"')" 1 "json output"
akw calls access 99999 >/dev/null 2>"$T/err"; rc=$?
is "$rc" 2 "access of an unknown leak exits 2"

# --- errors ---------------------------------------------------------------------------------
akw calls import 2>"$T/err"; is "$?" 2 "import without FILE is a usage error"
printf '[notify]\nwindow = 8-20\n' >"$T/bad.conf"
before=$(sqlite3 "$DB" 'select count(*) from calls')
sed 's/evt-2/evt-22/' ali.jsonl >ali3.jsonl
akw --config "$T/bad.conf" calls import ali3.jsonl >/dev/null 2>"$T/err"; rc=$?
is "$rc" 2 "a bad [notify] window fails the import"
like "$(cat "$T/err")" "8-20" "naming the bad value"
is "$(sqlite3 "$DB" 'select count(*) from calls')" "$before" "and nothing was imported"
done_testing
