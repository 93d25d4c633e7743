"""RS256 JSON Web Tokens with a key made in-process: what kube-apiserver signs service account
tokens with.

kube-apiserver signs a TokenRequest's token with its ``--service-account-signing-key-file`` (RSA on
kubeadm clusters) as a JWS in compact form, header ``{"alg":"RS256","kid":...}``, the key id being
the unpadded base64url SHA-256 of the public key's PKIX DER (``keyIDFromPublicKey`` in
kubernetes/kubernetes ``pkg/serviceaccount/jwt.go``). The harness has no crypto library, so the
2048-bit key is generated here (Miller-Rabin primes from :mod:`secrets`, once per process, when
the first token is asked for) and signed with PKCS#1 v1.5 by ``pow``; a token is verified the
same way before the server takes it as a bearer token. Nothing here protects anything real:
the key lives and dies with the process.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import secrets
import threading
from dataclasses import dataclass
from typing import Any

__all__ = ["RsaKey", "decode", "encode", "made_key", "signing_key"]

_E = 65537
_BITS = 2048
_SHA256_PREFIX = bytes.fromhex("3031300d060960864801650304020105000420")
"""The DER ``DigestInfo`` header of a SHA-256 digest (RFC 8017, section 9.2)."""
_RSA_OID = bytes.fromhex("06092a864886f70d010101")


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@functools.cache
def _small_primes() -> tuple[int, ...]:
    """The odd primes below 2000, for trial division: made with the first key, not at import
    (every process that imports the API server imported this module; the table cost 3.5 ms)."""
    return tuple(p for p in range(3, 2000, 2) if all(p % q for q in range(3, int(p**0.5) + 1, 2)))


def _probably_prime(n: int, rounds: int = 32) -> bool:
    small = _small_primes()
    if any(n % p == 0 for p in small):
        return n in small
    d, s = n - 1, 0
    while d % 2 == 0:
        d, s = d // 2, s + 1
    for _ in range(rounds):
        x = pow(secrets.randbelow(n - 3) + 2, d, n)
        if x in (1, n - 1):
            continue
        for _ in range(s - 1):
            x = pow(x, 2, n)
            if x == n - 1:
                break
        else:
            return False
    return True


def _prime(bits: int) -> int:
    while True:
        candidate = secrets.randbits(bits) | (3 << (bits - 2)) | 1  # top two bits: n has all its bits
        if (candidate - 1) % _E and _probably_prime(candidate):
            return candidate


def _der_length(length: int) -> bytes:
    if length < 0x80:
        return bytes([length])
    body = length.to_bytes((length.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(body)]) + body


def _der(tag: int, body: bytes) -> bytes:
    return bytes([tag]) + _der_length(len(body)) + body


def _der_int(value: int) -> bytes:
    return _der(0x02, value.to_bytes(value.bit_length() // 8 + 1, "big"))


@dataclass(frozen=True)
class RsaKey:
    n: int
    d: int

    @property
    def size(self) -> int:
        return (self.n.bit_length() + 7) // 8

    @property
    def key_id(self) -> str:
        """``keyIDFromPublicKey``: base64url(SHA-256(PKIX DER of the public key))."""
        public = _der(0x30, _der_int(self.n) + _der_int(_E))
        algorithm = _der(0x30, _RSA_OID + b"\x05\x00")
        pkix = _der(0x30, algorithm + _der(0x03, b"\x00" + public))
        return _b64(hashlib.sha256(pkix).digest())

    def _encoded(self, message: bytes) -> int:
        digest = _SHA256_PREFIX + hashlib.sha256(message).digest()
        padded = b"\x00\x01" + b"\xff" * (self.size - len(digest) - 3) + b"\x00" + digest
        return int.from_bytes(padded, "big")

    def sign(self, message: bytes) -> bytes:
        return pow(self._encoded(message), self.d, self.n).to_bytes(self.size, "big")

    def verify(self, message: bytes, signature: bytes) -> bool:
        if len(signature) != self.size:
            return False
        return pow(int.from_bytes(signature, "big"), _E, self.n) == self._encoded(message)


_KEY: list[RsaKey] = []
_KEY_LOCK = threading.Lock()


def signing_key() -> RsaKey:
    """The process's signing key (about half a second to make, once)."""
    with _KEY_LOCK:
        while not _KEY:
            p, q = _prime(_BITS // 2), _prime(_BITS // 2)
            if p != q:
                _KEY.append(RsaKey(p * q, pow(_E, -1, (p - 1) * (q - 1))))
        return _KEY[0]


def made_key() -> RsaKey | None:
    """The signing key if a token was ever signed in this process: before that none is valid, and
    a stranger's bearer token must not cost the key's making."""
    return _KEY[0] if _KEY else None


def _json(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":"), sort_keys=True).encode()


def encode(claims: dict[str, Any], key: RsaKey) -> str:
    """A compact JWS of ``claims`` (keys sorted, as go-jose writes the merged claims)."""
    header = _b64(json.dumps({"alg": "RS256", "kid": key.key_id}, separators=(",", ":")).encode())
    signed = f"{header}.{_b64(_json(claims))}"
    return f"{signed}.{_b64(key.sign(signed.encode()))}"


def decode(token: str, key: RsaKey) -> dict[str, Any] | None:
    """The claims of a token ``key`` signed; None for anything else (malformed, another key)."""
    parts = token.split(".")
    if len(parts) != 3:
        return None
    try:
        header = json.loads(_unb64(parts[0]))
        signature = _unb64(parts[2])
        if not isinstance(header, dict) or header.get("alg") != "RS256":
            return None
        if not key.verify(f"{parts[0]}.{parts[1]}".encode(), signature):
            return None
        claims = json.loads(_unb64(parts[1]))
    except ValueError:
        return None
    return claims if isinstance(claims, dict) else None
