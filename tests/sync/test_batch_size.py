"""The size of a push batch: the county server says how many ops a batch may hold (up to 2,500), and a
laptop sends batches of that size once it has heard it, of 500 before (what every server takes).
A server whose limit was lowered, or that went back to a version from before, refuses a bigger batch
as a whole: the laptop cuts its unanswered batches in order into batches of 500, and the sync goes on
with nothing lost or applied twice. A batch also stays under the server's body limit, however long
the texts in it: records with long notes go in more, smaller batches."""
from __future__ import annotations

import ast
import itertools
from datetime import date, timedelta

from sqlalchemy import select

from core.idcard import check_character
from core.models import new_id
from sync.protocol import MAX_OPS_PER_BATCH, OPS_EVERY_SERVER_TAKES
from sync.push import BATCH_OPS_META
from sync.server.demo import SETTLEMENT_ID
from sync.server.models import access_log
from tests.sync.sync_helpers import GRID_W1, run_sync, server_count, server_row

MEMBERS = 4
_people = itertools.count()


def resident_id() -> str:
    """A valid ID number not given before in this run (thousands of them: a day of birth each)."""
    n = next(_people)
    first17 = f"522601{date(1960, 1, 1) + timedelta(days=n):%Y%m%d}{n % 1000:03d}"
    return first17 + check_character(first17)


def households_of_four(store, count: int, tag: str, notes: str | None = None) -> list[str]:  # noqa: ANN001
    """`count` households of four made on the laptop: 5 records each."""
    ids = []
    for i in range(count):
        hid = new_id()
        store.save_household(
            {"id": hid, "household_no": f"{tag}-{i:04d}", "settlement_id": SETTLEMENT_ID, "grid_id": GRID_W1,
             "building": "1", "unit": "1", "room": f"{i}", "notes": notes},
            [{"id": new_id(), "name": ("王建国", "李秀英", "王伟", "王芳")[k], "relation": ("head", "spouse", "son", "daughter")[k],
              "id_number": resident_id()} for k in range(MEMBERS)])
        ids.append(hid)
    return ids


def pushed_batches(county, device_id: str) -> list[int]:  # noqa: ANN001
    """The ops of each push the server took from the device, in order (its access log's lines)."""
    with county.engine.connect() as conn:
        details = conn.execute(select(access_log.c.detail).where(
            access_log.c.action == "push", access_log.c.device_id == device_id).order_by(access_log.c.id)).scalars()
        return [sum(ast.literal_eval(d.split(": ", 1)[1]).values()) for d in details]


def test_a_laptop_sends_batches_of_the_size_the_server_said_after_hearing_it(county, enrol):
    w1 = enrol("w1")
    assert w1.meta(BATCH_OPS_META) == str(MAX_OPS_PER_BATCH), "the enrolment's first sync heard the server"
    w1.set_meta(BATCH_OPS_META, "")  # as a laptop updated from a version before it: nothing heard yet
    households_of_four(w1, 300, "A")  # 1,500 records

    run_sync(w1)
    assert pushed_batches(county, w1.info.device_id) == [500, 500, 500], "what every server takes, at first"
    assert w1.meta(BATCH_OPS_META) == str(MAX_OPS_PER_BATCH)

    households_of_four(w1, 300, "B")
    run_sync(w1)
    assert pushed_batches(county, w1.info.device_id)[3:] == [1500], "the size the server said, once heard"
    assert server_count(county, "member") >= 600 * MEMBERS and w1.pending_change_count() == 0


def test_a_server_that_takes_fewer_now_gets_every_record_once(county, enrol):
    w1 = enrol("w1")
    made = households_of_four(w1, 600, "C")  # 3,000 records: two batches frozen at the size heard
    county.stop()
    county.batch_ops = OPS_EVERY_SERVER_TAKES  # the admin lowered it (or went back to a server from before)
    county.start_in_thread()

    report = run_sync(w1)

    assert pushed_batches(county, w1.info.device_id) == [500] * 6
    assert report.pushed == {"applied": 3000} and not report.rejections
    assert w1.pending_change_count() == 0
    assert all(server_row(county, "household", hid)["household_no"] == f"C-{i:04d}" for i, hid in enumerate(made))
    assert w1.meta(BATCH_OPS_META) == str(OPS_EVERY_SERVER_TAKES), "the lower limit is what the laptop holds now"

    households_of_four(w1, 120, "D")
    run_sync(w1)
    assert pushed_batches(county, w1.info.device_id)[6:] == [500, 100], "no refusal first: the limit was kept"


def test_records_with_long_notes_go_in_batches_under_the_body_limit(county, enrol):
    w1 = enrol("w1")
    notes = "走访记录：" + "家庭情况稳定，务工收入正常。" * 640  # 8,965 characters, 27 KB as the wire sends it
    made = households_of_four(w1, 160, "N", notes=notes)  # 4.3 MB of notes: over the 4 MB a request may hold

    report = run_sync(w1)

    assert not report.rejections and w1.pending_change_count() == 0
    batches = pushed_batches(county, w1.info.device_id)
    assert sum(batches) == 160 * (1 + MEMBERS) and len(batches) > 1
    assert server_row(county, "household", made[-1])["notes"] == notes
