#!/bin/sh
# noise_bench — how many false leaks akwatch reports on real public code that holds no live
# credential. Figures only, not a test (nothing here fails a build).
#
# The corpus: the unpacked files of the Debian packages listed below (cloud CLIs and SDKs
# with their documentation examples, configuration-management collections, web frameworks
# and applications, a language's standard library, reference documentation; Python, Go,
# JavaScript/TypeScript, PHP, Ruby, Java (javadoc), shell). It is downloaded with
# `apt-get download` and unpacked with `dpkg-deb -x` once, into a cache folder (default
# ~/.cache/akwatch-noise, or $AKWATCH_NOISE_CACHE); MANIFEST there records each package's
# version, its unpacked bytes and files. Needs about 2 GB of disk and a few minutes.
#
# Every leak reported there is false, except real private-key material of test fixtures
# (a PEM/OpenSSH/PGP block whose body decodes to a key structure), which is counted apart.
# Printed: false leaks per GB by rule, by confidence, and at the default alert threshold
# (medium and up), and the ten most frequent shapes (rule, what stands before the value,
# the value's character classes) with an example place.
#   usage: tests/bench/noise_bench.sh [--refresh]   (from the build folder, or set
#          AKWATCH_BIN); --refresh downloads the packages again (newer versions).
#   Environment: AKWATCH_NOISE_CACHE (cache folder), NOISE_OUT (keep the raw json lines
#   of the scan in this file).
set -eu
here=$(cd "$(dirname "$0")/../.." && pwd)
bin=${AKWATCH_BIN:-./akwatch}
py=/usr/bin/python3
cache=${AKWATCH_NOISE_CACHE:-$HOME/.cache/akwatch-noise}
[ -x "$bin" ] || { echo "noise_bench: no akwatch binary at $bin (set AKWATCH_BIN)" >&2; exit 2; }
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")

# name: what it brings
packages="
ansible
ansible-core
python3-azure
python3-botocore
python3-boto3
awscli
python3-kubernetes
python3-openstacksdk
python3-openstackclient
python3-keystoneclient
python3-oauthlib
python3-django
golang-1.19-src
golang-github-aws-aws-sdk-go-dev
golang-github-docker-docker-dev
node-typescript
node-axios
mediawiki
phpmyadmin
roundcube-core
ruby-aws-sdk-core
ruby-aws-sdk-s3
ruby-activesupport
ruby-actionpack
ruby-activerecord
puppet-module-puppetlabs-stdlib
bash-completion
postgresql-doc-15
python3.11-doc
ruby3.1-doc
nodejs-doc
libcommons-lang3-java-doc
"

if [ "${1:-}" = "--refresh" ]; then rm -rf "$cache/debs" "$cache/corpus" "$cache/MANIFEST"; fi
mkdir -p "$cache/debs" "$cache/corpus"
if [ ! -s "$cache/MANIFEST" ]; then
    echo "noise_bench: building the corpus in $cache (once) ..." >&2
    (cd "$cache/debs" && for p in $packages; do
        ls "${p}"_*.deb >/dev/null 2>&1 || apt-get download -q "$p" >/dev/null 2>"$cache/apt.err" ||
            { echo "noise_bench: apt-get download $p failed (apt-get update first?)" >&2; cat "$cache/apt.err" >&2; exit 2; }
    done)
    : >"$cache/MANIFEST.tmp"
    for p in $packages; do
        deb=$(ls "$cache/debs/${p}"_*.deb | head -1)
        ver=$(dpkg-deb -f "$deb" Version)
        rm -rf "$cache/corpus/$p"
        dpkg-deb -x "$deb" "$cache/corpus/$p"
        n=$(find "$cache/corpus/$p" -type f | wc -l)
        b=$(find "$cache/corpus/$p" -type f -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')
        printf '%s\t%s\t%s\t%s\n' "$p" "$ver" "$b" "$n" >>"$cache/MANIFEST.tmp"
    done
    mv "$cache/MANIFEST.tmp" "$cache/MANIFEST"
fi

T=$(mktemp -d /tmp/akw-noisebench.XXXXXX)
trap 'rm -rf "$T"' EXIT
export HOME="$T" XDG_CONFIG_HOME="$T/.config" XDG_DATA_HOME="$T/.local/share"
unset AKWATCH_CONFIG AKWATCH_DB GITHUB_TOKEN
out=${NOISE_OUT:-$T/scan.jsonl}

echo "noise_bench: scanning $cache/corpus ..." >&2
start=$(date +%s)
rc=0
"$bin" scan --no-store --all --format json "$cache/corpus" >"$out" 2>"$T/scan.err" || rc=$?
end=$(date +%s)
[ "$rc" -le 1 ] || { cat "$T/scan.err" >&2; exit 2; }
summary=$(grep "scanned" "$T/scan.err" | tail -1)
"$py" "$here/tests/bench/noise_report.py" "$cache/MANIFEST" "$out" $((end - start)) "$summary"
