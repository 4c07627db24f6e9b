#!/bin/sh
# zh_cn — the Chinese interface: zh_CN.po is complete and valid, `akwatch --help` and CLI
# messages come out in Chinese under LANG=zh_CN.UTF-8, the xlsx report's sheet names,
# headers and status words follow the locale, and English is the fallback elsewhere.
. "$AKW_SRCDIR/tests/lib.sh"
PY=/usr/bin/python3

# ---- the catalogue itself ------------------------------------------------------------
stats=$(msgfmt --statistics -c -o /dev/null "$AKW_SRCDIR/po/zh_CN.po" 2>&1)
ok $? "msgfmt -c accepts po/zh_CN.po (formats match their msgids)"
like "$stats" "^[0-9]+ translated messages\.$" "zh_CN.po: no fuzzy and no untranslated entry"
n=$(echo "$stats" | sed 's/ .*//')
[ "${n:-0}" -ge 400 ]
ok $? "zh_CN.po translates the interface ($n messages)"
for term in AccessKey 白名单 已处理 未处理 告警 泄露 已手动删除 已手动禁用 加入白名单 取消白名单 相关建议; do
    grep -q "^msgstr.*$term" "$AKW_SRCDIR/po/zh_CN.po"
    ok $? "console terminology used: $term"
done

# ---- run the uninstalled binary with the build's catalogue ------------------------------
locale -a 2>/dev/null | grep -qix 'zh_CN.utf8'
ok $? "the zh_CN.UTF-8 locale is installed (setup.sh: locales-all)"
mkdir -p "$T/locale/zh_CN/LC_MESSAGES"
msgfmt -o "$T/locale/zh_CN/LC_MESSAGES/akwatch.mo" "$AKW_SRCDIR/po/zh_CN.po"
ok $? "zh_CN.po compiles"
export AKWATCH_LOCALEDIR="$T/locale"
zh() { LC_ALL=zh_CN.UTF-8 LANG=zh_CN.UTF-8 "$AKWATCH_BIN" "$@"; }
# cjk TEXT: 0 when TEXT holds Chinese characters (python: grep ranges depend on the locale)
cjk() { "$PY" -c 'import sys; sys.exit(not any("\u4e00" <= c <= "\u9fff" for c in sys.argv[1]))' "$1"; }

help=$(zh --help)
ok $? "akwatch --help under zh_CN"
like "$help" "用法" "--help: the usage line is Chinese"
like "$help" "全局选项" "--help: the global options heading is Chinese"
# every command summary line ("  name  summary") carries Chinese text
english=$(echo "$help" | grep -E '^  [a-z]+ +[a-z]' | while IFS= read -r l; do
    cjk "$l" || echo "$l"; done | head -3)
n=$(echo "$help" | grep -cE '^  [a-z]+ +[^ ]')
[ "$n" -ge 10 ]
ok $? "--help lists the commands ($n)"
is "$english" "" "--help: no command summary left in English"
en=$(LC_ALL=C.UTF-8 "$AKWATCH_BIN" --help)
unlike "$en" "用法" "C locale: English (the fallback)"
fr=$(LC_ALL=fr_FR.UTF-8 "$AKWATCH_BIN" --help 2>/dev/null)
like "$fr" "^usage: akwatch" "a locale without a catalogue falls back to English"

export AKWATCH_DB="$T/store.db" AKWATCH_NOW=2026-02-01T08:00:00Z
"$AKW_BUILDDIR/tests/bench/fill_store" "$AKWATCH_DB" --fixture
err=$(zh show 999 2>&1)
is $? 2 "show of a missing leak: exit 2"
cjk "$err"
ok $? "its error message is Chinese: $err"
cd "$T" || exit 2
out=$(zh export -o "$T/r.xlsx")
ok $? "export under zh_CN"
like "$out" "r\.xlsx" "the saved message names the file"
cjk "$out"
ok $? "and is Chinese: $out"
err=$(zh export -o "$T/r.xlsx" 2>&1)
is $? 2 "existing file: exit 2"
like "$err" "--force" "the refusal names --force: $err"
cjk "$err"
ok $? "and is Chinese"

got=$("$PY" - "$T/r.xlsx" <<'EOF'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
leaks = wb.worksheets[1]
head = [c.value for c in leaks[1]]
print("|".join(wb.sheetnames))
print("|".join(str(h) for h in head))
print("|".join(sorted({str(r[3].value) for r in leaks.iter_rows(min_row=2)})))  # the Status column
import unicodedata
def width(s):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in str(s))
narrow = [(ws.title, c.value) for ws in wb for c in ws[1]
          if (ws.column_dimensions[c.column_letter].width or 0) < width(c.value)]
print("narrow: %r" % narrow[:3] if narrow else "fits")
EOF
)
sheets=$(echo "$got" | sed -n 1p)
heads=$(echo "$got" | sed -n 2p)
statuses=$(echo "$got" | sed -n 3p)
like "$sheets" "^[^A-Za-z|]+\|泄露\|" "xlsx: sheet names follow the locale: $sheets"
unlike "$heads" "Severity|Status|First seen" "xlsx: Leaks headers are translated"
like "$heads" "AccessKey ID" "xlsx: AccessKey ID keeps the console's term"
like "$statuses" "未处理" "xlsx: status words are translated: $statuses"
is "$(echo "$got" | sed -n 4p)" fits "xlsx: every column is at least as wide as its Chinese header"

done_testing
