#!/bin/bash
# End-to-end: the commands the documentation tells readers to run do run.
#
# Every ```sh block of each page below is run, in page order, in one bash with
# `set -euo pipefail`, from a fresh temporary folder, with `assay` on PATH (a
# symlink to $ASSAY), HOME and XDG_* inside that folder, no ASSAY_* variable set
# (so the documented defaults are what runs), no terminal (a passphrase prompt
# fails at once instead of waiting) and nothing else of the caller's environment.
# ```text blocks are illustrations and are not run.
#
# Rules the pages follow, checked here:
# - A fenced block is marked ```sh (run) or with another word such as ```text
#   (not run); an unmarked fence, or ```bash/```shell/```console, is an error,
#   so a command meant to run is never skipped by accident.
# - A command expected to fail says so: `CMD || echo "exit $?"   # exit N`.
#   The `exit N` lines the block prints must be exactly those comments, in
#   order, so a command that stopped failing (or fails otherwise) is caught.
# - README.md: its first two ```sh blocks install packages, build and run the
#   whole suite; their `sh scripts/...` steps are skipped, the rest of them
#   (`./build/assay demo`) runs, with ./build/assay pointing at $ASSAY.
#
# A failure names the page, the block and its first line, and shows the block
# with what it printed.
source "$(dirname "$0")/lib.sh"
[[ -x "$ASSAY" ]] || fail "ASSAY=$ASSAY is not an executable"
require_tool minisign    # docs/evaluator.md checks an assay signature with it
require_tool ssh-keygen  # docs/auditor.md reads an exported key with it
require_tool git         # docs/auditor.md checks the demo ledger's commit signature
require_tool git-lfs     # docs/auditor.md writes LFS pointers with the real client
require_tool setsid
require_tool python3     # the pages edit files with a few lines of Python

PAGES=(docs/getting-started.md docs/vendor.md docs/evaluator.md docs/auditor.md docs/report.md docs/usage.md README.md)
if (($# > 0)); then PAGES=("$@"); fi  # by hand: bash tests/e2e/docs_test.sh docs/vendor.md
PAGE_TIMEOUT=300  # seconds; each page unlocks a few scrypt keys (seconds each)

# extract PAGE OUT: writes OUT/script.sh (the page's blocks, each wrapped so its
# output lands in OUT/N.stdout and OUT/N.stderr and its `exit N` lines are
# checked against OUT/N.expected), OUT/N.block and OUT/N.where.
extract() {
  "$PYTHON" - "$SOURCE_DIR/$1" "$1" "$2" <<'EOF'
import pathlib, re, sys

source, page, out = pathlib.Path(sys.argv[1]), sys.argv[2], pathlib.Path(sys.argv[3])
fence = re.compile(r"^ {0,3}```(.*)$")
expects_failure = re.compile(r'\|\|\s*echo\s+"exit \$\?"')
stated_exit = re.compile(r"#.*\bexit (\d+)\b")

def error(line, text):
    sys.exit(f"{page}:{line}: {text}")

blocks, current, start, language = [], None, 0, None
for number, line in enumerate(source.read_text(encoding="utf-8").splitlines(), 1):
    match = fence.match(line)
    if current is None and match:
        language = match.group(1).strip()
        if language == "":
            error(number, "a fence without a language: mark it ```sh (run by this test) or ```text")
        if language in ("bash", "shell", "console", "shell-session", "zsh"):
            error(number, f"```{language}: mark commands to run ```sh, illustrations ```text")
        current, start = [], number
    elif current is not None and match and match.group(1).strip() == "":
        if language == "sh":
            blocks.append((start, current))
        current = None
    elif current is not None:
        current.append(line)
if current is not None:
    error(start, "a fence that is never closed")

if page == "README.md":
    # The first two blocks install, build and test; keep what follows the build.
    install = blocks[:2]
    if len(install) < 2 or not all("scripts/setup-debian.sh" in "\n".join(b) for _, b in install):
        error(1, "expected the first two ```sh blocks to be the install/build and install/test commands")
    steps = [s.strip() for s in " ".join(install[0][1]).split("&&")]
    prelude = [s for s in steps if not s.startswith("sh scripts/")]
    blocks = [(install[0][0], prelude)] + blocks[2:]

if not blocks:
    error(1, "no ```sh blocks")
script = ["set -euo pipefail",
          "trap 'echo \"docs_test: failed: $BASH_COMMAND (exit $?)\" >&2' ERR"]
for index, (line, body) in enumerate(blocks, 1):
    expected = []
    for offset, text in enumerate(body, 1):
        if expects_failure.search(text):
            stated = stated_exit.search(text.split('"exit $?"', 1)[1])
            if not stated:
                error(line + offset, 'a command expected to fail must state its code: `|| echo "exit $?"   # exit N`')
            expected.append(f"exit {stated.group(1)}")
    (out / f"{index}.block").write_text("\n".join(body) + "\n", encoding="utf-8")
    (out / f"{index}.where").write_text(f"{page} block {index} (line {line})\n", encoding="utf-8")
    (out / f"{index}.expected").write_text("".join(e + "\n" for e in expected), encoding="utf-8")
    script += [f'echo {index} >"$DOCS_OUT/current"',
               "{",
               *body,
               f'}} >"$DOCS_OUT/{index}.stdout" 2>"$DOCS_OUT/{index}.stderr"',
               f'{{ grep -xE "exit [0-9]+" "$DOCS_OUT/{index}.stdout" || true; }} | diff "$DOCS_OUT/{index}.expected" - '
               f'>"$DOCS_OUT/{index}.exits" || {{ echo "docs_test: exit codes differ from the # exit comments" '
               f'>>"$DOCS_OUT/{index}.stderr"; exit 1; }}']
script.append('echo done >"$DOCS_OUT/current"')
(out / "script.sh").write_text("\n".join(script) + "\n", encoding="utf-8")
EOF
}

# show_failure OUT: the failed block, what it printed, and why.
show_failure() {
  local out=$1 block
  block=$(cat "$out/current" 2>/dev/null || echo none)
  if [[ ! -f "$out/$block.where" ]]; then
    echo "  before any block ran" >&2
    return
  fi
  echo "  in $(cat "$out/$block.where"):" >&2
  sed 's/^/    | /' "$out/$block.block" >&2
  echo "  stdout:" >&2; tail -n 20 "$out/$block.stdout" 2>/dev/null | sed 's/^/    /' >&2
  echo "  stderr:" >&2; tail -n 20 "$out/$block.stderr" 2>/dev/null | sed 's/^/    /' >&2
  if [[ -s "$out/$block.exits" ]]; then
    echo "  exit lines (expected < > printed):" >&2; sed 's/^/    /' "$out/$block.exits" >&2
  fi
}

# write_shim PATH: an `assay` that runs the binary under test, adding
# --weak-kdf-for-tests to an encrypted `key generate`. The pages show the real
# command; minisign's scrypt cost (about 1 GiB and seconds for every unlock)
# would otherwise make this test the slowest of the suite without testing more.
write_shim() {
  cat >"$1" <<SHIM
#!/bin/bash
if [[ "\${1:-}" == key && "\${2:-}" == generate && " \$* " != *" --unencrypted "* ]]; then
  exec "$ASSAY" key generate --weak-kdf-for-tests "\${@:3}"
fi
exec "$ASSAY" "\$@"
SHIM
  chmod +x "$1"
}

# run_page PAGE: runs the page's blocks in a fresh folder and environment.
run_page() {
  local page=$1 name dir out code=0
  name=$(tr '/.' '__' <<<"$page")
  dir="$WORK/$name"
  out="$WORK/$name.out"
  mkdir -p "$dir/bin" "$dir/home" "$dir/tmp" "$out"
  write_shim "$dir/bin/assay"
  if [[ "$page" == README.md ]]; then
    mkdir "$dir/build"
    write_shim "$dir/build/assay"
  fi
  extract "$page" "$out" || fail "$page: cannot extract its examples"
  local environment=(
    PATH="$dir/bin:$PATH" HOME="$dir/home" TMPDIR="$dir/tmp" LANG=C.UTF-8
    XDG_CONFIG_HOME="$dir/home/.config" XDG_DATA_HOME="$dir/home/.local/share"
    XDG_CACHE_HOME="$dir/home/.cache" XDG_STATE_HOME="$dir/home/.local/state"
    DOCS_OUT="$out"
  )
  local variable
  for variable in ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS; do  # as the suite was started
    if [[ -n "${!variable:-}" ]]; then environment+=("$variable=${!variable}"); fi
  done
  (cd "$dir" && timeout --kill-after=5 "$PAGE_TIMEOUT" \
    env -i "${environment[@]}" setsid -w bash "$out/script.sh" </dev/null) || code=$?
  if ((code == 124)); then echo "FAIL: $page timed out after $PAGE_TIMEOUT s" >&2; fi
  if ((code != 0)); then
    echo "FAIL: $page (exit $code)" >&2
    show_failure "$out"
    return 1
  fi
  if cat "$out"/*.stderr | grep -qE 'Sanitizer|runtime error:'; then
    echo "FAIL: $page: sanitizer report" >&2
    grep -lE 'Sanitizer|runtime error:' "$out"/*.stderr >&2
    return 1
  fi
  echo "ran $(find "$out" -name '*.block' | wc -l) blocks of $page"
}

for page in "${PAGES[@]}"; do
  check "the examples of $page run" run_page "$page"
done
# To read what every block printed: DOCS_KEEP=DIR keeps the folders there.
if [[ -n "${DOCS_KEEP:-}" ]]; then
  mkdir -p "$DOCS_KEEP"
  cp -a "$WORK"/. "$DOCS_KEEP"/
fi
finish
