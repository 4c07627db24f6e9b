#!/bin/sh
# The documentation stays a README a newcomer reads to the end, with the reference in doc/
# and the man page: README is at most 300 lines and starts with the two commands; every
# relative link in README and doc/*.md reaches a file; every doc/*.md is linked from README
# and installed; the man page names every command and option that --help lists.
. "$AKW_SRCDIR/tests/lib.sh"
S=$AKW_SRCDIR
cd "$S" || exit 1

# README: short, and the two commands first
n=$(grep -c '' README)
[ "$n" -le 300 ]; ok $? "README is at most 300 lines (it has $n; move reference material to doc/)"
first=$(grep -n '^    [^ ]' README | head -2)
like "$(printf '%s\n' "$first" | sed -n 1p)" '^[0-9]+:    \./setup\.sh demo ' "README's first command is ./setup.sh demo"
like "$(printf '%s\n' "$first" | sed -n 2p)" '^[0-9]+:    \./setup\.sh test ' "README's second command is ./setup.sh test"
line=$(printf '%s\n' "$first" | sed -n 2p | cut -d: -f1)
above=$(head -n "${line:-1}" README | grep -c '^##\|^---')
is "$above" 0 "the two commands come before any section of README"

# links: every relative target exists (an #anchor after the file is not checked)
for f in README doc/*.md; do
    dir=$(dirname "$f")
    grep -o '\]([^)]*)' "$f" | sed 's/^](//; s/)$//; s/#.*//; s/ .*//' | while read -r target; do
        case $target in ''|http://*|https://*|mailto:*) continue ;; esac
        if [ -e "$dir/$target" ]; then echo "ok - $f links to $target"
        else echo "not ok - $f links to $target, which does not exist"; fi
    done
done >"$T/links"
bad=$(grep '^not ok' "$T/links")
is "$bad" "" "every relative link in README and doc/*.md reaches a file"
like "$(cat "$T/links")" "README links to doc/" "README links into doc/"

# every doc file is linked from README and installed with the docs
for f in doc/*.md; do
    grep -q "](${f})" README; ok $? "README links to $f"
    grep -q "${f}" doc/Makemodule.am; ok $? "$f is listed in doc/Makemodule.am (installed, in the tarball)"
done

# the man page: every command and every option that --help shows
man=$(sed 's/\\-/-/g; s/\\f[BIRP]//g' data/akwatch.1)
cmds=$(akw --help | sed -n '/^Commands:/,/^$/p' | awk 'NF > 1 && /^  / {print $1}')
[ -n "$cmds" ]; ok $? "--help lists commands"
for c in $cmds; do
    printf '%s\n' "$man" | grep -Eq "^\.B[IR]? \"?$c( |\"|$)"; ok $? "the man page documents $c"
    for o in $(akw "$c" --help | sed -n '/^Global options/!p' | grep -oE '(^|[ [])--[a-z][a-z-]*' \
            | sed 's/^[[ ]//' | sort -u); do
        printf '%s\n' "$man" | grep -q -- "$o"; ok $? "the man page documents $c $o"
    done
done
for o in $(akw --help | sed -n '/^Global options:/,/^$/p' | grep -oE '^  --[a-z-]+'); do
    printf '%s\n' "$man" | grep -q -- "$o"; ok $? "the man page documents the global option $o"
done

done_testing
