"""The laptop's sync client (requests): push the outbox, then pull what changed (docs/protocol.md).

`CountyServer` speaks HTTP: JSON bodies gzipped, the protocol and schema versions on every
request, retries with growing pauses when the network or the server is away, and the county's
own CA certificate when one is configured. `sync_profile` is the long job: a plain function
taking a progress callback and a cancel flag, so the command line, the GUI's network worker and
the tests all run the same code. Push batches are frozen in the profile before they are sent
(core/store/push.py) and pulled pages are applied with their cursor in one transaction
(sync/pull.py, core/store/pull.py), so a sync cut off anywhere resumes without losing or repeating anything.
"""
from __future__ import annotations

import copy
import logging
import socket
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit
from typing import Any

import pydantic_core
from pydantic import BaseModel
import requests

from core.changes import Changes
from core.collector import paused
from core.schema import WIRE_REVISION
from core.store import Store
from core.store.pull import PulledChange
from core.store.scope import SCOPE_META
from sync.pull import PULL_PAGE, PULL_STATE, EarlyPage, pull_changes
from sync.errors import (  # noqa: F401 - the client's errors, named from here by its callers too
    Cancelled, CancelFlag, LoginRequired, ServerRecordUnusable, ServerUnreachable, SyncError, TooManyAttempts,
    UpdateRequiredError, refused_as_sync_error,
)
from sync.push import BATCH_OPS_META, push_in_batches_it_takes, push_outbox  # noqa: F401 - push_outbox named from here too
from sync.protocol import (
    BATCH_OPS_HEADER, OPS_EVERY_SERVER_TAKES, PAGE_ROWS_HEADER, PROTOCOL_VERSION, ROWS_EVERY_SERVER_PAGES, ChangesPage,
    PushRequest, PushResponse, batch_ops_of, encode_body,
)

ENROLMENT_META = "enrolment"  # "pulling" while the first pull of a profile enrolled from the app is unfinished
RETRY_STATUSES = {502, 503, 504}
# The server's 503s that mean "busy, try again later" (sync.server.app): said in the server's words,
# not as a server error.
BUSY = ("server_busy", "device_busy")
Progress = Callable[[str, int, int | None], None]  # (stage "push"/"pull"/"settle", done, total or None)

log = logging.getLogger(__name__)


class BadAddress(SyncError):
    """The server address or the CA file given cannot work (said before anything is sent)."""


class NotAnAnjuServer(SyncError):
    pass


def check_server_address(url: str, ca_bundle: str | None = None) -> str:
    """The county server's address as it will be used, or BadAddress saying what is wrong with it."""
    url = (url or "").strip().rstrip("/")
    parts = urlsplit(url)
    example = "https://anju.county.example 或 http://127.0.0.1:8765"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise BadAddress(f"服务器地址“{url}”不对：应以 http:// 或 https:// 开头，例如 {example}。 / "
                         f"The server address {url!r} must start with http:// or https:// "
                         f"(e.g. https://anju.county.example).")
    try:
        parts.port
    except ValueError:
        raise BadAddress(f"服务器地址“{url}”的端口不对（应为1到65535）。 / The port in {url!r} is not a number "
                         f"from 1 to 65535.") from None
    if ca_bundle:
        if parts.scheme != "https":
            raise BadAddress("CA证书只用于 https:// 地址；http:// 地址不加密，用不到证书。 / "
                             "A CA certificate is only for an https:// address.")
        if not Path(ca_bundle).is_file():
            raise BadAddress(f"找不到CA证书文件“{ca_bundle}”。 / The CA certificate file {ca_bundle} does not exist.")
    return url


def _unreachable(url: str, exc: BaseException) -> ServerUnreachable:
    """One line for a server that does not answer: the reason in words, not urllib3's text."""
    text = str(exc)
    if isinstance(exc, requests.Timeout):
        zh, en = "等待答复超时", "it did not answer in time"
    elif "Name or service not known" in text or "getaddrinfo" in text or "nodename nor servname" in text:
        zh, en = "找不到这个主机名", "the host name is not known"
    elif "refused" in text.lower():
        zh, en = "连接被拒绝，服务器可能没有启动", "the connection was refused: is the server running?"
    else:
        zh, en = "网络不通", "no network route"
    return ServerUnreachable(f"连不上县服务器 {url}（{zh}），请稍后再试。 / The county server {url} cannot be reached: {en}.")


class CountyServer:
    def __init__(self, url: str, token: str | None = None, ca_bundle: str | None = None, schema: str = "",
                 timeout: tuple[float, float] = (5.0, 120.0), retries: int = 4, backoff: float = 0.5,
                 sleep: Callable[[float], None] = time.sleep):
        self.url = check_server_address(url, ca_bundle)
        self.token = token
        self.schema = schema
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.sleep = sleep
        self.http = requests.Session()
        # Given with every request: requests lets REQUESTS_CA_BUNDLE in the environment override a
        # session's own setting (psf/requests#3829), which would drop the county's CA.
        self.verify: str | bool = ca_bundle if ca_bundle else True
        self.batch_ops: int | None = None  # the ops a push batch may hold, as the server said last (None: not said)
        self.page_rows: int | None = None  # the records a changes page may hold, as its last answer said (None: not said)

    def close(self) -> None:
        self.http.close()

    def heard(self, twin: CountyServer) -> None:
        """What `twin`, whose request has ended, heard the server say of its limits, kept as this
        session's latest: the sync keeps the batch size the server said (BATCH_OPS_META)."""
        self.batch_ops = twin.batch_ops or self.batch_ops
        self.page_rows = twin.page_rows or self.page_rows

    def twin(self) -> CountyServer:
        """The same server and login on connections of its own, for another thread: a requests
        Session is not made to be shared by two (a pull reads its next page beside the writing)."""
        twin = copy.copy(self)
        twin.http = requests.Session()
        return twin

    # -- the requests ---------------------------------------------------------------------
    def health(self) -> dict:
        return self._call("GET", "/api/v1/health", retries=0)

    def login(self, username: str, password: str, device_id: str, device_name: str = "") -> dict:
        answer = self._call("POST", "/api/v1/auth/login", {"username": username, "password": password,
                                                           "device_id": device_id, "device_name": device_name})
        self.token = answer["token"]
        return answer

    def push(self, request: PushRequest, cancel: CancelFlag | None = None) -> PushResponse:
        return self.send_push(request.model_dump(mode="json", by_alias=True), cancel)

    def send_push(self, body: dict, cancel: CancelFlag | None = None, data: bytes | None = None) -> PushResponse:
        """A push request as its JSON (a PushRequest's, by alias: `sync.push.push_body`); `data`: the
        body as it goes (`encode_body`), when written out beforehand."""
        if body.get("audit") is None:
            body.pop("audit", None)
            data = None
        try:
            return self._call("POST", "/api/v1/sync/push", body, cancel=cancel, data=data, answer=PushResponse)
        except SyncError as exc:
            if "audit" not in body or "audit: Extra inputs" not in str(exc):
                raise
            del body["audit"]  # a server from before the audit anchor refuses the field: the push goes without
            return self._call("POST", "/api/v1/sync/push", body, cancel=cancel, answer=PushResponse)

    def changes(self, since: int, limit: int = ROWS_EVERY_SERVER_PAGES, cancel: CancelFlag | None = None,
                origin: int | None = None, everything: bool = False) -> ChangesPage:
        params: dict[str, Any] = {"since": since, "limit": limit}
        if origin is not None:
            params["origin"] = origin
        if everything:  # this laptop's own records too: a download from the start (core/store/sync_state.py)
            params["everything"] = "true"
        return self._call("GET", "/api/v1/sync/changes", params=params, cancel=cancel, answer=ChangesPage)

    def resolve(self, conflict_id: str, choice: str, value: Any = None) -> dict:
        return self._call("POST", f"/api/v1/conflicts/{conflict_id}/resolve", {"choice": choice, "value": value})

    def register_bundle_keys(self, public: dict) -> dict:
        return self._call("POST", "/api/v1/devices/keys", public, retries=0)

    def forward_bundle(self, bundle: dict, cancel: CancelFlag | None = None) -> dict:
        """A worker's offline bundle, forwarded for them; the answer is the reply bundle (sync.bundles)."""
        return self._call("POST", "/api/v1/bundles", bundle, cancel=cancel)

    def record(self, entity: str, row_id: str) -> dict:
        return self._call("GET", f"/api/v1/records/{entity}/{row_id}", retries=0)

    def _call(self, method: str, path: str, body: Any = None, params: dict | None = None,
              cancel: CancelFlag | None = None, retries: int | None = None, data: bytes | None = None,
              answer: type[BaseModel] | None = None) -> Any:
        """The server's answer: its JSON, or read as `answer` (a model) straight from the body."""
        headers = {"Anju-Protocol": str(PROTOCOL_VERSION), "Accept-Encoding": "gzip"}
        if self.schema:
            headers["Anju-Schema"] = self.schema
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        if body is not None:
            data = data or encode_body(body)
            headers.update({"Content-Type": "application/json", "Content-Encoding": "gzip"})
        attempts = self.retries if retries is None else retries
        for attempt in range(attempts + 1):
            if cancel:
                cancel.check()
            pause = min(self.backoff * 2 ** attempt, 30.0)
            try:
                response = self.http.request(method, self.url + path, data=data, params=params, headers=headers,
                                             timeout=self.timeout, verify=self.verify)
            except requests.exceptions.SSLError as exc:
                if "WRONG_VERSION_NUMBER" in str(exc).upper() or "RECORD_LAYER_FAILURE" in str(exc).upper():
                    raise BadAddress(f"{self.url} 不支持 HTTPS：这台服务器用的是不加密的 http://，请把地址改为 http:// 开头，"
                                     f"或请县里开启 HTTPS。 / The server at {self.url} speaks plain HTTP, not HTTPS: "
                                     f"use an http:// address.") from exc
                raise ServerUnreachable("服务器证书无法验证（请检查县里的CA证书设置）。 / "
                                        "The server's certificate could not be verified (check the county's CA "
                                        "certificate).") from exc
            except requests.exceptions.InvalidURL as exc:
                raise BadAddress(f"服务器地址“{self.url}”不对。 / The server address {self.url!r} is not valid.") from exc
            except (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError,
                    requests.exceptions.ContentDecodingError) as exc:  # the answer may be cut off half-way too
                if attempt == attempts:
                    raise _unreachable(self.url, exc) from exc
            else:
                self.batch_ops = told_batch_ops(response) or self.batch_ops
                self.page_rows = batch_ops_of(response.headers.get(PAGE_ROWS_HEADER))  # the latest answer's; None: not said
                if response.status_code not in RETRY_STATUSES or attempt == attempts:
                    return _answer(response, self.url, answer)
                pause = max(pause, _retry_after(response))  # a busy server says how long to wait
            self.sleep(pause)
        raise AssertionError("unreachable")


def told_batch_ops(response: requests.Response) -> int | None:
    """The ops a push batch may hold, as the server's answer says them (BATCH_OPS_HEADER), or None."""
    return batch_ops_of(response.headers.get(BATCH_OPS_HEADER))


def _retry_after(response: requests.Response) -> float:
    """The seconds a 503's Retry-After asks for (at most 30), or 0."""
    value = response.headers.get("Retry-After", "").strip()
    return min(float(value), 30.0) if value.isdigit() else 0.0


def _answer(response: requests.Response, url: str, model: type[BaseModel] | None = None) -> Any:
    if model is not None and response.ok:
        try:  # a page of a thousand records read as the model straight from its bytes: no dicts between
            return model.model_validate_json(response.content)
        except ValueError:
            pass  # not an Anju server's answer, or not of the model's shape: told as below
    try:  # pydantic's parser: a page of a thousand records read in half of json.loads's time
        payload = pydantic_core.from_json(response.content) if response.content else None
    except ValueError:
        payload = None
    if not _speaks_anju(response, payload):
        raise NotAnAnjuServer(f"{url} 不是安居县服务器（它答复 HTTP {response.status_code}），请核对地址。 / "
                              f"{url} is not an Anju county server (it answered HTTP {response.status_code}).")
    if response.ok:
        return payload if model is None else model.model_validate(payload)
    message = payload.get("message") if isinstance(payload, dict) else None
    message = message or f"HTTP {response.status_code}"
    code = str(payload.get("error") or "") if isinstance(payload, dict) else ""
    if response.status_code == 426:
        raise UpdateRequiredError(message)
    if response.status_code == 401:
        refused = LoginRequired(message)
        refused.code = code
        raise refused
    if response.status_code == 429:
        retry_after = response.headers.get("Retry-After", "")
        raise TooManyAttempts(int(retry_after) if retry_after.isdigit() else 60)
    if response.status_code == 503 and code in BUSY:  # busy, not broken: the server's own words say so
        busy = ServerUnreachable(message)
        busy.code = code
        raise busy
    if response.status_code >= 500:
        raise ServerUnreachable(f"县服务器出错（{response.status_code}），请稍后再试。 / Server error: {message}")
    refused = SyncError(message)
    refused.code = code
    refused.batch_ops = told_batch_ops(response)
    raise refused


def _speaks_anju(response: requests.Response, payload: Any) -> bool:
    """An Anju server answers JSON: an object with `error` and `message` when it refuses. Another web
    server (or a wrong path) answers a page, or FastAPI's bare {"detail": "Not Found"}."""
    if response.status_code == 501:
        return False  # "Not Implemented": a web server that knows no such request at all
    if response.status_code in RETRY_STATUSES or response.status_code >= 500:
        return True  # a proxy or the server in trouble: said as such, and retried
    if response.ok:
        return isinstance(payload, (dict, list))
    return isinstance(payload, dict) and "error" in payload


# -- the long job --------------------------------------------------------------------------

@dataclass
class SyncReport:
    pushed: dict[str, int] = field(default_factory=dict)   # op results by status
    pulled: int = 0
    rejections: list[dict] = field(default_factory=list)
    cursor: int = 0
    seconds: float = 0.0
    changes: Changes = Changes()  # what the pulled pages wrote (entities, records, households)
    scope_changed: bool = False  # the user was given other grids: outside households went, all came again
    bundles_forwarded: int = 0   # workers' offline bundles this (clerk's) sync took to the server
    bundle_refusals: list[dict] = field(default_factory=list)  # those the server refused, with why


def sync_profile(store: Store, server: CountyServer, progress: Progress | None = None,
                 cancel: CancelFlag | None = None, page_size: int = PULL_PAGE,
                 report: SyncReport | None = None) -> SyncReport:
    """Push everything waiting, then pull everything new; the profile records when it last synced.
    A `report` given is filled as the sync goes (what was pulled before a failure is known)."""
    with paused():  # a sync's objects are freed as it goes: no collection walks them (core.collector)
        return _sync_profile(store, server, progress, cancel, page_size, report)


def _sync_profile(store: Store, server: CountyServer, progress: Progress | None, cancel: CancelFlag | None,
                  page_size: int, report: SyncReport | None) -> SyncReport:
    started = time.perf_counter()
    report = report if report is not None else SyncReport()
    from sync.bundles import TO_FORWARD

    server.schema = server.schema or store.wire_schema()
    pending, held = store.sync_outset(TO_FORWARD, ENROLMENT_META, BATCH_OPS_META, *PULL_STATE)  # one read: a
    # sync with nothing to do is this, one request, and the write of when it ran
    # A copy of the unsynced work as it is now, written beside the push and the pull while the server
    # works (a failed copy does not stop the sync); the sync ends once it is written.
    copying = store.backups.begin_before_sync(pending=pending)
    try:
        _push_and_pull(store, server, report, progress, cancel, page_size, pending, held)
    finally:
        copying.wait()
    report.seconds = time.perf_counter() - started
    done = {"last_sync": datetime.now(timezone.utc).replace(microsecond=0).isoformat()}
    if held.get(ENROLMENT_META):
        done[ENROLMENT_META] = ""  # the first download of a profile enrolled from the app is complete
    told = str(server.batch_ops or OPS_EVERY_SERVER_TAKES)  # a server that says nothing takes what every one does
    if told != held.get(BATCH_OPS_META):
        done[BATCH_OPS_META] = told
    store.set_metas(done)
    return report


def _push_and_pull(store: Store, server: CountyServer, report: SyncReport, progress: Progress | None,
                   cancel: CancelFlag | None, page_size: int, pending: int, held: dict[str, Any]) -> None:
    """A sync's work once its backup is under way: the push, a clerk's forwarded bundles, the pull."""
    from sync.bundles import TO_FORWARD, ensure_bundle_keys, forward_bundles

    ensure_bundle_keys(store, server)
    early: list[EarlyPage] = []  # the pull's first page, asked for once the push's last batch is answered

    def pull_ahead() -> None:
        if early or _forwards(held):  # a forwarded bundle changes what the pull finds: it goes first
            return
        try:
            early.append(EarlyPage.ask(server, {key: held.get(key) for key in PULL_STATE}, page_size, cancel))
        except Exception:  # noqa: BLE001 - only a head start: the answer before it is recorded all the same
            log.warning("the pull's first page could not be asked for early; the pull asks for it after the push",
                        exc_info=True)

    try:
        if push_in_batches_it_takes(store, server, report, progress, cancel, pending, held.get(BATCH_OPS_META),
                                    pull_ahead):
            held[BATCH_OPS_META] = str(OPS_EVERY_SERVER_TAKES)  # kept with the cut, when the server refused a batch
        if pending:  # a bundle the clerk imported while the push was on its way goes in this sync too
            held.update(store.metas(TO_FORWARD))
        forwarding = _forwards(held)
        if forwarding:
            for page in early:
                page.drop()
            early.clear()
            forwarded, refused = forward_bundles(store, server, cancel)
            report.bundles_forwarded += forwarded
            report.bundle_refusals += refused
    except BaseException:
        for page in early:
            page.drop()
        raise
    # The pull's state as read above, unless a push or a forwarded bundle has written since
    pull_changes(store, server, report, progress, cancel, page_size,
                 held=None if pending or forwarding else {key: held.get(key) for key in PULL_STATE},
                 early=early[0] if early else None)


def _forwards(held: dict[str, Any]) -> bool:
    """A clerk's laptop holds workers' offline bundles to forward (sync.bundles.TO_FORWARD)."""
    from sync.bundles import TO_FORWARD

    return held.get(TO_FORWARD) not in (None, "", "[]")


def discard_rejected(store: Store, server: CountyServer, refused: list[dict]) -> tuple[Any, set[tuple[str, str]]]:
    """The worker gives up refused changes: each record gets the server's version back, or is removed
    when the server never had it (a household made here outside the worker's grid). Returns the
    Changes written and the (entity, id) of the records now deleted. Raises ChangesOnTheirWay,
    nothing given up, while an edit of them made since may be on its way (sync first)."""
    versions = []
    for r in refused:
        try:
            found = server.record(r["entity"], r["row_id"])
        except SyncError as error:
            if getattr(error, "code", "") != "not_found":
                raise
            versions.append(PulledChange(0, r["entity"], r["row_id"], True, {}))
            continue
        versions.append(PulledChange(int(found["seq"]), found["entity"], found["row_id"], bool(found["deleted"]),
                                     dict(found.get("fields") or {})))
    with refused_as_sync_error("the server's version of a refused record"):  # then nothing is given up
        changes = store.discard_rejected(versions, {(r["entity"], r["row_id"]) for r in refused})
    return changes, {(v.entity, v.row_id) for v in versions if v.deleted}


def server_for(store: Store, url: str | None = None, ca_bundle: str | None = None) -> CountyServer:
    """A client for the server this profile enrolled with (its URL, token and CA kept in the profile)."""
    url = url or store.meta("server_url")
    if not url:
        raise SyncError("此档案没有登记县服务器，请先用 enroll 登记。 / This profile is not enrolled with a server.")
    return CountyServer(url, token=store.meta("server_token"), ca_bundle=ca_bundle or store.meta("server_ca") or None,
                        schema=store.wire_schema())


def _log_in(server: CountyServer, username: str, password: str, device_id: str, device_name: str) -> dict:
    """Ask the server whether it is an Anju county server before a password is sent, then log in."""
    health = server.health()
    if not isinstance(health, dict) or "protocols" not in health:
        raise NotAnAnjuServer(f"{server.url} 不是安居县服务器（它的答复不像安居的），请核对地址。 / "
                              f"{server.url} is not an Anju county server.")
    return server.login(username, password, device_id, device_name or socket.gethostname())


def _remember_server(store: Store, url: str, who: dict, ca_bundle: str | None) -> None:
    for key, value in (("server_url", url), ("server_token", who["token"]), ("server_ca", ca_bundle or ""),
                       ("role", who["role"]), ("scope", who["scope"])):
        store.set_meta(key, value)


def enroll(folder: Path, url: str, username: str, password: str, ca_bundle: str | None = None,
           device_name: str = "", progress: Progress | None = None,
           cancel: CancelFlag | None = None, page_size: int = PULL_PAGE) -> tuple[Store, SyncReport]:
    """Log in from a new device, make its encrypted profile (keyed by the same password), and pull the
    reference data and the households in the user's scope. A refused login, or a pull that fails
    or is cancelled, leaves no profile (the next enroll starts afresh)."""
    from core.store.profile import check_new_profile_folder

    check_new_profile_folder(Path(folder))  # before a device is registered for nothing
    device_id = f"dev-{uuid.uuid4().hex[:12]}"
    server = CountyServer(url, ca_bundle=ca_bundle, schema=WIRE_REVISION)
    reports: list[SyncReport] = []

    def first_sync(store: Store) -> None:
        _remember_server(store, server.url, who, ca_bundle)
        reports.append(sync_profile(store, server, progress, cancel, page_size))

    try:
        who = _log_in(server, username, password, device_id, device_name)
        # The profile is built beside `folder` and appears only once the first pull is complete.
        store = Store.create(folder, password, username=username, display_name=f"{username} @ {server.url}",
                             device_id=device_id, fill=first_sync)
        return store, reports[0]
    finally:
        server.close()


def register_profile(folder: Path, url: str, username: str, password: str, ca_bundle: str | None = None,
                     device_name: str = "") -> Store:
    """Enrolling from the app, first half: log in as a new device and make the profile (atomically),
    knowing its server but holding no household yet. `first_pull` brings them, and can stop and resume:
    each page is kept with its cursor, and the profile says it is still "pulling" until done."""
    from core.store.profile import check_new_profile_folder

    check_new_profile_folder(Path(folder))
    device_id = f"dev-{uuid.uuid4().hex[:12]}"
    server = CountyServer(url, ca_bundle=ca_bundle, schema=WIRE_REVISION)
    try:
        who = _log_in(server, username, password, device_id, device_name)

        def remember(store: Store) -> None:
            _remember_server(store, server.url, who, ca_bundle)
            store.set_meta(ENROLMENT_META, "pulling")

        return Store.create(folder, password, username=username, display_name=f"{username} @ {server.url}",
                            device_id=device_id, fill=remember)
    finally:
        server.close()


def connect_profile(store: Store, url: str, username: str, password: str, ca_bundle: str | None = None,
                    device_name: str = "") -> dict:
    """A profile made on this laptop joins the county server: this device logs in as `username`, and
    the profile keeps its records, which go up with the first push. Returns the server's answer
    (role and scope)."""
    server = CountyServer(url, ca_bundle=ca_bundle, schema=store.wire_schema())
    try:
        who = _log_in(server, username, password, store.actor.device_id, device_name)
    finally:
        server.close()
    held_scope = store.meta(SCOPE_META)
    _remember_server(store, server.url, who, ca_bundle)
    if held_scope:  # the next pull compares it with the server's: another scope is followed there
        store.set_meta(SCOPE_META, held_scope)
    store.set_meta(ENROLMENT_META, "pulling")
    if username != store.actor.username:
        store.set_meta("username", username)
        store.actor = replace(store.actor, username=username)
    return who


def first_pull(store: Store, progress: Progress | None = None, cancel: CancelFlag | None = None,
               report: SyncReport | None = None, page_size: int = PULL_PAGE) -> SyncReport:
    """The households of a profile enrolled from the app (or the rest of them, after a stop): a sync,
    after which the profile is no longer "pulling"."""
    server = server_for(store)
    try:
        return sync_profile(store, server, progress, cancel, page_size, report=report)
    finally:
        server.close()
