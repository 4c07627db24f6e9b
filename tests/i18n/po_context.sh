#!/bin/sh
# po_context — every translatable string of the sources (as xgettext extracts them with the
# keywords of po/Makevars, contexts included) has its zh_CN translation; and one English
# word with two senses gets two Chinese words through its msgctxt: "Locations" is the
# sheet of places (位置) and, in the Leaks sheet, the column counting them (位置数).
. "$AKW_SRCDIR/tests/lib.sh"
PY=/usr/bin/python3
kw=$(sed -n 's/^XGETTEXT_OPTIONS *= *//p' "$AKW_SRCDIR/po/Makevars")
like "$kw" "--keyword=C_:1c,2" "po/Makevars: xgettext knows C_ (context, text)"
like "$kw" "--keyword=NC_:1c,2" "po/Makevars: and NC_ for static tables"
# shellcheck disable=SC2086
(cd "$AKW_SRCDIR" && xgettext $kw -o "$T/akwatch.pot" -f po/POTFILES.in)
ok $? "xgettext extracts the sources listed in po/POTFILES.in"
grep -q '^msgctxt "column: how many"' "$T/akwatch.pot"
ok $? "the count column's context is extracted"
out=$(msgcmp "$AKW_SRCDIR/po/zh_CN.po" "$T/akwatch.pot" 2>&1)
ok $? "every source string has a zh_CN entry (msgcmp): $(echo "$out" | head -3)"
# no msgstr of the catalogue uses 位置 for "everywhere" (the keys that work in every pane)
is "$(msgattrib --no-obsolete "$AKW_SRCDIR/po/zh_CN.po" 2>/dev/null | grep -A1 '^msgid "Everywhere"' | sed -n 2p)" \
    'msgstr "全局"' "\"Everywhere\" (key bindings of every pane) is 全局, not 所有位置"

mkdir -p "$T/locale/zh_CN/LC_MESSAGES"
msgfmt -o "$T/locale/zh_CN/LC_MESSAGES/akwatch.mo" "$AKW_SRCDIR/po/zh_CN.po"
ok $? "zh_CN.po compiles"
export AKWATCH_DB="$T/store.db" AKWATCH_NOW=2026-02-01T08:00:00Z AKWATCH_LOCALEDIR="$T/locale"
"$AKW_BUILDDIR/tests/bench/fill_store" "$AKWATCH_DB" --fixture
cd "$T" || exit 2
LC_ALL=zh_CN.UTF-8 LANG=zh_CN.UTF-8 akw export --quiet -o "$T/zh.xlsx" >/dev/null
ok $? "export under zh_CN"
LC_ALL=C.UTF-8 akw export --quiet -o "$T/en.xlsx" >/dev/null
ok $? "export in the C locale"
heads() { # heads FILE: the sheet names, then the Leaks sheet's header row
    "$PY" - "$1" <<'PYEOF'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1], read_only=True)
print("|".join(wb.sheetnames))
print("|".join(str(c.value) for c in next(wb.worksheets[1].iter_rows(max_row=1))))
PYEOF
}
zh=$(heads "$T/zh.xlsx")
like "$(echo "$zh" | sed -n 1p)" "^[^|]+\|泄露\|位置\|" "zh_CN: the Locations sheet is 位置"
like "$(echo "$zh" | sed -n 2p)" "\|位置数\|" "zh_CN: the Leaks sheet's count column is 位置数"
unlike "$(echo "$zh" | sed -n 2p)" "\|位置\||Locations" "zh_CN: and not the sheet's word, nor English"
en=$(heads "$T/en.xlsx")
like "$(echo "$en" | sed -n 2p)" "\|Locations\|" "C locale: the column is Locations (the context never shows)"
unlike "$en" "$(printf '\004')|column: how many" "C locale: no context text leaks into the report"
done_testing
