"""What a laptop tells the county server its schema is: the revision of its synced tables
(core.schema.WIRE_REVISION), which revisions of the laptop's own tables do not move."""
from __future__ import annotations

from sqlalchemy import text

from core.models import SYNCED_ENTITIES
from core.schema import HEAD_REVISION, WIRE_REVISION, wire_revision
from core.store import Store
from tests.conftest import PASSWORD


def _synced_tables(store: Store) -> dict[str, list[tuple]]:
    """Each synced table's columns, and everything SQLite holds on it: its CREATE TABLE, indexes
    (unique keys among them) and triggers, as written."""
    with store.reading() as s:
        return {name: [tuple(r) for r in s.execute(text(f"PRAGMA table_info({name})"))]
                + [tuple(r) for r in s.execute(text("SELECT type, name, sql FROM sqlite_master WHERE tbl_name = :t "
                                                    "ORDER BY type, name"), {"t": name})]
                for name in SYNCED_ENTITIES}


def test_no_revision_after_the_wire_revision_changes_a_synced_table(tmp_path):
    """Fails when a new migration changes what the server holds and WIRE_REVISION was not moved to it:
    a laptop would then send records an older server cannot take, and tell it nothing."""
    folder = tmp_path / "profile"
    with Store.create(folder, PASSWORD, username="w1", target_revision=WIRE_REVISION) as old:
        at_wire = _synced_tables(old)
        assert old.wire_schema() == WIRE_REVISION
    with Store.open(folder, PASSWORD) as new:
        assert new.schema_revision() == HEAD_REVISION
        assert _synced_tables(new) == at_wire
        assert new.wire_schema() == WIRE_REVISION


def test_a_profile_older_than_the_wire_revision_says_its_own():
    assert wire_revision("0007") == "0007"  # which a server that needs 0008 refuses: the laptop updates first
    assert wire_revision(HEAD_REVISION) == WIRE_REVISION
    assert wire_revision(None) == ""
