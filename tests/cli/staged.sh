#!/bin/sh
# `akwatch scan --staged` on real git repositories: what `git commit` would record and
# nothing else — the initial commit, added lines only (line numbers of the new file), the
# index not the work tree, renames, deletions, binary files, a 50 MB staged file, a path
# with spaces and non-ASCII, a merge being concluded, a subfolder; inline allow and the
# baseline apply; findings are masked, nothing is recorded, exit 0/1/2.
. "$AKW_SRCDIR/tests/lib.sh"
cd "$T" || exit 1
export AKWATCH_DB="$T/store.db"
S1='Xk9#mQ2vLp7zR4tW'
S2='Zq8#nR3wMp6yT5uVbN2c'
S3='Wn4#tB7qZx2mK9pL'
git init -q -b main repo && cd repo || exit 1
git config user.email t@example.com && git config user.name T
commit() { git commit -q --no-verify -m "$1"; }

# --- the initial commit -----------------------------------------------------------------
printf 'name = shop\ndb_password = "%s"\n' "$S1" >app.conf
git add app.conf
out=$(akw scan --staged 2>"$T/err"); rc=$?
is "$rc" 1 "initial commit (no HEAD yet): a staged secret, exit 1"
is "$out" "app.conf:2:16: medium password-assignment Xk9#***********W confidence=medium" \
    "printed masked, path and line of the new file"
like "$(cat "$T/err")" "the staged changes hold 1 finding" "stderr says what to do"
unlike "$out$(cat "$T/err")" "$S1" "the secret itself is never printed"
[ ! -e "$AKWATCH_DB" ]; ok $? "nothing recorded: no store created"
commit init

is "$(akw scan --staged 2>&1; echo "rc=$?")" "akwatch: 0 files (0 bytes) scanned, 0 findings
rc=0" "nothing staged: exit 0"

# --- only what is staged, only the added lines -------------------------------------------
printf 'token = "%s"\n' "$S2" >notes.txt
akw scan --staged >/dev/null 2>&1
is "$?" 0 "an untracked file is not part of the commit"
git add notes.txt && rm notes.txt
out=$(akw scan --staged 2>/dev/null); rc=$?
is "$rc" 1 "the index is scanned, not the work tree (staged, then deleted from the tree)"
like "$out" "^notes.txt:1:" "the staged file"
git reset -q -- notes.txt
printf 'port = 8080\n' >>app.conf && git add app.conf
akw scan --staged >/dev/null 2>&1
is "$?" 0 "a clean line added to a file whose committed lines hold a secret: exit 0"
sed -i "1a api_secret = \"$S3\"" app.conf && git add app.conf
out=$(akw scan --staged 2>/dev/null); rc=$?
is "$rc" 1 "a secret added in the middle of a file"
like "$out" "^app.conf:2:.* password-assignment Wn4#" "its line in the new file (2), the old secret (now line 3) not reported"
is "$(printf '%s\n' "$out" | grep -c .)" 1 "one finding"
git reset -q && git checkout -q -- app.conf

# --- json -----------------------------------------------------------------------------
printf 'db_password = "%s"\n' "$S3" >b.conf && git add b.conf
j=$(akw scan --staged --format json 2>/dev/null)
is "$(printf '%s' "$j" | python3 -c 'import json,sys; o=json.loads(sys.stdin.readline()); print(o["platform"], o["path"], o["commit"], o["line"])')" \
    "staged b.conf None 1" "json: platform staged, the path, no commit"
git reset -q -- b.conf && rm b.conf

# --- inline allow and the baseline ------------------------------------------------------
printf 'db_password = "%s"  # akwatch:allow test fixture\n' "$S2" >fixture.conf
git add fixture.conf
akw scan --staged >/dev/null 2>"$T/err"
is "$?" 0 "a line with akwatch:allow: exit 0"
like "$(cat "$T/err")" "1 allowed by an inline comment" "counted as allowed"
git reset -q -- fixture.conf && rm fixture.conf
printf 'password = "%s"\n' "$S2" >sample.conf && git add sample.conf
akw baseline -o "$T/bl" sample.conf >/dev/null && cp "$T/bl" .akwatchignore
akw scan --staged >/dev/null 2>"$T/err"
is "$?" 0 "a finding listed in the top's .akwatchignore: exit 0"
like "$(cat "$T/err")" "1 listed in .akwatchignore" "counted as listed"
printf 'password2 = "%s"\n' "$S3" >>sample.conf && git add sample.conf
out=$(akw scan --staged 2>/dev/null); rc=$?
is "$rc" 1 "a new secret beside it is reported"
like "$out" "^sample.conf:2:" "only the new one"
printf 'not-a-fingerprint\n' >.akwatchignore
akw scan --staged >"$T/out" 2>"$T/err"
is "$?" 2 "a malformed baseline: exit 2"
like "$(cat "$T/err")" "^akwatch: $T/repo/.akwatchignore:1: not a fingerprint" "FILE:LINE"
is "$(cat "$T/out")" "" "nothing printed"
git reset -q && rm -f sample.conf .akwatchignore

# --- renames and deletions --------------------------------------------------------------
git mv app.conf config.conf
akw scan --staged >/dev/null 2>&1
is "$?" 0 "a file moved unchanged adds no line: exit 0"
printf 'secret = "%s"\n' "$S2" >>config.conf && git add config.conf
out=$(akw scan --staged 2>/dev/null); rc=$?
is "$rc" 1 "moved and a secret added: exit 1"
is "$(printf '%s\n' "$out" | cut -d: -f1-2)" "config.conf:3" "under its new name, the added line only"
git reset -q --hard
git rm -q app.conf
akw scan --staged >/dev/null 2>&1
is "$?" 0 "a deleted file holding a secret: exit 0"
git reset -q --hard

# --- binary files -------------------------------------------------------------------------
printf 'db_password = "%s"\n\000\001\002' "$S1" >blob.bin && git add blob.bin
akw scan --staged >/dev/null 2>"$T/err"
is "$?" 0 "a binary file is skipped"
like "$(cat "$T/err")" "skipped binary: 1" "and counted"
git reset -q && rm blob.bin

# --- a path with spaces and non-ASCII -------------------------------------------------------
mkdir -p "config dir/配置"
printf 'db_password = "%s"\n' "$S3" >"config dir/配置/数据库 ü.conf"
git add "config dir"
out=$(akw scan --staged 2>/dev/null); rc=$?
is "$rc" 1 "a path with spaces and non-ASCII"
like "$out" "^config dir/配置/数据库 ü.conf:1:16: " "printed as it is, not quoted"
commit "odd path"
git mv "config dir/配置/数据库 ü.conf" "config dir/配置/新 名.conf"
akw scan --staged >/dev/null 2>&1
is "$?" 0 "renamed unchanged: exit 0"
git reset -q --hard

# --- a subfolder, a repository named elsewhere ----------------------------------------------
printf 'db_password = "%s"\n' "$S2" >top.conf && git add top.conf
out=$(cd "config dir" && akw scan --staged 2>/dev/null); rc=$?
is "$rc" 1 "run in a subfolder: the whole commit"
like "$out" "^top.conf:1:" "paths from the top of the work tree"
out=$(cd "$T" && akw scan --staged repo 2>/dev/null)
like "$out" "^top.conf:1:" "scan --staged REPO from elsewhere"
git reset -q && rm top.conf

# --- a 50 MB staged file ---------------------------------------------------------------
python3 - <<'EOF'
with open("big.txt", "w") as f:
    line = "row %08d lorem ipsum dolor sit amet consectetur adipiscing elit sed do\n"
    n = 50 * 1000 * 1000 // len(line % 0)
    for i in range(n):
        f.write(line % i)
    f.write('db_password = "Lp3#xC6vN9mB2zQ5wE"\n')
EOF
big_lines=$(wc -l <big.txt)
git add big.txt
akw scan --staged >/dev/null 2>"$T/err"
is "$?" 0 "a 50 MB staged file over [scan] max_file_size (10M) is skipped"
like "$(cat "$T/err")" "skipped too big: 1$" "and counted in the summary (as too big, not binary)"
printf '[scan]\nmax_file_size = 100M\n' >"$T/cfg"
out=$(akw --config "$T/cfg" scan --staged 2>"$T/err"); rc=$?
is "$rc" 1 "with max_file_size = 100M its last line's secret is found"
is "$(printf '%s\n' "$out" | cut -d: -f1-2)" "big.txt:$big_lines" "at its line"
like "$(cat "$T/err")" "1 file \(50\.[0-9] MB\) scanned" "50 MB scanned"
git reset -q && rm big.txt

# --- a merge being concluded ----------------------------------------------------------------
git checkout -q -b feature
printf 'name = shop-feature\nredis_password = "%s"\n' "$S2" >service.conf
git add service.conf && commit "feature"
git checkout -q main
printf 'name = shop-main\n' >service.conf && git add service.conf && commit "main side"
git merge -q feature >/dev/null 2>&1
is "$?" 1 "a conflicting merge stops for its resolution"
printf 'name = shop\nredis_password = "%s"\n' "$S2" >service.conf && git add service.conf
out=$(akw scan --staged 2>/dev/null); rc=$?
is "$rc" 1 "the merge's resolution brings the other branch's secret into main: exit 1"
like "$out" "^service.conf:2:" "the line the merge adds to the current branch"
printf 'name = shop\n' >service.conf && git add service.conf
akw scan --staged >/dev/null 2>&1
is "$?" 0 "resolved without it: exit 0"
commit merge
is "$(git rev-list --parents -1 HEAD | wc -w)" 3 "the merge commit was made"

# --- usage errors ---------------------------------------------------------------------------
akw scan --staged --history >/dev/null 2>"$T/err"
is "$?" 2 "--staged with --history: exit 2"
like "$(cat "$T/err")" "^akwatch: --staged: cannot be combined with --history" "named"
akw scan --staged . "$T" >/dev/null 2>"$T/err"
is "$?" 2 "two repositories: exit 2"
mkdir "$T/plain"
akw scan --staged "$T/plain" >/dev/null 2>"$T/err"
is "$?" 2 "not a git repository: exit 2"
is "$(grep -c . "$T/err")" 1 "one line"
like "$(cat "$T/err")" "^akwatch: $T/plain: " "naming it"
[ ! -e "$AKWATCH_DB" ]; ok $? "still no store"
done_testing
