#!/bin/sh
# Alerts for many new leaks from one `akwatch scan` (written as one batch): the rows by state
# with the window closed and open, suppressed alerts never sent later, one command run per
# leak, and a scan killed (-9) while delivering leaves every undelivered alert 'pending'.
. "$AKW_SRCDIR/tests/lib.sh"
cd "$T" || exit 1
DB="$T/a.db"
export AKWATCH_CONFIG="$T/config"
q() { sqlite3 "$DB" "$1"; }
states() { q "select group_concat(state || '=' || n, ' ') from (select state, count(*) n
              from alerts where type = 'leak' group by state order by state)"; }
plant() { # plant DIR PASSWORD...: one database URL a file
    d=$1; shift; mkdir -p "$d"; i=0
    for pw in "$@"; do
        i=$((i + 1)); printf 'DATABASE_URL=mysql://app:%s@db.internal:3306/x\n' "$pw" >"$d/app$i.env"
    done
}
cat >"$T/hook.sh" <<EOS
#!/bin/sh
echo "\$AKWATCH_ALERT_TYPE \$AKWATCH_SECRET_MASKED" >>"$T/hook.out"
EOS
chmod +x "$T/hook.sh"
printf '[notify]\nwindow = 08:00-09:00\ntz = UTC\ncommand = %s\n' "$T/hook.sh" >"$T/config"
runs() { grep -c '' "$T/hook.out" 2>/dev/null || echo 0; }

# --- closed window: every new leak's alert is recorded suppressed, nothing runs ------------
plant one Qx7vT2mL9pRk4ZsW8nYb Hd3Kp9Wq2Zr7Xm5Tv8Lc Vb6Nf2Jr9Qw4Ys7Hk3Pd Mz8Tc3Lq6Wv2Rx9Bn5Gf \
    Ty4Gh8Kd2Sm7Pq9Wz3Vx
AKWATCH_NOW=2026-03-10T12:00:00Z akw --db "$DB" --quiet scan one >/dev/null
is "$(states)" "suppressed=5" "closed window: five new leaks, five suppressed alert rows"
is "$(q "select count(distinct leak_id) from alerts")" 5 "one alert per leak"
is "$(q "select count(*) from alerts where suppressed_reason = 'outside the notification window (08:00-09:00 UTC); not sent later; opens at 2026-03-11T08:00:00Z'")" 5 \
    "each with the reason and the next opening"
is "$(runs)" 0 "nothing was delivered"

# --- open window: the new ones are sent, one command run each; the old stay suppressed ------
plant two Ka5Rw8Tn3Yv6Qm2Xp9Ld Fs7Bz4Hq8Nc2Wj6Tm3Ry Pe2Vx9Gk5Lq7Dz3Ms8Hw Jt6Cn3Rb8Xw2Kq9Vf4Zp
AKWATCH_NOW=2026-03-10T08:30:00Z akw --db "$DB" --quiet scan one two >/dev/null
is "$(states)" "sent=4 suppressed=5" "open window: four sent, the five suppressed never sent later"
is "$(runs)" 4 "one command run per new leak"
is "$(q "select count(*) from alerts where state = 'sent' and sent_at > 0 and channel = 'command,bell' and attempts = 1")" 4 \
    "sent rows carry the channel, attempts and time"

# --- killed while delivering: the alert rows were written first, so all stay 'pending' -----
cat >"$T/slow.sh" <<EOS
#!/bin/sh
echo \$\$ >"$T/slow.pid"
exec sleep 60
EOS
chmod +x "$T/slow.sh"
printf '[notify]\nwindow = 08:00-09:00\ntz = UTC\ncommand = %s\n' "$T/slow.sh" >"$T/config"
plant three Wr4Tz8Kc2Nv6Qb9Xm3Hs Lg7Pd3Vy9Rk2Zt6Wn8Cq Bm9Xh4Sq7Jf2Vr5Kd8Ty
AKWATCH_NOW=2026-03-10T08:40:00Z akw --db "$DB" --quiet scan three >/dev/null 2>&1 &
apid=$!
i=0; while [ ! -s "$T/slow.pid" ] && [ $i -lt 1000 ]; do sleep 0.02; i=$((i + 1)); done
kill -9 $apid
wait $apid 2>/dev/null
kill "$(cat "$T/slow.pid")" 2>/dev/null
is "$(states)" "pending=3 sent=4 suppressed=5" "kill -9 during the first delivery: three 'pending' rows"
is "$(q "select count(*) from leaks")" 12 "the findings were committed before any delivery"
done_testing
