"""Search-as-you-type over the household summary: two FTS5 indexes and a scan for broad words.

A narrow word (fewer than BROAD households) is looked up in its index and the few matches are
joined to the list. A broad word ('王', '52', '1') would make the index hand back most of the
county, which then has to be sorted; for such a word the list is read in its own order instead
and each row is tested with LIKE, which stops as soon as a page is full. Both ways match the
same households: a substring from three characters on, the start of a word below that.
"""
from __future__ import annotations

import re
import unicodedata

from sqlalchemy import ColumnElement, column, func, literal, select, table
from sqlalchemy.orm import Session

from core.idcard import upgrade_15_to_18
from core.models import HouseholdSummary
from core.store.summary import fts_phrase

BROAD = 1000  # matches from which a word is tested row by row instead of looked up
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_TRIGRAM = table("household_trigram", column("rowid"), column("household_trigram"))
_TOKENS = table("household_tokens", column("rowid"), column("household_tokens"))


def search_words(text: str) -> list[str]:
    """The words of what was typed, lower-cased, control characters dropped.

    A word under three characters is matched as the start of an indexed word, and the index
    splits words at punctuation: so such a word keeps only its letters and digits ('3-' is '3').
    """
    words = []
    for word in unicodedata.normalize("NFKC", _CONTROL.sub(" ", text)).lower().split():
        if len(word) == 15 and word.isascii() and word.isdigit():  # an old ID: the store keeps the 18-digit form
            word = upgrade_15_to_18(word).lower()
        if len(word) < 3:
            word = "".join(ch for ch in word if ch.isalnum())
        if word:
            words.append(word)
    return words


def _escape_like(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _index_hits(word: str):  # noqa: ANN202 - a select of FTS rowids
    if len(word) >= 3:
        return select(_TRIGRAM.c.rowid).where(_TRIGRAM.c.household_trigram.op("MATCH")(fts_phrase(word)))
    return select(_TOKENS.c.rowid).where(_TOKENS.c.household_tokens.op("MATCH")(fts_phrase(word) + "*"))


def _row_test(word: str) -> ColumnElement[bool]:
    """The same match as the index, tested on one summary row."""
    # likely(): a broad word matches many rows, so the planner should walk the sort index and stop early.
    if len(word) >= 3:
        return func.likely(HouseholdSummary.search_text.like(f"%{_escape_like(word)}%", escape="\\"))
    return func.likely((literal(" ") + HouseholdSummary.search_tokens).like(f"% {_escape_like(word)}%", escape="\\"))


def text_conditions(session: Session, text: str) -> list[ColumnElement[bool]]:
    """One condition a word: an index lookup when the word is narrow, a row test when broad."""
    conditions = []
    for word in search_words(text):
        hits = _index_hits(word)
        probe = select(func.count()).select_from(hits.limit(BROAD).subquery())
        broad = session.execute(probe).scalar_one() >= BROAD
        conditions.append(_row_test(word) if broad else HouseholdSummary.rid.in_(hits))
    return conditions


def count_one_word(session: Session, text: str) -> int | None:
    """The exact number of households matching a single word, straight from its index; else None."""
    words = search_words(text)
    if len(words) != 1:
        return None
    return int(session.execute(select(func.count()).select_from(_index_hits(words[0]).subquery())).scalar_one())
