"""The county server's HTTP API (FastAPI), over sync.server's merge, changes and accounts.

    GET  /api/v1/health                          protocol and schema versions; no login needed
    POST /api/v1/auth/login                      {username, password, device_id, device_name} -> token;
                                                 429 with Retry-After after failed logins (sync.server.throttle)
    POST /api/v1/auth/logout                     revokes the caller's token
    POST /api/v1/sync/push                       PushRequest (JSON, gzip allowed) -> PushResponse
    GET  /api/v1/sync/changes?since=N&limit=M    -> ChangesPage, the caller's scope only
    GET  /api/v1/records/{entity}/{row_id}       one record; 404 alike when it does not exist or is out of scope
    POST /api/v1/conflicts/{id}/resolve          {choice: server|client|value, value} (clerks, admins)

Every request but health carries `Anju-Protocol` and `Anju-Schema` headers; outside the range
this server speaks the answer is 426 "update required". A client's mistake gets a 4xx answer
whose JSON says what is wrong ({"error": code, "message": Chinese / English}, sync.server.answers);
nothing is half-written, because each request is one transaction.
"""
from __future__ import annotations

import json
import logging
import secrets
import zlib
from collections.abc import Callable
from datetime import datetime
from typing import Any

from fastapi import FastAPI, Request
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Connection, Engine, bindparam, insert, text
from sqlalchemy.exc import IntegrityError, OperationalError
from starlette.concurrency import run_in_threadpool

from core.models import utc_now
from sync.protocol import (
    MAX_BODY_BYTES, MAX_OPS_PER_BATCH, MAX_PAGE, OPS_EVERY_SERVER_TAKES,
    PROTOCOL_VERSION, SUPPORTED_PROTOCOLS, PushRequest, PushResponse, check_protocol, check_schema,
    parse_push, supported_schemas, too_many_logins,
)
from sync.server.answers import ApiError, RequestLog, SaysLimits, install_error_handlers
from sync.server.accounts import AuthError, Caller, WrongPassword, authenticate, login, token_hash
from sync.bundle import MAX_BYTES as MAX_BUNDLE_BYTES, BundleError, read_header
from sync.server.audit import check_audit_head, log_broken
from sync.server.bundles import register_device_keys, server_keys, take_bundle
from sync.server.changes import changes_since, read_record, wire_json
from sync.server.numbers import MAX_SEQUENCE, raced, reading_below_watermark
from sync.server.db import is_sqlite, reading, writing, writing_in_turn
from sync.server.merge import all_answered, apply_push, apply_push_one_by_one
from sync.server.rows import StaleRead
from sync.server.models import access_log, device
from sync.server.review import Resolution, resolve_conflict
from sync.server.throttle import Throttled, begin_attempt, forgive, keys_of, log_throttled
from sync.server.turns import Turns


request_log = logging.getLogger("sync.server.requests")


class LoginRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=1024)
    device_id: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._:\-]+$")
    device_name: str = Field(default="", max_length=128)


# Statements every push runs, built once (building one cost as much as running it).
_LOG_LINE = insert(access_log)
_SEEN = device.update().where(device.c.device_id == bindparam("device")).values(last_seen_at=bindparam("now"))
# PostgreSQL: a push's access-log line and its device's last sight in one round trip (SQLite has no
# UPDATE inside WITH: there they are two statements).
_LOG_LINE_AND_SEEN = text("WITH seen AS (UPDATE device SET last_seen_at = :now WHERE device_id = :device_id) "
                          "INSERT INTO access_log (at, username, device_id, action, detail) "
                          "VALUES (:at, :username, :device_id, :action, :detail)").bindparams(
    *(bindparam(name, type_=access_log.c[column].type) for name, column in (
        ("now", "at"), ("at", "at"), ("username", "username"), ("device_id", "device_id"), ("action", "action"),
        ("detail", "detail"))))


def create_app(engine: Engine, clock: Callable[[], datetime] = utc_now, batch_ops: int = MAX_OPS_PER_BATCH,
               page_rows: int = MAX_PAGE) -> FastAPI:
    """The county server's routes on `engine`; `batch_ops`: the ops a push batch may hold, from what
    every server takes (a laptop that heard nothing sends that many) to MAX_OPS_PER_BATCH; `page_rows`:
    the records a changes page may hold, up to MAX_PAGE. Both are said to the laptops on every answer."""
    if not OPS_EVERY_SERVER_TAKES <= batch_ops <= MAX_OPS_PER_BATCH:
        raise ValueError(f"batch_ops must be between {OPS_EVERY_SERVER_TAKES} and {MAX_OPS_PER_BATCH}")
    if not 1 <= page_rows <= MAX_PAGE:
        raise ValueError(f"page_rows must be between 1 and {MAX_PAGE}")
    app = FastAPI(title="安居 county server", version=str(PROTOCOL_VERSION), docs_url=None, redoc_url=None)
    bundle_public = server_keys(engine).public()  # sealed for by the laptops' offline bundles (sync.bundle)
    # zlib's own default level, not Starlette's 9: a page of a thousand records (780 KB of JSON) is
    # compressed in 5 ms instead of 11, and comes out 5% bigger.
    app.add_middleware(GZipMiddleware, minimum_size=2048, compresslevel=6)
    app.add_middleware(RequestLog)
    app.add_middleware(SaysLimits, ops=batch_ops, page_rows=page_rows)  # outermost: on every answer, a refusal's and a fault's too
    install_error_handlers(app)
    # The requests' database work, as many at once as the process keeps connections, the others in line
    # (sync.server.turns). The thread runner is looked up when called: bench/county.py times it.
    turns = Turns(*_turns_of(engine), lambda work: run_in_threadpool(work))

    def log(conn: Any, caller: Caller, action: str, detail: str, seen: datetime | None = None) -> None:
        """The access-log line; `seen`: the device was seen then too (its last_seen_at)."""
        line = {"at": clock(), "username": caller.username, "device_id": caller.device_id, "action": action,
                "detail": detail}
        if seen is not None and not is_sqlite(engine):
            conn.execute(_LOG_LINE_AND_SEEN, {**line, "now": seen})
            return
        conn.execute(_LOG_LINE, line)
        if seen is not None:
            conn.execute(_SEEN, {"device": caller.device_id, "now": seen})

    def caller_of(request: Request) -> Caller:
        token = _bearer_token(request)
        with reading(engine) as conn:
            return _signed_in(conn, request, token)

    @app.get("/api/v1/health")
    def health() -> dict:
        return {"status": "ok", "protocols": sorted(SUPPORTED_PROTOCOLS), "schemas": supported_schemas(),
                "server_time": clock().isoformat(), "bundle_keys": bundle_public}

    @app.post("/api/v1/auth/login")
    async def do_login(request: Request) -> dict:
        _check_versions(request)
        body = LoginRequest.model_validate_json(await _read_body(request, 64 * 1024))
        keys = keys_of(body.username, request.client.host if request.client else "unknown")

        def work() -> dict:
            now = clock()
            # One connection for both: a login whose attempt was counted is never answered "busy" (and
            # sent again, counted again) for want of a connection to check the password on.
            with writing_in_turn(engine) as conn:
                with conn.begin():  # counted before the password is checked: see sync.server.throttle
                    try:
                        reaching = begin_attempt(conn, keys, now)
                    except Throttled as exc:
                        raise ApiError(429, "too_many_attempts", too_many_logins(exc.seconds),
                                       {"Retry-After": str(exc.seconds)}) from None
                with conn.begin():
                    try:
                        token, caller = login(conn, body.username, body.password, body.device_id,
                                              body.device_name, now)
                    except AuthError as exc:
                        if isinstance(exc, WrongPassword):
                            log_throttled(reaching)
                        raise ApiError(401, exc.code, str(exc)) from None
                    forgive(conn, keys)
                    log(conn, caller, "login", body.device_name)
            return {"token": token, "username": caller.username, "role": caller.role, "scope": caller.scope,
                    "device_id": caller.device_id}
        return await turns.run(work)

    @app.post("/api/v1/auth/logout")
    async def do_logout(request: Request) -> dict:
        def work() -> dict:
            caller = caller_of(request)
            with writing(engine) as conn:  # the token stops working; the device stays registered
                conn.execute(device.update().where(device.c.token_hash == token_hash(
                    request.headers["authorization"][7:].strip())).values(token_hash=token_hash(secrets.token_hex(32))))
                log(conn, caller, "logout", "")
            return {"status": "ok"}
        return await turns.run(work)

    def push_once(sign_in: SignIn, now: datetime, optimistic: bool,
                  one_by_one: bool = False) -> tuple[PushResponse, Caller, str | None]:
        """One try at a push in one transaction, whose first step is knowing the caller and the batch
        (`sign_in`: the token checked in this transaction, not in one of its own, and then the body read);
        returns the answer, the caller and, when the device's audit log was found cut or rewritten, why
        (logged once the push is committed)."""
        answered: set[str] = set()  # ops applied before: every op of a replay, whose head may be old
        with writing(engine) as conn:
            caller, batch = sign_in(conn)
            if one_by_one:
                response = apply_push_one_by_one(conn, caller, batch, now, now.date())
            else:
                response = apply_push(conn, caller, batch, now, now.date(), optimistic, answered)
            counts: dict[str, int] = {}
            for r in response.results:
                counts[r.status] = counts.get(r.status, 0) + 1
            log(conn, caller, "push", f"batch {batch.batch_id}: {counts}", seen=now)
            replay = bool(batch.ops) and len(answered) == len(batch.ops)
            audit, broken = check_audit_head(conn, caller, batch.audit, now, moving=not replay)
            if broken:
                log(conn, caller, "audit-flag", broken)
        return response.model_copy(update={"audit": audit}), caller, broken

    def push_with_retries(sign_in: SignIn, batch_id: Callable[[], str]) -> PushResponse:
        """`batch_id`: the batch's, once `sign_in` has read it (for the log)."""
        now = clock()
        try:
            response, caller, broken = push_once(sign_in, now, optimistic=not is_sqlite(engine))
        except (StaleRead, IntegrityError, OperationalError) as exc:  # raced another push: again, alone
            if isinstance(exc, OperationalError) and not raced(exc):
                raise
            request_log.debug("batch %s raced another push (%s): done again alone", batch_id(), type(exc).__name__)
            try:
                response, caller, broken = push_once(sign_in, now, optimistic=False)
            except IntegrityError:  # refused as a whole: op by op, rejecting only what fails
                response, caller, broken = push_once(sign_in, now, optimistic=False, one_by_one=True)
        if broken:
            log_broken(caller, broken)
        return response

    def push_as(caller: Caller, batch: PushRequest) -> PushResponse:
        """A push by a caller already known (a worker's, inside an offline bundle)."""
        return push_with_retries(lambda _conn: (caller, batch), lambda: batch.batch_id)

    @app.post("/api/v1/devices/keys")
    async def device_keys(request: Request) -> dict:
        raw = await _read_body(request, 4096)

        def work() -> dict:
            caller = caller_of(request)
            try:
                register_device_keys(engine, caller, json.loads(raw or b"null"))
            except (BundleError, ValueError) as exc:
                raise ApiError(400, "bad_request", str(exc)) from None
            return {"status": "ok"}
        return await turns.run(work)

    @app.post("/api/v1/bundles")
    async def take_offline_bundle(request: Request) -> Response:
        """A worker's offline bundle, forwarded by a clerk's laptop: the reply bundle (docs/bundles.md)."""
        raw = await _read_body(request, MAX_BUNDLE_BYTES)

        def work() -> Response:
            forwarder = caller_of(request)
            try:
                reply, again = take_bundle(engine, forwarder, raw, clock(), push_as)
            except BundleError as exc:
                raise ApiError(422, f"bundle_{exc.code}", str(exc)) from None
            with writing(engine) as conn:
                header = read_header(raw)[1]
                log(conn, forwarder, "bundle", f"{'again ' if again else ''}{header['bundle_id']} of device "
                                               f"{header['device_id']}")
            return Response(reply, media_type="application/json", headers={"Anju-Bundle-Again": "1" if again else "0"})
        return await turns.run(work)

    @app.post("/api/v1/sync/push")
    async def push(request: Request) -> Response:
        raw = await _read_body(request, MAX_BODY_BYTES)
        token = _bearer_token(request)  # a request without a token is told so at once, not after its turn

        def work() -> Response:
            if is_sqlite(engine):  # SQLite's write transaction holds the one writer lock: a stranger never waits for it
                with reading(engine) as conn:
                    _signed_in(conn, request, token)
            read: list[PushRequest] = []

            def sign_in(conn: Connection) -> tuple[Caller, PushRequest]:  # in the push's own transaction
                caller = _signed_in(conn, request, token)
                if not read:  # the body is read once the token is known: a stranger's is never parsed
                    read.append(parse_push(raw))
                batch = read[0]
                check_protocol(batch.protocol)
                if batch.device_id != caller.device_id:
                    raise ApiError(403, "wrong_device", "批次的设备编号与登录的设备不一致。 / "
                                                        "The batch's device_id is not the logged-in device.")
                check_schema(batch.schema_revision)
                if len(batch.ops) > batch_ops and not all_answered(conn, caller.device_id, batch):
                    # the laptop heard a higher limit (this server's was lowered); a batch answered before
                    # it fell is answered again, as any batch sent again is
                    raise ApiError(422, "batch_too_large", f"一批最多 {batch_ops} 条更改，这批有 {len(batch.ops)} 条。 / "
                                                           f"A batch holds at most {batch_ops} ops; this one has "
                                                           f"{len(batch.ops)}.")
                return caller, batch
            answer = push_with_retries(sign_in, lambda: read[0].batch_id if read else "-")
            # Fields at their defaults are left out: `audit` when none (a client from before the audit anchor
            # forbids fields it does not know), and a result's reason and conflicts when it has none (nearly
            # every op's), which every laptop reads as the defaults (sync.protocol.OpResult): a third less to
            # write, gzip and read.
            return Response(answer.model_dump_json(exclude_defaults=True),
                            media_type="application/json")
        return await turns.run(work)

    @app.get("/api/v1/sync/changes")
    async def changes(request: Request, since: int = 0, limit: int = 500, origin: int | None = None,
                      everything: bool = False) -> Response:
        token = _bearer_token(request)  # a request without a token is told so at once, not after its turn
        return await turns.run(lambda: pull(request, token, since, limit, origin, everything))

    def pull(request: Request, token: str, since: int, limit: int, origin: int | None, everything: bool) -> Response:
        # The caller and the page in one transaction, on one connection with the watermark (PostgreSQL):
        # a sync with nothing to do is mostly this request.
        with reading_below_watermark(engine) as (conn, upto):
            caller = _signed_in(conn, request, token)
            if not 0 <= since <= MAX_SEQUENCE or limit < 1 or not 0 <= (origin or 0) <= MAX_SEQUENCE:
                raise ApiError(422, "bad_query", "since 和 origin 应≥0，limit 应≥1。 / "
                                                 "since and origin must be ≥ 0 and limit at least 1.")
            # More than the page holds (a laptop that heard a larger size before its admin lowered it): as many as
            # it holds, and the page says where the next begins.
            page = changes_since(conn, caller, since, min(limit, page_rows), origin, everything, upto, as_text=True)
            pulled = f"since {since}: {page.count} records"
            if not is_sqlite(engine):  # PostgreSQL: the access-log line in the pull's own transaction
                log(conn, caller, "pull", pulled)
        if is_sqlite(engine):  # SQLite: a transaction of its own (a read that began there cannot become a write)
            with writing(engine) as conn:
                log(conn, caller, "pull", pulled)
        protocol = 1 if request.headers.get("anju-protocol", "").strip() == "1" else 2
        return Response(page.json(protocol), media_type="application/json")

    @app.get("/api/v1/records/{entity}/{row_id}")
    async def record(request: Request, entity: str, row_id: str) -> Response:
        return await turns.run(lambda: read_one(request, entity, row_id))

    def read_one(request: Request, entity: str, row_id: str) -> Response:
        caller = caller_of(request)
        from core.models import SYNCED_ENTITIES

        if entity not in SYNCED_ENTITIES:
            raise ApiError(404, "unknown_entity", f"没有“{entity}”这类记录。 / No entity {entity!r}.")
        with reading(engine) as conn:
            found = read_record(conn, caller, entity, row_id)
        if found is None:  # the same answer for a record outside the caller's scope: its existence is not told
            raise ApiError(404, "not_found", "没有这条记录，或它不在您的工作范围内。 / "
                                             "No such record in your scope.")
        with writing(engine) as conn:
            log(conn, caller, "read", f"{entity} {row_id}")
        return Response(wire_json(found), media_type="application/json")

    @app.post("/api/v1/conflicts/{conflict_id}/resolve")
    async def resolve(request: Request, conflict_id: str) -> dict:
        body = Resolution.model_validate_json(await _read_body(request, 256 * 1024))

        def work() -> dict:
            caller = caller_of(request)
            now = clock()
            with writing(engine) as conn:
                seq = resolve_conflict(conn, caller, conflict_id, body, now, now.date())
                log(conn, caller, "resolve", f"conflict {conflict_id}: {body.choice}")
            return {"status": "resolved", "server_seq": seq}
        return await turns.run(work)

    return app


DB_VARIABLE = "ANJU_SERVER_DB"
CONNECTIONS_VARIABLE = "ANJU_SERVER_DB_CONNECTIONS"


def app_from_environment() -> FastAPI:
    """The app of one worker process when `serve --workers N` runs several (uvicorn imports it)."""
    import os

    from sync.server.db import DB_CONNECTIONS, make_engine

    engine = make_engine(os.environ[DB_VARIABLE], int(os.environ.get(CONNECTIONS_VARIABLE, DB_CONNECTIONS)))
    return for_serving(create_app(engine), engine)


def for_serving(app: FastAPI, engine: Engine) -> FastAPI:
    """The app of a serving process, with what start-up made (tables, schemas, routes, code lists)
    moved out of the garbage collector's sight: it lives as long as the process, and each full
    collection under load would otherwise walk all of it again. Its engine is disposed of when the
    server stops (Ctrl+C, SIGTERM), before uvicorn raises the signal again and the process ends: on
    SQLite the last connection to close copies the log back, so the stopped database is whole in
    `county.db` alone."""
    import gc
    from contextlib import asynccontextmanager

    from core.collector import collect_less

    running = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(served: FastAPI):  # noqa: ANN202
        async with running(served) as state:
            yield state
        engine.dispose()

    app.router.lifespan_context = lifespan
    gc.collect()
    gc.freeze()
    collect_less()  # a push's records live until its commit: fewer young collections walk them (core.collector)
    return app


def _bearer_token(request: Request) -> str:
    """The request's bearer token, once its protocol and schema are known to be served (401 without one)."""
    _check_versions(request)
    header = request.headers.get("authorization", "")
    if not header.lower().startswith("bearer "):
        raise ApiError(401, "login_required", "请先登录。 / Log in first (no bearer token).")
    return header[7:].strip()


def _signed_in(conn: Connection, request: Request, token: str) -> Caller:
    """The caller the token stands for, read in the caller's transaction (401 when it stands for none)."""
    try:
        caller = authenticate(conn, token)
    except AuthError as exc:
        raise ApiError(401, exc.code, str(exc)) from None
    request.state.caller = caller  # for the request log line
    return caller


# The caller of a push and its batch, known in the push's own transaction (a token checked there and then
# the body read, or a caller and a batch known already).
SignIn = Callable[[Connection], "tuple[Caller, PushRequest]"]


def _check_versions(request: Request) -> None:
    try:
        protocol = int(request.headers.get("anju-protocol", "0"))
    except ValueError:
        protocol = 0
    check_protocol(protocol)
    schema = request.headers.get("anju-schema")
    if schema is not None:
        check_schema(schema)


async def _read_body(request: Request, limit: int) -> bytes:
    """The body, gunzipped when sent so; more than `limit` bytes (either way) is refused, not read."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise ApiError(413, "too_large", f"请求太大（{declared} 字节，最多 {limit}）。 / The request is too large.")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise ApiError(413, "too_large", f"请求太大（最多 {limit} 字节）。 / The request is too large.")
        chunks.append(chunk)
    body = b"".join(chunks)
    if request.headers.get("content-encoding", "").lower() == "gzip":
        body = _gunzip(body, limit)
    return body


def _gunzip(body: bytes, limit: int) -> bytes:
    """One whole gzip member: its CRC-32 and length trailer are checked (zlib checks them only when
    it reaches them, so a body cut off before the trailer must be caught here)."""
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        data = inflater.decompress(body, limit + 1)
    except zlib.error as exc:
        raise ApiError(400, "bad_gzip", f"gzip 数据损坏（校验不符或格式错误）：{exc} / "
                                        f"The gzip body is damaged (checksum or format): {exc}") from None
    if len(data) > limit or inflater.unconsumed_tail:
        raise ApiError(413, "too_large", f"解压后请求太大（最多 {limit} 字节）。 / The request is too large.")
    if not inflater.eof:
        raise ApiError(400, "bad_gzip", "gzip 数据不完整：结尾的校验和与长度缺失，请求可能在传输中被截断。 / "
                                        "The gzip body is incomplete: its checksum and length trailer are missing.")
    if inflater.unused_data:
        raise ApiError(400, "bad_gzip", "gzip 数据之后还有多余的字节。 / The gzip body has extra bytes after its end.")
    return data


def _turns_of(engine: Engine) -> tuple[int, float]:
    """How many requests' database work runs at once (the connections the engine's pool keeps) and how
    long one waits for its turn (as long as the pool would for a connection)."""
    from sync.server.db import DB_CONNECTIONS, WAIT_FOR_CONNECTION

    pool = engine.pool
    size, timeout = getattr(pool, "size", None), getattr(pool, "timeout", None)
    return (size() if callable(size) else DB_CONNECTIONS,
            timeout() if callable(timeout) else WAIT_FOR_CONNECTION)
