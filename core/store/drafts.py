"""Drafts of open forms (mixed into core.store.Store).

A form's unsaved text is kept in the encrypted profile, never synced, so that a crash or a power cut
loses only the last few seconds of typing; the window offers the drafts again when the profile opens.
"""
from __future__ import annotations

import json

from sqlalchemy import select

from core.models import ProfileMeta

DRAFT_PREFIX = "draft:"


class DraftsMixin:
    """Needs the store's `reading`, `writing` and `set_meta`."""

    def save_draft(self, form_key: str, payload: dict) -> None:
        self.set_meta(DRAFT_PREFIX + form_key,  # type: ignore[attr-defined]
                      json.dumps(payload, ensure_ascii=False, default=str))

    def discard_draft(self, form_key: str) -> None:
        with self.writing() as s:  # type: ignore[attr-defined]
            row = s.get(ProfileMeta, DRAFT_PREFIX + form_key)
            if row is not None:
                s.delete(row)

    def drafts(self) -> dict[str, dict]:
        """Every kept draft by its form key."""
        with self.reading() as s:  # type: ignore[attr-defined]
            rows = s.execute(select(ProfileMeta).where(ProfileMeta.key.startswith(DRAFT_PREFIX))).scalars()
            return {r.key[len(DRAFT_PREFIX):]: json.loads(r.value) for r in rows}
