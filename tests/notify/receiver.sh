# receiver.sh — sourced after tests/lib.sh: start tests/notify/receiver.py, a webhook receiver
# on 127.0.0.1 that appends one JSON line per request to $T/capture, and stop it at exit.
# Sets RECEIVER_URL (http://127.0.0.1:PORT) and HOOK (RECEIVER_URL/hook/T0KEN).
/usr/bin/python3 "$AKW_SRCDIR/tests/notify/receiver.py" "$T/port" "$T/capture" 0 &
rpid=$!
trap 'kill $rpid 2>/dev/null; rm -rf "$T"' EXIT
i=0; while [ ! -s "$T/port" ] && [ $i -lt 500 ]; do sleep 0.02; i=$((i + 1)); done
RECEIVER_URL="http://127.0.0.1:$(cat "$T/port")"
HOOK="$RECEIVER_URL/hook/T0KEN"
posts() { grep -c '' "$T/capture" 2>/dev/null || echo 0; } # requests received so far
