#!/bin/sh
# The baseline: `akwatch baseline` writes .akwatchignore at the work tree's root from the
# current findings (sorted, header, 0600, atomic, --output, --history); `akwatch scan` then
# reports none of them but every new secret, even on the same line; a malformed line stops
# the scan with FILE:LINE, exit 2 and nothing recorded; a folder outside git has its own.
. "$AKW_SRCDIR/tests/lib.sh"
cd "$T" || exit 1
export AKWATCH_DB="$T/store.db"
mkdir repo && cd repo || exit 1
git init -q . && git config user.email t@example.com && git config user.name T
mkdir -p src
printf 'db_password = "Xk9#mQ2vLp7zR4tW"\n' >src/app.conf
printf 'aws_access_key_id = AKIAQ3EGRIPJ4LZ5W6XA\naws_secret_access_key = 9cQx2bV7nM4kL8pZ1rT6yW3eU5iO0aS2dF4gH7jK\n' >creds
printf 'API_SECRET = "Zq8#nR3wMp6yT5uVbN2c"  # akwatch:allow\n' >allowed.py
git add . && git commit -qm init
cd "$T" || exit 1

# --- writing ---------------------------------------------------------------------------
out=$(cd repo/src && akw baseline 2>&1); rc=$?
is "$rc" 0 "akwatch baseline in a subfolder: exit 0"
is "$out" "Baseline written to $T/repo/.akwatchignore: 2 fingerprints" "written at the work tree's root"
B=repo/.akwatchignore
is "$(stat -c %a "$B")" 600 "mode 0600"
like "$(head -1 "$B")" "^# akwatch baseline: " "a header comment"
is "$(grep -vc '^#' "$B")" 2 "two entries: the inline-allowed finding is left out"
is "$(grep -v '^#' "$B" | cut -c1-64 | sort -c 2>&1 && echo sorted)" "sorted" "sorted by fingerprint"
like "$(grep -v '^#' "$B")" "^[0-9a-f]{64}  # password-assignment src/app.conf:1$" "each with its rule and place as a comment"
is "$(ls -A repo | grep -c '^\.\.akwatchignore')" 0 "no temporary file left"
[ ! -e "$AKWATCH_DB" ]; ok $? "baseline records nothing (no store created)"

# --- scanning with it -------------------------------------------------------------------
out=$(akw scan repo 2>"$T/err"); rc=$?
is "$rc" 0 "scan: every finding is in the baseline, exit 0"
is "$out" "" "nothing printed"
like "$(cat "$T/err")" "not reported: 1 allowed by an inline comment, 2 listed in .akwatchignore" "the summary counts them"
is "$(sqlite3 "$AKWATCH_DB" 'select count(*) from leaks')" 0 "nothing recorded for them"
akw scan repo/src/app.conf >/dev/null 2>&1
is "$?" 0 "a file of the repository named alone: the root's baseline applies"
# a new secret, even in the very same place, is reported
sed -i 's/Xk9#mQ2vLp7zR4tW/Wn4#tB7qZx2mK9pL/' repo/src/app.conf
out=$(akw scan repo 2>/dev/null); rc=$?
is "$rc" 1 "a changed secret at the same path and line is reported: exit 1"
like "$out" "^repo/src/app.conf:1:" "it is printed"
printf 'token = "Rt5#vB8nM2qW7eY4uI"\n' >>repo/creds
is "$(akw scan --no-store repo 2>/dev/null | grep -c .)" 2 "and so is a secret added elsewhere"

# --- history ------------------------------------------------------------------------------
git -C repo checkout -q -- .
akw scan --history --no-store repo >/dev/null 2>"$T/err"
is "$?" 0 "scan --history: the committed secrets are in the baseline too"
printf 'secret = "Lp3#xC6vN9mB2zQ5wE"\n' >repo/old.conf
git -C repo add old.conf && git -C repo commit -qm old && git -C repo rm -q old.conf && git -C repo commit -qm gone
akw scan --history --no-store repo >/dev/null 2>&1
is "$?" 1 "a secret committed then removed is found in history"
akw baseline repo >/dev/null
akw scan --history --no-store repo >/dev/null 2>&1
is "$?" 1 "a baseline of the work tree alone does not cover it"
out=$(akw baseline --history repo); rc=$?
is "$rc" 0 "baseline --history"
like "$out" ": 3 fingerprints$" "it adds the history's finding"
akw scan --history --no-store repo >/dev/null 2>&1
is "$?" 0 "now scan --history is quiet"

# --- --output, several repositories, outside git ---------------------------------------
mkdir -p other/.git plain
printf 'db_password = "Hq3#LmZp8Rt2Wv6Yb9"\n' >plain/a.conf
akw baseline repo plain >/dev/null 2>"$T/err"
is "$?" 2 "PATHs in two roots without --output: exit 2"
like "$(cat "$T/err")" "^akwatch: plain: is in another repository than the first PATH" "named"
akw baseline -o "$T/shared.ignore" repo plain >/dev/null
ok $? "--output takes them all"
is "$(grep -vc '^#' "$T/shared.ignore")" 3 "into one file (two of the repository, one of the folder)"
out=$(akw baseline plain); rc=$?
is "$out" "Baseline written to $T/plain/.akwatchignore: 1 fingerprint" "outside git: the folder's own baseline"
akw scan --no-store plain >/dev/null 2>&1
is "$?" 0 "and a scan of it honours it"
akw baseline nowhere 2>"$T/err"
is "$?" 2 "a missing PATH: exit 2"

# --- a malformed line ----------------------------------------------------------------
rm -f "$AKWATCH_DB"
sed -i 's/Xk9#mQ2vLp7zR4tW/Wn4#tB7qZx2mK9pL/' repo/src/app.conf
printf 'src/app.conf:password-assignment:1\n' >>repo/.akwatchignore
n=$(grep -c '' repo/.akwatchignore)
akw scan repo >"$T/out" 2>"$T/err"
is "$?" 2 "a malformed baseline: exit 2"
is "$(cat "$T/err")" "akwatch: $T/repo/.akwatchignore:$n: not a fingerprint (64 hex digits, then an optional # comment): 'src/app.conf:password-assignment:1'" \
    "one line: FILE:LINE and the entry"
is "$(cat "$T/out")" "" "nothing printed"
[ ! -e "$AKWATCH_DB" ] || is "$(sqlite3 "$AKWATCH_DB" 'select count(*) from leaks')" 0 "nothing recorded"
ok 0 "the store is untouched"
# every PATH's baseline is read before anything is scanned: loose's finding is not printed
mkdir loose && printf 'db_password = "Tz6#KpW3nQ8vRm2Lc5"\n' >loose/b.conf
akw scan loose repo >"$T/out" 2>"$T/err"
is "$?" 2 "a malformed baseline of the second PATH: exit 2"
is "$(cat "$T/out")" "" "nothing printed for the first PATH either"
like "$(cat "$T/err")" "^akwatch: $T/repo/.akwatchignore:$n: " "named"
[ ! -e "$AKWATCH_DB" ] || is "$(sqlite3 "$AKWATCH_DB" 'select count(*) from leaks')" 0 "nothing recorded"
ok 0 "the store is untouched"
done_testing
