#!/bin/sh
# list --search looks at every location of a leak: the same key committed in two
# repositories is found by the second repository's name, listed once.
. "$AKW_SRCDIR/tests/lib.sh"
. "$AKW_SRCDIR/tests/cli/plant.sh"
cd "$T" || exit 1
export AKWATCH_DB="$T/akwatch.db"
mkdir -p first-repo second-repo/conf
printf 'ak = "%s"\nsecret = "%s"\n' "$AK_ID" "$AK_SECRET" >first-repo/app.ini
printf 'ak = "%s"\nsecret = "%s"\n' "$AK_ID" "$AK_SECRET" >second-repo/conf/prod.ini
printf 'ak = "%s"\nsecret = "%s"\n' "$AK_ID" "$AK_SECRET" >second-repo/conf/stage.ini
akw scan --quiet first-repo >/dev/null
akw scan --quiet second-repo >/dev/null
is "$(sqlite3 "$AKWATCH_DB" 'select count(*) from leaks')" 1 "one leak"
is "$(sqlite3 "$AKWATCH_DB" 'select count(*) from locations')" 3 "three locations in two repositories"
out=$(akw list --search second-repo --format tsv)
is "$(printf '%s\n' "$out" | tail -n +2 | wc -l)" 1 "--search the second repository: the leak, once"
like "$out" "$AK_ID" "the row is the leak's"
is "$(akw list --search stage.ini --format json | wc -l)" 1 "--search a later location's path: one JSON line"
is "$(akw list --search first-repo --format json | wc -l)" 1 "--search the first repository still finds it"
is "$(akw list --search no-such-repo --format json | wc -l)" 0 "--search something nowhere: nothing"
done_testing
