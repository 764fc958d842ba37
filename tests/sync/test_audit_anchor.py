"""The audit log's tail: every push carries the head of the laptop's hash chain, the county server
keeps an anchor per device, and a laptop whose newest audit lines were removed is flagged on the
server (its log, `device list`, `device audit`) and in the laptop's own `status`, while its push is
applied all the same. Real servers over real HTTP, on SQLite and PostgreSQL."""
from __future__ import annotations

import json
import logging
import os
import subprocess

import pytest
from sqlalchemy import delete, select, text

from core.commands import profile_status
from core.models import AuditEntry
from core.store.journal import SERVER_ANCHOR_META, audit_hash_at, audit_head
from sync.client import CountyServer
from sync.protocol import AuditHead, PushRequest
from sync.server.models import device
from tests.sync.conftest import PASSWORD
from tests.sync.sync_helpers import new_household, run_sync, server_count
from tests.installed import ANJU, ANJU_SERVER, OUTSIDE


def _anchor(county, device_id: str):  # noqa: ANN202
    with county.engine.connect() as conn:
        return conn.execute(select(device.c.audit_seq, device.c.audit_hash, device.c.audit_flagged_at,
                                   device.c.audit_flag).where(device.c.device_id == device_id)).one()


def _head(store) -> tuple[int, str]:
    with store.reading() as s:
        return audit_head(s)


def _anchored(store, county) -> int:
    """The position the server holds for this laptop, after checking the laptop's log has that line."""
    anchor = _anchor(county, store.info.device_id)
    with store.reading() as s:
        assert audit_hash_at(s, anchor.audit_seq) == anchor.audit_hash
    return anchor.audit_seq


def _server_cli(*args: str) -> str:
    done = subprocess.run([ANJU_SERVER, *args], cwd=OUTSIDE, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _status_of(store) -> dict:
    """`main.py status --json` of the profile, as its worker would run it."""
    done = subprocess.run([ANJU, "status", "--profile", str(store.info.folder), "--json"],
                          cwd=OUTSIDE, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "ANJU_PASSWORD": PASSWORD, "QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.mark.parametrize("how", ["cut", "cut-and-rewritten"])
def test_removing_the_newest_audit_lines_gets_the_laptop_flagged(enrol, county, caplog, how):
    w1 = enrol("w1")
    new_household(w1)
    new_household(w1)
    run_sync(w1)
    reported = _anchored(w1, county)  # the head when it pushed (the push and pull write lines of their own)
    if how == "cut":  # unsynced work, then its lines and the newest synced one removed: the log ends early
        new_household(w1)
    with w1.writing() as s:  # through the profile's own session, as someone holding its password could,
        s.execute(text("DROP TRIGGER audit_log_no_delete"))  # the append-only trigger out of the way
        s.execute(delete(AuditEntry).where(AuditEntry.seq >= reported))
        s.execute(text("CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
                       "BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END"))  # and back
    if how == "cut-and-rewritten":  # the newest synced line removed, and new work written in its place
        new_household(w1)
        assert _head(w1)[0] > reported  # longer than reported, but not an extension of it
    assert w1.audit_chain_break() is None and profile_status(w1)["audit_flagged_by_server"] is False
    with caplog.at_level(logging.WARNING, logger="sync.server.audit"):
        run_sync(w1)
    assert w1.pending_change_count() == 0 and server_count(county, "household") == 3  # the push was applied
    flagged = _anchor(county, w1.info.device_id)
    assert flagged.audit_flagged_at is not None and f"line {reported}" in flagged.audit_flag
    assert any(w1.info.device_id in r.getMessage() and "audit log" in r.getMessage() for r in caplog.records)
    listed = _server_cli("device", "list", "--db", county.db_url, "--username", "w1").splitlines()
    assert listed[1].split()[0] == w1.info.device_id and listed[1].split()[-1] == "FLAGGED"
    audit = _server_cli("device", "audit", "--db", county.db_url).splitlines()
    assert len(audit) == 2 and audit[1].startswith(w1.info.device_id) and f"line {reported}" in audit[1]
    status = _status_of(w1)
    assert status["audit_flagged_by_server"] is True and status["audit_log_intact"] is True


def test_a_laptop_that_keeps_its_log_is_never_flagged_even_when_an_answer_was_lost(enrol, county):
    w1, w2 = enrol("w1"), enrol("w2")
    held = {}
    for store in (w1, w2, w1):
        new_household(store)
        run_sync(store)
        assert _anchored(store, county) > held.get(store.info.device_id, 0)
        held[store.info.device_id] = _anchored(store, county)
    new_household(w1)
    run_sync(w1)
    kept = _anchored(w1, county)
    w1.set_meta(SERVER_ANCHOR_META, str(held[w1.info.device_id]))  # as if that push's answer had been lost
    new_household(w1)
    run_sync(w1)  # cannot show it extends the anchor: the server keeps it, and names it
    assert _anchored(w1, county) == kept and w1.meta(SERVER_ANCHOR_META) == str(kept)
    new_household(w1)
    run_sync(w1)  # shows it, and the anchor moves on
    assert _anchored(w1, county) > kept
    for store in (w1, w2):
        assert _anchor(county, store.info.device_id).audit_flagged_at is None
        assert profile_status(store)["audit_flagged_by_server"] is False
    assert "ok" in _server_cli("device", "list", "--db", county.db_url).splitlines()[1].split()[-1]


def test_the_server_decides_from_the_head_and_the_hash_at_its_anchor(enrol, county):
    """The protocol itself: an unverifiable head keeps the anchor, a verified one moves it, and a
    head at the anchor's position with another hash is flagged; a client sending no head gets no
    `audit` in its answer (an older client forbids fields it does not know)."""
    w1 = enrol("w1")
    client = CountyServer(county.url, token=w1.meta("server_token"), schema=w1.schema_revision())
    a, b, c, x = "a" * 64, "b" * 64, "c" * 64, "e" * 64

    batches = iter(range(100))

    def push(audit: AuditHead | None):  # noqa: ANN202
        return client.push(PushRequest(batch_id=f"b-{next(batches)}", device_id=w1.info.device_id, protocol=1,
                                       schema=w1.schema_revision(), ops=[], audit=audit)).audit
    assert push(None) is None
    assert push(AuditHead(seq=5, hash=a)).model_dump() == {"seq": 5, "flagged": False}
    assert push(AuditHead(seq=7, hash=b, anchor_seq=3, anchor_hash=x)).model_dump() == {"seq": 5, "flagged": False}
    assert push(AuditHead(seq=7, hash=b, anchor_seq=5, anchor_hash=a)).model_dump() == {"seq": 7, "flagged": False}
    assert push(AuditHead(seq=7, hash=b, anchor_seq=7, anchor_hash=b)).model_dump() == {"seq": 7, "flagged": False}
    assert push(AuditHead(seq=7, hash=c)).model_dump() == {"seq": 7, "flagged": True}
    assert push(AuditHead(seq=9, hash=a, anchor_seq=7, anchor_hash=c)).model_dump() == {"seq": 9, "flagged": True}
    client.close()
    assert "line 7" in _anchor(county, w1.info.device_id).audit_flag
    _server_cli("device", "audit", "--db", county.db_url, "--clear", w1.info.device_id)
    assert _anchor(county, w1.info.device_id).audit_flagged_at is None
    assert _server_cli("device", "audit", "--db", county.db_url).splitlines()[1:] == []


def test_a_laptop_still_syncs_with_a_server_from_before_the_audit_anchor(enrol, county, monkeypatch):
    from pydantic import ConfigDict, Field, create_model

    import sync.server.app

    w1 = enrol("w1")
    older = create_model("OlderPushRequest", __config__=ConfigDict(extra="forbid"), batch_id=(str, ...),
                         device_id=(str, ...), protocol=(int, ...), schema_revision=(str, Field(alias="schema")),
                         ops=(list, ...))
    newer_parse = sync.server.app.parse_push

    def parse_as_before(body: bytes) -> PushRequest:
        older.model_validate_json(body)  # what a server of before said to a field it did not know
        return newer_parse(body)
    monkeypatch.setattr(sync.server.app, "parse_push", parse_as_before)
    new_household(w1)
    run_sync(w1)
    assert w1.pending_change_count() == 0 and server_count(county, "household") == 1
    assert profile_status(w1)["audit_flagged_by_server"] is False


def test_a_batch_sent_again_with_an_older_head_does_not_flag_the_laptop(enrol, county):
    """A batch the server applied can reach it again after later pushes (a laptop stopped while it was
    on its way, and synced anew at once): its head is older than the anchor a later push moved on.
    That is a replay, not lines removed: answered from what was stored, nothing flagged."""
    from sync.client import server_for
    from sync.push import Outgoing, audit_answer_meta

    w1 = enrol("w1")
    new_household(w1)
    batch_id, entries = w1.next_push_batch(500)
    server = server_for(w1)
    first = Outgoing.of(w1, server, batch_id, entries)
    answer = server.send_push(dict(first.body))
    w1.finish_push_batch(batch_id, [e["seq"] for e in entries], {"applied": len(answer.results)}, [],
                         audit_answer_meta(answer.audit))
    new_household(w1)
    run_sync(w1)  # a later push: the anchor moves past the head the first batch carried
    assert _anchored(w1, county) > first.body["audit"]["seq"]
    again = server.send_push(dict(first.body))  # the first batch, as it went
    server.close()
    assert [r.status for r in again.results] == [r.status for r in answer.results]
    assert again.audit is not None and again.audit.flagged is False
    assert _anchor(county, w1.info.device_id).audit_flagged_at is None
    assert server_count(county, "household") == 2


def test_a_push_is_logged_and_its_laptop_seen(county, enrol):
    """Every push leaves its line in the server's access log, and the device list shows the laptop as
    seen at that push (what `anju-server device list` prints)."""
    from sync.server.models import access_log

    store = enrol("w1")
    device_id = store.actor.device_id
    with county.engine.connect() as conn:
        before = conn.execute(select(device.c.last_seen_at).where(device.c.device_id == device_id)).scalar_one()
    new_household(store)
    run_sync(store)
    with county.engine.connect() as conn:
        seen = conn.execute(select(device.c.last_seen_at).where(device.c.device_id == device_id)).scalar_one()
        pushes = conn.execute(select(access_log.c.username, access_log.c.detail).where(
            access_log.c.device_id == device_id, access_log.c.action == "push")).all()
    assert seen > before
    # one push: the household and its head
    assert len(pushes) == 1 and pushes[0].username == "w1" and "'applied': 2" in pushes[0].detail
