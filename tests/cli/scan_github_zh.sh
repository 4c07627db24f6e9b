#!/bin/sh
# `akwatch scan --github` in Chinese (zh_CN.UTF-8): the finding tags (新增 本方 / 新增 / 再次)
# are padded by display width, so the text after them starts at one column on every line.
. "$AKW_SRCDIR/tests/lib.sh"
. "$AKW_SRCDIR/tests/github/fakelib.sh"
SC="$AKW_SRCDIR/tests/fakegh/scenarios"
export AKWATCH_DB="$T/akwatch.db" AKWATCH_CONFIG="$T/config" GITHUB_TOKEN=ghp_akwatch_test_token_1
cat >"$T/config" <<'CONF'
[github]
org = acme
events = on
keep_unowned = on
poll_interval = 1
[assets]
access_key_id = LTAI5tR7xK2mQ9pW4vN8sB3dZ
endpoint = rm-acme.mysql.rds.aliyuncs.com
[notify]
bell = off
CONF
mkdir -p "$T/locale/zh_CN/LC_MESSAGES"
msgfmt -o "$T/locale/zh_CN/LC_MESSAGES/akwatch.mo" "$AKW_SRCDIR/po/zh_CN.po"
ok $? "zh_CN.po compiles"
fake_start "$SC/basic.json"

LANG=zh_CN.UTF-8 LC_ALL=zh_CN.UTF-8 AKWATCH_LOCALEDIR="$T/locale" akw scan --github --once \
    >"$T/out" 2>"$T/err"
is "$?" 1 "scan --github --once in Chinese exits 1: unhandled findings"
out=$(cat "$T/out")
like "$out" "^新增 本方 " "an owned finding is tagged 新增 本方"
printf '%s\n' "$out" | grep -q '^新增      [a-z]'
ok $? "a not-owned finding is tagged 新增, padded to the same 9 columns"
# the rule id after the tag starts at the same display column on every line
/usr/bin/python3 - "$T/out" >"$T/cols" <<'PY'
import re, sys, unicodedata
def width(s):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
starts = {width(re.match(r"^(.*?\S) +(?=[a-z])", l).group(0)) for l in lines}
print("ok" if len(lines) >= 2 and len(starts) == 1 else "bad %d lines, starts %r" % (len(lines), starts))
PY
is "$(cat "$T/cols")" ok "the text after the tags lines up by display width"
done_testing
