"""What the pull after a push brings back: not the device's own new records, which it holds already,
but every one of them that anyone else has changed since (sync.server.changes, on both databases)."""
from __future__ import annotations

from core.models import new_id
from sync.protocol import Op
from tests.sync.sync_helpers import edit_household, new_household, run_sync
from tests.sync.test_server_rules import _client, _push, _raw


def _page(county, store, **query) -> dict:
    """One page of the device's pull, through real HTTP, as its answer's JSON."""
    answer = _raw(county, store, "GET", "/api/v1/sync/changes", params=query)
    assert answer.status_code == 200, answer.text
    return answer.json()


def _pulled(county, store, since: int, **query) -> tuple[set[str], int]:
    page = _page(county, store, since=since, limit=1000, **query)
    return {c["row_id"] for c in page["changes"] if c["entity"] == "household"}, page["next_since"]


def test_own_new_records_stay_home_and_changed_ones_come_back(enrol, county):
    w1, w2 = enrol("w1"), enrol("w2")
    before = int(w1.meta("pull_cursor") or 0)
    untouched, edited, refused = (new_household(w1, no=f"H-8080{i}") for i in range(3))
    run_sync(w1)
    run_sync(w2)
    edit_household(w2, edited, phone="13900139000")
    run_sync(w2)
    client = _client(w2, county)  # a refused op: the server stamps the record to send it to every device again
    [answer] = _push(client, w2, [Op(op_id=f"op-{new_id()}", entity="household", row_id=refused, kind="upsert",
                                     fields={"relocation_year": "not a year"}, hlc="1790000000000-0001-x")]).results
    client.close()
    assert answer.status == "rejected"

    pulled, cursor = _pulled(county, w1, before)
    assert pulled == {edited, refused}
    assert cursor >= answer.server_seq  # past everything, the records it was not sent too
    assert _pulled(county, w1, cursor)[0] == set()
    # Downloading again (another scope, 重新下载) brings its own too; another device gets all three.
    assert _pulled(county, w1, before, everything=True)[0] >= {untouched, edited, refused}
    assert _pulled(county, w2, before)[0] >= {untouched, edited, refused}


def _pages(county, store, since: int, limit: int) -> list[tuple[list[str], bool, int]]:
    """Every page of a pull from `since`, as a laptop asks them (its origin the first cursor)."""
    pages, origin = [], since
    while True:
        page = _page(county, store, since=since, limit=limit, origin=origin)
        pages.append(([c["row_id"] for c in page["changes"]], page["more"], page["next_since"]))
        if not page["more"]:
            return pages
        since = page["next_since"]


def test_pages_pass_what_the_device_holds_and_stay_full(enrol, county):
    w1, w2 = enrol("w1"), enrol("w2")
    before = int(w1.meta("pull_cursor") or 0)
    mine = [new_household(w1, no=f"H-8181{i}") for i in range(8)]
    run_sync(w1)
    run_sync(w2)
    edited = mine[1::2] + [mine[2]]  # every other one, and one more, edited by w2 between w1's own
    for hid in edited:
        edit_household(w2, hid, phone="13900139000")
    run_sync(w2)

    pages = _pages(county, w1, before, limit=2)
    sent = [row_id for ids, _, _ in pages for row_id in ids]
    assert sorted(sent) == sorted(edited)                   # each once, none of w1's own untouched
    assert all(len(ids) == 2 for ids, more, _ in pages if more)  # a page with more to come is full
    assert len(pages) == 3
    # The last page's cursor is where w2 (who holds everything) finds the end too.
    assert pages[-1][2] == _pages(county, w2, pages[-1][2], limit=2)[-1][2]
    assert _pages(county, w1, pages[-1][2], limit=2) == [([], False, pages[-1][2])]
