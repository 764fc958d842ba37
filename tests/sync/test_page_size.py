"""A download's pages are as large as the county server says it serves (`Anju-Page-Rows`, on every
answer), and no larger than a server from before that header serves (1,000 records): each is written
in one transaction on the laptop, so fewer and larger pages download faster (docs/protocol.md, "Pages")."""
from __future__ import annotations

import math
from urllib.parse import parse_qs

from sqlalchemy import select
from starlette.responses import JSONResponse

from sync.client import server_for

from sync.protocol import MAX_PAGE, PAGE_ROWS_HEADER, ROWS_EVERY_SERVER_PAGES
from sync.server.models import access_log
from tests.sync.sync_helpers import run_sync, server_count
from tests.sync.test_batch_size import households_of_four

HOUSEHOLDS = 700  # 3,500 records: more than one page of the largest size


def pulled_pages(county, device_id: str) -> list[int]:  # noqa: ANN001
    """The records of each page the server sent the device, in order (its access log's lines)."""
    with county.engine.connect() as conn:
        details = conn.execute(select(access_log.c.detail).where(
            access_log.c.action == "pull", access_log.c.device_id == device_id).order_by(access_log.c.id)).scalars()
        return [int(d.split(": ", 1)[1].split()[0]) for d in details]


def made_on_w1(county, enrol) -> int:  # noqa: ANN001
    """The households of four w1 makes and pushes; how many records the county holds for w2 now."""
    w1 = enrol("w1")
    households_of_four(w1, HOUSEHOLDS, "P")
    run_sync(w1)
    assert w1.pending_change_count() == 0
    return server_count(county, "household") + server_count(county, "member")


class Asked:
    """Put around the county server's app: the `limit` of every changes request it received, in order.
    `from_before`: it plays a server from before `Anju-Page-Rows`, whose answers do not say it and which
    refuses a `limit` over 1,000 as a malformed request."""

    def __init__(self, from_before: bool = False) -> None:
        self.limits: list[int] = []
        self.from_before = from_before

    def __call__(self, app):  # noqa: ANN001, ANN204 - an ASGI app around another
        async def asked(scope, receive, send) -> None:  # noqa: ANN001
            if scope["type"] == "http" and scope["path"] == "/api/v1/sync/changes":
                limit = int(parse_qs(scope["query_string"].decode()).get("limit", ["500"])[0])
                self.limits.append(limit)
                if self.from_before and limit > ROWS_EVERY_SERVER_PAGES:
                    refusal = JSONResponse({"error": "bad_query", "message": "limit between 1 and 1000"}, 422)
                    await refusal(scope, receive, send)
                    return

            async def sending(message: dict) -> None:
                if self.from_before and message["type"] == "http.response.start":
                    message = {**message, "headers": [(k, v) for k, v in message.get("headers", [])
                                                      if k.decode("latin-1").lower() != PAGE_ROWS_HEADER.lower()]}
                await send(message)
            await app(scope, receive, sending)
        return asked


def restarted(county, asked: Asked, page_rows: int | None = None) -> Asked:  # noqa: ANN001
    county.stop()
    county.page_rows, county.wrap = page_rows, asked
    county.start_in_thread()
    return asked


def test_a_download_comes_in_pages_as_large_as_the_server_serves(county, enrol):
    made_on_w1(county, enrol)
    asked = restarted(county, Asked())

    w2 = enrol("w2")

    assert asked.limits and set(asked.limits) == {MAX_PAGE}, "the login's answer said the size: every page is of it"
    pages = pulled_pages(county, w2.info.device_id)
    assert pages[0] == MAX_PAGE == 2500 and len([p for p in pages if p]) == math.ceil(sum(pages) / MAX_PAGE)
    assert w2.count_households() >= HOUSEHOLDS


def test_a_server_that_serves_smaller_pages_is_asked_for_no_more(county, enrol):
    made_on_w1(county, enrol)
    asked = restarted(county, Asked(), page_rows=300)  # its admin lowered it

    w2 = enrol("w2")

    assert set(asked.limits) == {300} and len(asked.limits) > 10, "every page asked of the size it said"
    assert max(pulled_pages(county, w2.info.device_id)) == 300
    assert w2.count_households() >= HOUSEHOLDS


def test_a_page_asked_larger_than_the_server_serves_comes_of_its_size(county, enrol):
    """A laptop that heard the larger size before the server's admin lowered it, mid-sync."""
    made_on_w1(county, enrol)
    w2 = enrol("w2")
    restarted(county, Asked(), page_rows=300)
    server = server_for(w2)
    try:
        page = server.changes(0, MAX_PAGE, everything=True)
    finally:
        server.close()
    assert len(page.changes) == 300 and page.more and server.page_rows == 300


def test_a_server_from_before_the_header_gets_pages_of_what_every_server_serves(county, enrol):
    made_on_w1(county, enrol)
    asked = restarted(county, Asked(from_before=True))

    w2 = enrol("w2")  # a refused page would fail the enrolment, and leave no profile

    assert set(asked.limits) == {ROWS_EVERY_SERVER_PAGES} and len(asked.limits) >= 4
    assert w2.count_households() >= HOUSEHOLDS
