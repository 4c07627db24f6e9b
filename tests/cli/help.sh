#!/bin/sh
# --help of akwatch and of every subcommand it lists, --version, and `config check`.
. "$AKW_SRCDIR/tests/lib.sh"
cd "$T" || exit 1

out=$(akw --help); rc=$?
is "$rc" 0 "akwatch --help exits 0"
like "$out" "^usage: akwatch " "--help starts with usage"
cmds=$(printf '%s\n' "$out" | sed -n '/^Commands:/,/^$/p' | awk 'NF > 1 && /^  / {print $1}')
for c in scan list show handle whitelist rules config; do
    printf '%s\n' "$cmds" | grep -qx "$c"
    ok $? "--help lists $c"
done
for c in $cmds; do
    h=$(akw "$c" --help); rc=$?
    is "$rc" 0 "akwatch $c --help exits 0"
    like "$h" "^usage: akwatch $c" "akwatch $c --help shows its usage"
    is "$(akw "$c" -h | head -1)" "$(printf '%s\n' "$h" | head -1)" "akwatch $c -h is the same"
done
like "$(akw scan --help)" "--history" "scan --help documents --history"
like "$(akw scan --help)" "Exit status: 0 when no reported finding is left unhandled" "scan --help documents the exit status"
like "$(akw list --help)" "--status S" "list --help documents --status"
is "$(akw --version)" "akwatch $(sed -n 's/^AC_INIT(\[akwatch\], \[\([^]]*\)\].*/\1/p' "$AKW_SRCDIR/configure.ac")" "--version prints the version"

# config check
mkdir -p "$XDG_CONFIG_HOME/akwatch"
CONF="$XDG_CONFIG_HOME/akwatch/config"
out=$(akw config check); rc=$?
is "$rc" 0 "config check without a file: exit 0"
like "$out" "does not exist; the defaults apply" "config check says the defaults apply"
printf '[github]\nevents = on\ntoken = t1\n[notify]\nwindow = 08:00-20:00\n[scan]\nmax_file_size = 2M\n' >"$CONF"
is "$(akw config check)" "ok: $CONF" "config check of a good file prints ok: PATH"
printf '[github]\nevents = perhaps\n[notify]\nwindow = 8am-8pm\n[scan]\nmax_file_size = lots\n[nope]\nx = 1\n' >"$CONF"
akw config check >"$T/out" 2>"$T/err"; rc=$?
is "$rc" 2 "config check of a bad file: exit 2"
is "$(grep -c '' "$T/err")" 4 "one line per bad key"
like "$(sed -n 1p "$T/err")" "^akwatch: $CONF:2: \[github\] events: expected on or off" "bad bool named with file:line"
like "$(sed -n 2p "$T/err")" "^akwatch: $CONF:4: \[notify\] window: expected a time window HH:MM-HH:MM" "bad window named"
like "$(sed -n 3p "$T/err")" "^akwatch: $CONF:6: \[scan\] max_file_size: expected a size" "bad size named"
like "$(sed -n 4p "$T/err")" "^akwatch: $CONF:8: \[nope\] x: unknown section" "unknown section named"
printf '[github]\ntoken = ghp_notreal\n' >"$T/tok.conf"
chmod 644 "$T/tok.conf"
out=$(akw --config "$T/tok.conf" config check 2>"$T/err"); rc=$?
is "$rc" 0 "a readable file with a token is still valid"
like "$(cat "$T/err")" "^akwatch: $T/tok.conf: warning: holds tokens .*mode 644.*chmod 600" "but config check warns about its mode"
unlike "$(cat "$T/err")$out" "ghp_notreal" "the token itself is never printed"
chmod 600 "$T/tok.conf"
akw --config "$T/tok.conf" config check >/dev/null 2>"$T/err"
is "$(cat "$T/err")" "" "no warning once the file is 0600"
printf '[github]\napi_url = https://ghe.example/api/v3\n' >"$T/other.conf"
chmod 644 "$T/other.conf"
GITHUB_TOKEN=fromenv akw --config "$T/other.conf" config check >/dev/null 2>"$T/err"
is "$(cat "$T/err")" "" "a token from GITHUB_TOKEN alone is no reason to warn about the file"
is "$(akw --config "$T/other.conf" config check)" "ok: $T/other.conf" "--config picks the file"
is "$(AKWATCH_CONFIG="$T/other.conf" akw config check)" "ok: $T/other.conf" "AKWATCH_CONFIG picks the file"
AKWATCH_API_URL=ftp://x akw --config "$T/other.conf" config check 2>"$T/err"
is "$?" 2 "a bad AKWATCH_API_URL fails the check"
like "$(cat "$T/err")" "AKWATCH_API_URL: expected an http" "and is named"
done_testing
