#!/usr/bin/python3
"""check_waits — read fakegh's request log and check that the client never sent a request
to a rate-limit bucket (per token) after an answer said it was exhausted and before that
answer's reset. Prints one line per violation and the number of waits seen; exits 1 on any
violation. Usage: check_waits.py REQUESTS.log"""
import json
import sys

exhausted = {}  # (auth, bucket) -> reset epoch
waits = bad = 0
for line in open(sys.argv[1]):
    r = json.loads(line)
    b = r.get("bucket")
    if not b:
        continue
    key = (r.get("auth"), b)
    until = exhausted.get(key)
    if until is not None:
        if r["ts"] < until:
            bad += 1
            print("early: %s %s at %.3f before reset %d" % (b, r["path"], r["ts"], until))
        else:
            waits += 1
        del exhausted[key]
    if r.get("remaining") == 0 and r.get("status") not in (304,):
        exhausted[key] = r["reset"]
print("waits=%d violations=%d" % (waits, bad))
sys.exit(1 if bad else 0)
