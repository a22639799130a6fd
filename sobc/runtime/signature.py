"""A package's signature: a JWS (RFC 7515) in compact serialization with a detached payload
(RFC 7515, appendix F) over the bytes of `manifest.json`, which hashes every other file.

The protected header is `{"alg": "Ed25519", "kid": …}`: the fully specified identifier of
EdDSA over Ed25519 (RFC 9864, which deprecates the polymorphic "EdDSA"; the signature bytes
are the same) and the signer's key id, its RFC 7638 thumbprint (`keys.py`). The file holds
`BASE64URL(header) + ".." + BASE64URL(signature)`: a verifier puts BASE64URL(manifest.json)
between the dots, or signs over `BASE64URL(header) + "." + BASE64URL(manifest.json)` itself.
Ed25519 signatures are deterministic, so one manifest and one key always give the same file.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable
from typing import Any

from .format import SIGNATURE_FILE
from .keys import PublicKey, SigningKey

__all__ = ["ALGORITHM", "SIGNATURE_FILE", "BadSignature", "sign", "verify"]

ALGORITHM = "Ed25519"
MAX_SIZE = 16 * 1024  # bytes of the signature file; sobc writes some 190


class BadSignature(Exception):
    """Why a signature cannot be trusted, in one sentence."""


def sign(manifest: bytes, key: SigningKey) -> bytes:
    """The detached compact JWS of `manifest` by `key`, as the signature file's bytes."""
    from joserfc import jws
    from joserfc.jwk import OKPKey

    private = OKPKey.import_key(key.pem)
    header = {"alg": ALGORITHM, "kid": key.kid}
    value = jws.serialize_compact(header, manifest, private, algorithms=[ALGORITHM])
    detached: str = jws.detach_content(value)
    return detached.encode("ascii")


def _header(value: str) -> dict[str, Any]:
    parts = value.split(".")
    if len(parts) != 3 or parts[1] != "":
        raise BadSignature(
            "not a JWS with a detached payload (header..signature, RFC 7515 appendix F)"
        )
    try:
        header = json.loads(base64.urlsafe_b64decode(parts[0] + "=" * (-len(parts[0]) % 4)))
    except ValueError:
        raise BadSignature("its protected header is not base64url-encoded JSON") from None
    if not isinstance(header, dict):
        raise BadSignature("its protected header is not a JSON object")
    return header


def _trusted(header: dict[str, Any], trusted: Iterable[PublicKey]) -> PublicKey:
    if header.get("alg") != ALGORITHM:
        raise BadSignature(f"its algorithm is {header.get('alg')!r}, not {ALGORITHM!r}")
    known = [key for key in trusted if key.kid == header.get("kid")]
    if not known:
        raise BadSignature(f"signed by the key {header.get('kid')!r}, which is not trusted")
    if set(header) - {"alg", "kid"}:
        raise BadSignature(f"its header has members sobc does not write: {sorted(header)}")
    return known[0]


def verify(manifest: bytes, signature: bytes, trusted: Iterable[PublicKey]) -> str:
    """The kid of the trusted key whose signature over `manifest` the signature file holds;
    `BadSignature` otherwise (another key, another manifest, a changed or broken file)."""
    from joserfc import jws
    from joserfc.errors import JoseError
    from joserfc.jwk import OKPKey

    try:
        value = signature.decode("ascii").strip()
    except UnicodeDecodeError:
        raise BadSignature("not a JWS (it is not ASCII text)") from None
    key = _trusted(_header(value), trusted)
    try:
        public = OKPKey.import_key(dict(key.jwk))
        jws.deserialize_compact(value, public, algorithms=[ALGORITHM], payload=manifest)
    except (JoseError, ValueError):
        raise BadSignature(
            f"it does not match manifest.json under the key {key.kid!r}: the manifest was "
            "changed after it was signed, or the signature is not this key's"
        ) from None
    return key.kid
