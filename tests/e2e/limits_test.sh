#!/bin/bash
# End-to-end: every size a file states is bounded before assay allocates for
# it (issue 16, item 2). Each hostile file below is small, or sparse (a
# gigabyte that takes no disk), and each is refused with a one-line error
# naming it, exit 2, within a bounded memory: the limit below is what a
# correct reader needs many times over, far under what the size stated asks.
# The peak memory and time of each are printed (tests/README.md keeps them).
source "$(dirname "$0")/lib.sh"
require_tool git
cd "$WORK"
MAX_RSS_KB=$((1024 * 1024))  # 1 GiB, against 10 GB to 2^62 bytes stated

# refused NAME WORD... -- COMMAND...: COMMAND exits 2 with one error line that
# names each WORD, having peaked under MAX_RSS_KB.
refused() {
  local name=$1 words=()
  shift
  while [[ "$1" != -- ]]; do words+=("$1"); shift; done
  shift
  run /usr/bin/time -f "%M %e" -o "$WORK/time" "$@"
  expect_code 2
  # time(1) adds no line of its own when the command exits by itself.
  expect_one_line_error "${words[@]}"
  local rss seconds
  # The last line: time(1) says "Command exited with non-zero status 2" before it.
  read -r rss seconds < <(tail -n 1 "$WORK/time")
  ((rss < MAX_RSS_KB)) || fail "$name: peak memory $rss KiB"
  printf '  %-34s peak %6d KiB  %5s s\n' "$name" "$rss" "$seconds" >&2
}

safetensors_header_of_100_gb() {
  mkdir -p st
  "$PYTHON" -c 'import struct, sys; sys.stdout.buffer.write(struct.pack("<Q", 100 * 10**9) + b"{}")' >st/model.safetensors
  refused "safetensors header of 100 GB" "st/model.safetensors" "exceeds the limit" -- "$ASSAY" attest model st --unsigned
}
check "a safetensors header claiming 100 GB is refused before it is read" safetensors_header_of_100_gb

gguf_counts_and_strings() {
  mkdir -p tensors strings
  # 2^60 tensors in a file of 24 bytes; a key whose length is 2^62 bytes.
  "$PYTHON" -c 'import struct, sys; sys.stdout.buffer.write(b"GGUF" + struct.pack("<IQQ", 3, 1 << 60, 0))' \
    >tensors/model.gguf
  "$PYTHON" -c 'import struct, sys; sys.stdout.buffer.write(b"GGUF" + struct.pack("<IQQQ", 3, 0, 1, 1 << 62) + b"key")' \
    >strings/model.gguf
  refused "gguf of 2^60 tensors" "tensors/model.gguf" -- "$ASSAY" attest model tensors --unsigned
  refused "gguf string of 2^62 bytes" "strings/model.gguf" -- "$ASSAY" attest model strings --unsigned
}
check "a GGUF claiming 2^60 tensors or a 2^62-byte string is refused" gguf_counts_and_strings

json_nested_100000_deep() {
  "$PYTHON" -c 'import sys; sys.stdout.write("{\"results\": " + "[" * 100000 + "]" * 100000 + "}")' \
    >results_2026-01-01T00-00-00.json
  refused "JSON nested 100,000 deep" "results_2026-01-01T00-00-00.json" -- \
    "$ASSAY" compare-transcripts results_2026-01-01T00-00-00.json results_2026-01-01T00-00-00.json
}
check "JSON nested 100,000 deep is refused, not recursed into" json_nested_100000_deep

samples_line_of_1_gb() {
  mkdir -p run
  local samples=run/samples_t_2026-01-01T00-00-00.jsonl
  # A real gigabyte of text on line 1 (a sparse file would be NUL bytes,
  # refused at the first), then a second line.
  { printf '{"doc_id": 0, "doc": "'; head -c 1G /dev/zero | tr '\0' a; printf '"}\n{"doc_id": 1}\n'; } >"$samples"
  refused "samples line of 1 GB" "$samples" "line 1 is longer than 16 MiB" -- \
    "$ASSAY" compare-transcripts "$samples" "$samples"
  rm -f "$samples"
}
check "a samples line of 1 GB is refused at the line limit" samples_line_of_1_gb

# A JSON document is parsed whole, in several times its size: one of 1 GB
# (sparse) is refused by its size, before a byte of it is read.
json_document_of_1_gb() {
  printf '{"results": "' >big_2026-01-01T00-00-00.json
  truncate -s 1G big_2026-01-01T00-00-00.json
  refused "JSON eval log of 1 GB" "big_2026-01-01T00-00-00.json" "more than the 256 MiB assay parses whole" -- \
    "$ASSAY" compare-transcripts big_2026-01-01T00-00-00.json big_2026-01-01T00-00-00.json
}
check "a JSON eval log of 1 GB is refused by its size" json_document_of_1_gb

zip_bomb_of_10_gb() {
  # An Inspect .eval whose sample member says 1,000 bytes and inflates to
  # 10 GiB: a zstd frame of RLE blocks, 4 bytes per 128 KiB of zeros.
  "$PYTHON" - bomb.eval <<'PY'
import json, struct, sys, zlib
block = 128 << 10
frame = struct.pack("<IBB", 0xFD2FB528, 0x00, 7 << 3)  # no content size, a 128 KiB window
blocks = (10 << 30) // block
for i in range(blocks):
    header = (1 if i == blocks - 1 else 0) | (1 << 1) | (block << 3)  # last?, RLE, size
    frame += struct.pack("<I", header)[:3] + b"\0"
header_json = json.dumps({"version": 2, "status": "success", "eval": {"task": "t", "dataset": {"samples": 1}},
                          "results": {"scores": []}}).encode()
members = [("header.json", 0, header_json, len(header_json), zlib.crc32(header_json)),
           ("samples/1_epoch_1.json", 93, frame, 1000, 0)]
out, directory = b"", b""
for name, method, data, size, crc in members:
    fields = struct.pack("<HHHHHIIIHH", 20, 0, method, 0, 0, crc, len(data), size, len(name), 0)
    directory += b"PK\x01\x02" + struct.pack("<H", 20) + fields + struct.pack("<HHHII", 0, 0, 0, 0, len(out)) + name.encode()
    out += b"PK\x03\x04" + fields + name.encode() + data
out += directory + b"PK\x05\x06" + struct.pack("<HHHHIIH", 0, 0, len(members), len(members), len(directory), len(out), 0)
open(sys.argv[1], "wb").write(out)
PY
  refused "zip member inflating to 10 GiB" "bomb.eval" "samples/1_epoch_1.json" -- \
    "$ASSAY" compare-transcripts bomb.eval bomb.eval
}
check "a zip member inflating to 10 GiB is refused at the member limit" zip_bomb_of_10_gb

pointer_of_1_gb() {
  git init -q checkout
  printf 'version https://git-lfs.github.com/spec/v1\noid sha256:' >checkout/model.safetensors
  truncate -s 1G checkout/model.safetensors
  refused "LFS pointer of 1 GB" "model.safetensors" "more than a pointer's 1024" -- "$ASSAY" diff checkout checkout
}
check "a pointer file of 1 GB is refused without being read" pointer_of_1_gb

finish
