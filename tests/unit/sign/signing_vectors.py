#!/usr/bin/python3
"""Computes the test vectors of docs/spec/signing.md independently of assay's
C++ code: Python's hashlib and python3-cryptography (Debian's /usr/bin/python3).
Run it to re-derive every value the spec lists; signing_vectors_test.cc checks
that assay produces the same bytes."""

import base64
import hashlib
import struct

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives import serialization

SEED = bytes(range(32))
KEY_ID = bytes(range(1, 9))
STATEMENT = (b'{"_type":"https://in-toto.io/Statement/v1",'
             b'"subject":[{"name":"model.safetensors","digest":{"sha256":'
             b'"2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"}}],'
             b'"predicateType":"https://example.com/assay-test-vector/v1",'
             b'"predicate":{"note":"test vector"}}')
PAYLOAD_TYPE = b"application/vnd.in-toto+json"
MESSAGE = b"assay test vector\n"
TRUSTED_COMMENT = b"timestamp:1700000000\tfile:message.txt\thashed"


def b64(data):
    return base64.b64encode(data).decode()


def ssh_string(data):
    return struct.pack(">I", len(data)) + data


key = Ed25519PrivateKey.from_private_bytes(SEED)
pk = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
print("public key hex:", pk.hex())
print("minisign key id:", KEY_ID[::-1].hex().upper())
print("minisign public key:", b64(b"Ed" + KEY_ID + pk))
secret = b"Ed" + b"\0\0" + b"B2" + bytes(32) + bytes(8) + bytes(8) + KEY_ID + SEED + pk + bytes(32)
print("minisign unencrypted secret key:", b64(secret))

blob = ssh_string(b"ssh-ed25519") + ssh_string(pk)
print("ssh public key: ssh-ed25519", b64(blob))
print("ssh fingerprint: SHA256:" + b64(hashlib.sha256(blob).digest()).rstrip("="))

pae = b"DSSEv1 %d %s %d %s" % (len(PAYLOAD_TYPE), PAYLOAD_TYPE, len(STATEMENT), STATEMENT)
print("statement:", STATEMENT.decode())
print("pae:", pae)
print("pae sha256:", hashlib.sha256(pae).hexdigest())
print("dsse signature:", b64(key.sign(pae)))
print("record id:", hashlib.sha256(STATEMENT).hexdigest())

prehash = hashlib.blake2b(MESSAGE, digest_size=64).digest()
file_signature = key.sign(prehash)
print("minisign signature line:", b64(b"ED" + KEY_ID + file_signature))
print("minisign global signature:", b64(key.sign(file_signature + TRUSTED_COMMENT)))

signed = b"SSHSIG" + ssh_string(b"git") + ssh_string(b"") + ssh_string(b"sha512") + \
    ssh_string(hashlib.sha512(MESSAGE).digest())
sshsig = b"SSHSIG" + struct.pack(">I", 1) + ssh_string(blob) + ssh_string(b"git") + \
    ssh_string(b"") + ssh_string(b"sha512") + \
    ssh_string(ssh_string(b"ssh-ed25519") + ssh_string(key.sign(signed)))
text = b64(sshsig)
print("sshsig:")
print("-----BEGIN SSH SIGNATURE-----")
for i in range(0, len(text), 70):
    print(text[i:i + 70])
print("-----END SSH SIGNATURE-----")
