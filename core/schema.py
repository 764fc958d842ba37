"""The revisions of a profile's schema, in a module of their own: the county server, which has no
SQLCipher (its container leaves the desktop's packages out), says by them which profiles it takes, and
must not import the store to know them."""
from __future__ import annotations

# The newest revision in core/migrations/versions; a test checks it against Alembic's own head.
HEAD_REVISION = "0011"

# The newest revision that changed a table the county server also holds (a synced record's fields).
# A laptop tells the server this, not its own newest revision: a revision that only changes the
# laptop's own tables (0009 and 0010 the outbox, 0011 the owed summaries) must not make a county
# update its server before its laptops. A test migrates a profile from here to the head and fails
# when a later revision touches a synced table without moving this.
WIRE_REVISION = "0008"


def wire_revision(profile_revision: str | None) -> str:
    """What a profile at `profile_revision` says its schema is on the wire: its synced tables' revision.
    A profile older than WIRE_REVISION says its own, which a server may refuse ("" when it has none)."""
    return min(profile_revision or "", WIRE_REVISION)
