#!/bin/sh
# Inline allow comments in local scans: a finding on a line carrying akwatch:allow (or
# gitleaks:allow / trufflehog:ignore) is neither printed nor recorded nor counted in the
# exit status, and the summary counts it; a secret on an unmarked line is still reported;
# --history honours a marker on the added line itself.
. "$AKW_SRCDIR/tests/lib.sh"
cd "$T" || exit 1
export AKWATCH_DB="$T/store.db"
mkdir proj
cat >proj/settings.py <<'EOF'
DB_PASSWORD = "Xk9#mQ2vLp7zR4tW"  # akwatch:allow test fixture, not a real password
API_SECRET = "Zq8#nR3wMp6yT5uVbN2c"
EOF
cat >proj/App.java <<'EOF'
String secret = "Hq3#LmZp8Rt2Wv6Yb9"; // gitleaks:allow
EOF
cat >proj/deploy.yml <<'EOF'
password: "Pw7#kQ4nT1xZ8cV5bM3" # TruffleHog:Ignore
EOF

out=$(akw scan proj 2>"$T/err"); rc=$?
is "$rc" 1 "the unmarked secret fails the scan"
is "$(printf '%s\n' "$out" | grep -c .)" 1 "only it is printed"
like "$out" "^proj/settings.py:2:" "it is the API_SECRET line"
like "$(cat "$T/err")" "not reported: 3 allowed by inline comments" "the summary counts the three allowed"
like "$(cat "$T/err")" "1 finding, 1 leak left unhandled" "and reports one finding"
is "$(sqlite3 "$AKWATCH_DB" 'select count(*) from leaks')" 1 "the allowed ones are not recorded"

sed -i 's/^API_SECRET = "Zq8#nR3wMp6yT5uVbN2c"$/API_SECRET = "Zq8#nR3wMp6yT5uVbN2c"  # akwatch:allow/' proj/settings.py
akw scan proj >"$T/out" 2>"$T/err"
is "$?" 0 "every finding allowed: exit 0"
is "$(cat "$T/out")" "" "nothing printed"
akw scan --format json proj >"$T/out" 2>/dev/null
is "$(cat "$T/out")" "" "json prints nothing for them either"

# history: the marker must be on the added line of the commit
mkdir repo && cd repo || exit 1
git init -q . && git config user.email t@example.com && git config user.name T
printf 'token = "Rt5#vB8nM2qW7eY4uI"  # akwatch:allow\n' >a.conf
git add a.conf && git commit -qm one
printf 'secret = "Lp3#xC6vN9mB2zQ5wE"\n' >>a.conf
git add a.conf && git commit -qm two
cd "$T" || exit 1
out=$(akw scan --history --no-store repo 2>"$T/err"); rc=$?
is "$rc" 1 "history: the unmarked commit fails"
is "$(printf '%s\n' "$out" | grep -c 'a.conf:2:')" 1 "the second commit's line is reported"
unlike "$out" "a.conf:1:" "the marked line of the first is not"
like "$(cat "$T/err")" "1 allowed by an inline comment" "and is counted as allowed"
done_testing
