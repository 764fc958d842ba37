"""Offline bundles: the file a worker with no connection hands over (docs/bundles.md).

A bundle is JSON: a header (who, for which server, when, until when, which batches), the payload
sealed for its one reader, a SHA-256 checksum and a signature by its writer.

- Sealed: libsodium's sealed box (an ephemeral X25519 key, XSalsa20-Poly1305) for the reader's
  X25519 key, holding the header's digest with the payload: only the reader opens it, and a header
  moved onto another payload fails.
- Signed: Ed25519 over the header and the sealed payload, by the writer's key: the device's key made
  at enrolment (its public half registered with the county server), or the server's for a reply.
- The checksum catches a damaged copy before anything else is read.

Plain functions over bytes and dicts: no network, no profile; sync.bundles and the county server
use them. Errors carry a code and a "中文 / English" message; nothing is applied from a bundle that
fails any check.
"""
from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from nacl.exceptions import BadSignatureError, CryptoError
from nacl.public import PrivateKey, PublicKey, SealedBox
from nacl.signing import SigningKey, VerifyKey

FORMAT, VERSION = "anju-bundle", 1
PUSH, REPLY = "push", "reply"
LIFETIME = timedelta(days=60)  # a bundle older than this is refused: the worker makes a new one
MAX_BYTES = 64 * 1024 * 1024
BODY = ("header", "sealed")  # what the checksum and the signature cover
HEADER_TEXT = ("kind", "bundle_id", "device_id", "server", "expires_at")  # a header without one is damaged


class BundleError(Exception):
    """A bundle that cannot be taken: `code` says why (damaged, not_a_bundle, foreign, expired,
    replayed, bad_signature, unknown_device, wrong_kind…); the message is for the user."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def canonical(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


@dataclass(frozen=True)
class KeyPair:
    """A party's two private keys: one to sign what it writes, one to open what is sealed for it."""

    sign: SigningKey   # Ed25519
    box: PrivateKey    # X25519

    @classmethod
    def generate(cls) -> "KeyPair":
        return cls(SigningKey.generate(), PrivateKey.generate())

    def private_text(self) -> str:
        """Both private keys as text, to keep in the encrypted profile or the server's database."""
        return json.dumps({"sign": b64(bytes(self.sign)), "box": b64(bytes(self.box))})

    @classmethod
    def from_text(cls, text: str) -> "KeyPair":
        raw = json.loads(text)
        return cls(SigningKey(unb64(raw["sign"])), PrivateKey(unb64(raw["box"])))

    def public(self) -> dict[str, str]:
        """The public halves, as the other party keeps them: {"sign": …, "box": …}."""
        return {"sign": b64(bytes(self.sign.verify_key)), "box": b64(bytes(self.box.public_key))}


def key_id(public: dict[str, str]) -> str:
    """A short name for a party's public keys (which county server a bundle is for)."""
    return hashlib.sha256(canonical(public)).hexdigest()[:16]


def _digest(header: dict[str, Any]) -> str:
    return hashlib.sha256(canonical(header)).hexdigest()


def seal(header: dict[str, Any], payload: dict[str, Any], reader_box: str, writer: KeyPair) -> bytes:
    """The bundle file's bytes: `payload` sealed for the reader's public box key, signed by `writer`."""
    inner = canonical({"header_digest": _digest(header), "payload": payload})
    body = {"header": header, "sealed": b64(SealedBox(PublicKey(unb64(reader_box))).encrypt(inner))}
    signed = canonical(body)
    return json.dumps({"format": FORMAT, "version": VERSION, **body, "checksum": hashlib.sha256(signed).hexdigest(),
                       "signature": b64(writer.sign.sign(signed).signature)}, ensure_ascii=False,
                      indent=1).encode("utf-8")


def read_header(data: bytes) -> tuple[dict[str, Any], dict[str, Any]]:
    """(the whole bundle, its header) once its shape and checksum are right; BundleError otherwise."""
    if len(data) > MAX_BYTES:
        raise BundleError("damaged", "文件太大，不是安居同步包。 / The file is too large to be an Anju bundle.")
    try:
        bundle = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise BundleError("not_a_bundle", "这个文件不是安居同步包，或已损坏。 / "
                                          "This file is not an Anju bundle, or it is damaged.") from None
    if not isinstance(bundle, dict) or bundle.get("format") != FORMAT:
        raise BundleError("not_a_bundle", "这个文件不是安居同步包。 / This file is not an Anju bundle.")
    if bundle.get("version") != VERSION:
        raise BundleError("not_a_bundle", f"同步包的版本（{bundle.get('version')}）这个安居读不了，请更新安居。 / "
                                          f"This Anju cannot read bundle version {bundle.get('version')}.")
    body = {k: bundle.get(k) for k in BODY}
    header = body["header"]
    if (not isinstance(header, dict) or not isinstance(body["sealed"], str)
            or not isinstance(bundle.get("signature"), str)
            or not all(isinstance(header.get(k), str) and header.get(k) for k in HEADER_TEXT)):
        raise BundleError("damaged", "同步包不完整或已损坏。 / The bundle is incomplete or damaged.")
    if hashlib.sha256(canonical(body)).hexdigest() != bundle.get("checksum"):
        raise BundleError("damaged", "同步包的校验和不对：文件在复制中损坏或被改动过，没有导入任何内容。请让对方重新导出。 / "
                                     "The bundle's checksum is wrong: it was damaged or altered; nothing was imported.")
    return bundle, body["header"]


def check_fresh(header: dict[str, Any], now: datetime) -> None:
    try:
        expires = datetime.fromisoformat(header["expires_at"])
    except (KeyError, TypeError, ValueError):
        raise BundleError("damaged", "同步包缺少有效期。 / The bundle has no expiry.") from None
    if expires.tzinfo is None:
        expires = expires.replace(tzinfo=timezone.utc)
    if now >= expires:
        raise BundleError("expired", f"同步包已过期（{expires.date().isoformat()} 到期），没有导入。请重新导出一个。 / "
                                     f"The bundle expired on {expires.date().isoformat()}; export a new one.")


def check_signature(bundle: dict[str, Any], writer_sign: str) -> None:
    try:
        VerifyKey(unb64(writer_sign)).verify(canonical({k: bundle[k] for k in BODY}),
                                             unb64(bundle.get("signature") or ""))
    except (BadSignatureError, ValueError, TypeError, AttributeError, KeyError):
        raise BundleError("bad_signature", "同步包的签名不对：它不是由所说的设备或服务器写的，或被改动过，没有导入。 / "
                                           "The bundle's signature is wrong; nothing was imported.") from None


def open_sealed(bundle: dict[str, Any], reader: KeyPair) -> dict[str, Any]:
    """The payload, once the reader's key opens it (the signature is checked before, by the caller)."""
    try:
        inner = json.loads(SealedBox(reader.box).decrypt(unb64(bundle["sealed"])).decode("utf-8"))
    except (CryptoError, ValueError, KeyError):
        raise BundleError("foreign", "这个同步包不是给这里的，打不开。 / This bundle is not for this party.") from None
    if not isinstance(inner, dict) or inner.get("header_digest") != _digest(bundle["header"]):
        raise BundleError("damaged", "同步包的内容与它的说明不符，没有导入。 / The bundle's header does not match its content.")
    return inner.get("payload") or {}


def new_header(kind: str, bundle_id: str, device_id: str, username: str, server: str, now: datetime,
               batch_ids: list[str], **more: Any) -> dict[str, Any]:
    return {"kind": kind, "bundle_id": bundle_id, "device_id": device_id, "username": username, "server": server,
            "created_at": now.isoformat(), "expires_at": (now + LIFETIME).isoformat(), "batch_ids": batch_ids,
            **more}


def utc_now() -> datetime:
    return datetime.now(timezone.utc)
