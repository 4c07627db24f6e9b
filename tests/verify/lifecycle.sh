#!/bin/sh
# lifecycle — issue 7's promises end to end, with real binaries, a real store, the fake
# providers and a command hook as the alert channel:
#  - [verify] alert_only_live: only keys the provider accepts alert; the others are stored,
#    listed and recorded as suppressed alerts;
#  - a leak handled (disabled) that is leaked again in a new place later is reopened as a
#    regression and alerts again; a whitelisted one never alerts;
#  - `handle ID --as reopened` exists; every change (verification verdicts included) is in
#    the history that `show` prints.
. "$AKW_SRCDIR/tests/lib.sh"

FAKE="$AKW_SRCDIR/tests/fakeprov/fakeprov.py"
ALI_LIVE=LTAI5tQ8zKp2Lm9Xw3Rt7YvBn1
ALI_SECRET=Hq3LmZp8Xw2Rt7YvBn4Kc9Jd6Fs1Ga
ALI_DEAD=LTAI5tN4bVc7Xz2Qw9Er5Ty8Ui3
ALI_DEAD_SECRET=Pz7Kx2Mq9Wn4Lr8Vt3Bs6Hd1Jf5GcR
ALI_WL=LTAI5tW3hJ8kL2mN7pQ4rS9tU6v
ALI_WL_SECRET=Tq5Rw8Ys2Ux6Vz3Ab9Cd4Ef7Gh1JkQ

pids=""
trap 'for p in $pids; do kill "$p" 2>/dev/null; done; rm -rf "$T"' EXIT
/usr/bin/python3 "$FAKE" --provider alibaba --log "$T/alibaba.log" --port-file "$T/ali.port" \
    --key "$ALI_LIVE,$ALI_SECRET" --key "$ALI_WL,$ALI_WL_SECRET" &
pids="$pids $!"
i=0
while [ ! -s "$T/ali.port" ] && [ $i -lt 3000 ]; do sleep 0.01; i=$((i + 1)); done

cat >"$T/hook.sh" <<EOF
#!/bin/sh
echo "\$AKWATCH_AK_ID" >>"$T/alerts"
EOF
chmod +x "$T/hook.sh"
cat >"$T/config" <<EOF
[notify]
command = $T/hook.sh
bell = off
[verify]
enabled = on
alert_only_live = on
alibaba_endpoint = http://127.0.0.1:$(cat "$T/ali.port")
EOF
export AKWATCH_CONFIG="$T/config" AKWATCH_DB="$T/a.db" AKWATCH_NOW=2026-03-04T08:00:00Z
pair() { printf 'aliyun.accesskey.id=%s\naliyun.accesskey.secret=%s\n' "$1" "$2"; }
mkdir -p "$T/src"
pair "$ALI_LIVE" "$ALI_SECRET" >"$T/src/app.properties"
pair "$ALI_DEAD" "$ALI_DEAD_SECRET" >"$T/src/old.properties"
pair "$ALI_WL" "$ALI_WL_SECRET" >"$T/src/wl.properties"
alerts() { grep -c -- "$1" "$T/alerts" 2>/dev/null || true; }

akw scan "$T/src" >/dev/null 2>"$T/err1"
is "$?" 1 "scan: unhandled findings"
is "$(alerts "$ALI_LIVE")" 1 "alert_only_live: the live key alerted"
is "$(alerts "$ALI_DEAD")" 0 "alert_only_live: the dead key did not"
is "$(alerts "$ALI_WL")" 1 "the third key (live, not yet whitelisted) alerted"
akw list --format json >"$T/l1"
like "$(grep -F "$ALI_DEAD" "$T/l1")" '"verified":"invalid"' \
    "... but the dead key is stored and listed, verified invalid"
like "$(grep -F "$ALI_LIVE" "$T/l1")" '"status":"unhandled"' "the live key is unhandled"
id_of() { grep -F "\"ak_id\":\"$1\"" "$T/l1" | sed -n 's/^{"id":\([0-9]*\),.*/\1/p' | head -1; }
id_live=$(id_of "$ALI_LIVE")
id_wl=$(id_of "$ALI_WL")

# handled, then leaked again in a new place later: reopened as a regression, alerts again
export AKWATCH_NOW=2026-03-04T09:00:00Z
akw handle "$id_live" --as disabled --note "rotated" >/dev/null 2>&1
is "$?" 0 "handle --as disabled"
akw whitelist add "$ALI_WL" >/dev/null 2>&1
is "$?" 0 "whitelist the third key"
export AKWATCH_NOW=2026-03-05T10:00:00Z
mkdir -p "$T/src2"
pair "$ALI_LIVE" "$ALI_SECRET" >"$T/src2/leaked-again.yml"
pair "$ALI_WL" "$ALI_WL_SECRET" >"$T/src2/wl-again.yml"
akw scan "$T/src2" >/dev/null 2>"$T/err2"
akw list --format json >"$T/l1"
like "$(grep -F "$ALI_LIVE" "$T/l1")" '"status":"unhandled"' \
    "a handled leak seen in a new place after its handling is reopened"
is "$(alerts "$ALI_LIVE")" 2 "... and alerts again"
like "$(grep -F "$ALI_WL" "$T/l1")" '"status":"whitelisted"' "the whitelisted key stays whitelisted"
is "$(alerts "$ALI_WL")" 1 "... and never alerts again (its one alert predates the whitelist)"

akw show "$id_live" >"$T/show" 2>&1
like "$(cat "$T/show")" 'disabled' "history: the handling"
like "$(cat "$T/show")" 'regression' "history: the reopening as a regression"
like "$(cat "$T/show")" 'verified-live' "history: the verification verdict"

# the user can reopen by hand too
akw handle "$id_wl" --as reopened --note "not a test key" >/dev/null 2>&1
is "$?" 0 "handle --as reopened"
akw list --format json >"$T/l1"
like "$(grep -F "$ALI_WL" "$T/l1")" '"status":"unhandled"' "reopened: back to unhandled"

unlike "$(cat "$T"/err* "$T/show" "$T/l1" "$T/alerts")" "$ALI_SECRET|$ALI_DEAD_SECRET|$ALI_WL_SECRET" \
    "no secret in any output or alert"
done_testing
