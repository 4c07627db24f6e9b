#!/bin/sh
# corpus — the labeled corpus (tests/detect/corpus/labels.tsv, issue 12 item 5): every label
# wrapped into awkward containers by gen.py (.env, CRLF, minified JSON, YAML, XML, HCL,
# Dockerfile ENV, a notebook, Python; whole files, in CRLF and inside Markdown) and scanned
# by one `akwatch scan` at the default confidence threshold, as a user runs it. Each
# positive is exactly one finding of its rule with its secret (the fingerprint), each hard
# negative is nothing; a negative another helper's precision work has not fixed yet is an
# expected failure (# TODO), never a pass.
. "$AKW_SRCDIR/tests/lib.sh"
PY=/usr/bin/python3
dir="$AKW_SRCDIR/tests/detect/corpus"
"$PY" "$dir/gen.py" "$dir/labels.tsv" "$T/corpus" || { echo "Bail out! gen.py failed"; exit 1; }
akw scan --no-store --quiet --format json "$T/corpus/files" >"$T/findings.jsonl"
rc=$?
[ "$rc" -le 1 ] || { echo "Bail out! akwatch scan exited $rc"; exit 1; }
akw rules list --format tsv >"$T/rules.tsv"
"$PY" "$dir/check.py" tap "$T/corpus/expected.tsv" "$T/findings.jsonl" "$T/rules.tsv"
