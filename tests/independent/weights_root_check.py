#!/usr/bin/python3
"""An independent implementation of the weights root (docs/spec/weights-root.md),
written from the spec alone, checked against the vectors that the C++ tests check too.

Run: /usr/bin/python3 tests/independent/weights_root_check.py docs/spec/weights-root-vectors.json
With --write it fills in the expected values instead (used once, to make the file).
"""
import hashlib
import json
import struct
import sys


def leaf(name, dtype, shape, tensor_bytes):
    name, dtype = name.encode(), dtype.encode()
    out = struct.pack(">I", len(name)) + name + struct.pack(">I", len(dtype)) + dtype
    out += struct.pack(">I", len(shape)) + b"".join(struct.pack(">Q", d) for d in shape)
    return out + hashlib.sha256(tensor_bytes).digest()


def root(leaf_hashes):
    if not leaf_hashes:
        return hashlib.sha256(b"").digest()
    if len(leaf_hashes) == 1:
        return leaf_hashes[0]
    k = 1
    while k * 2 < len(leaf_hashes):
        k *= 2
    return hashlib.sha256(b"\x01" + root(leaf_hashes[:k]) + root(leaf_hashes[k:])).digest()


def compute(vector):
    tensors = sorted(vector["tensors"], key=lambda t: t["name"].encode())
    leaves = [leaf(t["name"], t["dtype"], t["shape"], bytes.fromhex(t["bytes_hex"])) for t in tensors]
    hashes = [hashlib.sha256(b"\x00" + l).digest() for l in leaves]
    return [l.hex() for l in leaves], root(hashes).hex()


def main():
    path = sys.argv[1]
    vectors = json.load(open(path, encoding="utf-8"))
    failures = 0
    for vector in vectors:
        leaves, weights_root = compute(vector)
        if "--write" in sys.argv:
            vector["leaves_hex"], vector["weights_root"] = leaves, weights_root
        elif (leaves, weights_root) != (vector["leaves_hex"], vector["weights_root"]):
            print(f"FAIL {vector['description']}: got {weights_root}")
            failures += 1
    if "--write" in sys.argv:
        with open(path, "w", encoding="utf-8") as out:
            json.dump(vectors, out, indent=2)
            out.write("\n")
    print(f"{len(vectors) - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
