#!/bin/bash
# End-to-end: keys, the trust file and detached signatures (DESIGN.md, Keys and
# trust; docs/usage.md): `assay key`, `assay trust`, `assay sign` and
# `assay verify signature`, checked against the real minisign and ssh-keygen.
# Keys are unencrypted except where passphrases are the point; encrypted keys
# use the hidden --weak-kdf-for-tests, and one key is made with minisign's
# default scrypt limits (about 1 GiB and seconds) to check they are written.
# Last, no secret key line, seed or passphrase appears in any output or file.
source "$(dirname "$0")/lib.sh"
require_tool minisign
require_tool ssh-keygen
require_tool setsid

# Nothing from the user's own setup, and no default location outside WORK.
unset ASSAY_KEY ASSAY_TRUST_FILE ASSAY_PASSPHRASE
export HOME="$WORK/home" XDG_CONFIG_HOME="$WORK/xdg-config" ASSAY_CONFIG_DIR="$WORK/config"
KEYS="$WORK/keys"  # made by the first key generate, so its mode can be checked
DATA="$WORK/data"
mkdir -p "$DATA"
TRUST="$WORK/trust"
export ASSAY_TRUST_FILE="$TRUST"

# The secrets, written down first so the last check can look for them.
PASSPHRASE_ENV="e2e-passphrase-from-env-5b1f9c"
PASSPHRASE_FILE_TEXT="e2e-passphrase-from-file-a73d20"
PASSPHRASE_DEFAULT_KDF="e2e-passphrase-default-kdf-c41e77"
PASSPHRASE_FILE="$WORK/carol.passphrase"
printf '%s\n' "$PASSPHRASE_FILE_TEXT" >"$PASSPHRASE_FILE"
printf '%s\n' "$PASSPHRASE_ENV" >"$WORK/bob.passphrase"  # for minisign's stdin

# Every stdout and stderr of the run is kept here for the secrets check.
TRANSCRIPT="$WORK/transcript.log"
: >"$TRANSCRIPT"
keep_output() { cat "$WORK/stdout" "$WORK/stderr" >>"$TRANSCRIPT"; }
assay() { run "$ASSAY" "$@"; keep_output; }
tool() { run "$@"; keep_output; }
# tool_reading FILE CMD...: like tool, with FILE on stdin (minisign reads passwords there).
tool_reading() {
  local input=$1
  shift
  RUN_CMD="$* < $input"
  RUN_CODE=0
  timeout 60 "$@" <"$input" >"$WORK/stdout" 2>"$WORK/stderr" || RUN_CODE=$?
  keep_output
}

mode_of() { stat -c %a "$1"; }
# Field of the secret key's base64 blob (docs/spec/signing.md, Secret key): OFFSET SIZE as hex.
secret_key_bytes() {
  "$PYTHON" -c 'import base64,sys; b=base64.b64decode(open(sys.argv[1]).read().splitlines()[1]); o=int(sys.argv[2]); print(b[o:o+int(sys.argv[3])].hex())' "$@"
}
stdout_field() { sed -n "s/^$1 *//p" "$WORK/stdout"; }

echo "signed data" >"$DATA/report.txt"
head -c 300000 /dev/urandom >"$DATA/weights.bin"

# --- key generate ---------------------------------------------------------

generate_unencrypted() {
  assay key generate --unencrypted --key "$KEYS/alice.key"
  expect_code 0
  expect_stderr_contains "UNENCRYPTED"
  [[ $(mode_of "$KEYS/alice.key") == 600 ]] || fail "secret key mode $(mode_of "$KEYS/alice.key")"
  [[ $(mode_of "$KEYS/alice.pub") == 644 ]] || fail "public key mode $(mode_of "$KEYS/alice.pub")"
  [[ $(mode_of "$KEYS") == 700 ]] || fail "new key folder mode $(mode_of "$KEYS")"
  [[ $(secret_key_bytes "$KEYS/alice.key" 2 2) == 0000 ]] || fail "unencrypted key does not say KDF none"
  local key_id
  key_id=$(stdout_field "key id")
  [[ "$key_id" =~ ^[0-9A-F]{16}$ ]] || fail "no key id printed"
  grep -qF "minisign public key $key_id" "$KEYS/alice.pub" || fail ".pub does not carry the key id"
  # minisign reads the key: it recreates the same public key from the secret
  # key. The key lines must be equal; the comments may differ, since minisign
  # writes the id in its comment without leading zeros (A0CB... for 0A0CB...).
  tool minisign -R -s "$KEYS/alice.key" -p "$WORK/alice-recreated.pub"
  expect_code 0
  [[ "$(sed -n 2p "$WORK/alice-recreated.pub")" == "$(sed -n 2p "$KEYS/alice.pub")" ]] ||
    fail "minisign -R recreates another public key"
}
check "key generate --unencrypted: modes 0600/0644/0700, minisign reads it" generate_unencrypted

generate_refuses_overwrite() {
  cp "$KEYS/alice.key" "$WORK/alice.key.before"
  assay key generate --unencrypted --key "$KEYS/alice.key"
  expect_code 2
  expect_one_line_error "alice.key" "already exists" "--force"
  cmp -s "$KEYS/alice.key" "$WORK/alice.key.before" || fail "existing secret key changed"
  # A lone .pub is protected too, and nothing is left beside it.
  mkdir -p "$WORK/lone"
  echo keep >"$WORK/lone/x.pub"
  assay key generate --unencrypted --key "$WORK/lone/x.key"
  expect_code 2
  expect_one_line_error "x.pub" "already exists"
  [[ "$(ls -A "$WORK/lone")" == x.pub && "$(cat "$WORK/lone/x.pub")" == keep ]] || fail "wrote beside a lone .pub"
  # --force replaces both.
  assay key generate --unencrypted --force --key "$WORK/lone/x.key"
  expect_code 0
  grep -q "minisign public key" "$WORK/lone/x.pub" || fail "--force did not replace the .pub"
}
check "key generate never overwrites without --force" generate_refuses_overwrite

generate_encrypted_from_env() {
  ASSAY_PASSPHRASE="$PASSPHRASE_ENV" assay key generate --weak-kdf-for-tests --key "$KEYS/bob.key"
  expect_code 0
  expect_stderr_contains "for tests only"
  [[ $(secret_key_bytes "$KEYS/bob.key" 2 2) == 5363 ]] || fail "encrypted key does not say KDF Sc"
  [[ $(mode_of "$KEYS/bob.key") == 600 ]] || fail "secret key mode"
  # minisign unlocks it with the same passphrase and signs; assay accepts that.
  tool_reading "$WORK/bob.passphrase" minisign -S -s "$KEYS/bob.key" -m "$DATA/report.txt" -x "$WORK/bob-by-minisign.minisig"
  expect_code 0
  assay verify signature "$DATA/report.txt" --sig "$WORK/bob-by-minisign.minisig" \
    --public-key-file "$KEYS/bob.pub" --allow-untrusted
  expect_code 0
  # assay unlocks it from the environment and minisign accepts the signature.
  ASSAY_PASSPHRASE="$PASSPHRASE_ENV" assay sign "$DATA/report.txt" --key "$KEYS/bob.key" -o "$WORK/bob.minisig"
  expect_code 0
  tool minisign -V -p "$KEYS/bob.pub" -m "$DATA/report.txt" -x "$WORK/bob.minisig"
  expect_code 0
}
check "key generate with ASSAY_PASSPHRASE: minisign unlocks it, signatures cross over" generate_encrypted_from_env

generate_encrypted_from_file() {
  assay key generate --weak-kdf-for-tests --passphrase-file "$PASSPHRASE_FILE" --key "$KEYS/carol.key"
  expect_code 0
  # The file's line end is not part of the passphrase, as with minisign.
  tool_reading "$PASSPHRASE_FILE" minisign -S -s "$KEYS/carol.key" -m "$DATA/report.txt" -x "$WORK/carol-by-minisign.minisig"
  expect_code 0
  assay sign "$DATA/report.txt" --key "$KEYS/carol.key" --passphrase-file "$PASSPHRASE_FILE" -o "$WORK/carol.minisig"
  expect_code 0
  tool minisign -V -p "$KEYS/carol.pub" -m "$DATA/report.txt" -x "$WORK/carol.minisig"
  expect_code 0
}
check "key generate --passphrase-file: the file's line end is not part of it" generate_encrypted_from_file

wrong_passphrase_writes_nothing() {
  ASSAY_PASSPHRASE="not-the-passphrase" assay sign "$DATA/report.txt" --key "$KEYS/carol.key" -o "$WORK/wrong.minisig"
  expect_code 2
  expect_one_line_error "carol.key" "wrong passphrase or corrupted"
  [[ ! -e "$WORK/wrong.minisig" ]] || fail "a signature was written with a wrong passphrase"
}
check "wrong passphrase: exit 2, nothing written" wrong_passphrase_writes_nothing

# setsid leaves assay without a terminal, so it cannot prompt.
no_passphrase_source_refused() {
  tool setsid -w "$ASSAY" key generate --key "$WORK/nopass/k.key"
  expect_code 2
  expect_one_line_error "ASSAY_PASSPHRASE" "--passphrase-file"
  [[ ! -e "$WORK/nopass" ]] || fail "wrote something without a passphrase"
  ASSAY_PASSPHRASE="" assay key generate --key "$WORK/nopass/k.key"
  expect_code 2
  expect_one_line_error "empty passphrase" "--unencrypted"
  [[ ! -e "$WORK/nopass" ]] || fail "wrote something with an empty passphrase"
}
check "no passphrase and no terminal, or an empty one: refused, nothing written" no_passphrase_source_refused

# The one use of minisign's default scrypt limits: they are what is written.
generate_with_default_limits() {
  ASSAY_PASSPHRASE="$PASSPHRASE_DEFAULT_KDF" assay key generate --key "$WORK/default-kdf/dave.key"
  expect_code 0
  # opslimit 33554432 and memlimit 1073741824, little-endian (docs/spec/signing.md).
  [[ $(secret_key_bytes "$WORK/default-kdf/dave.key" 38 16) == 00000002000000000000004000000000 ]] ||
    fail "scrypt limits are not minisign's defaults"
}
check "key generate uses minisign's scrypt limits by default" generate_with_default_limits

# --- key show, export-public ----------------------------------------------

key_show_reads_only_the_public_key() {
  # bob's key is encrypted: show must not ask (setsid: no terminal, no passphrase).
  tool setsid -w "$ASSAY" key show --key "$KEYS/bob.key"
  expect_code 0
  local pub
  pub=$(sed -n 2p "$KEYS/bob.pub")
  [[ $(stdout_field "public key") == "$pub" ]] || fail "public key line differs from the .pub"
  expect_stdout_contains "public file  $KEYS/bob.pub"
  expect_stdout_contains "secret file  $KEYS/bob.key"
  # --key may name the .pub itself; --json carries the same fields.
  assay key show --key "$KEYS/bob.pub" --json
  expect_code 0
  [[ $(json_get "$WORK/stdout" 's["public_key"]') == "$pub" ]] || fail "json public key"
  [[ $(json_get "$WORK/stdout" 's["secret_key_file"]') == None ]] || fail "json names a secret key for a bare .pub"
  # The default location: ASSAY_CONFIG_DIR/assay.key.
  assay key show
  expect_code 3
  expect_one_line_error "$ASSAY_CONFIG_DIR/assay.pub" "assay key generate"
}
check "key show reads only the .pub; the default key is under ASSAY_CONFIG_DIR" key_show_reads_only_the_public_key

ssh_fingerprint_matches_ssh_keygen() {
  assay key show --key "$KEYS/alice.key"
  local fingerprint key_id
  fingerprint=$(stdout_field fingerprint)
  key_id=$(stdout_field "key id")
  assay key export-public --key "$KEYS/alice.key" --format ssh
  expect_code 0
  cp "$WORK/stdout" "$WORK/alice.ssh.pub"
  grep -qE "^ssh-ed25519 AAAA[^ ]+ assay:$key_id\$" "$WORK/alice.ssh.pub" || fail "ssh line: $(cat "$WORK/alice.ssh.pub")"
  tool ssh-keygen -l -f "$WORK/alice.ssh.pub"
  expect_code 0
  [[ $(cut -d' ' -f2 "$WORK/stdout") == "$fingerprint" ]] || fail "ssh-keygen -l prints another fingerprint"
}
check "export-public --format ssh: ssh-keygen -l prints key show's fingerprint" ssh_fingerprint_matches_ssh_keygen

export_public_formats() {
  assay key export-public --key "$KEYS/alice.key"
  expect_code 0
  cmp -s "$WORK/stdout" "$KEYS/alice.pub" || fail "minisign export differs from the .pub"
  assay key export-public --key "$KEYS/alice.key" -o "$WORK/alice-export.pub"
  expect_code 0
  cmp -s "$WORK/alice-export.pub" "$KEYS/alice.pub" || fail "-o export differs from the .pub"
  assay key export-public --key "$KEYS/alice.key" -o "$WORK/alice-export.pub"
  expect_code 2
  expect_one_line_error "alice-export.pub" "already exists"
  assay key export-public --key "$KEYS/alice.key" --format allowed-signers --name alice@example.org
  expect_code 0
  grep -qE '^alice@example.org namespaces="git" ssh-ed25519 AAAA[^ ]+$' "$WORK/stdout" || fail "allowed_signers line"
  cp "$WORK/stdout" "$WORK/alice.allowed_signers"
  assay key export-public --key "$KEYS/alice.key" --format allowed-signers
  expect_code 2
  expect_one_line_error "--name"
  assay key export-public --key "$KEYS/alice.key" --format allowed-signers --name 'a,b'
  expect_code 2
  expect_one_line_error "invalid name"
  assay key export-public --key "$KEYS/alice.key" --format pgp
  expect_code 2
}
check "export-public: minisign .pub, allowed_signers line, refusals" export_public_formats

# ssh-keygen signs with alice's key (converted to OpenSSH's format by Python),
# and accepts the signature through assay's allowed_signers line.
SSHSIG_MESSAGE="$WORK/report.sshsig-message"
allowed_signers_line_works_with_ssh_keygen() {
  local seed openssh_key="$WORK/alice-openssh.key"
  seed=$(secret_key_bytes "$KEYS/alice.key" 62 32)
  "$PYTHON" - "$seed" "$openssh_key" <<'PY'
import sys
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
key = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(sys.argv[1]))
pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.OpenSSH, serialization.NoEncryption())
open(sys.argv[2], "wb").write(pem)
PY
  chmod 600 "$openssh_key"
  cp "$DATA/report.txt" "$SSHSIG_MESSAGE"
  tool ssh-keygen -Y sign -f "$openssh_key" -n git "$SSHSIG_MESSAGE"
  expect_code 0
  rm -f "$openssh_key"
  tool ssh-keygen -Y find-principals -s "$SSHSIG_MESSAGE.sig" -f "$WORK/alice.allowed_signers"
  expect_code 0
  [[ "$(cat "$WORK/stdout")" == alice@example.org ]] || fail "find-principals: $(cat "$WORK/stdout")"
  tool_reading "$SSHSIG_MESSAGE" ssh-keygen -Y verify -f "$WORK/alice.allowed_signers" \
    -I alice@example.org -n git -s "$SSHSIG_MESSAGE.sig"
  expect_code 0
}
check "allowed_signers export: ssh-keygen find-principals and verify accept it" allowed_signers_line_works_with_ssh_keygen

# --- sign -----------------------------------------------------------------

sign_verified_by_minisign() {
  assay sign "$DATA/weights.bin" --key "$KEYS/alice.key"
  expect_code 0
  expect_stdout_contains "$DATA/weights.bin.minisig"
  [[ $(mode_of "$DATA/weights.bin.minisig") == 644 ]] || fail "signature mode"
  tool minisign -V -p "$KEYS/alice.pub" -m "$DATA/weights.bin"
  expect_code 0
  grep -qE "^Trusted comment: timestamp:[0-9]+	file:weights.bin	hashed\$" "$WORK/stdout" ||
    fail "default trusted comment is not minisign's"
  # Never overwritten without --force.
  cp "$DATA/weights.bin.minisig" "$WORK/weights.minisig.before"
  assay sign "$DATA/weights.bin" --key "$KEYS/alice.key" -t "second"
  expect_code 2
  expect_one_line_error "weights.bin.minisig" "already exists" "--force"
  cmp -s "$DATA/weights.bin.minisig" "$WORK/weights.minisig.before" || fail "existing signature changed"
  assay sign "$DATA/weights.bin" --key "$KEYS/alice.key" -t "release v1 of the weights" --force
  expect_code 0
  tool minisign -V -p "$KEYS/alice.pub" -m "$DATA/weights.bin"
  expect_code 0
  expect_stdout_contains "Trusted comment: release v1 of the weights"
  # A key made by minisign signs too.
  tool minisign -G -W -p "$KEYS/mini.pub" -s "$KEYS/mini.key"
  expect_code 0
  assay sign "$DATA/report.txt" --key "$KEYS/mini.key" -o "$WORK/report.by-mini-key.minisig"
  expect_code 0
  tool minisign -V -p "$KEYS/mini.pub" -m "$DATA/report.txt" -x "$WORK/report.by-mini-key.minisig"
  expect_code 0
}
check "assay sign: minisign -V verifies, comments, no overwrite without --force" sign_verified_by_minisign

sign_refusals() {
  assay sign "$DATA/missing.bin" --key "$KEYS/alice.key"
  expect_code 3
  expect_one_line_error "missing.bin"
  assay sign "$DATA/report.txt" --key "$KEYS/nobody.key" -o "$WORK/nobody.minisig"
  expect_code 3
  expect_one_line_error "nobody.key" "assay key generate"
  head -c 60 "$KEYS/alice.key" >"$WORK/truncated.key"
  assay sign "$DATA/report.txt" --key "$WORK/truncated.key" -o "$WORK/truncated.minisig"
  expect_code 2
  expect_one_line_error "truncated.key"
  assay sign "$DATA/report.txt" --key "$KEYS/alice.key" -t "$(printf 'two\nlines')" -o "$WORK/two-lines.minisig"
  expect_code 2
  expect_one_line_error "one line"
  [[ ! -e "$WORK/truncated.minisig" && ! -e "$WORK/two-lines.minisig" && ! -e "$WORK/nobody.minisig" ]] ||
    fail "a refused sign wrote a signature"
}
check "assay sign refuses missing files (3) and bad keys or comments (2)" sign_refusals

# --- trust ----------------------------------------------------------------

trust_add_list_remove_export() {
  assay trust add alice --role vendor,evaluator --key-file "$KEYS/alice.pub"
  expect_code 0
  [[ $(mode_of "$TRUST") == 644 ]] || fail "trust file mode"
  assay trust add mini --role witness --public-key "$(sed -n 2p "$KEYS/mini.pub")" --valid-after 20240101
  expect_code 0
  assay trust add bob --role evaluator --key-file "$KEYS/bob.pub"
  expect_code 0
  assay trust list
  expect_code 0
  [[ $(grep -c '^[^ ]' "$WORK/stdout") == 3 ]] || fail "expected three entries"
  joined "$WORK/stdout" 2 | grep -qE '^alice +vendor,evaluator +[0-9A-F]{16} SHA256:' || fail "alice's line"
  expect_stdout_contains "from 2024-01-01"
  assay trust list --json
  expect_code 0
  [[ $(json_get "$WORK/stdout" '[e["name"] for e in s["entries"]]' | tr '\n' ' ') == "alice bob mini " ]] ||
    fail "json names"
  [[ $(json_get "$WORK/stdout" 's["entries"][2]["valid_after"]') == 2024-01-01 ]] || fail "json valid_after"
  # The same key twice, an unknown role, a bad date: refused, the file unchanged.
  cp "$TRUST" "$WORK/trust.before"
  assay trust add alice2 --role vendor --key-file "$KEYS/alice.pub"
  expect_code 2
  expect_one_line_error "already trusted as 'alice'"
  assay trust add eve --role auditor --key-file "$KEYS/alice.pub"
  expect_code 2
  expect_one_line_error "unknown role 'auditor'"
  assay trust add eve --role vendor --key-file "$KEYS/alice.pub" --valid-before 20241341
  expect_code 2
  expect_one_line_error "--valid-before" "20241341"
  assay trust add eve --role vendor
  expect_code 2
  expect_one_line_error "--key-file"
  cmp -s "$TRUST" "$WORK/trust.before" || fail "a refused add changed the trust file"
  # export: one allowed_signers line per key; remove: by name.
  assay trust export -o "$WORK/allowed_signers"
  expect_code 0
  [[ $(grep -c ' namespaces="git"' "$WORK/allowed_signers") == 3 ]] || fail "export lines"
  grep -q '^mini namespaces="git",valid-after="20240101Z" ssh-ed25519 ' "$WORK/allowed_signers" || fail "export dates"
  assay trust remove bob
  expect_code 0
  assay trust list
  ! grep -q '^bob ' "$WORK/stdout" || fail "bob still listed"
  assay trust remove bob
  expect_code 2
  expect_one_line_error "no key named 'bob'"
  assay trust add bob --role evaluator --key-file "$KEYS/bob.pub"
  expect_code 0
}
check "trust add, list, remove, export" trust_add_list_remove_export

trust_file_option_and_creation() {
  assay trust add alice --role vendor --key-file "$KEYS/alice.pub" --trust "$WORK/other/trust"
  expect_code 0
  [[ -f "$WORK/other/trust" ]] || fail "--trust file not created"
  assay trust list --trust "$WORK/other/trust"
  [[ $(grep -c "^[^ ]" "$WORK/stdout") == 1 ]] || fail "--trust lists another file"
  # Its allowed_signers export names alice for the signature ssh-keygen made with her key.
  assay trust export --trust "$WORK/other/trust" -o "$WORK/other/allowed_signers"
  expect_code 0
  tool ssh-keygen -Y find-principals -s "$SSHSIG_MESSAGE.sig" -f "$WORK/other/allowed_signers"
  expect_code 0
  [[ "$(cat "$WORK/stdout")" == alice ]] || fail "find-principals: $(cat "$WORK/stdout")"
}
check "--trust names another file, created on first add" trust_file_option_and_creation

# --- verify signature -----------------------------------------------------

verify_trusted_signatures() {
  # Made by assay with an assay key.
  assay verify signature "$DATA/weights.bin"
  expect_code 0
  local alice_id
  alice_id=$(sed -n 's/.*public key //p' "$KEYS/alice.pub")
  expect_stdout_contains "good signature by alice (vendor,evaluator), key $alice_id"
  expect_stdout_contains "trusted comment: release v1 of the weights"
  # Made by minisign with a minisign key, and with an assay key.
  tool minisign -S -s "$KEYS/mini.key" -m "$DATA/report.txt" -x "$WORK/report.mini.minisig" -t "minisign made this"
  expect_code 0
  assay verify signature "$DATA/report.txt" --sig "$WORK/report.mini.minisig"
  expect_code 0
  expect_stdout_contains "good signature by mini (witness)"
  expect_stdout_contains "trusted comment: minisign made this"
  tool minisign -S -s "$KEYS/alice.key" -m "$DATA/report.txt" -x "$WORK/report.alice-by-minisign.minisig"
  expect_code 0
  assay verify signature "$DATA/report.txt" --sig "$WORK/report.alice-by-minisign.minisig"
  expect_code 0
  expect_stdout_contains "good signature by alice"
  # minisign's legacy (not prehashed) format is still read.
  tool minisign -S -l -s "$KEYS/mini.key" -m "$DATA/report.txt" -x "$WORK/report.legacy.minisig"
  expect_code 0
  assay verify signature "$DATA/report.txt" --sig "$WORK/report.legacy.minisig" --json
  expect_code 0
  [[ $(json_get "$WORK/stdout" 's["signer"]') == mini && $(json_get "$WORK/stdout" 's["trusted"]') == True ]] ||
    fail "json signer"
  # --role asks for a role the signer does not hold.
  assay verify signature "$DATA/report.txt" --sig "$WORK/report.mini.minisig" --role vendor
  expect_code 1
  expect_one_line_error "mini" "not trusted as vendor"
}
check "verify signature: assay and minisign signatures, trusted signer and roles" verify_trusted_signatures

verify_unknown_key() {
  assay key generate --unencrypted --key "$KEYS/stranger.key"
  assay sign "$DATA/report.txt" --key "$KEYS/stranger.key" -o "$WORK/report.stranger.minisig"
  expect_code 0
  assay verify signature "$DATA/report.txt" --sig "$WORK/report.stranger.minisig"
  expect_code 1
  expect_one_line_error "not in the trust file" "$TRUST" "--allow-untrusted --public-key-file"
  assay verify signature "$DATA/report.txt" --sig "$WORK/report.stranger.minisig" --public-key-file "$KEYS/stranger.pub"
  expect_code 1
  expect_one_line_error "stranger.pub" "--allow-untrusted"
  assay verify signature "$DATA/report.txt" --sig "$WORK/report.stranger.minisig" --allow-untrusted
  expect_code 2
  assay verify signature "$DATA/report.txt" --sig "$WORK/report.stranger.minisig" \
    --public-key-file "$KEYS/stranger.pub" --allow-untrusted
  expect_code 0
  expect_stdout_contains "good signature by UNTRUSTED key"
  expect_stderr_contains "warning: UNTRUSTED KEY"
  # Another key's .pub does not verify it, allowed or not.
  assay verify signature "$DATA/report.txt" --sig "$WORK/report.stranger.minisig" \
    --public-key-file "$KEYS/bob.pub" --allow-untrusted
  expect_code 1
  expect_one_line_error "signature was made by key"
}
check "verify signature: unknown key exit 1 with a hint; --allow-untrusted says so loudly" verify_unknown_key

verify_validity_dates() {
  assay key generate --unencrypted --key "$KEYS/old.key"
  assay sign "$DATA/report.txt" --key "$KEYS/old.key" -o "$WORK/report.old.minisig"
  assay trust add old --role vendor --key-file "$KEYS/old.pub" --valid-after 20190101 --valid-before 20200101
  expect_code 0
  expect_stderr_contains "expired on 2020-01-01"
  assay verify signature "$DATA/report.txt" --sig "$WORK/report.old.minisig"
  expect_code 1
  expect_one_line_error "old (vendor)" "expired on 2020-01-01"
  assay trust list
  expect_stdout_contains "from 2019-01-01 until 2020-01-01 (expired on 2020-01-01)"
  assay trust remove old
  assay trust add future --role vendor --key-file "$KEYS/old.pub" --valid-after 20990101
  assay verify signature "$DATA/report.txt" --sig "$WORK/report.old.minisig"
  expect_code 1
  expect_one_line_error "not valid until 2099-01-01"
  assay trust remove future
}
check "verify signature: validity dates checked now; an expired key says so" verify_validity_dates

verify_bad_signatures() {
  cp "$DATA/report.txt" "$WORK/changed.txt"
  cp "$WORK/report.mini.minisig" "$WORK/changed.txt.minisig"
  echo "one more line" >>"$WORK/changed.txt"
  assay verify signature "$WORK/changed.txt"
  expect_code 1
  expect_one_line_error "changed.txt" "signature verification failed"
  # The trusted comment is signed: changing it is caught.
  sed '3s/.*/trusted comment: something else/' "$WORK/report.mini.minisig" >"$WORK/comment.minisig"
  assay verify signature "$DATA/report.txt" --sig "$WORK/comment.minisig"
  expect_code 1
  expect_one_line_error "trusted comment signature verification failed"
}
check "verify signature: changed file or trusted comment -> exit 1" verify_bad_signatures

verify_malformed_and_missing() {
  local sig="$WORK/report.mini.minisig"
  head -n 2 "$sig" >"$WORK/truncated.minisig"
  assay verify signature "$DATA/report.txt" --sig "$WORK/truncated.minisig"
  expect_code 2
  expect_one_line_error "truncated.minisig"
  sed '2s/^R/!/' "$sig" >"$WORK/garbled.minisig"
  assay verify signature "$DATA/report.txt" --sig "$WORK/garbled.minisig"
  expect_code 2
  expect_one_line_error "garbled.minisig"
  head -c 30 /dev/urandom >"$WORK/noise.minisig"
  assay verify signature "$DATA/report.txt" --sig "$WORK/noise.minisig"
  expect_code 2
  expect_one_line_error "noise.minisig"
  # Garbled and truncated key files, wherever they are read.
  sed '2s/^RW/xx/' "$KEYS/alice.pub" >"$WORK/garbled.pub"
  head -n 1 "$KEYS/alice.pub" >"$WORK/truncated.pub"
  local pub
  for pub in garbled.pub truncated.pub; do
    assay verify signature "$DATA/report.txt" --sig "$sig" --public-key-file "$WORK/$pub" --allow-untrusted
    expect_code 2
    expect_one_line_error "$pub"
    assay trust add eve --role vendor --key-file "$WORK/$pub"
    expect_code 2
    expect_one_line_error "$pub"
    assay key show --key "$WORK/$pub"
    expect_code 2
    expect_one_line_error "$pub"
  done
  assay trust add eve --role vendor --public-key "RWQnotakey"
  expect_code 2
  expect_one_line_error "--public-key"
  # A garbled trust file is named, with its line.
  printf 'alice vendor RWQ-broken\n' >"$WORK/broken-trust"
  assay verify signature "$DATA/report.txt" --sig "$sig" --trust "$WORK/broken-trust"
  expect_code 2
  expect_one_line_error "broken-trust" "line 1"
  # Missing files are I/O errors.
  assay verify signature "$WORK/absent.txt" --sig "$sig"
  expect_code 3
  expect_one_line_error "absent.txt"
  assay verify signature "$DATA/weights.bin" --sig "$WORK/absent.minisig"
  expect_code 3
  expect_one_line_error "absent.minisig"
  assay verify signature "$DATA/report.txt"  # no report.txt.minisig beside it
  expect_code 3
  expect_one_line_error "report.txt.minisig"
}
check "verify signature: malformed signature, key or trust file -> 2 naming it; missing -> 3" verify_malformed_and_missing

# --- secrets --------------------------------------------------------------

# No secret key line, seed or passphrase in any output of this run, nor in any
# file but the secret key files themselves and the passphrase file.
secrets_never_leak() {
  local patterns="$WORK/secret-patterns" key
  : >"$patterns"
  for key in "$KEYS"/*.key "$WORK/lone/x.key" "$WORK/default-kdf/dave.key"; do
    sed -n 2p "$key" >>"$patterns"
    if [[ $(secret_key_bytes "$key" 2 2) == 0000 ]]; then  # unencrypted: the seed is in the clear
      secret_key_bytes "$key" 62 32 >>"$patterns"
      "$PYTHON" -c 'import base64,sys; print(base64.b64encode(bytes.fromhex(sys.argv[1])).decode())' \
        "$(secret_key_bytes "$key" 62 32)" >>"$patterns"
    fi
  done
  printf '%s\n' "$PASSPHRASE_ENV" "$PASSPHRASE_FILE_TEXT" "$PASSPHRASE_DEFAULT_KDF" >>"$patterns"
  [[ $(wc -l <"$patterns") -ge 12 ]] || fail "too few secrets collected"
  [[ -s "$TRANSCRIPT" ]] || fail "empty transcript"
  local leaks
  leaks=$(find "$WORK" -type f ! -name '*.key' ! -name '*.key.before' ! -name '*.passphrase' \
    ! -name secret-patterns -print0 | xargs -0 grep -lF -f "$patterns" || true)
  [[ -z "$leaks" ]] || fail "secret material found in: $leaks"
}
check "no secret key, seed or passphrase in any output or other file" secrets_never_leak

finish
