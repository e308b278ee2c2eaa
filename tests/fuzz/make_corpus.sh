#!/bin/bash
# Writes the seed corpora, tests/fuzz/corpus/TARGET/, from files assay itself
# writes (a fresh `assay demo`: records, keys, signatures, notes, logs,
# transcripts, proofs, pointers) and small files made here to each format's
# spec (docs/spec). Seeds are named by their SHA-1, as libFuzzer names what
# it finds; a seed already there is kept. Run by hand after a format changes:
#   bash tests/fuzz/make_corpus.sh build/assay
# (../shared/realdata is never copied in: tests/fuzz/run.sh reads it in place.)
# The spec's test vectors (docs/spec/*-vectors.json) seed the JSON readers.
set -euo pipefail
ASSAY=$(realpath "${1:?usage: make_corpus.sh ASSAY}")
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
export ASSAY_CONFIG_DIR="$WORK/config" ASSAY_CACHE_DIR="$WORK/cache" NO_COLOR=1
"$ASSAY" demo --dir demo >/dev/null 2>&1
D=demo
L=(--ledger "$D/ledger" --trust "$D/trust")
claim=$("$ASSAY" log --long "${L[@]}" | awk '$4 == "claim" && $5 == "demo-qa" {id = $2} END {print id}')
"$ASSAY" prove sample "$claim" q00042 --transcript "$D/vendor-claim.transcript.jsonl" --ledger "$D/ledger" > proof.json
"$ASSAY" export "$claim" --bundle bundle.intoto.jsonl "${L[@]}" >/dev/null
echo "release notes" > notes.txt
"$ASSAY" sign notes.txt --key "$D/keys/vendor.key" >/dev/null
"$ASSAY" attest checkpoint --ledger "$D/ledger" --key "$D/keys/vendor.key" -o checkpoint.note >/dev/null
"$ASSAY" key export-public --key "$D/keys/vendor.pub" --format ssh > vendor.ssh.pub
"$ASSAY" key export-public --key "$D/keys/vendor.pub" --format allowed-signers --name vendor > allowed_signers
mkdir -p records
for path in $(git -C "$D/ledger" ls-tree -r --name-only HEAD); do
  git -C "$D/ledger" show "HEAD:$path" > "records/$(basename "$path")"
done
git -C "$D/ledger" cat-file commit HEAD | sed -n '/^gpgsig /,/END SSH SIGNATURE/p' | sed 's/^gpgsig //; s/^ //' > commit.sshsig
git -C "$D/hub-checkout" show HEAD:model-00001-of-00002.safetensors > pointer.txt

python3 - "$HERE/corpus" "$WORK" <<'PY'
import base64, glob, hashlib, io, json, os, struct, sys, zipfile
corpus, work = sys.argv[1], sys.argv[2]
D = os.path.join(work, "demo")

def seed(target, data):
    if isinstance(data, str):
        data = data.encode()
    folder = os.path.join(corpus, target)
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, hashlib.sha1(data).hexdigest())
    if not os.path.exists(path):
        open(path, "wb").write(data)

def read(path, limit=None):
    data = open(path, "rb").read()
    return data if limit is None else data[:limit]

def first_lines(path, n):
    return b"".join(open(path, "rb").readlines()[:n])

CUT = b"\n----8<----\n"

# Records and what they hold.
records = sorted(glob.glob(os.path.join(work, "records", "*")))
for path in records:
    envelope = read(path)
    seed("dsse", envelope)
    seed("record", envelope)
    seed("strict_json", envelope)
    statement = base64.b64decode(json.loads(envelope)["payload"])
    seed("statement", statement)
    seed("record", statement)
    seed("strict_json", statement)
seed("evidence_bundle", read(os.path.join(work, "bundle.intoto.jsonl")))
seed("sample_proof", read(os.path.join(work, "proof.json")))

# Keys, signatures, notes, the trust file.
for name in ("vendor", "evaluator"):
    seed("minisign_public_key", read(os.path.join(D, "keys", name + ".pub")))
    seed("minisign_secret_key", read(os.path.join(D, "keys", name + ".key")))
seed("minisign_signature", read(os.path.join(work, "notes.txt.minisig")))
seed("ssh_public_key", read(os.path.join(work, "vendor.ssh.pub")))
seed("ssh_public_key", read(os.path.join(work, "allowed_signers")).split(b" ", 2)[2])
seed("sshsig", read(os.path.join(work, "commit.sshsig")))
seed("signed_note", read(os.path.join(work, "checkpoint.note")))
seed("trust_file", read(os.path.join(D, "trust")))
# A note verifier key (signed-note's "vkey") for the vendor's Ed25519 key.
public = base64.b64decode(read(os.path.join(D, "keys", "vendor.pub")).splitlines()[1])[10:]
name = b"assay.invalid/ledger"
key_hash = hashlib.sha256(name + b"\n" + b"\x01" + public).digest()[:4]
seed("note_verifier_key", name + b"+" + key_hash.hex().encode() + b"+" + base64.b64encode(b"\x01" + public))

# Pointers and weight files.
seed("lfs_pointer", read(os.path.join(work, "pointer.txt")))
seed("safetensors_index", read(os.path.join(D, "vendor-model", "model.safetensors.index.json")))

def safetensors(tensors, metadata=None):
    header, data = {}, b""
    if metadata is not None:
        header["__metadata__"] = metadata
    for name, dtype, shape, raw in tensors:
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [len(data), len(data) + len(raw)]}
        data += raw
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    return struct.pack("<Q", len(text)) + text + data

small = safetensors([("a.weight", "F32", [2, 2], struct.pack("<4f", 1, 2, 3, 4)),
                     ("b.bias", "BF16", [3], b"\x80\x3f" * 3)], {"format": "pt"})
seed("safetensors", small)
seed("model_folder", small)
seed("safetensors", safetensors([("x", "I8", [0], b"")]))

def gguf_string(text):
    return struct.pack("<Q", len(text)) + text.encode()

def gguf(kvs, tensors, alignment=32):
    out = b"GGUF" + struct.pack("<IQQ", 3, len(tensors), len(kvs))
    for key, kind, value in kvs:
        out += gguf_string(key) + struct.pack("<I", kind) + value
    offset, data = 0, b""
    for name, ggml_type, shape, raw in tensors:
        out += gguf_string(name) + struct.pack("<I", len(shape)) + struct.pack("<%dQ" % len(shape), *shape)
        out += struct.pack("<IQ", ggml_type, offset)
        padded = raw + b"\0" * (-len(raw) % alignment)
        data += padded
        offset += len(padded)
    out += b"\0" * (-len(out) % alignment)
    return out + data

tiny = gguf([("general.architecture", 8, gguf_string("llama")), ("general.alignment", 4, struct.pack("<I", 32)),
             ("tokenizer.ggml.tokens", 9, struct.pack("<IQ", 8, 2) + gguf_string("a") + gguf_string("b"))],
            [("token_embd.weight", 0, [2, 2], struct.pack("<4f", 1, 2, 3, 4)),
             ("output_norm.weight", 1, [2], struct.pack("<2e", 1, 2))])
seed("gguf", tiny)
seed("model_folder", tiny)

# JSON, strict and lenient: the spec's test vectors, and edge cases.
for path in sorted(glob.glob(os.path.join(os.path.dirname(corpus), "..", "..", "docs", "spec", "*-vectors.json"))):
    seed("strict_json", read(path))
    seed("lenient_json", read(path))
for text in ('{"a": [1, 2.5, "x", true, null], "b": {"c": "\\u00e9"}}', '[]', '"\\ud83d\\ude00"', "1e308"):
    seed("strict_json", text)
    seed("lenient_json", text)
for text in ('{"acc": NaN, "stderr": Infinity, "x": -Infinity}', '{"a": 1,}'):
    seed("lenient_json", text)

# Eval logs: the demo's lm-eval run, its transcripts and openings.
run = os.path.join(D, "vendor-lm-eval", "demo__vendor-model")
results = glob.glob(os.path.join(run, "results_*.json"))[0]
samples = sorted(glob.glob(os.path.join(run, "samples_*.jsonl")))
seed("eval_log_json", read(results))
seed("lenient_json", read(results))
seed("lm_eval_samples", first_lines(samples[0], 4))
seed("eval_log_jsonl", first_lines(samples[0], 4))
seed("lm_eval_run", read(results) + CUT + read(samples[0]))
seed("lm_eval_run", read(results) + CUT + first_lines(samples[1], 3))
for name in ("vendor-eval.jsonl", "endpoint-eval.jsonl"):
    seed("eval_log_jsonl", first_lines(os.path.join(D, name), 6))
for name in ("vendor-claim.transcript.jsonl", "vendor-mmlu.transcript.jsonl"):
    seed("transcript_opening", first_lines(os.path.join(D, name), 6))

# Inspect, as docs/spec/eval-logs.md describes it: a JSON log and a .eval zip.
header = {"version": 2, "status": "success",
          "eval": {"task": "demo/qa", "task_version": "1", "model": "hf/org/model",
                   "dataset": {"name": "org/qa", "samples": 2, "sample_ids": [1, 2]},
                   "config": {"epochs": 1}, "packages": {"inspect_ai": "0.3.210"}},
          "plan": {"name": "plan", "steps": [{"solver": "generate", "params": {}}], "config": {}},
          "results": {"total_samples": 2, "completed_samples": 2, "scores": [
              {"name": "match", "scorer": "match",
               "metrics": {"accuracy": {"name": "accuracy", "value": 0.5}, "stderr": {"name": "stderr", "value": 0.5}}}]}}
inspect_samples = [{"id": i, "epoch": 1, "input": "q%d" % i, "target": "t", "output": {"completion": "a"},
                    "scores": {"match": {"value": "C" if i == 1 else "I"}}} for i in (1, 2)]
seed("eval_log_json", json.dumps(dict(header, samples=inspect_samples)))
for method in (zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED):
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", method) as z:
        z.writestr("header.json", json.dumps(header))
        for sample in inspect_samples:
            z.writestr("samples/%d_epoch_1.json" % sample["id"], json.dumps(sample))
        z.writestr("reductions.json", "[]")
    seed("inspect_eval", archive.getvalue())
    seed("zip", archive.getvalue())

# HELM: a run of two instances, its five files in the target's order.
adapter = {"method": "multiple_choice_joint", "model": "org/model", "model_deployment": "huggingface/model",
           "max_train_instances": 0, "max_eval_instances": 2, "max_tokens": 1, "num_outputs": 1, "temperature": 0.0}
run_spec = {"name": "qa:model=org_model", "scenario_spec": {"class_name": "demo.QaScenario", "args": {}},
            "adapter_spec": adapter, "groups": ["qa"],
            "metric_specs": [{"class_name": "helm.benchmark.metrics.basic_metrics.BasicMetric",
                              "args": {"names": ["exact_match"]}}]}
def instance(i):
    return {"instance": {"input": {"text": "q%d" % i},
                         "references": [{"output": {"text": "yes"}, "tags": ["correct"]}, {"output": {"text": "no"}, "tags": []}],
                         "split": "valid", "id": "id%d" % i},
            "train_trial_index": 0, "output_mapping": {"A": "yes", "B": "no"},
            "request": {"model": "org/model", "prompt": "q%d\nAnswer:" % i},
            "result": {"success": True, "completions": [{"text": " A"}]}}
def stat(name, value):
    return {"name": {"name": name, "split": "valid"}, "count": 1, "sum": value, "sum_squared": value * value,
            "min": value, "max": value, "mean": value, "variance": 0.0, "stddev": 0.0}
state = {"adapter_spec": adapter, "request_states": [instance(1), instance(2)]}
per_instance = [{"instance_id": "id%d" % i, "train_trial_index": 0, "stats": [stat("exact_match", 1.0)]} for i in (1, 2)]
stats = [stat("exact_match", 1.0)]
files = [run_spec, {"name": "qa"}, state, per_instance, stats]
seed("helm_run", CUT.join(json.dumps(f).encode() for f in files))
PY
echo "seeds: $(find "$HERE/corpus" -type f | wc -l) in $(ls "$HERE/corpus" | wc -l) corpora"
