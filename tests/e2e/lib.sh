# Shared helpers for the end-to-end tests, which run the real `assay` binary.
# Source it first thing:  source "$(dirname "$0")/lib.sh"
#
# ctest sets ASSAY (the binary), ASSAY_SOURCE_DIR and ASSAY_REALDATA_DIR
# (tests/CMakeLists.txt). By hand:  ASSAY=build/assay bash tests/e2e/x_test.sh
# Exit codes: 0 pass, 1 fail, 77 skipped (ctest's SKIP_RETURN_CODE).

set -euo pipefail

: "${ASSAY:?set ASSAY to the assay binary (ctest does)}"
ASSAY=$(realpath "$ASSAY")  # tests change folders
E2E_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SOURCE_DIR=${ASSAY_SOURCE_DIR:-$(cd "$E2E_DIR/../.." && pwd)}
SCHEMA="$SOURCE_DIR/schema/model-statement.schema.json"
# Debian's interpreter: it has python3-jsonschema; the first python3 on PATH may not.
PYTHON=/usr/bin/python3
FIXTURES="$E2E_DIR/fixtures.py"

# Everything a test writes lives under WORK, removed on exit.
WORK=$(mktemp -d "${TMPDIR:-/tmp}/assay-e2e.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
# A safety net only: every test passes --cache-dir or --no-cache, and
# expect_default_cache_untouched checks that nothing landed here.
export ASSAY_CACHE_DIR="$WORK/default-cache"
export XDG_CACHE_HOME="$WORK/xdg-cache"
# Keys, trust file and the embedded ledger default into WORK too, so no test
# reads or writes the user's own.
export XDG_CONFIG_HOME="$WORK/xdg-config"
export XDG_DATA_HOME="$WORK/xdg-data"
unset ASSAY_CONFIG_DIR ASSAY_KEY ASSAY_TRUST_FILE ASSAY_PASSPHRASE ASSAY_LEDGER
export NO_COLOR=1

# Fails the test, showing the last command run and what it printed.
fail() {
  echo "FAIL: $*" >&2
  if [[ -n "${RUN_CMD:-}" ]]; then
    echo "  last command: $RUN_CMD (exit $RUN_CODE)" >&2
    echo "  stdout:" >&2; head -c 2000 "$WORK/stdout" | sed 's/^/    /' >&2
    echo "  stderr:" >&2; head -c 2000 "$WORK/stderr" | sed 's/^/    /' >&2
  fi
  exit 1
}

# check DESCRIPTION FUNCTION ARGS...: runs one block of checks in a subshell.
# A failure there is reported and remembered and the script goes on, so one
# product bug does not hide the next; `finish` then fails the script.
FAILED_CHECKS=()
check() {
  local description=$1 code
  shift
  set +e
  (set -e; "$@")
  code=$?
  set -e
  if ((code == 0)); then
    echo "PASS: $description"
  else
    echo "FAIL: $description" >&2
    FAILED_CHECKS+=("$description")
  fi
}

# Ends the script: exit 1 if any check failed.
finish() {
  if ((${#FAILED_CHECKS[@]} > 0)); then
    printf 'failed: %s\n' "${FAILED_CHECKS[@]}" >&2
    exit 1
  fi
}

# A program the test cannot do without: missing means failed, never skipped.
require_tool() {
  command -v "$1" >/dev/null 2>&1 || fail "required program '$1' is not installed"
}

# Tests on ../shared/realdata skip (exit 77) when it is absent.
require_realdata() {
  if [[ -z "${ASSAY_REALDATA_DIR:-}" || ! -d "$ASSAY_REALDATA_DIR/weights" ]]; then
    finish  # a skip must not hide an earlier failure
    echo "SKIP: real data folder not found (ASSAY_REALDATA_DIR='${ASSAY_REALDATA_DIR:-}')"
    exit 77
  fi
}

# run CMD...: runs it with a time limit, keeping stdout in $WORK/stdout, stderr
# in $WORK/stderr and the exit code in RUN_CODE. Whatever the test expects, a
# crash (signal, exit >= 124 from timeout) or sanitizer report fails it.
run() {
  RUN_CMD="$*"
  RUN_CODE=0
  timeout --kill-after=5 60 "$@" </dev/null >"$WORK/stdout" 2>"$WORK/stderr" || RUN_CODE=$?
  if ((RUN_CODE == 124)); then fail "timed out"; fi
  if ((RUN_CODE >= 125)); then fail "crashed or was killed (exit $RUN_CODE)"; fi
  if grep -qE 'Sanitizer|runtime error:' "$WORK/stderr"; then fail "sanitizer report"; fi
}

# attest DIR ARGS...: `assay attest model DIR ARGS... --unsigned` through run
# (these tests are about hashing; records_test.sh covers signed records).
attest() { run "$ASSAY" attest model "$@" --unsigned; }

# attest_json DIR OUT ARGS...: attests with --json --no-cache, expects exit 0,
# saves the statement in OUT.
attest_json() {
  local dir=$1 out=$2
  shift 2
  attest "$dir" --json --no-cache "$@"
  expect_code 0
  cp "$WORK/stdout" "$out"
}

# witnessed_checkpoint KEY NAME ROLE OUT: a checkpoint of the ledger signed
# with KEY (trusted as NAME in ROLE), cosigned by a new witness (its own
# config in $WORK/witness-config) whom this trust file then lists as
# "witness"; the cosigned note is OUT.
witnessed_checkpoint() {
  local key=$1 name=$2 role=$3 out=$4
  run "$ASSAY" attest checkpoint --key "$key" --origin "example.org/$name" -o "$out.note"
  expect_code 0
  local witness_env=(env ASSAY_CONFIG_DIR="$WORK/witness-config")
  run "${witness_env[@]}" "$ASSAY" key generate --unencrypted
  run "${witness_env[@]}" "$ASSAY" trust add "$name" --role "$role" --key-file "${key%.key}.pub"
  run "${witness_env[@]}" "$ASSAY" attest cosign "$out.note" -o "$out"
  expect_code 0
  run "$ASSAY" trust add witness --role witness --key-file "$WORK/witness-config/assay.pub"
  expect_code 0
}

expect_code() {
  [[ "$RUN_CODE" == "$1" ]] || fail "expected exit code $1, got $RUN_CODE"
}

# expect_stdout_contains TEXT...: every TEXT is in the last command's stdout.
# Human output is fitted to 80 columns (docs/usage.md, Output), so a phrase
# may be broken over lines: a phrase not found as it is is looked for again
# with every run of spaces and line ends read as one space.
expect_stdout_contains() {
  local text
  for text in "$@"; do
    grep -qF -- "$text" "$WORK/stdout" || unwrapped_contains "$WORK/stdout" "$text" || fail "stdout lacks '$text'"
  done
}

# joined FILE COLUMN: FILE with each line that starts COLUMN or more spaces
# in (where a long line of human output continues, FitToWidth) joined to the
# line before it by one space: the lines as they were before fitting.
joined() {
  awk -v column="$2" '{
    match($0, /^ */)
    if (NR > 1 && RLENGTH >= column) { sub(/^ +/, ""); held = held " " $0; next }
    if (NR > 1) print held
    held = $0
  } END { if (NR > 0) print held }' "$1"
}

unwrapped_contains() {
  local needle
  needle=$(printf '%s' "$2" | tr -s ' \n' '  ')
  tr -s ' \n' '  ' <"$1" | grep -qF -- "$needle"
}

expect_stderr_contains() {
  local text
  for text in "$@"; do grep -qF -- "$text" "$WORK/stderr" || fail "stderr lacks '$text'"; done
}

# The error contract (DESIGN.md, Bad input): one line on stderr,
# "assay: error: ...", and at most one more, "hint: ...", saying what to do
# next; between them they name each of the given words (file names, paths).
expect_one_line_error() {
  local lines
  lines=$(wc -l <"$WORK/stderr")
  [[ "$(head -c 14 "$WORK/stderr")" == "assay: error: " ]] || fail "stderr does not start with 'assay: error: '"
  if [[ "$lines" == 2 ]]; then
    [[ "$(sed -n 2p "$WORK/stderr" | head -c 6)" == "hint: " ]] || fail "the second line of stderr is not a hint"
  elif [[ "$lines" != 1 ]]; then
    fail "expected one error line (and at most one hint) on stderr, got $lines lines"
  fi
  local word
  for word in "$@"; do expect_stderr_contains "$word"; done
}

# expect_valid_cli_json COMMAND FILE: FILE (a command's --json output) matches
# schema/cli/COMMAND.schema.json (Draft 2020-12).
expect_valid_cli_json() {
  local schema="$SOURCE_DIR/schema/cli/$1.schema.json"
  [[ -f "$schema" ]] || fail "no schema $schema"
  "$PYTHON" - "$schema" "$2" "$SOURCE_DIR/schema" <<'EOF' || fail "$2 does not match schema/cli/$1.schema.json"
import glob, json, sys
from jsonschema import Draft202012Validator, RefResolver
# Every schema of the project, by its $id: references never leave the repository.
store = {}
for path in glob.glob(sys.argv[3] + "/*.json") + glob.glob(sys.argv[3] + "/cli/*.json"):
    document = json.load(open(path, encoding="utf-8"))
    store[document["$id"]] = document
schema = json.load(open(sys.argv[1], encoding="utf-8"))
Draft202012Validator.check_schema(schema)
validator = Draft202012Validator(schema, resolver=RefResolver.from_schema(schema, store=store))
errors = list(validator.iter_errors(json.load(open(sys.argv[2], encoding="utf-8"))))
for error in errors:
    print(f"  {'/'.join(map(str, error.absolute_path))}: {error.message}", file=sys.stderr)
sys.exit(1 if errors else 0)
EOF
}

# expect_refused DIR CODE WORD...: attesting DIR fails with CODE and one error
# line naming each WORD; a new -o file is not created, an existing one is left
# as it was, nothing else appears beside it, and --json prints nothing.
expect_refused() {
  local dir=$1 code=$2 out="$WORK/refused-out"
  shift 2
  rm -rf "$out"
  mkdir "$out"
  attest "$dir" --no-cache -o "$out/new.json"
  expect_code "$code"
  expect_one_line_error "$@"
  [[ -z "$(ls -A "$out")" ]] || fail "output written despite the error: $(ls -A "$out")"
  echo keep >"$out/old.json"
  attest "$dir" --no-cache --json -o "$out/old.json"
  expect_code "$code"
  expect_one_line_error "$@"
  [[ ! -s "$WORK/stdout" ]] || fail "printed a statement despite the error"
  [[ "$(cat "$out/old.json")" == keep && "$(ls -A "$out")" == old.json ]] || fail "existing -o file was changed"
}

# json_get FILE EXPR: prints the Python expression EXPR, in which `s` is the
# parsed JSON of FILE (lists print one item a line).
json_get() {
  "$PYTHON" - "$1" "$2" <<'EOF'
import json, sys
s = json.load(open(sys.argv[1], encoding="utf-8"))
value = eval(sys.argv[2])
print("\n".join(map(str, value)) if isinstance(value, list) else value)
EOF
}

# expect_valid_record SCHEMA FILE: FILE (a bare statement, as `assay show
# --json` prints one) matches schema/SCHEMA.schema.json (Draft 2020-12).
expect_valid_record() {
  "$PYTHON" - "$SOURCE_DIR/schema/$1.schema.json" "$2" <<'EOF' || fail "$2 does not match schema/$1.schema.json"
import json, sys
from jsonschema import Draft202012Validator
errors = list(Draft202012Validator(json.load(open(sys.argv[1]))).iter_errors(json.load(open(sys.argv[2]))))
for error in errors: print(f"  {sys.argv[2]}: {'/'.join(map(str, error.absolute_path))}: {error.message}", file=sys.stderr)
sys.exit(1 if errors else 0)
EOF
}

# Validates each FILE against schema/model-statement.schema.json (Draft 2020-12).
expect_valid_statement() {
  "$PYTHON" - "$SCHEMA" "$@" <<'EOF' || fail "$* does not match the model statement schema"
import json, sys
from jsonschema import Draft202012Validator
schema = json.load(open(sys.argv[1], encoding="utf-8"))
Draft202012Validator.check_schema(schema)
invalid = False
for path in sys.argv[2:]:
    for error in Draft202012Validator(schema).iter_errors(json.load(open(path, encoding="utf-8"))):
        print(f"  {path}: {'/'.join(map(str, error.absolute_path))}: {error.message}", file=sys.stderr)
        invalid = True
sys.exit(1 if invalid else 0)
EOF
}

# The tests pass --cache-dir or --no-cache, so the default cache stays unmade.
expect_default_cache_untouched() {
  [[ ! -e "$ASSAY_CACHE_DIR" && ! -e "$XDG_CACHE_HOME" ]] || fail "a test wrote to the default hash cache"
}

fixtures() { "$PYTHON" "$FIXTURES" "$@"; }

