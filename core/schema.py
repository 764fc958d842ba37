"""The newest revision of a profile's schema, in a module of its own: the county server, which has no
SQLCipher (its container leaves the desktop's packages out), says by it which profiles it takes, and
must not import the store to know it."""
from __future__ import annotations

# The newest revision in core/migrations/versions; a test checks it against Alembic's own head.
HEAD_REVISION = "0011"
