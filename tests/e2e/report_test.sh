#!/bin/bash
# End-to-end: `assay report` (issue 15, item 1). The demo ledger's report in
# headless Chromium at 1280 and 375 px (report_check.py: every verdict, score
# and signer shown, no sideways scrolling, no request, no script, headings in
# order, AA contrast; the screenshots kept in the build folder), its Markdown,
# and a record whose text is HTML shown as text in both.
source "$(dirname "$0")/lib.sh"
require_tool git
cd "$WORK"
export ASSAY_CACHE_DIR="$WORK/cache"
SHOTS="$(dirname "$ASSAY")/report-screenshots"
DEMO=(--ledger "$WORK/assay-demo/ledger" --trust "$WORK/assay-demo/trust")

run "$ASSAY" demo
expect_code 0

report_shows_everything_in_a_browser() {
  run "$ASSAY" report demo/vendor-model@v1 -o "$WORK/report.html" "${DEMO[@]}"
  expect_code 0
  expect_stdout_contains "report     $WORK/report.html (HTML, "
  run "$PYTHON" "$E2E_DIR/report_check.py" "$WORK/report.html" "$SHOTS" 1280,375 \
    --expect "Standing: reproduced." --expect "Standing: not reproduced." --expect "not comparable" \
    --expect "claimed 80, reproduced 70, -10.00 points" --expect "64.35" --expect "62" \
    --expect "demo-vendor" --expect "demo-evaluator" --expect "demo-auditor" --expect "demo-host" \
    --expect "DIFFERENT WEIGHTS" --expect "endpoint test: different model (exact-match-mcnemar" \
    --expect "max_position_embeddings changed [identity]" --expect "assay verify ledger --ledger"
  expect_code 0
  [[ -s "$SHOTS/report-1280.png" && -s "$SHOTS/report-375.png" ]] || fail "the screenshots are not in $SHOTS"
}
check "the report shows every verdict, score and signer, fits 375 px, fetches nothing" report_shows_everything_in_a_browser

# The checks can fail: a page that loads an image, runs a script and is too
# wide for a phone is refused on each count.
the_browser_checks_can_fail() {
  cat >"$WORK/bad.html" <<'HTML'
<!DOCTYPE html><html lang="en"><head><title>bad</title></head><body>
<h1>bad</h1><h3>skipped a level</h3><p style="color:#bbbbbb">faint</p>
<img src="http://example.invalid/pixel.png" alt=""><script>document.title = "ran";</script>
<div style="width:600px">wide</div></body></html>
HTML
  run "$PYTHON" "$E2E_DIR/report_check.py" "$WORK/bad.html" "$WORK/bad-shots" 375 --expect "not on the page"
  expect_code 1
  expect_stdout_contains "does not show 'not on the page'" "scrolls sideways" "elements assay does not write: ['div', 'img', 'script']" \
    "skips a level (h1 then h3)" "contrast below WCAG AA" "made requests: ['http://example.invalid/pixel.png']"
}
check "the browser checks fail a page that breaks them" the_browser_checks_can_fail

report_is_markdown_too() {
  run "$ASSAY" report demo/vendor-model@v1 -o "$WORK/report.md" "${DEMO[@]}"
  expect_code 0
  expect_stdout_contains "(Markdown, "
  run cat "$WORK/report.md"
  expect_stdout_contains "# assay report: demo/vendor-model @ v1" "**Standing: not reproduced.**" \
    "| claimed by demo-vendor (vendor) | 80 |" "| --- | --- |" "assay verify ledger --ledger"
  # The commands to check it all again run as printed.
  sed -n '/^```sh$/,/^```$/p' "$WORK/report.md" | sed '1d;$d' >"$WORK/check-again.sh"
  (( $(wc -l <"$WORK/check-again.sh") >= 4 )) || fail "too few commands to check it again"
  run env PATH="$(dirname "$ASSAY"):$PATH" bash -e -o pipefail "$WORK/check-again.sh"
  expect_code 0
  run "$ASSAY" report demo/vendor-model@v1 -o "$WORK/report.page" --format md "${DEMO[@]}"
  expect_code 0
  # The same page but for the second it was made in (the two runs may straddle one).
  local made='s/Report made at [0-9T:-]*Z by/Report made at TIME by/'
  cmp -s <(sed "$made" "$WORK/report.md") <(sed "$made" "$WORK/report.page") || fail "--format md differs from a .md file name"
  run "$ASSAY" report demo/vendor-model@v1 -o "$WORK/r.html" --format pdf "${DEMO[@]}"
  expect_code 2
  run "$ASSAY" report nosuch/model -o "$WORK/none.html" "${DEMO[@]}"
  expect_code 2
  [[ ! -e "$WORK/none.html" ]] || fail "a report of no model was written"
}
check "the report as Markdown, told from the file name or --format" report_is_markdown_too

# A benchmark named with HTML (and a sample holding a script) is text on the
# page and in the Markdown, never markup.
record_text_is_never_markup() {
  "$PYTHON" - "$WORK/hostile.jsonl" <<'PY'
import json, sys
name = "<script>alert(1)</script><b>bold</b>"
lines = [{"assay_transcript": 1, "benchmark": {"name": name, "version": "1"}, "harness": {"name": "h"},
          "metrics": [{"name": "acc", "value": 0.5, "stderr": 0.25, "aggregation": "mean"}], "sample_count": 2}]
lines += [{"id": f"s{i}", "input": "<img src=x onerror=alert(1)>", "target": "1", "response": r, "metrics": {"acc": a}}
          for i, (r, a) in enumerate([("1", 1.0), ("0", 0.0)])]
open(sys.argv[1], "w").write("".join(json.dumps(line) + "\n" for line in lines))
PY
  run "$ASSAY" attest claim "$WORK/hostile.jsonl" --model demo/vendor-model@v1 --key "$WORK/assay-demo/keys/vendor.key" \
    "${DEMO[@]}"
  expect_code 0
  run "$ASSAY" report demo/vendor-model@v1 -o "$WORK/hostile.html" "${DEMO[@]}"
  expect_code 0
  run "$PYTHON" "$E2E_DIR/report_check.py" "$WORK/hostile.html" "$WORK/hostile-shots" 1280 \
    --literal "<script>alert(1)</script><b>bold</b>"
  expect_code 0
  grep -qF "&lt;script&gt;alert(1)&lt;/script&gt;" "$WORK/hostile.html" || fail "the HTML is not escaped"
  run "$ASSAY" report demo/vendor-model@v1 -o "$WORK/hostile.md" "${DEMO[@]}"
  grep -qF '\<script\>alert(1)\</script\>' "$WORK/hostile.md" || fail "the Markdown does not escape the HTML"
  grep -qF '<script>' "$WORK/hostile.md" && fail "the Markdown holds a raw <script>"
  return 0
}
check "a record's text that is HTML shows as text" record_text_is_never_markup

finish
