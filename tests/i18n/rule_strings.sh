#!/bin/sh
# rule_strings — the English text of the rule files (rule descriptions, provider names and
# recommendation steps) reaches the catalogue: src/detect/rule_strings.c, which xgettext
# reads (po/POTFILES.in), is what po/rule-strings.sh makes of data/rules today, and each
# of those strings has its zh_CN translation, shown by the CLI under zh_CN.UTF-8.
. "$AKW_SRCDIR/tests/lib.sh"
sh "$AKW_SRCDIR/po/rule-strings.sh" >"$T/rule_strings.c"
ok $? "po/rule-strings.sh runs"
diff -u "$AKW_SRCDIR/src/detect/rule_strings.c" "$T/rule_strings.c" >"$T/diff"
if ! ok $? "src/detect/rule_strings.c is up to date with data/rules"; then
    echo "#   run: sh po/rule-strings.sh >src/detect/rule_strings.c (then translate in po/zh_CN.po)"
    head -20 "$T/diff" | sed 's/^/#   /'
fi
grep -qx 'src/detect/rule_strings.c' "$AKW_SRCDIR/po/POTFILES.in"
ok $? "po/POTFILES.in lists it"
n=$(grep -c '^    N_(' "$T/rule_strings.c")
[ "$n" -ge 30 ]
ok $? "it carries the rule files' strings ($n)"

# every one of them is translated (msgstr not empty, not fuzzy) in po/zh_CN.po
kw=$(sed -n 's/^XGETTEXT_OPTIONS *= *//p' "$AKW_SRCDIR/po/Makevars")
# shellcheck disable=SC2086
xgettext $kw -o "$T/rules.pot" "$AKW_SRCDIR/src/detect/rule_strings.c"
ok $? "xgettext reads it"
msgmerge -q --no-fuzzy-matching "$AKW_SRCDIR/po/zh_CN.po" "$T/rules.pot" -o "$T/merged.po" 2>/dev/null
untranslated=$(msgattrib --untranslated --no-obsolete "$T/merged.po" | grep -c '^msgid "[^"]')
fuzzy=$(msgattrib --only-fuzzy --no-obsolete "$T/merged.po" | grep -c '^msgid "[^"]')
is "$untranslated/$fuzzy" "0/0" "every rule-file string has a zh_CN translation (untranslated/fuzzy)"
[ "$untranslated" -eq 0 ] || msgattrib --untranslated --no-obsolete "$T/merged.po" |
    grep '^msgid' | head -10 | sed 's/^/#   /'

# shown translated: a provider's name in `rules list --format json` stays English (data),
# its description in the table is translated
mkdir -p "$T/locale/zh_CN/LC_MESSAGES"
msgfmt -o "$T/locale/zh_CN/LC_MESSAGES/akwatch.mo" "$AKW_SRCDIR/po/zh_CN.po"
out=$(AKWATCH_LOCALEDIR="$T/locale" LC_ALL=zh_CN.UTF-8 LANG=zh_CN.UTF-8 akw rules list)
like "$out" "alibaba-accesskey-id +cloud_accesskey +.*阿里云" "rules list under zh_CN: descriptions translated"
done_testing
