# plant.sh — sourced by the CLI tests after lib.sh: a folder with planted leaks, and files
# that must never be findings or must be skipped. Real keys of the shapes the rules know
# (made up; none is live).
AK_ID=LTAI5tu8jzPde0IgxLd6Gncf
AK_SECRET=oOOL8dKLzdocJ2isAjIhKtJ0RlgLKO
AWS_ID=AKIAT75V2SEH60KVJ50C
DB_PASS=Zq7pW2xv
RDS=rm-acme.mysql.rds.aliyuncs.com

plant() { # plant DIR
    mkdir -p "$1/src/main" "$1/node_modules/pkg" "$1/.git" "$1/docs"
    printf 'String accessKeyId = "%s";\nString accessKeySecret = "%s";\n' "$AK_ID" "$AK_SECRET" \
        >"$1/src/main/App.java"
    printf "import os\nDB = 'mysql://app:%s@%s:3306/shop'\n" "$DB_PASS" "$RDS" >"$1/app.py"
    printf '[default]\naws_access_key_id = %s\n' "$AWS_ID" >"$1/credentials"
    # never findings: documentation example key, placeholders, variable references
    printf 'aws_access_key_id = AKIAIOSFODNN7EXAMPLE\naccess_key_id = LTAI****************\n' \
        >"$1/docs/README.md"
    printf 'password = ${DB_PASSWORD}\n' >"$1/docs/env.sample"
    # skipped: node_modules/ by [scan] skip, .git/ always, a binary file
    printf 'aws_access_key_id = %s\n' "$AWS_ID" >"$1/node_modules/pkg/creds"
    printf 'aws_access_key_id = %s\n' "$AWS_ID" >"$1/.git/creds"
    printf 'ELF\000\000\000aws_access_key_id = %s\n' "$AWS_ID" >"$1/tool.bin"
}

# checksum of a store (main file and WAL) to prove a command left it untouched
db_sum() {
    cat "$1" "$1-wal" 2>/dev/null | sha256sum | cut -d' ' -f1
}

# the number of lines of a command's output
count_lines() { printf '%s' "$1" | grep -c '' ; }
