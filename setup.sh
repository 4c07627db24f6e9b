#!/bin/sh
# setup.sh — the one entry point for a fresh Debian/Ubuntu machine (as root or via sudo).
#   ./setup.sh deps   install the Debian packages the build and the tests need (idempotent)
#   ./setup.sh build  deps + autoreconf + configure + make, in build/
#   ./setup.sh demo   build, make a demo store from data/demo, open the TUI on it
#   ./setup.sh test   build, run the whole test suite (normal build, then ASan+UBSan build),
#                     then make distcheck (counted as one more test), print
#                     "N passed, N failed" last; exit non-zero on any failure
set -eu
cd "$(dirname "$0")"
top=$(pwd)

PKGS="build-essential autoconf automake autopoint autoconf-archive gettext pkg-config
libncurses-dev libcurl4-openssl-dev libjson-c-dev libsqlite3-dev libpcre2-dev
libxlsxwriter-dev libinih-dev libssl-dev zlib1g-dev libpq-dev postgresql
git tmux python3 python3-openpyxl sqlite3 ripgrep locales-all procps tzdata openssl time
clang libclang-rt-14-dev libfuzzer-14-dev valgrind pre-commit"

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

deps() {
    missing=""
    for p in $PKGS; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' \
            || missing="$missing $p"
    done
    [ -z "$missing" ] && return 0
    echo "setup: installing$missing"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
    # shellcheck disable=SC2086
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
}

configure_in() { # configure_in DIR [configure args...]
    dir=$1; shift
    mkdir -p "$dir"
    if [ ! -f "$dir/Makefile" ]; then
        (cd "$dir" && "$top/configure" "$@")
    fi
}

build() {
    deps
    if [ ! -x configure ] || [ configure.ac -nt configure ]; then autoreconf -fi; fi
    werror=""
    [ "${CI:-}" = "true" ] && werror="--enable-werror"
    # shellcheck disable=SC2086
    configure_in build $werror
    make -C build -j"$(nproc)"
}

# make distcheck from build/: the release tarball, unpacked read-only, must configure, build,
# pass the suite (normal build: the sanitizers had their run), install and uninstall, and
# leave nothing after distclean; it fails on a file missing from EXTRA_DIST. The result is
# written as build/distcheck.trs, so tests/summary.sh counts it as one test and prints the
# tail of build/distcheck.log when it failed.
distcheck() {
    res=PASS
    make -C build -j"$(nproc)" distcheck DISTCHECK_CONFIGURE_FLAGS="$werror" \
        >build/distcheck.log 2>&1 || res=FAIL
    printf ':test-result: %s\n:global-test-result: %s\n:recheck: no\n:copy-in-global-log: no\n' \
        "$res" "$res" >build/distcheck.trs
    [ "$res" = PASS ]
}

case "${1:-build}" in
deps) deps ;;
build) build ;;
demo)
    build
    db="${AKWATCH_DEMO_DB:-$top/build/demo.db}"
    # the demo store is built through the store API from a hand-written data file
    if [ ! -f "$db" ]; then
        "$top/build/tests/tools/akw_fill" "$db" "$top/data/demo/findings.conf"
        "$top/build/akwatch" --db "$db" --quiet calls import "$top/data/demo/actiontrail.jsonl" \
            "$top/data/demo/access.log" >/dev/null
    fi
    exec "$top/build/akwatch" --db "$db" tui --no-scan
    ;;
test)
    build
    rc=0
    make -C build -j"$(nproc)" check >build/check.out 2>&1 || rc=1
    # The same suite under AddressSanitizer + UndefinedBehaviorSanitizer.
    configure_in build-asan --enable-sanitizers ${CI:+--enable-werror}
    make -C build-asan -j"$(nproc)" >build-asan/make.out 2>&1 || { cat build-asan/make.out; rc=1; }
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 make -C build-asan -j"$(nproc)" check \
        >build-asan/check.out 2>&1 || rc=1
    distcheck || rc=1
    if [ $rc -ne 0 ]; then
        tail -n 30 build/check.out build-asan/check.out
    fi
    tests/summary.sh build build-asan || rc=1
    exit $rc
    ;;
*) sed -n '2,8p' "$0"; exit 2 ;;
esac
