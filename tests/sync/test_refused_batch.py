"""A batch the county's database refuses as a whole, though every op passed the merge: a row the
server's tables hold without the server knowing it (no row state, as a hand-made repair might leave).
The push is tried again and then op by op: the op the database refuses comes back rejected with the
database's reason, the rest of the batch is applied, and the row already there is left as it was.
On PostgreSQL the rows go in by COPY, whose refusal must take the same way as an INSERT's."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import insert

from sync.server.demo import SETTLEMENT_ID
from sync.server.models import ENTITY_TABLES
from tests.sync.sync_helpers import GRID_W1, new_household, run_sync, server_row


def test_a_row_the_database_refuses_rejects_only_its_op(county, enrol):
    w1 = enrol("w1")
    taken = new_household(w1, no="H-TAKEN")
    kept = new_household(w1, no="H-KEPT")
    stray = {"id": taken, "household_no": "H-STRAY", "settlement_id": SETTLEMENT_ID, "grid_id": GRID_W1,
             "created_at": datetime(2026, 1, 1), "updated_at": datetime(2026, 1, 1), "created_by": "admin",
             "device_id": "hand", "deleted": False, "server_seq": 0}
    with county.engine.begin() as conn:
        conn.execute(insert(ENTITY_TABLES["household"]).values(stray))

    report = run_sync(w1)

    refused = [r for r in report.rejections if r["entity"] == "household"]
    assert [r["row_id"] for r in refused] == [taken]
    assert refused[0]["reason"]  # says why, in words
    assert server_row(county, "household", kept)["household_no"] == "H-KEPT"
    assert server_row(county, "household", taken)["household_no"] == "H-STRAY"
