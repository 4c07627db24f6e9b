#!/bin/sh
# Text from scanned files never reaches the terminal raw: escape sequences, other control
# characters and bidi overrides in a repo path, an author and a matching line are shown as
# '?', and CJK text keeps its alignment.
. "$AKW_SRCDIR/tests/tui/lib.sh"
esc=$(printf '\033')
bel=$(printf '\007')
rlo=$(printf '\342\200\256') # U+202E RIGHT-TO-LEFT OVERRIDE
cat >"$T/evil.conf" <<DATA
[leak]
rule = alibaba-accesskey-id
kind = cloud_accesskey
ak_id = LTAI5tEvilEvilEvilEvil01
secret = Zq8XnW2mRt5VbK9pLs3DfG7hJc1Ny4
severity = critical
first_seen = 2026-11-20T10:00:00Z
[location]
platform = github
repo = evil/${esc}]0;pwned${bel}repo
path = ${esc}[2J${esc}[31mcleared.yml
line = 1
commit = 0123456789abcdef0123456789abcdef01234567
author = Mallory ${esc}[8mhidden${rlo}txt.exe
committed_at = 2026-11-20T09:00:00Z
found_at = 2026-11-20T10:00:00Z
snippet = key: {masked} ${esc}]52;c;cHduZWQ=${bel}
[leak]
rule = alibaba-accesskey-id
kind = cloud_accesskey
ak_id = LTAI5tCjkCjkCjkCjkCjk002
secret = Pw4Rt8Yu2Io6Pa1Sd5Fg9Hj3Kl7Zx0
severity = high
first_seen = 2026-11-19T10:00:00Z
[location]
platform = github
repo = 中文团队/配置仓库
path = 生产环境/密钥.yml
line = 3
found_at = 2026-11-19T10:00:00Z
snippet = 密钥: {masked}
DATA
demo_store "$T/evil.conf"
tui_start 100 24
screen_is "CJK repo/path keeps the columns aligned; escapes are shown as ?" 4 5 <<'SCREEN'
CRIT LTAI5tEvilEvilEvilEvil01   AccessKey …ned?repo:?[2J?[31mcleared.yml 2026-11-20 —    Unhandled
HIGH LTAI5tCjkCjkCjkCjkCjk002   AccessKey …队/配置仓库:生产环境/密钥.yml 2026-11-19 —    Unhandled
SCREEN
press q
wait_exit

tui_start 160 30
like "$(screen)" "evil/\?\]0;pwned\?repo:\?\[2J\?\[31mcleared\.yml" "escape characters in repo/path are shown as ?"
press Enter
s=$(screen)
like "$s" "by Mallory \?\[8mhidden\?txt\.exe" "escapes and bidi overrides in the author are shown as ?"
like "$s" "> key: [A-Za-z0-9]+\*+[A-Za-z0-9]* \?\]52;c;cHduZWQ=\?" "an OSC 52 clipboard sequence in the line is shown as text"
press q q
wait_exit
is "$(cat "$T/exit")" "0" "quits cleanly"
done_testing
