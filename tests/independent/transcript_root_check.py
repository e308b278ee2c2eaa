#!/usr/bin/python3
"""An independent implementation of the transcript root (docs/spec/transcript-root.md),
written from the spec alone, checked against the vectors that the C++ tests check too.

Canonical JSON is Python's own json.dumps(sort_keys=True, separators=(",", ":"),
ensure_ascii=False), with two rules of the spec added:
  - NaN, Infinity and -Infinity are written as the strings "NaN", "Infinity", "-Infinity";
  - a JSON integer that does not fit in 64 bits (below -2**63 or above 2**64 - 1) is
    read as a double, as the C++ side's parser reads it.
Doubles need nothing more: Python's repr(float) is the spec's number form (the C++
side reproduces it, rather than using its JSON library's own, slightly different,
output).

Run: /usr/bin/python3 tests/independent/transcript_root_check.py docs/spec/transcript-root-vectors.json
"""
import hashlib
import json
import math
import sys

NON_FINITE = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}


def parse_int(text):
    value = int(text)
    return value if -(2**63) <= value <= 2**64 - 1 else float(text)


def refuse_constant(name):
    raise ValueError(f"{name} is not JSON")


def loads(text):
    return json.loads(text, parse_int=parse_int, parse_constant=refuse_constant)


def name_non_finite(value):
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    if isinstance(value, dict):
        return {key: name_non_finite(item) for key, item in value.items()}
    if isinstance(value, list):
        return [name_non_finite(item) for item in value]
    return value


def canonical(value):
    text = json.dumps(name_non_finite(value), sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False, allow_nan=False)
    text.encode("utf-8")  # raises on a lone surrogate: not valid UTF-8
    return text


def with_non_finite_doubles(value):
    """The vectors' convention: these strings stand for the doubles a log reader gives."""
    if isinstance(value, str):
        return NON_FINITE.get(value, value)
    if isinstance(value, dict):
        return {key: with_non_finite_doubles(item) for key, item in value.items()}
    if isinstance(value, list):
        return [with_non_finite_doubles(item) for item in value]
    return value


def leaf_object(entry):
    metrics = {key: float(NON_FINITE.get(v, v)) for key, v in loads(entry["metricsJson"]).items()}
    return {"id": entry["id"], "inputDigest": entry["inputDigest"], "outputDigest": entry["outputDigest"],
            "metrics": metrics, "sample": with_non_finite_doubles(loads(entry["sampleJson"]))}


def sha256(data):
    return hashlib.sha256(data).digest()


def tree_root(hashes):
    """RFC 6962 section 2.1: split at the largest power of two below n."""
    if not hashes:
        return sha256(b"")
    if len(hashes) == 1:
        return hashes[0]
    k = 1
    while k * 2 < len(hashes):
        k *= 2
    return sha256(b"\x01" + tree_root(hashes[:k]) + tree_root(hashes[k:]))


def audit_path(hashes, index):
    """RFC 6962 section 2.1.1 PATH(m, D[n]), bottom first."""
    if len(hashes) <= 1:
        return []
    k = 1
    while k * 2 < len(hashes):
        k *= 2
    if index < k:
        return audit_path(hashes[:k], index) + [tree_root(hashes[k:])]
    return audit_path(hashes[k:], index - k) + [tree_root(hashes[:k])]


def root_from_path(leaf_hash, index, size, path):
    """RFC 9162 section 2.1.3.2: the verifier's side, kept apart from audit_path."""
    if index >= size:
        return None
    fn, sn, node = index, size - 1, leaf_hash
    for sibling in path:
        if sn == 0:
            return None
        if fn % 2 == 1 or fn == sn:
            node = sha256(b"\x01" + sibling + node)
            while fn % 2 == 0 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            node = sha256(b"\x01" + node + sibling)
        fn, sn = fn >> 1, sn >> 1
    return node if sn == 0 else None


def check_lm_eval_task_ids(vector):
    """idScheme lm-eval-task (docs/spec/claim-v2.md): TASK/DOC_ID/FILTER, the task
    ending at the first '/', and the one the sample itself names."""
    for entry in vector["samples"]:
        task, doc_id, filter_name = entry["id"].split("/", 2)
        sample = loads(entry["sampleJson"])
        if (task, doc_id, filter_name) != (sample["task"], str(sample["doc_id"]), sample["filter"]):
            raise ValueError(f"id {entry['id']} is not the sample's TASK/DOC_ID/FILTER")


def compute_transcript(vector):
    if vector.get("idScheme") == "lm-eval-task":
        check_lm_eval_task_ids(vector)
    entries = sorted(vector["samples"], key=lambda e: e["id"].encode("utf-8"))
    ids = [e["id"] for e in entries]
    if len(set(ids)) != len(ids) or not ids:
        raise ValueError("sample ids must be unique and there must be at least one")
    leaves, hashes = [], []
    for entry in entries:
        text = canonical(leaf_object(entry))
        leaf_hash = sha256(b"\x00" + bytes.fromhex(entry["salt"]) + text.encode("utf-8"))
        leaves.append({"id": entry["id"], "canonical": text, "leafHash": leaf_hash.hex()})
        hashes.append(leaf_hash)
    root = tree_root(hashes)
    proofs = [[node.hex() for node in audit_path(hashes, i)] for i in range(len(hashes))]
    for i, path in enumerate(proofs):
        assert root_from_path(hashes[i], i, len(hashes), [bytes.fromhex(p) for p in path]) == root
    return leaves, root.hex(), proofs


def main():
    vectors = json.load(open(sys.argv[1], encoding="utf-8"))
    failures, checked = 0, 0
    for vector in vectors["canonicalJson"]:
        checked += 1
        got = canonical(loads(vector["input"]))
        if got != vector["canonical"]:
            print(f"FAIL canonical JSON, {vector['description']}:\n  got      {got}\n  expected {vector['canonical']}")
            failures += 1
    for vector in vectors["transcripts"]:
        checked += 1
        leaves, root, proofs = compute_transcript(vector)
        if (leaves, root, proofs) != (vector["leaves"], vector["root"], vector["inclusionProofs"]):
            print(f"FAIL transcript, {vector['description']}: got root {root}")
            for got, expected in zip(leaves, vector["leaves"]):
                if got != expected:
                    print(f"  leaf {got['id']}:\n    got      {got['canonical']}\n    expected {expected['canonical']}")
            failures += 1
    print(f"{checked - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
