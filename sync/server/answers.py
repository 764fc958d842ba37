"""How the county server answers: the JSON a refusal or a fault carries ({"error": code, "message"}),
the exception handlers that make it from what went wrong, and the two middlewares every answer goes
through (one log line a request; the ops a push batch may hold)."""
from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import ValidationError
from sqlalchemy.exc import DBAPIError, OperationalError, TimeoutError as NoConnectionFree
from starlette.requests import ClientDisconnect

from sync.protocol import BATCH_OPS_HEADER, PAGE_ROWS_HEADER, UpdateRequired
from sync.server.accounts import ScopeError
from sync.server.merge import Rejected
from sync.server.numbers import DeviceBusy
from sync.server.review import ConflictGone
from sync.server.turns import NoTurn

request_log = logging.getLogger("sync.server.requests")
fault_log = logging.getLogger("sync.server.faults")
BUSY_RETRY_SECONDS = 5  # the Retry-After of a 503 when no database connection came free
CALLER_GONE = 499  # logged for a request whose caller went away before sending it whole (as nginx logs it)


class ApiError(Exception):
    """A request the server refuses: answered with its status, code and message (and headers)."""

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers


def error_answer(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": code, "message": message}, status_code=status, headers=headers)


class RequestLog:
    """One log line a request: method, path, status, milliseconds, user and device; never a value
    of a record (paths hold only entity names and ids). The server's own bug is answered 500 here
    (`server_fault`). Plain ASGI: Starlette's BaseHTTPMiddleware (`app.middleware("http")`) ran every
    request through a task and a stream of its own, a fifth of the server's time for a sync with
    nothing to do."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 0

        async def sending(message: dict) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body" and not message.get("more_body"):
                _log_request(scope, status, started)  # before the answer's end goes: once the caller has
            await send(message)  # it, the line is there

        try:
            await self.app(scope, receive, sending)
        except Exception as exc:  # noqa: BLE001 - the server's own bug: answered 500 and logged, once
            if status:  # the answer has begun and cannot be changed: uvicorn logs the traceback and drops
                _log_request(scope, status, started)  # the connection
                raise
            await server_fault(Request(scope), exc)(scope, receive, sending)


class SaysLimits:
    """Every answer says how many ops a push batch may hold (BATCH_OPS_HEADER) and how many records a
    changes page may (PAGE_ROWS_HEADER). The laptops size their batches and pages by them, and tell a
    refusal for a batch's size from a malformed request by the first (a server from before a header says
    nothing: it refuses more than 500 ops as malformed, and a `limit` over 1,000)."""

    def __init__(self, app: Any, ops: int, page_rows: int) -> None:
        self.app = app
        self.headers = [(BATCH_OPS_HEADER.lower().encode("latin-1"), str(ops).encode("latin-1")),
                        (PAGE_ROWS_HEADER.lower().encode("latin-1"), str(page_rows).encode("latin-1"))]

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def sending(message: dict) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *self.headers]}
            await send(message)
        await self.app(scope, receive, sending)


def _log_request(scope: dict, status: int, started: float) -> None:
    if request_log.isEnabledFor(logging.INFO):
        caller = scope.get("state", {}).get("caller")
        request_log.info("%s %s %d %.1f ms user=%s device=%s", scope["method"], scope["path"], status,
                         (time.perf_counter() - started) * 1000,
                         getattr(caller, "username", "-"), getattr(caller, "device_id", "-"))


def busy_answer() -> JSONResponse:
    """503: no database connection to be had now; the laptop waits Retry-After and sends again (sync.client)."""
    return error_answer(503, "server_busy", "县服务器正忙，请稍后再同步。 / The county server is busy; sync again shortly.",
                  {"Retry-After": str(BUSY_RETRY_SECONDS)})


def server_fault(request: Request, exc: Exception) -> JSONResponse:
    """The server's own bug: 500 (never a 4xx that blames the client), its traceback logged with
    a reference the answer carries, so the county's IT office can find it in the log."""
    reference = secrets.token_hex(4)
    fault_log.error("server fault %s on %s %s", reference, request.method, request.url.path,
                    exc_info=(type(exc), exc, exc.__traceback__))
    return error_answer(500, "server_error", f"县服务器内部出错（编号 {reference}），请把编号告诉县里的管理员。 / "
                                       f"The county server failed (reference {reference}); "
                                       f"tell the county's administrator.")


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def apierror_answer(_request: Request, exc: ApiError) -> JSONResponse:
        return error_answer(exc.status, exc.code, exc.message, exc.headers)

    @app.exception_handler(NoConnectionFree)
    async def busy(_request: Request, exc: NoConnectionFree) -> JSONResponse:
        # Every database connection of this process stayed busy while the request waited for one
        # (sync.server.db.WAIT_FOR_CONNECTION). What it did before is kept, and sending it again is safe
        # (a push's answers are stored); the laptop waits Retry-After and tries again (sync.client).
        request_log.warning("no database connection came free, answered 503 (%s)", exc)
        return busy_answer()

    @app.exception_handler(NoTurn)
    async def no_turn(_request: Request, exc: NoTurn) -> JSONResponse:
        # As many requests as the process keeps connections held them the whole time this one waited for
        # its turn (sync.server.turns): busy, as above; nothing of it was done.
        request_log.warning("no turn at the database came, answered 503 (%s)", exc)
        return busy_answer()

    @app.exception_handler(DBAPIError)
    async def database_fault(request: Request, exc: DBAPIError) -> JSONResponse:
        # The database connection broke under the request, or none could be made (PostgreSQL restarting,
        # the network down). Busy, not broken: the laptop sends the request again after Retry-After. A
        # push is one transaction: if its COMMIT did go through before the connection broke, the push sent
        # again is answered from the answers it stored (sync.server.merge), applied once.
        unreachable = isinstance(exc, OperationalError) and exc.statement is None  # not connected at all
        if not (exc.connection_invalidated or unreachable):
            return server_fault(request, exc)
        request_log.warning("the database connection was lost during %s %s, answered 503", request.method,
                            request.url.path, exc_info=(type(exc), exc, exc.__traceback__))
        return busy_answer()

    @app.exception_handler(ClientDisconnect)
    async def caller_gone(request: Request, _exc: ClientDisconnect) -> Response:
        # The laptop went away while its request was on its way (Wi-Fi lost in a stairwell, the lid shut,
        # the app killed): nothing of a request not read whole was done, and the laptop sends it again at
        # its next sync. Not the server's fault, and common in the field: one line, no traceback, and an
        # answer no one reads.
        request_log.info("the caller went away before %s %s was read whole", request.method, request.url.path)
        return Response(status_code=CALLER_GONE)

    @app.exception_handler(DeviceBusy)
    async def device_busy(_request: Request, _exc: DeviceBusy) -> JSONResponse:
        request_log.warning("a push waited for another push of its device too long: answered 503")
        return error_answer(503, "device_busy", "这台电脑的上一次同步还没有结束，请稍后再同步。 / "
                                          "This device's last sync has not finished yet; sync again shortly.",
                      {"Retry-After": str(BUSY_RETRY_SECONDS)})

    @app.exception_handler(UpdateRequired)
    async def update_required(_request: Request, exc: UpdateRequired) -> JSONResponse:
        return error_answer(426, "update_required", str(exc))

    @app.exception_handler(ValidationError)
    async def invalid(_request: Request, exc: ValidationError) -> JSONResponse:
        return error_answer(422, "invalid_request", describe(exc.errors()))

    @app.exception_handler(RequestValidationError)
    async def invalid_query(_request: Request, exc: RequestValidationError) -> JSONResponse:
        return error_answer(422, "invalid_request", describe(exc.errors()))

    @app.exception_handler(ScopeError)
    async def out_of_scope(_request: Request, exc: ScopeError) -> JSONResponse:
        return error_answer(403, "out_of_scope", str(exc))

    @app.exception_handler(ConflictGone)
    async def gone(_request: Request, exc: ConflictGone) -> JSONResponse:
        return error_answer(404, "not_found", str(exc))

    @app.exception_handler(Rejected)
    async def rejected(_request: Request, exc: Rejected) -> JSONResponse:
        return error_answer(409, "rejected", str(exc))


def describe(errors: list[dict]) -> str:
    parts = []
    for e in errors[:10]:
        where = ".".join(str(p) for p in e.get("loc", ()) if p != "body")
        parts.append(f"{where or '请求'}: {e.get('msg')}")
    more = f"（另有 {len(errors) - 10} 处）" if len(errors) > 10 else ""
    return "请求格式不对 / invalid request: " + "; ".join(parts) + more
