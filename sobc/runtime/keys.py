"""Signing keys: making an Ed25519 key pair, reading a private key to sign with and a public key
to trust. A key's id (`kid`) is its RFC 7638 JWK thumbprint (SHA-256, base64url), so that it
follows from the public key alone and a runtime can compute it too (docs/manifest.md,
Signatures). The cryptography is joserfc's (and under it, cryptography's).
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from ..read.files import Unreadable, read_regular

CURVE: Final = "Ed25519"
PRIVATE_FILE = "signing-key.pem"  # PKCS #8, unencrypted; 0600
PUBLIC_PEM_FILE = "public-key.pem"  # SubjectPublicKeyInfo
PUBLIC_JWK_FILE = "public-key.jwk"  # a JWK (RFC 7517), with its kid
KEY_FILE_LIMIT = 64 * 1024  # bytes; a key file is some 120


class KeyProblem(Exception):
    """A key that cannot be used: unreadable, not a key, or not an Ed25519 key."""


@dataclass(frozen=True)
class PublicKey:
    """A public key a runtime trusts: its id and its JWK (public members only)."""

    kid: str
    jwk: Mapping[str, Any]


@dataclass(frozen=True)
class SigningKey:
    """A private key to sign packages with, as PEM (small and picklable), and its id."""

    kid: str
    pem: bytes

    @property
    def public(self) -> PublicKey:
        return _public(_okp(self.pem))


def _okp(data: bytes | str | Mapping[str, Any]) -> Any:
    """The joserfc key in `data` (PEM or a JWK), when it is an Ed25519 key."""
    from joserfc.errors import JoseError
    from joserfc.jwk import OKPKey

    try:
        key = OKPKey.import_key(dict(data) if isinstance(data, Mapping) else data)
    except (JoseError, ValueError, TypeError, KeyError) as error:
        raise KeyProblem(f"not an Ed25519 key ({error or type(error).__name__})") from None
    if key.curve_name != CURVE:
        raise KeyProblem(f"a {key.curve_name} key, not an {CURVE} key")
    return key


def _public(key: Any) -> PublicKey:
    jwk = {k: v for k, v in key.as_dict(private=False).items() if k in ("kty", "crv", "x")}
    return PublicKey(key.thumbprint(), jwk)


def public_key(data: bytes | str | Mapping[str, Any]) -> PublicKey:
    """A public key from PEM or a JWK (a private key's public half, when given one)."""
    return _public(_okp(data))


def _read(path: Path) -> bytes:
    try:
        return read_regular(path, KEY_FILE_LIMIT)
    except (Unreadable, ValueError) as error:
        raise KeyProblem(f"{path}: cannot read the key: {error}") from None


def read_public_key(path: str | Path) -> PublicKey:
    """The public key in a file: a JWK (`public-key.jwk`) or PEM (`public-key.pem`)."""
    data = _read(Path(path))
    try:
        parsed = json.loads(data) if data.lstrip().startswith(b"{") else data
        return public_key(parsed)
    except (KeyProblem, ValueError) as error:
        raise KeyProblem(f"{path}: {error}") from None


def read_signing_key(path: str | Path) -> SigningKey:
    """The private key in a PEM file, to sign with."""
    data = _read(Path(path))
    try:
        key = _okp(data)
    except KeyProblem as error:
        raise KeyProblem(f"{path}: {error}") from None
    if not key.is_private:
        raise KeyProblem(f"{path}: a public key; signing needs the private key")
    return SigningKey(key.thumbprint(), data)


def new_key_pair(folder: Path) -> PublicKey:
    """Make an Ed25519 key pair in `folder` (made if missing): the private key as PEM readable
    by its owner only, the public key as PEM and as a JWK. Refuses to overwrite any of them."""
    from joserfc.jwk import OKPKey

    key = OKPKey.generate_key(CURVE)
    public = _public(key)
    jwk = {**public.jwk, "kid": public.kid, "alg": "Ed25519", "use": "sig"}
    files = {
        PRIVATE_FILE: (key.as_pem(private=True), 0o600),
        PUBLIC_PEM_FILE: (key.as_pem(private=False), 0o644),
        PUBLIC_JWK_FILE: ((json.dumps(jwk, indent=2) + "\n").encode(), 0o644),
    }
    there = [name for name in files if os.path.lexists(folder / name)]
    if there:
        raise KeyProblem(f"{folder}: {', '.join(there)} already there; not overwritten")
    folder.mkdir(parents=True, exist_ok=True)
    for name, (data, mode) in files.items():
        _create(folder / name, data, mode)
    return public


def _create(path: Path, data: bytes, mode: int) -> None:
    """Write a new file with `mode` from the start (never a moment more open than that)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, mode)
    except FileExistsError:
        raise KeyProblem(f"{path}: already there; not overwritten") from None
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.chmod(path, mode)  # the umask may have taken bits away; never adds any to the private key
