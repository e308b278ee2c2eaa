#!/bin/bash
# End-to-end: every command's --help (issue 15, item 2). Each command without
# subcommands ends its help with an example that runs as printed in a folder
# where `assay demo` ran: this test finds every such command by walking
# `assay --help`, and runs each example in a fresh copy of a demo folder,
# with `assay` on the PATH.
source "$(dirname "$0")/lib.sh"
require_tool git
mkdir -p "$WORK/demo" "$WORK/bin" "$WORK/examples"
ln -s "$ASSAY" "$WORK/bin/assay"
(cd "$WORK/demo" && ASSAY_CONFIG_DIR="$WORK/demo-config" "$ASSAY" demo >/dev/null) || fail "the demo failed"

# extract: writes, for each command without subcommands, examples/NAME.sh
# (its example's lines) and examples/NAME.where; fails naming any command
# whose help has no example.
extract() {
  "$PYTHON" - "$ASSAY" "$WORK/examples" <<'PY'
import pathlib, re, subprocess, sys
assay, out = sys.argv[1], pathlib.Path(sys.argv[2])
HEADER = "Example (in a folder where 'assay demo' ran):"

def help_of(path):
    return subprocess.run([assay, *path, "--help"], capture_output=True, text=True, check=True).stdout

missing, wide = [], []
def walk(path):
    text = help_of(path)
    # Help fits 80 columns but for a word too long to break.
    wide.extend(f"assay {' '.join(path)} --help: {line}" for line in text.splitlines()
                if len(line) > 80 and " " in line.strip())
    # A subcommand's line starts two spaces in; its description may continue
    # on lines further in (help is fitted to 80 columns).
    commands = re.search(r"\nSubcommands:\n((?:  .*\n?)+)", text)
    if commands:
        for line in commands.group(1).splitlines():
            if re.match(r"  \S", line):
                walk(path + [line.split()[0]])
        return
    if HEADER not in text:
        missing.append(" ".join(path))
        return
    lines = []
    for line in text.split(HEADER, 1)[1].splitlines()[1:]:
        if not line.startswith("  "):
            break
        lines.append(line[2:])
    name = "-".join(path)
    (out / f"{name}.sh").write_text("\n".join(lines) + "\n")
    (out / f"{name}.where").write_text("assay " + " ".join(path) + " --help\n")

walk([])
if missing:
    sys.exit("commands whose --help has no example: " + ", ".join(missing))
if wide:
    sys.exit("help wider than 80 columns:\n" + "\n".join(wide))
PY
}

every_command_has_an_example() {
  extract || fail "cannot extract the examples"
  (( $(ls "$WORK/examples"/*.sh | wc -l) >= 40 )) || fail "fewer than 40 commands found"
}
check "every command's --help has an example and fits 80 columns" every_command_has_an_example

every_example_runs_as_printed() {
  local example name dir failed=0
  for example in "$WORK/examples"/*.sh; do
    name=$(basename "$example" .sh)
    dir="$WORK/run-$name"
    mkdir -p "$dir/home"
    cp -r "$WORK/demo/assay-demo" "$dir/"
    if ! (cd "$dir" && env PATH="$WORK/bin:$PATH" HOME="$dir/home" ASSAY_CACHE_DIR="$dir/cache" \
            XDG_CONFIG_HOME="$dir/home/.config" bash -e -o pipefail "$example" >"$dir/stdout" 2>"$dir/stderr"); then
      echo "FAIL: the example of $(cat "$WORK/examples/$name.where") does not run:" >&2
      sed 's/^/    | /' "$example" >&2
      tail -n 5 "$dir/stderr" | sed 's/^/    /' >&2
      failed=1
    fi
  done
  ((failed == 0)) || fail "some examples do not run as printed"
}
check "every example runs as printed, after assay demo" every_example_runs_as_printed

finish
