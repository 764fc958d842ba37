"""A download's pages are as large as the county server says it serves (`Anju-Page-Rows`, on every
answer), and no larger than a server from before that header serves (1,000 records): each is written
in one transaction on the laptop, so fewer and larger pages download faster (docs/protocol.md, "Pages")."""
from __future__ import annotations

import math

from sqlalchemy import select

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


def test_a_download_comes_in_pages_as_large_as_the_server_serves(county, enrol):
    made_on_w1(county, enrol)

    w2 = enrol("w2")

    pages = pulled_pages(county, w2.info.device_id)
    assert pages[0] == MAX_PAGE == 2500, "the login's answer said the size: the first page is of it"
    assert max(pages) == MAX_PAGE and len([p for p in pages if p]) == math.ceil(sum(pages) / MAX_PAGE)
    assert w2.count_households() >= HOUSEHOLDS


def test_a_server_that_serves_smaller_pages_is_asked_for_no_more(county, enrol):
    made_on_w1(county, enrol)
    county.stop()
    county.page_rows = 300  # its admin lowered it
    county.start_in_thread()

    w2 = enrol("w2")

    pages = pulled_pages(county, w2.info.device_id)
    assert max(pages) == 300 and len(pages) > 10, "every page asked of the size it said"
    assert w2.count_households() >= HOUSEHOLDS


class ServerFromBefore:
    """A county server from before `Anju-Page-Rows`: its answers do not say it (and it refuses a `limit`
    over 1,000, as the county here is told to)."""

    def __init__(self, app) -> None:  # noqa: ANN001
        self.app = app

    async def __call__(self, scope, receive, send) -> None:  # noqa: ANN001
        async def sending(message: dict) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [(k, v) for k, v in message.get("headers", [])
                                                  if k.decode("latin-1").lower() != PAGE_ROWS_HEADER.lower()]}
            await send(message)
        await self.app(scope, receive, sending)


def test_a_server_from_before_the_header_gets_pages_of_what_every_server_serves(county, enrol):
    made_on_w1(county, enrol)
    county.stop()
    county.page_rows, county.wrap = ROWS_EVERY_SERVER_PAGES, ServerFromBefore
    county.start_in_thread()

    w2 = enrol("w2")  # a refused page would fail the enrolment, and leave no profile

    pages = pulled_pages(county, w2.info.device_id)
    assert max(pages) == ROWS_EVERY_SERVER_PAGES and len(pages) >= 4
    assert w2.count_households() >= HOUSEHOLDS
