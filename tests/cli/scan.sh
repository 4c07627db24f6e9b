#!/bin/sh
# akwatch scan on planted leaks: every output format, exit codes, the summary on stderr,
# skips counted, secrets masked everywhere, dedupe on rescan, the store file 0600.
. "$AKW_SRCDIR/tests/lib.sh"
. "$AKW_SRCDIR/tests/cli/plant.sh"
PY=/usr/bin/python3
cd "$T" || exit 1
plant proj
mkdir -p "$XDG_CONFIG_HOME/akwatch" clean
printf 'nothing to see\n' >clean/a.txt
printf '[scan]\nskip = node_modules/\n' >"$XDG_CONFIG_HOME/akwatch/config"
DB="$XDG_DATA_HOME/akwatch/akwatch.db"

# --- text ---------------------------------------------------------------------------
out=$(akw scan proj 2>"$T/err"); rc=$?
is "$rc" 1 "scan with unhandled findings exits 1"
is "$(count_lines "$out")" 3 "three findings (pair, database URL, AWS ID)"
like "$out" "^proj/app.py:2:[0-9]+: critical aliyun-rds-endpoint Zq\*+" "db finding: path as reached, line, masked"
like "$out" "proj/src/main/App.java:2:[0-9]+: critical alibaba-accesskey-id oOOL8d\*+KO ak_id=$AK_ID" "AccessKey pair is one critical finding with its AK ID"
like "$out" "proj/credentials:2:[0-9]+: high aws-access-key-id" "AWS key ID found"
unlike "$out" "node_modules|\.git/|tool\.bin|docs/" "skipped and placeholder files give nothing"
unlike "$out$(cat "$T/err")" "$AK_SECRET|$DB_PASS" "no raw secret on stdout or stderr"
err=$(cat "$T/err")
like "$err" "^akwatch: 5 files \([0-9]+ bytes\) scanned, 3 findings, 3 leaks left unhandled" "summary: files, bytes, findings"
like "$err" "skipped .git folder: 1, skip rule: 1, binary: 1" "summary: skips by reason"
is "$(stat -c %a "$DB")" 600 "store created with mode 0600"
is "$(stat -c %a "$(dirname "$DB")")" 700 "store folder created with mode 0700"
is "$(sqlite3 "$DB" 'select count(*) from leaks')" 3 "three leaks stored"
is "$(sqlite3 "$DB" "select platform||'|'||repo||'|'||path||'|'||line from locations l join leaks k on k.id=l.leak_id where k.rule='alibaba-accesskey-id'")" \
    "local|$T/proj|src/main/App.java|2" "location: platform local, repo = the work tree holding it, path below it"
is "$(sqlite3 "$DB" "select count(*) from leaks where secret is not null")" 0 "raw secrets not stored by default"
is "$(sqlite3 "$DB" .dump | grep -c "$AK_SECRET")" 0 "raw secret nowhere in the store"
like "$(sqlite3 "$DB" "select snippet from locations l join leaks k on k.id=l.leak_id where k.rule='alibaba-accesskey-id'")" \
    'accessKeySecret = "oOOL8d\*+KO"' "snippet is the masked line"

# --- rescan: no duplicate leak, no duplicate location ---------------------------------
akw scan --quiet proj >/dev/null 2>"$T/err2"
is "$(cat "$T/err2")" "" "--quiet prints nothing on stderr"
is "$(akw list --format json | grep -c '"id"')" 3 "rescan: list count unchanged"
is "$(sqlite3 "$DB" 'select count(*) from locations')" 3 "rescan: location count unchanged"
akw --quiet scan proj/src/main/App.java >/dev/null
is "$(sqlite3 "$DB" 'select count(*) from leaks')" 3 "the same secret via a file argument is the same leak"

# a reader that stops early (head) does not stop the recording
# (2000 findings: far more output than a pipe holds, so the writer meets the closed pipe)
mkdir many
$PY -c '
import random
random.seed(7)
abc = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
for i in range(2000):
    pw = "".join(random.choice(abc) for _ in range(12))
    print("DB%d = \"mysql://app:%s@db%d.internal:3306/shop\"" % (i, pw, i))' >many/db.py
want=$(akw scan --no-store --quiet --format json many | grep -c '')
akw --db "$T/pipe.db" scan --quiet --format json many | head -1 >/dev/null
ok "$([ "$want" -gt 1900 ]; echo $?)" "many findings ($want)"
is "$(sqlite3 "$T/pipe.db" 'select count(*) from leaks')" "$want" "scan | head -1 still records every finding"

# --- json ----------------------------------------------------------------------------
akw scan --no-store --format json proj >"$T/scan.json" 2>/dev/null
is "$(grep -c '' "$T/scan.json")" 3 "json: one object per line"
res=$($PY - "$T/scan.json" "$AK_ID" <<'EOF'
import json, sys
need = ["rule", "kind", "path", "line", "column", "ak_id", "secret_masked", "fingerprint",
        "severity", "repo", "commit", "url", "author", "date"]
rows = [json.loads(l) for l in open(sys.argv[1])]
for r in rows:
    missing = [k for k in need if k not in r]
    if missing: print("missing", missing); sys.exit()
pair = [r for r in rows if r["ak_id"] == sys.argv[2]][0]
ok = (pair["path"] == "proj/src/main/App.java" and pair["line"] == 2 and pair["column"] > 1
      and pair["severity"] == "critical" and len(pair["fingerprint"]) == 64
      and "*" in pair["secret_masked"] and pair["commit"] is None and pair["kind"] == "cloud_accesskey")
print("ok" if ok else "bad %r" % pair)
EOF
)
is "$res" ok "json: every DESIGN field, values of the pair finding"

# --- tsv -----------------------------------------------------------------------------
tsv=$(akw scan --no-store --format tsv proj 2>/dev/null)
is "$(printf '%s\n' "$tsv" | head -1 | cut -f1-4)" "path	line	column	rule" "tsv: header line"
is "$(printf '%s\n' "$tsv" | awk -F'\t' '{print NF}' | sort -u)" 15 "tsv: 15 columns on every line"
is "$(count_lines "$tsv")" 4 "tsv: header + 3 findings"

# --- SARIF 2.1.0, checked structurally -------------------------------------------------
akw scan --no-store --format sarif proj >"$T/out.sarif" 2>/dev/null
res=$($PY - "$T/out.sarif" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
errs = []
if d.get("version") != "2.1.0": errs.append("version")
if "sarif-2.1.0" not in d.get("$schema", ""): errs.append("$schema")
run = d["runs"][0]
drv = run["tool"]["driver"]
if drv["name"] != "akwatch" or not drv.get("version"): errs.append("driver")
ids = [r["id"] for r in drv["rules"]]
if not ids or len(ids) != len(set(ids)): errs.append("rules")
for r in drv["rules"]:
    if not r["shortDescription"]["text"]: errs.append("rule text")
if len(run["results"]) != 3: errs.append("results %d" % len(run["results"]))
for res in run["results"]:
    if res["ruleId"] not in ids: errs.append("ruleId")
    if ids[res["ruleIndex"]] != res["ruleId"]: errs.append("ruleIndex")
    if res["level"] not in ("error", "warning", "note"): errs.append("level")
    if not res["message"]["text"]: errs.append("message")
    pl = res["locations"][0]["physicalLocation"]
    if not pl["artifactLocation"]["uri"].startswith("proj/"): errs.append("uri")
    if pl["region"]["startLine"] < 1 or pl["region"]["startColumn"] < 1: errs.append("region")
    if len(list(res["partialFingerprints"].values())[0]) != 64: errs.append("fingerprint")
print("ok" if not errs else " ".join(errs))
EOF
)
is "$res" ok "SARIF: schema, version, driver rules, results with ruleId/level/message/location/fingerprints"
unlike "$(cat "$T/out.sarif")" "$AK_SECRET" "SARIF holds no raw secret"

# --- exit 0 and opt-in raw secrets --------------------------------------------------
akw scan --quiet clean >/dev/null
is "$?" 0 "nothing found: exit 0"
akw handle 1 --as deleted >/dev/null; akw handle 2 --as disabled >/dev/null
akw handle 3 --as whitelisted >/dev/null
akw scan --quiet proj >/dev/null
is "$?" 0 "every finding handled or whitelisted: exit 0"
printf '[scan]\nskip = node_modules/\nstore_secrets = on\n' >"$XDG_CONFIG_HOME/akwatch/config"
akw --db "$T/raw.db" scan --quiet proj >/dev/null
is "$(sqlite3 "$T/raw.db" "select count(*) from leaks where secret = '$AK_SECRET'")" 1 "store_secrets = on keeps the raw secret"
is "$(stat -c %a "$T/raw.db")" 600 "--db store created 0600"
AKWATCH_DB="$T/env.db" akw scan --quiet clean >/dev/null
ok "$([ -f "$T/env.db" ]; echo $?)" "AKWATCH_DB chooses the store"

# --- owned: [assets] named in the finding -------------------------------------------
printf '[assets]\nendpoint = %s\naccess_key_id = %s\n' "$RDS" "$AWS_ID" >"$XDG_CONFIG_HOME/akwatch/config"
akw --db "$T/own.db" scan --quiet proj >/dev/null
is "$(sqlite3 "$T/own.db" "select rule from leaks where owned = 1 order by rule" | tr '\n' ' ')" \
    "aliyun-rds-endpoint aws-access-key-id " "owned: the endpoint and the AK ID of [assets]"

# --- progress on a terminal only (script(1) gives the scan a pseudo-terminal) ----------------
if command -v script >/dev/null 2>&1; then
    tty_out=$(script -qec "'$AKWATCH_BIN' --db '$T/tty.db' scan proj" /dev/null)
    like "$tty_out" "scanning: [0-9]+ files" "a terminal gets a progress line"
    tty_out=$(script -qec "'$AKWATCH_BIN' --db '$T/tty.db' --quiet scan proj" /dev/null)
    unlike "$tty_out" "scanning:" "--quiet: no progress line"
    unlike "$(akw --db "$T/tty.db" scan proj 2>&1)" "scanning:" "no progress line when stderr is not a terminal"
else
    for n in 1 2 3; do ok 0 "progress check $n # SKIP script(1) missing"; done
fi

# --- a file name with terminal escapes cannot reach the terminal raw ------------------------
mkdir evil
esc=$(printf '\033')
printf 'aws_access_key_id = %s\n' "$AWS_ID" >"evil/x${esc}[2J${esc}]0;pwned${esc}\\.txt"
akw --db "$T/evil.db" scan evil >"$T/evil.txt" 2>&1
unlike "$(cat "$T/evil.txt")" "$esc" "scan text and summary: no raw escape character"
like "$(cat "$T/evil.txt")" 'evil/x\?\[2J\?\]0;pwned\?' "control characters shown as ?"
unlike "$(akw --db "$T/evil.db" list; akw --db "$T/evil.db" show 1)" "$esc" "list and show: no raw escape character"
like "$(akw --db "$T/evil.db" list --format tsv)" 'x\\x1b\[2J' "tsv: escape written as \\x1b"
akw --db "$T/evil.db" scan "evil/nope${esc}[31m" 2>"$T/evil.err"
unlike "$(cat "$T/evil.err")" "$esc" "error line: no raw escape character"

# --- list table: columns aligned by display width, also after wide (CJK) text --------
mkdir -p "数据/配置"
printf "DB = 'mysql://shop:Wq8nK3vLp@db.internal:3306/shop'\n" >"数据/配置/app.py"
akw --db "$T/cjk.db" scan --quiet proj "数据" >/dev/null
akw --db "$T/cjk.db" list >"$T/table"
res=$($PY - "$T/table" <<'PYEOF'
import sys, unicodedata
def width(s):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
cols = set()
for l in lines[1:]:
    i = l.rfind("  ")            # the last column (FIRST SEEN) starts after two spaces
    cols.add(width(l[:i + 2]))
head = lines[0]
cols.add(width(head[:head.index("FIRST SEEN")]))
wide = any("配置" in l for l in lines)
print("ok" if len(cols) == 1 and wide and len(lines) == 5 else "bad %r %r" % (cols, lines))
PYEOF
)
is "$res" ok "list table: the column after a CJK path lines up by display width"
done_testing
