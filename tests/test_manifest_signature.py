"""Signed packages (docs/manifest.md, Signatures): `sobc key new`, `sobc build --sign`, and
`load(path, trusted_keys=…)` refusing an unsigned, wrongly signed or tampered package. The
signature is checked with `cryptography`'s Ed25519 directly too, from the compact
serialization, to show that the format is plain RFC 7515 that any JOSE library verifies."""

from __future__ import annotations

import base64
import json
import os
import shutil
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from sobc import runtime
from sobc.cli import main
from sobc.package.build import BuildError, build
from sobc.runtime.format import SIGNATURE_FILE
from sobc.runtime.keys import (
    PRIVATE_FILE,
    PUBLIC_JWK_FILE,
    PUBLIC_PEM_FILE,
    KeyProblem,
    PublicKey,
    new_key_pair,
    read_public_key,
    read_signing_key,
)
from sobc.runtime.signature import sign

from .conftest import EXAMPLE


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("keys")
    new_key_pair(folder / "a")
    new_key_pair(folder / "b")
    return folder


@pytest.fixture(scope="module")
def signed(tmp_path_factory: pytest.TempPathFactory, keys: Path) -> Path:
    out = tmp_path_factory.mktemp("signed") / "out"
    assert build([EXAMPLE], out, signer=read_signing_key(keys / "a" / PRIVATE_FILE)).ok
    return out / "example"


@pytest.fixture
def package(signed: Path, tmp_path: Path) -> Path:
    """A copy of the signed package, to tamper with."""
    return Path(shutil.copytree(signed, tmp_path / "example"))


def _trusted(keys: Path, *names: str) -> list[PublicKey]:
    return [read_public_key(keys / name / PUBLIC_JWK_FILE) for name in names]


def _refusal(package: Path, trusted: list[PublicKey]) -> str:
    with pytest.raises(runtime.ManifestError) as caught:
        runtime.load(package, trusted_keys=trusted)
    assert len(caught.value.problems) == 1
    return caught.value.problems[0]


def test_an_unchanged_signed_package_loads(signed: Path, keys: Path) -> None:
    loaded = runtime.load(signed, trusted_keys=_trusted(keys, "a"))
    assert loaded.program.id == "example"


def test_one_of_several_trusted_keys_will_do(signed: Path, keys: Path) -> None:
    """Rotation: a runtime trusts the old key and the new one while packages of both exist."""
    assert runtime.load(signed, trusted_keys=_trusted(keys, "b", "a")).program.id == "example"


def test_a_changed_flag_threshold_is_refused(package: Path, keys: Path) -> None:
    data = json.loads((package / "manifest.json").read_bytes())
    flag = next(f for f in data["flags"] if f["trigger"]["type"] == "form_scored")
    flag["trigger"]["at_least"] += 100  # a flag that then never fires
    (package / "manifest.json").write_text(json.dumps(data, indent=2), encoding="utf-8")
    runtime.load(package)  # the files still match: without a signature nothing shows it
    assert "the manifest was changed after it was signed" in _refusal(package, _trusted(keys, "a"))


def test_a_key_that_is_not_trusted_is_refused(package: Path, keys: Path) -> None:
    kid = read_public_key(keys / "a" / PUBLIC_JWK_FILE).kid
    assert _refusal(package, _trusted(keys, "b")) == (
        f"{SIGNATURE_FILE}: the signature cannot be trusted: signed by the key {kid!r}, "
        "which is not trusted"
    )
    assert "which is not trusted" in _refusal(package, [])


def test_a_missing_signature_is_refused(package: Path, keys: Path) -> None:
    (package / SIGNATURE_FILE).unlink()
    assert _refusal(package, _trusted(keys, "a")) == (
        f"{SIGNATURE_FILE}: the package is not signed, and a signed one is required"
    )
    assert runtime.load(package).program.id == "example"  # unsigned loads without trusted_keys


def test_a_signature_over_another_manifest_is_refused(package: Path, keys: Path) -> None:
    other = sign(b'{"format": "sobc-manifest"}', read_signing_key(keys / "a" / PRIVATE_FILE))
    (package / SIGNATURE_FILE).write_bytes(other)
    assert "does not match manifest.json" in _refusal(package, _trusted(keys, "a"))


def test_a_signature_by_a_key_claiming_a_trusted_kid_is_refused(package: Path, keys: Path) -> None:
    """Key b signs with key a's kid in its header: the kid picks key a, whose check fails."""
    a = read_signing_key(keys / "a" / PRIVATE_FILE)
    b = read_signing_key(keys / "b" / PRIVATE_FILE)
    forged = sign((package / "manifest.json").read_bytes(), type(b)(a.kid, b.pem))
    (package / SIGNATURE_FILE).write_bytes(forged)
    assert "does not match manifest.json" in _refusal(package, _trusted(keys, "a"))


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"", "not a JWS with a detached payload"),
        (b"a.b.c", "not a JWS with a detached payload"),
        (b"!!..x", "not base64url-encoded JSON"),
        (b"\xff..x", "not ASCII"),
        (base64.urlsafe_b64encode(b'{"alg":"none","kid":"x"}') + b"..", "its algorithm is 'none'"),
        (base64.urlsafe_b64encode(b"[1]") + b"..x", "not a JSON object"),
    ],
)
def test_a_broken_signature_file_is_refused(
    content: bytes, words: str, package: Path, keys: Path
) -> None:
    (package / SIGNATURE_FILE).write_bytes(content)
    assert words in _refusal(package, _trusted(keys, "a"))


def test_a_signature_that_is_a_link_or_a_folder_is_refused(package: Path, keys: Path) -> None:
    signature = package / SIGNATURE_FILE
    real = package.parent / "elsewhere.jws"
    real.write_bytes(signature.read_bytes())
    signature.unlink()
    signature.symlink_to(real)
    assert "symbolic link" in _refusal(package, _trusted(keys, "a"))
    signature.unlink()
    signature.mkdir()
    assert "not a regular file" in _refusal(package, _trusted(keys, "a"))


def test_the_jws_verifies_with_plain_ed25519(signed: Path, keys: Path) -> None:
    """An independent check of the format: RFC 7515 compact serialization, detached payload
    (appendix F), the signature over BASE64URL(header) "." BASE64URL(manifest.json)."""
    header_b64, payload, signature_b64 = (signed / SIGNATURE_FILE).read_text("ascii").split(".")
    assert payload == ""

    def decode(text: str) -> bytes:
        assert "=" not in text  # base64url without padding
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))

    header = json.loads(decode(header_b64))
    pem = load_pem_public_key((keys / "a" / PUBLIC_PEM_FILE).read_bytes())
    assert isinstance(pem, Ed25519PublicKey)
    assert header == {"alg": "Ed25519", "kid": read_public_key(keys / "a" / PUBLIC_PEM_FILE).kid}
    manifest_b64 = base64.urlsafe_b64encode((signed / "manifest.json").read_bytes()).rstrip(b"=")
    pem.verify(decode(signature_b64), header_b64.encode() + b"." + manifest_b64)  # raises if not


def test_the_kid_is_the_rfc_7638_thumbprint(keys: Path) -> None:
    import hashlib

    jwk = json.loads((keys / "a" / PUBLIC_JWK_FILE).read_bytes())
    canonical = json.dumps(
        {"crv": jwk["crv"], "kty": jwk["kty"], "x": jwk["x"]}, separators=(",", ":")
    )
    thumbprint = base64.urlsafe_b64encode(hashlib.sha256(canonical.encode()).digest())
    assert jwk["kid"] == thumbprint.rstrip(b"=").decode()


def test_signing_keeps_the_unsigned_bytes_and_is_deterministic(
    signed: Path, keys: Path, tmp_path: Path
) -> None:
    assert build([EXAMPLE], tmp_path / "plain").ok
    plain = tmp_path / "plain" / "example"
    assert not (plain / SIGNATURE_FILE).exists()
    for path in plain.rglob("*"):
        if path.is_file():
            assert (signed / path.relative_to(plain)).read_bytes() == path.read_bytes(), path
    again = tmp_path / "again"
    assert build([EXAMPLE], again, signer=read_signing_key(keys / "a" / PRIVATE_FILE)).ok
    assert (again / "example" / SIGNATURE_FILE).read_bytes() == (
        signed / SIGNATURE_FILE
    ).read_bytes()


def test_the_cache_never_keeps_a_package_signed_otherwise(keys: Path, tmp_path: Path) -> None:
    """Unsigned → signed by a → signed by b → unsigned: each build writes what it is asked for,
    and a build asked for what the output already holds compiles nothing."""
    out = tmp_path / "out"
    signature = out / "example" / SIGNATURE_FILE
    a, b = (read_signing_key(keys / name / PRIVATE_FILE) for name in ("a", "b"))
    assert build([EXAMPLE], out).ok
    assert build([EXAMPLE], out).rebuilt == []
    assert build([EXAMPLE], out, signer=a).rebuilt == ["example"]
    assert runtime.load(out / "example", trusted_keys=[a.public]).program.id == "example"
    assert build([EXAMPLE], out, signer=a).rebuilt == []
    assert build([EXAMPLE], out, signer=b).rebuilt == ["example"]
    assert runtime.load(out / "example", trusted_keys=[b.public]).program.id == "example"
    assert build([EXAMPLE], out).rebuilt == ["example"]
    assert not signature.exists()
    assert build([EXAMPLE], out, signer=b).rebuilt == ["example"]
    signature.write_bytes(b"changed by hand")  # not what sobc wrote: never overwritten
    with pytest.raises(BuildError, match=r"manifest\.json\.jws is not as sobc wrote it"):
        build([EXAMPLE], out, signer=b)
    signature.unlink()
    assert build([EXAMPLE], out, signer=b).rebuilt == ["example"]


# ---------------------------------------------------------------- the commands


def test_key_new_writes_a_pair_and_never_overwrites(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["key", "new", "--out", str(tmp_path / "k")])
    assert result.exit_code == 0, result.output
    private = tmp_path / "k" / PRIVATE_FILE
    assert stat.S_IMODE(os.stat(private).st_mode) == 0o600
    kid = read_signing_key(private).kid
    assert read_public_key(tmp_path / "k" / PUBLIC_PEM_FILE).kid == kid
    assert json.loads((tmp_path / "k" / PUBLIC_JWK_FILE).read_bytes())["kid"] == kid
    assert kid in result.output
    before = private.read_bytes()
    again = runner.invoke(main, ["key", "new", "--out", str(tmp_path / "k")])
    assert again.exit_code == 2
    assert "already there; not overwritten" in again.output
    assert private.read_bytes() == before


def test_build_sign_writes_the_signature(keys: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = ["build", str(EXAMPLE), "--out", str(out), "--sign", str(keys / "a" / PRIVATE_FILE)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert runtime.load(out / "example", trusted_keys=_trusted(keys, "a")).program.id == "example"


@pytest.mark.parametrize(
    ("key_file", "words"),
    [
        (f"a/{PUBLIC_PEM_FILE}", "a public key; signing needs the private key"),
        ("missing.pem", "cannot read the key"),
        (f"a/{PUBLIC_JWK_FILE}", "not an Ed25519 key"),
    ],
)
def test_build_sign_refuses_what_is_not_a_private_key(
    key_file: str, words: str, keys: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    args = ["build", str(EXAMPLE), "--out", str(out), "--sign", str(keys / key_file)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2
    assert words in result.output and "Traceback" not in result.output
    assert not out.exists()


def test_a_key_of_another_curve_is_refused(tmp_path: Path) -> None:
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    pem = (
        X25519PrivateKey.generate()
        .public_key()
        .public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
    )
    (tmp_path / "x.pem").write_bytes(pem)
    with pytest.raises(KeyProblem, match="X25519 key, not an Ed25519 key"):
        read_public_key(tmp_path / "x.pem")
