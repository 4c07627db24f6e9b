# lib.sh — shared helpers for shell tests: a hermetic environment and TAP output.
# Source it first; it creates $T (a temp dir removed at exit) and points HOME/XDG there.
set -u
: "${AKWATCH_BIN:?run through make check (AKWATCH_BIN unset)}"
: "${AKW_SRCDIR:?}"
T=$(mktemp -d /tmp/akw-test.XXXXXX)
export HOME="$T/home" XDG_CONFIG_HOME="$T/home/.config" XDG_DATA_HOME="$T/home/.local/share"
export XDG_CACHE_HOME="$T/home/.cache" LANG=C.UTF-8 LC_ALL=C.UTF-8 TZ=UTC
unset AKWATCH_DB AKWATCH_CONFIG AKWATCH_API_URL GITHUB_TOKEN AKWATCH_NOW
mkdir -p "$HOME"
tap_n=0
tap_failed=0
trap 'rm -rf "$T"' EXIT

ok() { # ok CONDITION-EXIT-STATUS DESCRIPTION  (use: cmd; ok $? "desc")
    tap_n=$((tap_n + 1))
    if [ "$1" -eq 0 ]; then echo "ok $tap_n - $2"; else echo "not ok $tap_n - $2"; tap_failed=$((tap_failed + 1)); fi
}
is() { # is GOT WANT DESCRIPTION
    tap_n=$((tap_n + 1))
    if [ "$1" = "$2" ]; then echo "ok $tap_n - $3"
    else
        echo "not ok $tap_n - $3"; tap_failed=$((tap_failed + 1))
        printf '#   got:  %s\n#   want: %s\n' "$1" "$2" | head -40
    fi
}
like() { # like GOT EXTENDED-REGEX DESCRIPTION
    tap_n=$((tap_n + 1))
    if printf '%s' "$1" | grep -Eq -- "$2"; then echo "ok $tap_n - $3"
    else
        echo "not ok $tap_n - $3"; tap_failed=$((tap_failed + 1))
        printf '#   got:  %s\n#   want match: %s\n' "$1" "$2" | head -40
    fi
}
unlike() { # unlike GOT EXTENDED-REGEX DESCRIPTION
    tap_n=$((tap_n + 1))
    if printf '%s' "$1" | grep -Eq -- "$2"; then
        echo "not ok $tap_n - $3"; tap_failed=$((tap_failed + 1))
        printf '#   got:  %s\n#   must not match: %s\n' "$1" "$2" | head -40
    else echo "ok $tap_n - $3"; fi
}
done_testing() { echo "1..$tap_n"; [ "$tap_failed" -eq 0 ]; }
akw() { "$AKWATCH_BIN" "$@"; }
