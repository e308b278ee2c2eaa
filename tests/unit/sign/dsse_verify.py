#!/usr/bin/python3
"""An independent DSSE check for interop_test.cc: verifies every signature of
an envelope with one raw Ed25519 public key, rebuilding PAE from the DSSE spec
(secure-systems-lab/dsse protocol.md) with python3-cryptography, and prints the
record id (hex SHA-256 of the payload). Exit 0 when a signature verifies, 1 when
none does, 2 on malformed input.

usage: dsse_verify.py ENVELOPE_FILE PUBLIC_KEY_HEX
"""

import base64
import hashlib
import json
import sys

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey


def b64decode(text):
    # DSSE allows the standard or URL-safe alphabet, padded or not.
    text = text.replace("-", "+").replace("_", "/")
    return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)


def pae(payload_type, body):
    return b"DSSEv1 %d %s %d %s" % (len(payload_type), payload_type, len(body), body)


def main():
    envelope_path, key_hex = sys.argv[1], sys.argv[2]
    with open(envelope_path, "rb") as f:
        envelope = json.loads(f.read())
    payload_type = envelope["payloadType"].encode()
    body = b64decode(envelope["payload"])
    key = Ed25519PublicKey.from_public_bytes(bytes.fromhex(key_hex))
    for signature in envelope["signatures"]:
        try:
            key.verify(b64decode(signature["sig"]), pae(payload_type, body))
        except InvalidSignature:
            continue
        print(hashlib.sha256(body).hexdigest())
        return 0
    print("no signature verifies", file=sys.stderr)
    return 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (KeyError, ValueError, IndexError) as error:
        print("malformed input: %s" % error, file=sys.stderr)
        sys.exit(2)
