#!/bin/bash
# End-to-end: the real files of ../shared/realdata/weights (its README.md gives
# the facts), copied into temp folders at test time, never into the repo.
# Reported skipped (exit 77) when that folder is absent.
source "$(dirname "$0")/lib.sh"
require_realdata
REAL="$ASSAY_REALDATA_DIR/weights"

real_abuse_file_refused() {
  mkdir "$WORK/abuse"
  cp "$REAL/safetensors-cpp_abuse_attempt_1.safetensors" "$WORK/abuse/"
  expect_refused "$WORK/abuse" 2 safetensors-cpp_abuse_attempt_1.safetensors
}
check "real abuse file refused" real_abuse_file_refused

real_files_attest() {
  mkdir "$WORK/real"
  cp "$REAL/candle_csm_voices.safetensors" "$REAL/llama-2-tiny-random.gguf" "$REAL/ggml-vocab-llama-spm.gguf" \
    "$WORK/real/"
  attest_json "$WORK/real" "$WORK/real.json"
  expect_valid_statement "$WORK/real.json"
  "$PYTHON" - "$WORK/real.json" "$REAL/README.md" <<'EOF' || fail "real files: wrong tensor counts or digests"
import json, sys
s = json.load(open(sys.argv[1], encoding="utf-8"))["predicate"]
readme = {}  # file -> sha256, from the README's table
for line in open(sys.argv[2], encoding="utf-8"):
    cells = [c.strip() for c in line.split("|")]
    if len(cells) > 4 and cells[1].endswith((".safetensors", ".gguf")):
        readme[cells[1]] = cells[3]
files = {f["path"]: f for f in s["files"]}
counts = {path: len(f["tensors"]) for path, f in files.items()}
assert counts == {"candle_csm_voices.safetensors": 2, "llama-2-tiny-random.gguf": 12,
                  "ggml-vocab-llama-spm.gguf": 0}, counts
assert all(files[p]["sha256"] == readme[p] for p in files), "digest differs from README.md"
roots = {r["format"]: r["tensorCount"] for r in s["weightsRoots"]}
assert roots == {"safetensors": 2, "gguf": 12}, roots
EOF
}
check "real files attest with the README's tensor counts and digests" real_files_attest
finish
