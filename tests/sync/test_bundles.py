"""Offline bundles through a real county server (SQLite and PostgreSQL): worker → clerk → server →
clerk → worker ends with the worker's outbox empty and its records equal to the server's; a damaged,
tampered, foreign, expired or replayed bundle is refused and changes nothing."""
from __future__ import annotations

import hashlib
import json
from datetime import timedelta

import pytest

from sync import bundles as sync_bundles
from sync.bundle import BODY, BundleError, canonical, utc_now
from sync.bundles import export_bundle, import_bundle, waiting_bundles, write_replies
from tests.sync.sync_helpers import edit_household, household, new_household, run_sync, server_row


def offline_work(enrol):  # noqa: ANN001, ANN201
    """w1 enrolled at the county office (keys registered), then typed in the field with no network."""
    w1, clerk = enrol("w1"), enrol("c1")
    kept = new_household(w1, no="H-SENT-BEFORE")
    run_sync(w1)
    made = new_household(w1, no="H-OFFLINE-1")
    edit_household(w1, kept, phone="13600136000", notes="离线走访")
    return w1, clerk, made, kept


def round_trip_to_clerk(w1, clerk, tmp_path):  # noqa: ANN001, ANN201
    bundle = tmp_path / "w1.anju-bundle"
    result = export_bundle(w1, bundle)
    assert result.ops >= 2 and bundle.is_file()
    taken = import_bundle(clerk, bundle)
    assert taken.username == "w1"
    return bundle


def test_worker_clerk_server_clerk_worker_leaves_the_worker_equal_to_the_server(county, enrol, tmp_path):
    w1, clerk, made, kept = offline_work(enrol)
    round_trip_to_clerk(w1, clerk, tmp_path)
    assert server_row(county, "household", made) is None  # nothing reached the server yet
    assert waiting_bundles(clerk)[0][0]["username"] == "w1"

    w2 = enrol("w2")  # meanwhile another worker of the grid synced a household of their own
    other = new_household(w2, no="H-BY-W2")
    run_sync(w2)
    report = run_sync(clerk)  # the clerk's laptop gets a connection
    assert report.bundles_forwarded == 1 and not report.bundle_refusals
    assert server_row(county, "household", made)["household_no"] == "H-OFFLINE-1"
    assert server_row(county, "household", kept)["notes"] == "离线走访"
    replies = write_replies(clerk, tmp_path)
    assert len(replies) == 1 and waiting_bundles(clerk) == ([], [])

    result = import_bundle(w1, replies[0])
    assert result.answered.get("applied", 0) >= 2
    assert w1.pending_change_count() == 0
    for hid in (made, kept):
        on_server, here = server_row(county, "household", hid), household(w1, hid)
        assert {k: on_server[k] for k in ("household_no", "phone", "notes", "grid_id")} == \
            {k: here[k] for k in ("household_no", "phone", "notes", "grid_id")}
    assert household(w1, other)["household_no"] == "H-BY-W2"  # what others did in the grid came down too

    run_sync(w1)  # a later connection: nothing left to send, nothing sent twice
    assert w1.pending_change_count() == 0


def test_a_damaged_or_tampered_bundle_changes_nothing(county, enrol, tmp_path):
    w1, clerk, made, _kept = offline_work(enrol)
    bundle = tmp_path / "w1.anju-bundle"
    export_bundle(w1, bundle)
    data = bytearray(bundle.read_bytes())

    damaged = tmp_path / "damaged.anju-bundle"
    at = data.index(b'"sealed": "') + 20
    damaged.write_bytes(bytes(data[:at]) + (b"A" if data[at:at + 1] != b"A" else b"B") + bytes(data[at + 1:]))
    with pytest.raises(BundleError) as refused:
        import_bundle(clerk, damaged)
    assert refused.value.code == "damaged" and "校验和" in str(refused.value)
    assert waiting_bundles(clerk) == ([], [])

    # Altered with the checksum made to match: the clerk's laptop cannot tell, the server's signature check does.
    forged = json.loads(data)
    forged["header"]["username"] = "w2"
    forged["checksum"] = hashlib.sha256(canonical({k: forged[k] for k in BODY})).hexdigest()
    (tmp_path / "forged.anju-bundle").write_text(json.dumps(forged), encoding="utf-8")
    import_bundle(clerk, tmp_path / "forged.anju-bundle")
    report = run_sync(clerk)
    assert report.bundles_forwarded == 0 and "签名" in report.bundle_refusals[0]["reason"]
    assert server_row(county, "household", made) is None


@pytest.mark.parametrize("asked", [{"pull_origin": "abc"}, {"pull_since": -1}, {"pull_origin": 2**70},
                                   {"everything": "yes"}])
def test_a_bundle_asking_to_pull_from_a_wrong_place_is_refused_whole(county, enrol, tmp_path, monkeypatch, asked):
    """A bundle whose pull is not a position the HTTP pull accepts (a device's bug, signed all the same)
    is refused as damaged before any of its changes is applied: not applied, and answered with nothing."""
    w1, clerk, made, _kept = offline_work(enrol)
    pull_request = sync_bundles._pull_request
    monkeypatch.setattr(sync_bundles, "_pull_request", lambda store: {**pull_request(store), **asked})
    round_trip_to_clerk(w1, clerk, tmp_path)
    report = run_sync(clerk)
    assert report.bundles_forwarded == 0 and "下载的位置不对" in report.bundle_refusals[0]["reason"]
    assert server_row(county, "household", made) is None


def test_a_bundle_with_one_malformed_batch_applies_none_of_them(county, enrol, tmp_path, monkeypatch):
    """Every batch of a bundle is checked before the first is applied: a good batch followed by a
    malformed one (a device's bug, signed all the same) leaves the server as it was."""
    w1, clerk, made, _kept = offline_work(enrol)
    seal = sync_bundles.seal
    monkeypatch.setattr(sync_bundles, "seal", lambda header, payload, box, keys: seal(
        header, {**payload, "push": [*payload["push"], {"batch_id": "broken"}]}, box, keys))
    round_trip_to_clerk(w1, clerk, tmp_path)
    report = run_sync(clerk)
    assert report.bundles_forwarded == 0 and "格式不对" in report.bundle_refusals[0]["reason"]
    assert server_row(county, "household", made) is None


def test_the_same_bundle_twice_and_the_same_reply_twice_are_harmless(county, enrol, tmp_path):
    w1, clerk, made, _kept = offline_work(enrol)
    bundle = round_trip_to_clerk(w1, clerk, tmp_path)
    with pytest.raises(BundleError) as again:
        import_bundle(clerk, bundle)
    assert again.value.code == "replayed" and len(waiting_bundles(clerk)[0]) == 1
    run_sync(clerk)
    with pytest.raises(BundleError):  # forwarded already: still refused, still nothing queued
        import_bundle(clerk, bundle)
    reply = write_replies(clerk, tmp_path)[0]
    import_bundle(w1, reply)
    pending, outbox_after = w1.pending_change_count(), w1.pull_cursor()
    with pytest.raises(BundleError) as twice:
        import_bundle(w1, reply)
    assert twice.value.code == "replayed"
    assert (w1.pending_change_count(), w1.pull_cursor()) == (pending, outbox_after)


def test_a_foreign_or_expired_bundle_is_refused(county, enrol, tmp_path):
    w1, clerk, _made, _kept = offline_work(enrol)
    bundle = tmp_path / "w1.anju-bundle"
    export_bundle(w1, bundle)
    with pytest.raises(BundleError) as late:
        import_bundle(clerk, bundle, now=utc_now() + timedelta(days=61))
    assert late.value.code == "expired"
    with pytest.raises(BundleError) as own:
        import_bundle(w1, bundle)  # the worker's own laptop is not where it goes
    assert own.value.code == "own"
    clerk.set_meta("bundle_server_keys", json.dumps({"sign": "x", "box": "y"}))  # a laptop of another county
    with pytest.raises(BundleError) as foreign:
        import_bundle(clerk, bundle)
    assert foreign.value.code == "foreign"
    assert waiting_bundles(clerk) == ([], [])


def test_a_reply_cut_short_loses_nothing_of_others(county, enrol, tmp_path, monkeypatch):
    import sync.server.bundles as server_bundles

    w1, w2, clerk = enrol("w1"), enrol("w2"), enrol("c1")
    homes = [new_household(w1, no=f"H-CUT-{i}") for i in range(4)]
    run_sync(w1)
    run_sync(w2)
    for hid in homes:  # another worker of the grid changes every phone
        edit_household(w2, hid, phone="13911112222")
    run_sync(w2)
    for hid in homes:  # meanwhile, offline, w1 writes notes on the same households
        edit_household(w1, hid, notes="离线备注")
    monkeypatch.setattr(server_bundles, "REPLY_RECORDS", 2)  # a reply that carries only part of the news
    round_trip_to_clerk(w1, clerk, tmp_path)
    run_sync(clerk)
    import_bundle(w1, write_replies(clerk, tmp_path)[0])

    run_sync(w1)  # the next connection brings the rest, nothing skipped

    for hid in homes:
        here = household(w1, hid)
        assert (here["phone"], here["notes"]) == ("13911112222", "离线备注"), hid


def test_another_device_cannot_take_a_bundles_id_first(county, enrol, tmp_path):
    from sync.bundle import PUSH, key_id, new_header, seal
    from sync.bundles import SERVER_KEYS, device_keys

    w1, w2, clerk = enrol("w1"), enrol("w2"), enrol("c1")
    made = new_household(w1, no="H-MINE")
    bundle = tmp_path / "w1.anju-bundle"
    export_bundle(w1, bundle)
    stolen_id = json.loads(bundle.read_bytes())["header"]["bundle_id"]
    server_public = json.loads(w2.meta(SERVER_KEYS))
    header = new_header(PUSH, stolen_id, w2.info.device_id, "w2", key_id(server_public), utc_now(), [])
    (tmp_path / "w2.anju-bundle").write_bytes(seal(header, {"push": [], "pull_since": 0}, server_public["box"],
                                                   device_keys(w2)))
    import_bundle(clerk, tmp_path / "w2.anju-bundle")
    run_sync(clerk)  # w2's empty bundle, under w1's bundle id, goes first
    import_bundle(clerk, bundle)
    report = run_sync(clerk)
    assert report.bundles_forwarded == 1 and server_row(county, "household", made) is not None


def test_a_bundle_with_a_mangled_signature_is_refused_at_the_clerk(county, enrol, tmp_path):
    w1, clerk, _made, _kept = offline_work(enrol)
    bundle = tmp_path / "w1.anju-bundle"
    export_bundle(w1, bundle)
    mangled = json.loads(bundle.read_bytes())
    mangled["signature"] = 1  # the checksum does not cover the signature: its shape is checked
    (tmp_path / "mangled.anju-bundle").write_text(json.dumps(mangled), encoding="utf-8")
    with pytest.raises(BundleError) as refused:
        import_bundle(clerk, tmp_path / "mangled.anju-bundle")
    assert refused.value.code == "damaged" and waiting_bundles(clerk) == ([], [])
