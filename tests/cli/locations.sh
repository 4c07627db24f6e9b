#!/bin/sh
# A local file is one location whatever folder the command line named: scanning a folder
# and then a file inside it (or the same tree through another relative path or a symlink)
# adds no second location. The location is the git work tree holding the file (outside
# one: no repository and the absolute path); history scans follow the same rule.
. "$AKW_SRCDIR/tests/lib.sh"
. "$AKW_SRCDIR/tests/cli/plant.sh"
cd "$T" || exit 1
export AKWATCH_DB="$T/akwatch.db"
locs() { sqlite3 "$AKWATCH_DB" "select platform||'|'||repo||'|'||path||'|'||line from locations order by id"; }
secret_file() { printf 'ak = "%s"\nsecret = "%s"\n' "$AK_ID" "$AK_SECRET" >"$1"; }

# --- a git work tree ----------------------------------------------------------------
mkdir -p proj/.git proj/sub
secret_file proj/sub/file.ini
akw scan --quiet proj >/dev/null
is "$(locs)" "local|$T/proj|sub/file.ini|2" "scan proj: the work tree and the path in it"
akw scan --quiet proj/sub/file.ini >/dev/null
is "$(locs)" "local|$T/proj|sub/file.ini|2" "then scan proj/sub/file.ini: still one location"
(cd proj/sub && akw scan --quiet . >/dev/null && akw scan --quiet ../sub/./file.ini >/dev/null)
akw scan --quiet "$T/proj/sub" >/dev/null
ln -s proj link
akw scan --quiet link/sub >/dev/null
is "$(sqlite3 "$AKWATCH_DB" 'select count(*) from locations')" 1 \
    "from inside, by absolute path and through a symlink: one location"
list=$(akw list)
like "$list" "sub/file\.ini" "list shows the readable path in the work tree"
unlike "$list" "more\)" "and no (+N more)"

# --- outside any work tree: no repository, the absolute path -------------------------
mkdir -p plain/deep
secret_file plain/deep/creds.ini
akw scan --quiet plain >/dev/null
akw scan --quiet plain/deep/creds.ini >/dev/null
akw scan --quiet plain/deep >/dev/null
is "$(sqlite3 "$AKWATCH_DB" "select repo||'|'||path from locations where path like '%creds%'")" \
    "|$T/plain/deep/creds.ini" "a plain folder, its subfolder, the file: one location, by absolute path"
like "$(akw list --format json)" "\"repo\":null,\"path\":\"$T/plain/deep/creds\\.ini\"" \
    "list --format json: repo null, the absolute path"

# --- history: the repository, whatever subfolder was named ----------------------------
g() { git -C repo -c user.name=Alice -c user.email=alice@example.com -c commit.gpgsign=false "$@"; }
mkdir -p repo/conf
git init -q repo
printf 'aws_access_key_id = %s\n' "$AWS_ID" >repo/conf/creds
g add . && g commit -qm one
export AKWATCH_DB="$T/history.db"
akw scan --quiet --history repo >/dev/null
akw scan --quiet --history repo/conf >/dev/null
is "$(locs)" "git|$T/repo|conf/creds|1" \
    "scan --history repo, then repo/conf: one location in the repository"
akw scan --quiet repo/conf >/dev/null
is "$(sqlite3 "$AKWATCH_DB" "select group_concat(platform||'|'||repo||'|'||path, ' ') from locations")" \
    "git|$T/repo|conf/creds local|$T/repo|conf/creds" "the working-tree file names the same repository and path"
done_testing
