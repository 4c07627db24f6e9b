#!/bin/sh
# uninstalled — Chinese from the first run: the uninstalled akwatch of the build tree finds
# the catalogue its build made (build/locale/zh_CN/LC_MESSAGES/akwatch.mo) with no
# AKWATCH_LOCALEDIR, in the CLI and in the TUI (tmux); AKWATCH_LOCALEDIR still overrides,
# and a copy of the binary outside the build tree does not use the build's catalogue.
. "$AKW_SRCDIR/tests/tui/lib.sh"
unset AKWATCH_LOCALEDIR
ZH="LANG=zh_CN.UTF-8 LC_ALL=zh_CN.UTF-8"

[ -f "$AKW_BUILDDIR/locale/zh_CN/LC_MESSAGES/akwatch.mo" ]
ok $? "make laid the catalogue out under the build tree's locale/"
cmp -s "$AKW_BUILDDIR/locale/zh_CN/LC_MESSAGES/akwatch.mo" "$AKW_SRCDIR/po/zh_CN.gmo"
ok $? "it is the catalogue po/ built"

out=$(env $ZH "$AKWATCH_BIN" --help 2>&1)
like "$out" "^用法：akwatch" "--help in Chinese with no AKWATCH_LOCALEDIR"
mkdir -p "$T/empty"
out=$(env $ZH AKWATCH_LOCALEDIR="$T/empty" "$AKWATCH_BIN" --help 2>&1)
like "$out" "^usage: akwatch" "AKWATCH_LOCALEDIR still overrides (an empty folder: English)"
cp "$AKWATCH_BIN" "$T/akwatch"
out=$(env $ZH AKWATCH_DATADIR="$AKW_SRCDIR/data" "$T/akwatch" --help 2>&1)
like "$out" "^usage: akwatch" "a binary outside the build tree uses LOCALEDIR, not the build's"

demo_store
TUI_ENV=$ZH
tui_start 100 40
like "$(screen | sed -n 2p)" "未处理 \([0-9]+\) +已处理 \([0-9]+\) +全部 \([0-9]+\)" \
    "the TUI opens in Chinese with no AKWATCH_LOCALEDIR"
press q
wait_exit
done_testing
