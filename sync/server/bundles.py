"""The county server's side of offline bundles (docs/bundles.md): a clerk's laptop forwards a worker's
bundle; the server checks it was written by that worker's registered device, for this server, not
expired; applies each batch as that device's push (the worker's scope, not the clerk's), adds the
changes in the worker's scope since the worker's cursor, and answers a reply bundle sealed for the
worker's device and signed by the server. A bundle forwarded again gets the same reply and changes
nothing: the batches are answered from what was stored, and the reply itself is kept."""
from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from datetime import datetime, timezone

from pydantic import ValidationError
from sqlalchemy import Engine, insert, select
from sqlalchemy.exc import IntegrityError

from sync.bundle import (
    PUSH, REPLY, BundleError, KeyPair, check_fresh, check_signature, key_id, new_header, open_sealed, read_header, seal,
)
from sync.protocol import PushRequest, PushResponse, UpdateRequired, check_protocol, check_schema
from sync.server.accounts import Caller
from sync.server.changes import changes_since
from sync.server.numbers import MAX_SEQUENCE, watermark
from sync.server.db import reading, writing
from sync.server.models import SERVER_DEVICE, account, bundle_seen, device, server_key

REPLY_RECORDS = 20_000  # records of the worker's scope a reply carries at most; the next bundle brings the rest
Push = Callable[[Caller, PushRequest], PushResponse]


def server_keys(engine: Engine) -> KeyPair:
    with reading(engine) as conn:
        return KeyPair.from_text(conn.execute(select(server_key.c.private).where(server_key.c.id == 1)).scalar_one())


def register_device_keys(engine: Engine, caller: Caller, public: dict) -> None:
    """A device's public bundle keys, made on the laptop at enrolment (it proves itself by its token)."""
    if not isinstance(public, dict) or not all(isinstance(public.get(k), str) for k in ("sign", "box")):
        raise BundleError("bad_keys", "设备密钥格式不对。 / The device keys are malformed.")
    with writing(engine) as conn:
        conn.execute(device.update().where(device.c.device_id == caller.device_id).values(
            bundle_keys=json.dumps({"sign": public["sign"], "box": public["box"]})))


def _writer(engine: Engine, device_id: str) -> tuple[Caller, dict]:
    """The worker whose device wrote a bundle, and its device's public keys; refused when unknown,
    revoked, disabled, or without keys."""
    with reading(engine) as conn:
        row = conn.execute(select(device.c.device_id, device.c.revoked_at, device.c.bundle_keys, account.c.username,
                                  account.c.role, account.c.scope, account.c.disabled)
                           .join(account, account.c.username == device.c.username)
                           .where(device.c.device_id == device_id)).first()
    if row is None or not row.bundle_keys or row.device_id == SERVER_DEVICE:  # the server's own id: no laptop's
        raise BundleError("unknown_device", "这个同步包来自县服务器不认识的设备（或它还没有登记密钥），没有导入。 / "
                                            "The bundle comes from a device this server does not know.")
    if row.revoked_at is not None or row.disabled:
        raise BundleError("unknown_device", "写这个同步包的设备或账号已被停用，没有导入。 / "
                                            "The device or account that wrote this bundle was revoked or disabled.")
    return Caller(row.username, row.role, row.scope, row.device_id), json.loads(row.bundle_keys)


def take_bundle(engine: Engine, forwarder: Caller, data: bytes, now: datetime, push: Push) -> tuple[bytes, bool]:
    """The reply bundle's bytes, and whether the bundle had been taken before (then nothing is done)."""
    keys = server_keys(engine)
    bundle, header = read_header(data)
    if header.get("kind") != PUSH:
        raise BundleError("wrong_kind", "这是回复包，应由网格员本人导入，不用转交服务器。 / "
                                        "This is a reply bundle: its worker imports it.")
    if header.get("server") != key_id(keys.public()):
        raise BundleError("foreign", "这个同步包是给另一个县服务器的，没有导入。 / This bundle is for another county server.")
    writer, device_keys = _writer(engine, header["device_id"])
    check_signature(bundle, device_keys["sign"])
    stored = _stored_reply(engine, writer.device_id, header["bundle_id"])
    if stored is not None:
        return stored, True
    check_fresh(header, now if now.tzinfo else now.replace(tzinfo=timezone.utc))
    payload = open_sealed(bundle, keys)
    # All checked before any of its changes is applied: a damaged bundle is refused whole.
    batches, asked = [_batch(raw, writer) for raw in payload.get("push") or []], _pull_asked(payload)
    answers = [push(writer, batch).model_dump(mode="json") for batch in batches]
    reply = _reply(engine, keys, writer, device_keys, header, answers, asked, now)
    try:
        with writing(engine) as conn:
            conn.execute(insert(bundle_seen).values(bundle_id=header["bundle_id"], device_id=writer.device_id,
                                                    reply=reply.decode("utf-8"), at=now))
    except IntegrityError:  # the same bundle forwarded twice at once: the first reply stands
        return _stored_reply(engine, writer.device_id, header["bundle_id"]) or reply, True
    return reply, False


def _stored_reply(engine: Engine, device_id: str, bundle_id: str) -> bytes | None:
    """The reply given to this device's bundle before (bundle ids are the device's own)."""
    with reading(engine) as conn:
        stored = conn.execute(select(bundle_seen.c.reply).where(
            bundle_seen.c.device_id == device_id, bundle_seen.c.bundle_id == bundle_id)).scalar_one_or_none()
    return stored.encode("utf-8") if stored is not None else None


def _batch(raw: dict, writer: Caller) -> PushRequest:
    try:
        batch = PushRequest.model_validate(raw)
    except ValidationError:
        raise BundleError("damaged", "同步包里的修改格式不对，没有导入。 / The changes in the bundle are malformed.") from None
    if batch.device_id != writer.device_id:
        raise BundleError("damaged", "同步包里的批次不是这台设备的。 / A batch in the bundle is not the device's.")
    try:
        check_protocol(batch.protocol)
        check_schema(batch.schema_revision)
    except UpdateRequired as exc:
        raise BundleError("update_required", str(exc)) from None
    return batch


def _pull_asked(payload: dict) -> tuple[int, int | None, bool]:
    """What the device asks to pull, as the HTTP pull checks it: its cursor, where its first download
    began (None: unknown), whether it downloads everything again."""
    since, origin, everything = payload.get("pull_since") or 0, payload.get("pull_origin"), payload.get("everything")

    def position(value: object) -> bool:
        return type(value) is int and 0 <= value <= MAX_SEQUENCE

    if not position(since) or (origin is not None and not position(origin)) or everything not in (None, True, False):
        raise BundleError("damaged", "同步包里要下载的位置不对，没有导入。 / The bundle asks to download from a wrong position.")
    return since, origin, bool(everything)


def _reply(engine: Engine, keys: KeyPair, writer: Caller, device_keys: dict, header: dict, answers: list[dict],
           asked: tuple[int, int | None, bool], now: datetime) -> bytes:
    """The push answers and the worker's scope since its cursor (`asked`: _pull_asked), sealed for the
    worker's device."""
    since, origin, everything = asked
    first = since
    pages, sent = [], 0
    upto = watermark(engine)  # before the snapshot (sync.server.numbers)
    with reading(engine) as conn:
        while sent < REPLY_RECORDS:
            page = changes_since(conn, writer, since, min(1000, REPLY_RECORDS - sent), origin, everything, upto)
            pages.append(page.wire())
            sent += len(page.changes)
            since = page.next_since
            if not page.more:
                break
    reply_header = new_header(REPLY, f"r-{uuid.uuid4()}", writer.device_id, writer.username, key_id(keys.public()),
                              now if now.tzinfo else now.replace(tzinfo=timezone.utc),
                              [a["batch_id"] for a in answers], in_reply_to=header["bundle_id"])
    return seal(reply_header, {"push": answers, "pull_since": first, "pull": pages}, device_keys["box"], keys)
