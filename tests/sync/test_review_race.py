"""Optimistic push on PostgreSQL: `Rows._load` reads a record's row state and its values in two
statements. A push committing between them, or after both, must be caught by the check under the
lock (StaleRead), and the push done again locked must keep the other push's field. (Found by a
review: the values were read first, and a push committing in between was lost.) Deterministic:
the other push runs from a hook at exactly that point."""
from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import event

from core.models import new_id
from sync.protocol import Op, PushRequest
from sync.server.accounts import Caller
from sync.server.db import open_database, writing
from sync.server.merge import apply_push
from sync.server.rows import StaleRead
from sync.server.demo import SETTLEMENT_ID
from tests.sync.sync_helpers import GRID_W1, server_row


def _push(engine, device, ops, optimistic):
    caller = Caller("w1" if device == "d1" else "w2", "worker", "522601100201-01", device)
    req = PushRequest(batch_id=f"b-{new_id()}", device_id=device, protocol=1, schema="0007", ops=ops)
    now = datetime(2026, 1, 5, 10, 0)
    with writing(engine) as conn:
        return apply_push(conn, caller, req, now, now.date(), optimistic)


def _op(hid, base=0, **fields):
    return Op(op_id=f"op-{new_id()}", entity="household", row_id=hid, kind="upsert", fields=fields,
              base={k: base for k in fields}, hlc="1790000000000-0001-x")


@pytest.mark.parametrize("between", ["row_state", "household"])
def test_a_push_committing_while_another_reads_is_not_lost(postgres_url, between):
    engine = open_database(postgres_url)
    hid = new_id()
    [r] = _push(engine, "d1", [_op(hid, household_no="H-1", settlement_id=SETTLEMENT_ID, grid_id=GRID_W1)],
                optimistic=False).results
    assert r.status == "applied"
    fired = []

    @event.listens_for(engine, "after_cursor_execute")
    def meanwhile(conn, cursor, statement, params, context, executemany):  # noqa: ANN001
        # the first read of the table: not a lock taken to write (FOR ...), which would make w1's push wait
        reads = statement.lstrip().upper().startswith("SELECT") and f"FROM {between} " in statement + " "
        if not fired and reads and " FOR " not in statement:
            fired.append(1)  # w1's push (phone) commits right after w2's push read the household
            _push(engine, "d1", [_op(hid, r.server_seq, phone="13800138000")], optimistic=False)

    op = _op(hid, r.server_seq, room="909")
    with pytest.raises(StaleRead):
        _push(engine, "d2", [op], optimistic=True)
    event.remove(engine, "after_cursor_execute", meanwhile)
    [r2] = _push(engine, "d2", [op], optimistic=False).results  # what the server does next
    assert fired and r2.status == "applied"
    from types import SimpleNamespace

    row = server_row(SimpleNamespace(engine=engine), "household", hid)
    engine.dispose()
    assert (row["room"], row["phone"]) == ("909", "13800138000")
