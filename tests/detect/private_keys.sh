#!/bin/sh
# private_keys — issue 13 item 5 through `akwatch scan`, as a user runs it: keys generated
# here by openssl, ssh-keygen and gpg (RSA PKCS#1 and PKCS#8, EC, an encrypted legacy PEM,
# OpenSSH ed25519 and RSA, a PGP secret key) are each one finding of private-key, severity
# critical, confidence high; the placeholder forms of documentation (an EXAMPLE body, "...",
# <key>, <your private key here>, runs of one character, xxxx filler) are no finding at any
# confidence, and a real key cut to a line or three is below the default threshold (low).
. "$AKW_SRCDIR/tests/lib.sh"
PY=/usr/bin/python3
mkdir -p "$T/keys" "$T/fake" "$T/cut"

gen() { # gen NAME COMMAND...: run the key generator quietly; skip the key if it is missing
    name=$1; shift
    command -v "$1" >/dev/null 2>&1 || { echo "# no $1: $name not generated"; return 0; }
    "$@" >/dev/null 2>&1 || echo "# $name: generator failed"
}
gen rsa-pkcs1 openssl genrsa -traditional -out "$T/keys/rsa1.pem" 2048
gen rsa-pkcs8 openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$T/keys/rsa8.pem"
gen ec openssl ecparam -name prime256v1 -genkey -noout -out "$T/keys/ec.pem"
gen rsa-des3 openssl genrsa -traditional -aes128 -passout pass:Tk7xQ2pz -out "$T/keys/rsa-enc.pem" 2048
gen ed25519 ssh-keygen -q -t ed25519 -N "" -C "" -f "$T/keys/id_ed25519"
gen ssh-rsa ssh-keygen -q -t rsa -b 2048 -N "" -C "" -f "$T/keys/id_rsa"
rm -f "$T/keys"/*.pub
if command -v gpg >/dev/null 2>&1; then
    export GNUPGHOME="$T/gnupg"
    mkdir -p "$GNUPGHOME" && chmod 700 "$GNUPGHOME"
    gpg --batch --passphrase "" --quick-gen-key "akwatch test <t@example.invalid>" ed25519 sign never \
        >/dev/null 2>&1 &&
        gpg --batch --armor --export-secret-keys >"$T/keys/secret.asc" 2>/dev/null
    gpgconf --kill gpg-agent 2>/dev/null # the agent gpg started for this home
fi
nkeys=$(ls "$T/keys" | wc -l)
ok $([ "$nkeys" -ge 6 ] && echo 0 || echo 1) "at least 6 kinds of key generated ($nkeys)"

# each real key: exactly one finding, private-key, critical, high
akw scan --no-store --quiet --format json "$T/keys" >"$T/real.jsonl"
for f in "$T/keys"/*; do
    got=$("$PY" - "$T/real.jsonl" "$f" <<'PYEOF'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
rows = [r for r in rows if r.get("path") == sys.argv[2]]
print(" ".join("%s/%s/%s" % (r["rule"], r["severity"], r["confidence"]) for r in rows))
PYEOF
)
    is "$got" "private-key/critical/high" "real key $(basename "$f"): one critical, high finding"
done

# documentation placeholders: nothing, even with --all
pem() { # pem FILE BODY...: a PEM block of the given body lines
    f=$1; shift
    { echo "-----BEGIN RSA PRIVATE KEY-----"; for l in "$@"; do echo "$l"; done
      echo "-----END RSA PRIVATE KEY-----"; } >"$f"
}
line=MIIEowIBAAKCAQEAx2pVb7Kq9Zr3mW8tYc4NdL0sJfH6gE1uQ5oR2iP7vT3yXk9B
pem "$T/fake/example.pem" "MIIEpAIBAAKCAQEAEXAMPLEKEYEXAMPLEKEYEXAMPLEKEYEXAMPLEKEYEXAMPLEKEY" \
    "$line" "$line"
pem "$T/fake/example-lower.md" "MIIEexampleBAAKCAQEAx2pVb7Kq9Zr3mW8tYc4NdL0sJfH6gE1uQ5oR2iP7vT3" "$line"
pem "$T/fake/dots.pem" "..."
pem "$T/fake/dots-inside.pem" "$line" "..." "$line"
pem "$T/fake/ellipsis.pem" "MIIEowIBAAKCAQEAx2pVb7Kq9Zr3mW8tYc4NdL0sJfH6gE1uQ5oR2iP7vT3yXk9B..."
pem "$T/fake/angle.pem" "<key>"
pem "$T/fake/your-key.pem" "<your private key here>"
pem "$T/fake/filler-A.pem" AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA \
    AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA
pem "$T/fake/filler-x.pem" xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx \
    xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx
pem "$T/fake/filler-inside.pem" "$line" AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA "$line"
pem "$T/fake/redacted.pem" "MIIEowIBAAKCAQEA" "REDACTEDREDACTEDREDACTEDREDACTEDREDACTEDREDACTEDREDACTEDREDACTED"
printf '%s\n' "-----BEGIN OPENSSH PRIVATE KEY-----" "<your key here>" "-----END OPENSSH PRIVATE KEY-----" \
    >"$T/fake/openssh.md"
akw scan --no-store --quiet --all --format json "$T/fake" >"$T/fake.jsonl"
for f in "$T/fake"/*; do
    n=$(grep -c "\"path\": *\"$f\"" "$T/fake.jsonl")
    is "$n" 0 "placeholder $(basename "$f"): no finding at any confidence"
done

# a real key cut to its first line, or to three lines: low at most (below the default
# threshold); one line may not even pass the entropy gate
for f in "$T/keys/rsa1.pem" "$T/keys/rsa8.pem" "$T/keys/id_rsa" "$T/keys/id_ed25519" "$T/keys/secret.asc"; do
    [ -f "$f" ] || continue
    b=$(basename "$f")
    { head -1 "$f"; grep -v -e '^-----' -e '^$' -e '^=' "$f" | head -1; tail -1 "$f"; } >"$T/cut/1-$b"
    # (not the PGP key: its ed25519 secret-key packet is whole within three lines, a leak)
    [ "$b" = secret.asc ] ||
        { head -1 "$f"; grep -v -e '^-----' -e '^$' -e '^=' "$f" | head -3; tail -1 "$f"; } >"$T/cut/3-$b"
done
akw scan --no-store --quiet --all --format json "$T/cut" >"$T/cut.jsonl"
for f in "$T/cut"/*; do
    got=$("$PY" -c 'import json,sys; print(" ".join(r["confidence"] for r in map(json.loads, open(sys.argv[1])) if r["path"] == sys.argv[2]))' "$T/cut.jsonl" "$f")
    case $(basename "$f") in
    1-*) is "${got:-low}" "low" "a key cut to one line ($(basename "$f")): low or nothing" ;;
    *) is "$got" "low" "a key cut to three lines ($(basename "$f")): low" ;;
    esac
done
akw scan --no-store --quiet --format json "$T/cut" >"$T/cut-default.jsonl"
is "$(wc -l <"$T/cut-default.jsonl" | tr -d ' ')" 0 "cut keys: nothing at the default threshold"
done_testing
