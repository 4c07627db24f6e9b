#!/bin/sh
# precision_bench — precision and recall per kind on the labeled corpus
# (tests/detect/corpus/labels.tsv, wrapped into its containers by gen.py): found = positives
# reported by their own rule with their secret, missed = positives not so reported, false =
# any other finding (on a negative, or a wrong rule or secret on a positive). At the default
# confidence threshold, as a user runs `akwatch scan`; ALL=1 adds --all (every confidence).
# Figures only, not a test (tests/detect/corpus.sh asserts each label).
#   usage: tests/bench/precision_bench.sh   (from the build folder, or set AKWATCH_BIN)
set -eu
here=$(cd "$(dirname "$0")/../.." && pwd)
bin=${AKWATCH_BIN:-./akwatch}
py=/usr/bin/python3
[ -x "$bin" ] || { echo "precision_bench: no akwatch binary at $bin (set AKWATCH_BIN)" >&2; exit 2; }
T=$(mktemp -d /tmp/akw-precision.XXXXXX)
trap 'rm -rf "$T"' EXIT
export HOME="$T" XDG_CONFIG_HOME="$T/.config" XDG_DATA_HOME="$T/.local/share"
unset AKWATCH_CONFIG AKWATCH_DB GITHUB_TOKEN
"$py" "$here/tests/detect/corpus/gen.py" "$here/tests/detect/corpus/labels.tsv" "$T/corpus"
all=
[ "${ALL:-0}" = 1 ] && all=--all
"$bin" scan --no-store --quiet --format json $all "$T/corpus/files" >"$T/findings.jsonl" || [ $? -eq 1 ]
"$bin" rules list --format tsv >"$T/rules.tsv"
labels=$(grep -c '^pos\|^neg' "$here/tests/detect/corpus/labels.tsv")
files=$(wc -l <"$T/corpus/expected.tsv")
echo "precision_bench: $labels labels in $files files${all:+ (--all)}"
"$py" "$here/tests/detect/corpus/check.py" stats "$T/corpus/expected.tsv" "$T/findings.jsonl" "$T/rules.tsv"
