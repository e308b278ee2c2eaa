#!/bin/bash
# End-to-end: what a terminal gets (issue 15, item 2). On a terminal (a
# pseudo-terminal from util-linux's `script`), verdicts are in colour; with
# NO_COLOR, with TERM=dumb, or into a pipe or a file there is no escape
# sequence at all, on stdout or stderr.
source "$(dirname "$0")/lib.sh"
require_tool git
require_tool script
cd "$WORK"
run "$ASSAY" demo
expect_code 0
STATUS="$ASSAY status demo/vendor-model@v1 --ledger $WORK/assay-demo/ledger --trust $WORK/assay-demo/trust"
ESC=$'\033'

# on_terminal FILE [ENV...]: runs $STATUS on a pseudo-terminal, keeps what it
# showed (lib.sh sets NO_COLOR for every other test: not here).
on_terminal() {
  local file=$1
  shift
  env -u NO_COLOR "$@" script -qec "$STATUS" "$file" >/dev/null || fail "status failed on a terminal"
}

verdicts_in_colour_on_a_terminal() {
  on_terminal "$WORK/tty.out" TERM=xterm
  grep -qF "${ESC}[1;31mDIFFERENT WEIGHTS${ESC}[0m" "$WORK/tty.out" || fail "DIFFERENT WEIGHTS is not red on a terminal"
  grep -qF "${ESC}[1;31mnot reproduced${ESC}[0m" "$WORK/tty.out" || fail "'not reproduced' is not red on a terminal"
  grep -qF "${ESC}[32mREPRODUCED${ESC}[0m" "$WORK/tty.out" || fail "REPRODUCED is not green on a terminal"
  grep -qF "${ESC}[33mNOT COMPARABLE${ESC}[0m" "$WORK/tty.out" || fail "NOT COMPARABLE is not yellow on a terminal"
}
check "verdicts are in colour on a terminal" verdicts_in_colour_on_a_terminal

no_colour_where_it_is_not_wanted() {
  on_terminal "$WORK/no-color.out" TERM=xterm NO_COLOR=1
  grep -qF "$ESC" "$WORK/no-color.out" && fail "NO_COLOR still has colour"
  on_terminal "$WORK/dumb.out" TERM=dumb
  grep -qF "$ESC" "$WORK/dumb.out" && fail "TERM=dumb still has colour"
  run env -u NO_COLOR TERM=xterm $STATUS
  expect_code 0
  grep -qF "$ESC" "$WORK/stdout" "$WORK/stderr" && fail "a pipe gets escape sequences"
  # A long operation draws progress only on a terminal: none into a file.
  run env -u NO_COLOR TERM=xterm "$ASSAY" forensics "$WORK/assay-demo/vendor-model" "$WORK/assay-demo/vendor-model-v2"
  expect_code 0
  grep -qF "$ESC" "$WORK/stdout" "$WORK/stderr" && fail "forensics into a file draws progress or colour"
  return 0
}
check "no colour under NO_COLOR, TERM=dumb or a pipe, and no progress into a file" no_colour_where_it_is_not_wanted

finish
