#!/usr/bin/python3
"""Writes model files for the end-to-end tests: safetensors files (any tensors,
any header key order, any split into shards), shard indexes, GGUF files, and
hostile variants of both formats. Written from the public format descriptions
(docs/spec/safetensors.md, docs/spec/gguf.md), not from assay's code.

Run with Debian's /usr/bin/python3. Tensor bytes are deterministic: they come
from SHA-256 of the tensor's name and --seed, so two runs that name the same
tensor write the same bytes whatever file or position it lands in.

A TENSOR argument is NAME=DTYPE:SHAPE, SHAPE being dimensions joined by 'x'
("w=F32:4x8"; "s=F32:" is a scalar; "e=U8:0" is empty), or just NAME for one
of the standard tensors below.

  fixtures.py safetensors FILE [--key-order K] [--data-order K] [--flip NAME] TENSOR...
  fixtures.py weights DIR --shards N [--names PATTERN] [--key-order K] [--flip NAME] [--index]
      the standard tensors split into N shards; PATTERN is a str.format
      pattern of i (1-based) and n, default model-{i:05d}-of-{n:05d}.safetensors
  fixtures.py index FILE TENSOR_NAME=SHARD...
  fixtures.py gguf FILE [--flip NAME] [TENSOR...]   (dtypes F32, F16; dims innermost first)
  fixtures.py hostile KIND FILE                      (KIND: see HOSTILE below)

K is one of: sorted, reverse, shuffled (a fixed shuffle).
"""
import argparse
import hashlib
import json
import os
import random
import struct
import sys

# The standard tensor set: several dtypes, a scalar and an empty tensor.
STANDARD = [
    "embed.weight=BF16:16x8",
    "layers.0.attn.q.weight=F32:8x8",
    "layers.0.attn.k.weight=F16:4x8",
    "layers.0.norm.weight=F32:8",
    "layers.1.mlp.up.weight=BF16:8x12",
    "layers.1.norm.weight=F32:8",
    "lm_head.weight=F16:16x8",
    "step=I64:",
    "unused=U8:0",
]

SAFETENSORS_BYTES = {"BOOL": 1, "U8": 1, "I8": 1, "I16": 2, "U16": 2, "F16": 2, "BF16": 2,
                     "I32": 4, "U32": 4, "F32": 4, "I64": 8, "U64": 8, "F64": 8}
GGML_TYPES = {"F32": (0, 4), "F16": (1, 2)}  # name -> (type id, bytes per element)


class Tensor:
    def __init__(self, spec, seed):
        name, _, rest = spec.partition("=")
        if not rest:
            rest = next(s.partition("=")[2] for s in STANDARD if s.partition("=")[0] == name)
        self.name = name
        self.dtype, _, shape = rest.partition(":")
        self.shape = [int(d) for d in shape.split("x")] if shape else []
        self.seed = seed

    def data(self, element_bytes):
        count = 1
        for d in self.shape:
            count *= d
        size = count * element_bytes
        out = bytearray()
        block = 0
        while len(out) < size:
            out += hashlib.sha256(f"{self.seed}/{self.name}/{block}".encode()).digest()
            block += 1
        return bytes(out[:size])


def ordered(items, order, key):
    items = sorted(items, key=key)
    if order == "reverse":
        items.reverse()
    elif order == "shuffled":
        random.Random(7).shuffle(items)
    return items


def flip_first_bit(data):
    return bytes([data[0] ^ 0x01]) + data[1:] if data else data


def safetensors_bytes(tensors, key_order="sorted", data_order="sorted", flip=None, metadata=None):
    """A valid safetensors file; key_order orders the header, data_order the data area."""
    data, offsets = b"", {}
    for t in ordered(tensors, data_order, key=lambda t: t.name.encode()):
        blob = t.data(SAFETENSORS_BYTES[t.dtype])
        if t.name == flip:
            blob = flip_first_bit(blob)
        offsets[t.name] = [len(data), len(data) + len(blob)]
        data += blob
    entries = [(t.name, {"dtype": t.dtype, "shape": t.shape, "data_offsets": offsets[t.name]})
               for t in tensors]
    entries = ordered(entries, key_order, key=lambda e: e[0].encode())
    if metadata is not None:
        entries.insert(len(entries) // 2, ("__metadata__", metadata))
    header = "{" + ",".join(json.dumps(k) + ":" + json.dumps(v) for k, v in entries) + "}"
    return raw_safetensors(header, data)


def raw_safetensors(header_text, data, declared_length=None):
    """Header padded with spaces to a multiple of 8, as the reference writer does."""
    header = header_text.encode()
    header += b" " * (-len(header) % 8)
    length = len(header) if declared_length is None else declared_length
    return struct.pack("<Q", length) + header + data


def gguf_string(text):
    raw = text.encode() if isinstance(text, str) else text
    return struct.pack("<Q", len(raw)) + raw


def gguf_bytes(tensors, flip=None, alignment=32):
    """A valid GGUF v3 file with two string metadata keys and the given tensors."""
    metadata = [("general.architecture", "llama"), ("general.name", "e2e-fixture")]
    out = b"GGUF" + struct.pack("<IQQ", 3, len(tensors), len(metadata))
    for key, value in metadata:
        out += gguf_string(key) + struct.pack("<I", 8) + gguf_string(value)
    blobs, offset = [], 0
    for t in tensors:
        type_id, element_bytes = GGML_TYPES[t.dtype]
        blob = t.data(element_bytes)
        if t.name == flip:
            blob = flip_first_bit(blob)
        out += gguf_string(t.name) + struct.pack("<I", len(t.shape))
        out += b"".join(struct.pack("<Q", d) for d in t.shape)
        out += struct.pack("<IQ", type_id, offset)
        blob += b"\0" * (-len(blob) % alignment)
        blobs.append(blob)
        offset += len(blob)
    if tensors:
        out += b"\0" * (-len(out) % alignment)
    return out + b"".join(blobs)


def tensor_specs(specs, seed):
    return [Tensor(s, seed) for s in (specs or STANDARD)]


def split(items, n):
    """n contiguous, non-empty-as-possible runs of items, in order."""
    size, extra = divmod(len(items), n)
    runs, start = [], 0
    for i in range(n):
        end = start + size + (1 if i < extra else 0)
        runs.append(items[start:end])
        start = end
    return runs


# Hostile files, one problem each (docs/spec/safetensors.md rules, docs/spec/gguf.md table).
def hostile(kind):
    one = [Tensor("w=F32:2x2", 0)]
    good = safetensors_bytes(one)
    floats = one[0].data(4)

    def header(entries):  # a header whose tensors all use F32 [2]
        return "{" + ",".join(f'"{n}":{{"dtype":"F32","shape":[2],"data_offsets":[{b},{e}]}}'
                              for n, b, e in entries) + "}"

    cases = {
        # shorter than the 8-byte length prefix
        "st-short-prefix": lambda: good[:5],
        # a valid file cut in the middle of its header
        "st-short-header": lambda: good[:20],
        # the length prefix says more than the whole file holds
        "st-header-length-too-large": lambda: raw_safetensors(header([("w", 0, 8)]), floats[:8],
                                                              declared_length=1000),
        # a tensor's data_offsets run past the end of the data area
        "st-offset-out-of-range": lambda: raw_safetensors(header([("w", 0, 8), ("v", 8, 16)]), floats[:8]),
        # two tensors share bytes 4..8
        "st-overlap": lambda: raw_safetensors(
            '{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},'
            '"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}', floats[:12]),
        # bytes 8..12 belong to no tensor
        "st-gap": lambda: raw_safetensors(
            '{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},'
            '"b":{"dtype":"F32","shape":[1],"data_offsets":[12,16]}}', floats[:16]),
        # a dtype the reference does not know
        "st-unknown-dtype": lambda: raw_safetensors(
            '{"w":{"dtype":"F8_E4M3FN","shape":[4],"data_offsets":[0,4]}}', floats[:4]),
        # the header is not JSON
        "st-bad-json": lambda: raw_safetensors('{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]', floats[:8]),
        # one header names a tensor twice
        "st-duplicate-key": lambda: raw_safetensors(header([("w", 0, 8), ("w", 8, 16)]), floats[:16]),
        # a tensor count no file could hold
        "gguf-absurd-tensor-count": lambda: b"GGUF" + struct.pack("<IQQ", 3, 1 << 62, 0) + b"\0" * 64,
        # a metadata string value whose length is far past the end of the file
        "gguf-absurd-string-length": lambda: (b"GGUF" + struct.pack("<IQQ", 3, 0, 1) + gguf_string("general.name")
                                              + struct.pack("<IQ", 8, 1 << 62) + b"e2e" + b"\0" * 32),
    }
    return cases[kind]()


HOSTILE = ["st-short-prefix", "st-short-header", "st-header-length-too-large", "st-offset-out-of-range",
           "st-overlap", "st-gap", "st-unknown-dtype", "st-bad-json", "st-duplicate-key",
           "gguf-absurd-tensor-count", "gguf-absurd-string-length"]


def write(path, data):
    parent = os.path.dirname(path)
    if parent:
        os.makedirs(parent, exist_ok=True)
    with open(path, "wb") as out:
        out.write(data)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=1)
    sub = parser.add_subparsers(dest="command", required=True)
    orders = ["sorted", "reverse", "shuffled"]

    p = sub.add_parser("safetensors")
    p.add_argument("file")
    p.add_argument("--key-order", choices=orders, default="sorted")
    p.add_argument("--data-order", choices=orders, default="sorted")
    p.add_argument("--metadata", action="store_true", help='add __metadata__ {"format": "pt"}')
    p.add_argument("--flip")
    p.add_argument("tensors", nargs="*")

    p = sub.add_parser("weights")
    p.add_argument("dir")
    p.add_argument("--shards", type=int, default=1)
    p.add_argument("--names", default="model-{i:05d}-of-{n:05d}.safetensors")
    p.add_argument("--key-order", choices=orders, default="sorted")
    p.add_argument("--flip")
    p.add_argument("--index", action="store_true", help="write model.safetensors.index.json")

    p = sub.add_parser("index")
    p.add_argument("file")
    p.add_argument("mapping", nargs="+", help="TENSOR_NAME=SHARD")

    p = sub.add_parser("gguf")
    p.add_argument("file")
    p.add_argument("--flip")
    p.add_argument("tensors", nargs="*")

    p = sub.add_parser("hostile")
    p.add_argument("kind", choices=HOSTILE)
    p.add_argument("file")

    args = parser.parse_args()
    if args.command == "safetensors":
        write(args.file, safetensors_bytes(tensor_specs(args.tensors, args.seed), args.key_order,
                                           args.data_order, args.flip, {"format": "pt"} if args.metadata else None))
    elif args.command == "weights":
        weight_map = {}
        for i, run in enumerate(split(tensor_specs(None, args.seed), args.shards), start=1):
            name = args.names.format(i=i, n=args.shards)
            write(os.path.join(args.dir, name), safetensors_bytes(run, args.key_order, args.key_order, args.flip))
            weight_map.update({t.name: name for t in run})
        if args.index:
            index = {"metadata": {"total_size": 0}, "weight_map": dict(sorted(weight_map.items()))}
            write(os.path.join(args.dir, "model.safetensors.index.json"), json.dumps(index, indent=2).encode())
    elif args.command == "index":
        weight_map = dict(m.split("=", 1) for m in args.mapping)
        write(args.file, json.dumps({"metadata": {}, "weight_map": weight_map}, indent=2).encode())
    elif args.command == "gguf":
        specs = args.tensors or ["tok_embd.weight=F16:8x4", "output_norm.weight=F32:8"]
        write(args.file, gguf_bytes(tensor_specs(specs, args.seed), args.flip))
    elif args.command == "hostile":
        write(args.file, hostile(args.kind))
    return 0


if __name__ == "__main__":
    sys.exit(main())
