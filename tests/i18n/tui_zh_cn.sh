#!/bin/sh
# tui_zh_cn — the TUI under zh_CN.UTF-8 in tmux: every pane (list, details, processing,
# whitelist, help, menu) shows no English interface string (every msgid of src/ui, from
# xgettext, checked against the screens), and the list's columns line up by display width
# with Chinese titles and labels.
. "$AKW_SRCDIR/tests/tui/lib.sh"
PY=/usr/bin/python3
demo_store
mkdir -p "$T/locale/zh_CN/LC_MESSAGES"
msgfmt -o "$T/locale/zh_CN/LC_MESSAGES/akwatch.mo" "$AKW_SRCDIR/po/zh_CN.po"
ok $? "zh_CN.po compiles"
TUI_ENV="LANG=zh_CN.UTF-8 LC_ALL=zh_CN.UTF-8 AKWATCH_LOCALEDIR=$T/locale"
tui_start 100 60

shot() { screen >"$T/screen.$1"; }
shot list
like "$(screen | sed -n 2p)" "未处理 \([0-9]+\) +已处理 \([0-9]+\) +全部 \([0-9]+\)" "view tabs in Chinese"
like "$(screen | sed -n 3p)" "^级别 +AK ID / 密钥 +类型 +仓库:路径 +首次发现 +验证 +状态" "column titles in Chinese"
press Enter
is "$(dump pane)" "details" "Enter opens the details"
shot details
like "$(cat "$T/screen.details")" "相关建议" "details: the Related recommendation heading"
press p
is "$(dump pane)" "processing" "p opens the processing pane"
shot processing
like "$(cat "$T/screen.processing")" "已手动删除.*" "processing: deleted manually"
like "$(cat "$T/screen.processing")" "加入白名单" "processing: add to whitelist"
press q q w
is "$(dump pane)" "whitelist" "w opens the whitelist"
shot whitelist
press q ?
shot help
press q m
shot menu
like "$(cat "$T/screen.menu")" "导出报告（xlsx）" "menu: export report"
press q q
wait_exit

# every interface string of src/ui, as xgettext sees it, must be absent from the screens
# (unless its translation is the same text, like "AccessKey ID")
xgettext --keyword=_ --keyword=N_ --from-code=UTF-8 -o "$T/ui.pot" \
    "$AKW_SRCDIR"/src/ui/*.c "$AKW_SRCDIR"/src/ui/*.h 2>/dev/null
ok $? "xgettext lists the TUI's strings"
left=$("$PY" - "$T" <<'EOF'
import gettext, re, sys
t = sys.argv[1]
zh = gettext.translation("akwatch", t + "/locale", ["zh_CN"])
pot = open(t + "/ui.pot", encoding="utf-8").read()
ids = []
for m in re.finditer(r'\nmsgid ((?:".*"\n)+)', pot):
    s = "".join(re.findall(r'"(.*)"', m.group(1)))
    ids.append(s.encode().decode("unicode_escape").encode("latin-1").decode("utf-8"))
screens = "\n".join(open(f"{t}/screen.{n}", encoding="utf-8").read()
                    for n in ("list", "details", "processing", "whitelist", "help", "menu"))
# the rule's description (details' 说明 line) is data from data/rules, in English
screens = "\n".join(l for l in screens.splitlines() if not re.match(r"\s+说明\s", l))
left = set()
for s in ids:
    if not s or zh._catalog.get(s) == s:  # translated as itself ("AccessKey ID")
        continue
    # the literal parts between format directives, at least two words or 6 letters
    for part in re.split(r"%[-+ #0-9.*]*[a-z]*[a-zA-Z]|\n", s):
        part = part.strip(" :()[]")
        if (len(part.split()) >= 2 or len(part) >= 6) and re.search("[A-Za-z]{3}", part) \
                and part in screens:
            left.add(part)
print(" | ".join(sorted(left)) if left else "none")
print(len(ids), file=sys.stderr)
EOF
)
is "$left" "none" "no English interface string on any pane"

# the status column starts at the same display column on every row (CJK is 2 wide)
aligned=$("$PY" - "$T/screen.list" <<'EOF'
import sys, unicodedata
def width(s):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
rows = [l for l in open(sys.argv[1], encoding="utf-8").read().splitlines()[2:] if l.strip()][:-1]
starts = {width(l[:l.rstrip().rfind(" ") + 1]) for l in rows}
print("ok" if len(starts) == 1 and len(rows) > 5 else "bad %r" % sorted(starts))
EOF
)
is "$aligned" ok "list: the status column lines up by display width"
done_testing
