#!/bin/sh
# The command line in Chinese (po/zh_CN.po): translated headers, labels, statuses,
# recommendations and errors, with table columns and show labels aligned by display width.
. "$AKW_SRCDIR/tests/lib.sh"
. "$AKW_SRCDIR/tests/cli/plant.sh"
PY=/usr/bin/python3
cd "$T" || exit 1
plant proj
export AKWATCH_DB="$T/store.db"
akw scan --quiet proj >/dev/null
mkdir -p "$T/locale/zh_CN/LC_MESSAGES"
msgfmt -o "$T/locale/zh_CN/LC_MESSAGES/akwatch.mo" "$AKW_SRCDIR/po/zh_CN.po"
ok $? "zh_CN.po compiles"
zh() { LANG=zh_CN.UTF-8 LC_ALL=zh_CN.UTF-8 AKWATCH_LOCALEDIR="$T/locale" akw "$@"; }

# display-width checks: every row's last column starts at the same display column, and
# show's values start at the same column whatever the label's width
aligned() { # aligned FILE MODE
    $PY - "$1" "$2" <<'EOF'
import sys, unicodedata
def width(s):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
if sys.argv[2] == "table":
    starts = {width(l[:l.rfind("  ") + 2]) for l in lines}
else:
    fields = lines[1:lines.index("")]     # the field block, before Locations
    rows = [l for l in fields if ":" in l]
    starts = {width(l[:len(l) - len(l.split(":", 1)[1].lstrip())]) for l in rows if l.split(":", 1)[1].strip()}
print("ok" if len(starts) == 1 and len(lines) > 3 else "bad %r" % starts)
EOF
}

zh list >"$T/list.txt"
head=$(head -1 "$T/list.txt")
like "$head" "^编号 +严重程度 +置信度 +状态 +类型 +AK ID / 密钥 +位置 +首次发现$" "list header in Chinese"
like "$(cat "$T/list.txt")" "严重 +高 +未处理" "severity, confidence and status translated"
is "$(aligned "$T/list.txt" table)" ok "list: columns aligned by display width"
zh handle 1 --as deleted >/dev/null
zh show 1 >"$T/show.txt"
like "$(cat "$T/show.txt")" "状态: +已处理 \(已删除\)" "show: status label and value translated"
like "$(cat "$T/show.txt")" "相关建议" "show: recommendation heading translated"
is "$(aligned "$T/show.txt" show)" ok "show: values aligned after labels of any width"
like "$(zh show "$(sqlite3 "$AKWATCH_DB" "select id from leaks where ak_id='$AK_ID'")")" "RAM 控制台" "show: Alibaba advice in Chinese"
zh scan --frob 2>"$T/err"
is "$?" 2 "translated error still exits 2"
like "$(cat "$T/err")" "^akwatch: --frob：未知选项" "error line translated, culprit first"
zh scan proj 2>&1 >/dev/null | grep -q "已扫描"
ok $? "scan summary translated"
like "$(zh --help)" "用法：akwatch" "--help translated"
done_testing
