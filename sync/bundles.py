"""Offline bundles on the laptops (docs/bundles.md): for workers who never get a connection.

- The worker's laptop: 导出同步包 writes what waits to go up (the outbox, in batches frozen so a later
  push sends the very same ones) sealed for the county server and signed by the device's key; later
  导入同步包 takes the server's reply bundle: the answers leave the outbox and what others changed in
  the worker's scope comes down.
- The clerk's laptop: 导入同步包 keeps a worker's bundle, checked (shape, checksum, this county, not
  expired, not taken before); its next sync forwards it; the reply is handed back (导出回复包).

Every check runs before anything is written; a bundle that fails one changes nothing.
"""
from __future__ import annotations

import json
import logging
import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from core.files import written_atomically
from core.store import Store
from sync.batch import OutboxItem, build_ops
from sync.bundle import (
    PUSH, REPLY, BundleError, KeyPair, check_fresh, check_signature, key_id, new_header, open_sealed, read_header, seal,
    utc_now,
)
from core.store.pull import PULL_EVERYTHING, PULL_ORIGIN_META
from core.store.scope import SCOPE_META, scope_codes
from sync.errors import refused_as_sync_error
from sync.protocol import PROTOCOL_VERSION, ChangesPage, PushRequest, PushResponse

log = logging.getLogger(__name__)

DEVICE_KEYS = "bundle_device_keys"        # this device's private keys (the profile is encrypted)
SERVER_KEYS = "bundle_server_keys"        # the county server's public keys
REGISTERED = "bundle_keys_registered"     # the key id the server holds for this device
TO_FORWARD = "bundles_to_forward"         # a clerk's: workers' bundles waiting for the next sync
FORWARDED = "bundles_forwarded"           # a clerk's: ids of bundles forwarded (taken twice is harmless)
REPLIES = "bundle_replies"                # a clerk's: reply bundles to hand back
IMPORTED = "bundle_replies_imported"      # a worker's: ids of the reply bundles imported
BUNDLE_ROWS = 400                         # records a batch of a bundle holds (every server takes 500 ops)


def _list(store: Store, key: str) -> list:
    return json.loads(store.meta(key) or "[]")


def _keep(store: Store, key: str, values: list) -> None:
    store.set_meta(key, json.dumps(values, ensure_ascii=False))


def device_keys(store: Store) -> KeyPair:
    """This device's bundle keys, made the first time they are needed and kept in the profile."""
    text = store.meta(DEVICE_KEYS)
    if text:
        return KeyPair.from_text(text)
    pair = KeyPair.generate()
    store.set_meta(DEVICE_KEYS, pair.private_text())
    return pair


def ensure_bundle_keys(store: Store, server: Any) -> None:
    """At a sync: the county server knows this device's public keys and the laptop the server's, so that
    a bundle can be made later with no connection. Checked once per open profile: a sync with nothing
    to do stays a few milliseconds."""
    if store.bundle_keys_checked:
        return
    public = device_keys(store).public()
    if store.meta(REGISTERED) == key_id(public) and store.meta(SERVER_KEYS):
        store.bundle_keys_checked = True
        return
    from sync.client import SyncError

    try:
        health = server.health()
        if isinstance(health, dict) and isinstance(health.get("bundle_keys"), dict):
            store.set_meta(SERVER_KEYS, json.dumps(health["bundle_keys"]))
        server.register_bundle_keys(public)
        store.set_meta(REGISTERED, key_id(public))
        store.bundle_keys_checked = True
    except SyncError:  # a server of before bundles: sync goes on, bundles wait for a newer server
        log.warning("the county server did not take this device's bundle keys", exc_info=True)


@dataclass
class BundleResult:
    """What an export or an import did, for the words of the CLI and the GUI."""

    kind: str                      # "push" (a worker's bundle) or "reply"
    bundle_id: str
    username: str = ""
    batches: int = 0
    ops: int = 0
    answered: dict[str, int] = field(default_factory=dict)
    pulled: int = 0
    refused: list[dict] = field(default_factory=list)
    changes: Any = None


def export_bundle(store: Store, path: Path, now: datetime | None = None) -> BundleResult:
    """The worker's pending changes into a bundle file for the county server (written beside, then renamed)."""
    now = now or utc_now()
    server_public = json.loads(store.meta(SERVER_KEYS) or "null")
    if not store.meta("server_url") or not server_public or store.meta(REGISTERED) != key_id(device_keys(store).public()):
        raise BundleError("not_ready", "这台电脑还不能导出同步包：它要先连上县服务器同步过一次（登记设备密钥）。 / "
                                       "This laptop must sync once with the county server before it can make bundles.")
    device_id = store.info.device_id
    schema = store.wire_schema()
    requests = []
    for batch_id, entries in store.freeze_for_bundle(BUNDLE_ROWS):
        ops = build_ops([OutboxItem(**e) for e in entries], device_id, batch_id)
        requests.append(PushRequest(batch_id=batch_id, device_id=device_id, protocol=PROTOCOL_VERSION, schema=schema,
                                    ops=[op._asdict() for op in ops]).model_dump(mode="json", by_alias=True))
    payload = _pull_request(store)
    payload["push"] = requests
    header = new_header(PUSH, f"u-{uuid.uuid4()}", device_id, store.actor.username, key_id(server_public), now,
                        [r["batch_id"] for r in requests])
    data = seal(header, payload, server_public["box"], device_keys(store))
    with written_atomically(Path(path)) as part:
        part.write_bytes(data)
    return BundleResult(PUSH, header["bundle_id"], store.actor.username, len(requests),
                        sum(len(r["ops"]) for r in requests))


def _pull_request(store: Store) -> dict[str, Any]:
    """Where the reply's pages start: this laptop's cursor and the origin of its pull (kept, as a pull
    keeps it, until a last page arrives), whether it downloads everything again, and its scope."""
    cursor = store.pull_cursor()
    origin = store.meta(PULL_ORIGIN_META)
    if not origin:
        origin = str(cursor)
        store.set_meta(PULL_ORIGIN_META, origin)
    return {"pull_since": cursor, "pull_origin": int(origin), "everything": store.meta(PULL_EVERYTHING) == "1",
            "scope": store.meta(SCOPE_META) or ""}


def import_bundle(store: Store, path: Path, now: datetime | None = None) -> BundleResult:
    """A worker's bundle kept for forwarding (a clerk's laptop), or the server's reply taken (the worker's)."""
    now = now or utc_now()
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise BundleError("unreadable", f"读不了文件“{path}”：{exc.strerror}。 / Cannot read {path}: {exc.strerror}.") from None
    bundle, header = read_header(data)
    if header.get("kind") == REPLY:
        return _take_reply(store, bundle, header, now)
    if header.get("kind") != PUSH:
        raise BundleError("not_a_bundle", "这个文件不是安居同步包。 / This file is not an Anju bundle.")
    return _keep_for_forwarding(store, bundle, header, now)


def _keep_for_forwarding(store: Store, bundle: dict, header: dict, now: datetime) -> BundleResult:
    server_public = json.loads(store.meta(SERVER_KEYS) or "null")
    if header.get("device_id") == store.info.device_id:
        raise BundleError("own", "这是本机自己导出的同步包，要交给村文书的电脑导入。 / This bundle was made on this laptop.")
    if not server_public or header.get("server") != key_id(server_public):
        raise BundleError("foreign", "这个同步包是给另一个县服务器的（或本机还没有和县服务器同步过），没有导入。 / "
                                     "This bundle is for another county server.")
    check_fresh(header, now)
    waiting, done = _list(store, TO_FORWARD), set(_list(store, FORWARDED))
    bundle_id, device_id = header["bundle_id"], header["device_id"]
    key = f"{device_id}/{bundle_id}"  # a bundle's id is its device's own: another device's may be the same
    if key in done or any(b["device_id"] == device_id and b["bundle_id"] == bundle_id for b in waiting):
        raise BundleError("replayed", "这个同步包已经导入过了，不用再导入；没有任何改动。 / "
                                      "This bundle was imported already; nothing changed.")
    waiting.append({"bundle_id": bundle_id, "username": header.get("username", ""), "device_id": header["device_id"],
                    "bundle": bundle})
    _keep(store, TO_FORWARD, waiting)
    return BundleResult(PUSH, bundle_id, header.get("username", ""), len(header.get("batch_ids") or []))


def _take_reply(store: Store, bundle: dict, header: dict, now: datetime) -> BundleResult:
    from sync.client import SyncReport
    from sync.push import record_answer

    server_public = json.loads(store.meta(SERVER_KEYS) or "null")
    if header.get("device_id") != store.info.device_id or not server_public:
        raise BundleError("foreign", "这个回复包是给另一台电脑的，没有导入。 / This reply is for another laptop.")
    check_signature(bundle, server_public["sign"])
    if header.get("bundle_id") in set(_list(store, IMPORTED)):
        raise BundleError("replayed", "这个回复包已经导入过了；没有任何改动。 / This reply was imported already; nothing changed.")
    check_fresh(header, now)
    payload = open_sealed(bundle, device_keys(store))
    report = SyncReport()
    for raw in payload.get("push") or []:
        answer = PushResponse.model_validate(raw)
        entries = store.frozen_batch_entries(answer.batch_id)
        if entries:  # not answered already by a push made meanwhile
            ops = build_ops([OutboxItem(**e) for e in entries], store.info.device_id, answer.batch_id)
            record_answer(store, answer.batch_id, entries, ops, answer, report)
    wrote = _take_pages(store, payload, report)
    _keep(store, IMPORTED, _list(store, IMPORTED) + [header["bundle_id"]])
    from core.changes import Changes

    return BundleResult(REPLY, header["bundle_id"], header.get("username", ""), len(payload.get("push") or []),
                        sum(report.pushed.values()), dict(report.pushed), report.pulled, report.rejections,
                        Changes().merge(*wrote))


def _take_pages(store: Store, payload: dict, report: Any) -> list:
    """The reply's pages, applied as a pull's are, when they start where this laptop's cursor still is
    (a sync or another reply since the export has brought them already); another scope is followed
    as a pull follows it (the next sync or bundle downloads the rest)."""
    from core.store.pull import PulledChange

    if int(payload.get("pull_since", -1)) != store.pull_cursor():
        return []
    wrote = []
    for raw in payload.get("pull") or []:
        page = ChangesPage.model_validate(raw)
        held = store.meta(SCOPE_META)
        if page.scope and held and set(scope_codes(page.scope)) != set(scope_codes(held)):
            wrote.append(store.change_scope(store.meta("role") or "", page.scope))
            return wrote
        changes = [PulledChange(c.seq, c.entity, c.row_id, c.deleted, dict(c.fields)) for c in page.changes]
        with refused_as_sync_error("a reply bundle's page"):  # refused whole, as a sync's page
            wrote.append(store.apply_pulled(changes, page.next_since, page.left).changes)
        report.pulled += len(changes)
        if not page.more:  # the whole way to the server's end: this pull is complete
            store.set_meta(PULL_ORIGIN_META, "")
            store.set_meta(PULL_EVERYTHING, "")
    return wrote


def forward_bundles(store: Store, server: Any, cancel: Any = None) -> tuple[int, list[dict]]:
    """At a clerk's sync: each kept bundle goes to the server; its reply waits to be handed back. A
    bundle the server refuses leaves the queue with the server's reason. Returns (forwarded, refused)."""
    from sync.client import Cancelled, LoginRequired, ServerUnreachable, SyncError, TooManyAttempts, UpdateRequiredError

    forwarded, refused = 0, []
    for kept in list(_list(store, TO_FORWARD)):
        try:
            reply = server.forward_bundle(kept["bundle"], cancel)
        except (ServerUnreachable, LoginRequired, Cancelled, TooManyAttempts, UpdateRequiredError):
            raise  # the whole sync stops: the bundles wait for the next one
        except SyncError as error:
            refused.append({"bundle_id": kept["bundle_id"], "username": kept["username"], "reason": str(error),
                            "kept": not str(getattr(error, "code", "")).startswith("bundle_")})
            if refused[-1]["kept"]:
                continue  # not the bundle's fault (a server error): tried again at the next sync
        else:
            replies = _list(store, REPLIES)
            replies.append({"bundle_id": reply["header"]["bundle_id"], "in_reply_to": kept["bundle_id"],
                            "username": reply["header"].get("username") or kept["username"],
                            "device_id": kept["device_id"], "bundle": reply})
            _keep(store, REPLIES, replies)
            _keep(store, FORWARDED, _list(store, FORWARDED) + [f"{kept['device_id']}/{kept['bundle_id']}"])
            forwarded += 1
        _keep(store, TO_FORWARD, [b for b in _list(store, TO_FORWARD)
                                  if (b["device_id"], b["bundle_id"]) != (kept["device_id"], kept["bundle_id"])])
    return forwarded, refused


def waiting_bundles(store: Store) -> tuple[list[dict], list[dict]]:
    """(bundles waiting to be forwarded, replies waiting to be handed back), without their contents."""
    strip = ("bundle",)
    return ([{k: v for k, v in b.items() if k not in strip} for b in _list(store, TO_FORWARD)],
            [{k: v for k, v in r.items() if k not in strip} for r in _list(store, REPLIES)])


def write_replies(store: Store, folder: Path) -> list[Path]:
    """Each reply waiting to be handed back, as a file in `folder` (written beside, then renamed); a
    reply written leaves the list."""
    folder = Path(folder)
    if not folder.is_dir():
        raise BundleError("unreadable", f"文件夹“{folder}”不存在。 / The folder {folder} does not exist.")
    written = []
    for reply in list(_list(store, REPLIES)):
        who = re.sub(r"[^A-Za-z0-9._-]", "_", reply["username"] or reply["device_id"])[:64].lstrip(".") or "worker"
        target = folder / f"{who}-{reply['bundle_id'][2:10]}.anju-reply"
        with written_atomically(target) as part:
            part.write_text(json.dumps(reply["bundle"], ensure_ascii=False, indent=1), encoding="utf-8")
        written.append(target)
        _keep(store, REPLIES, [r for r in _list(store, REPLIES) if r["bundle_id"] != reply["bundle_id"]])
    return written
