"""Search-as-you-type over the household summary: two FTS5 indexes, read three ways by breadth.

Every word is matched as the indexes match it: a substring from three characters on, the start of
a word below that. What differs with the number of households a word matches is how a page of the
list, in its sort order, is read:
- a narrow word (fewer than BROAD) is looked up, and its few households are sorted;
- a broad word: its index hits are gathered into a set, and the list's narrow sort index is walked
  in order, each entry checked against the set, until the page is full (`rid + 0` keeps SQLite
  from looking the hits up one by one instead);
- a dense word (DENSE or more, '1', '52', '5226'): gathering all its hits would take longer than
  reading the list in order and testing each row with LIKE, which stops at a full page because
  most rows match.
All three find the same households (tests/core/test_store.py compares them with `row_test`).
Several words are matched together: each index answers all its words in one query.
"""
from __future__ import annotations

import re
import unicodedata

from sqlalchemy import ColumnElement, Select, column, func, intersect, literal, or_, select, table, union
from sqlalchemy.orm import Session

from core.idcard import upgrade_15_to_18
from core.models import HouseholdSummary
from core.store.summary import fts_phrase

# Matches from which a word's hits are checked against the sort index instead of sorted: below it,
# reading each match's row to sort it costs less than walking the index to fill a page (about 600
# at 100,000 households, measured with the rows not yet in the cache).
BROAD = 600
DENSE = 20000  # matches from which a word is tested row by row (a fifth of a county of 100,000)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_TRIGRAM = table("household_trigram", column("rowid"), column("household_trigram"))
_TOKENS = table("household_tokens", column("rowid"), column("household_tokens"))


# A flat as people write it: 7-2-1203, 7栋2单元1203, 7号楼2单元1203室, 7幢1203, 7-1203 (no unit).
_BUILDING_MARK = re.compile(r"(?<=[0-9a-z])(?:号楼|幢|座|#)")
_FLAT = re.compile(r"^([0-9a-z]{1,4})(?:栋|-)(?:([0-9a-z]{1,4})(?:单元|-))?([0-9a-z]{3,8})(?:室|号)?$")


def _typed_words(text: str) -> list[str]:
    words = []
    for word in unicodedata.normalize("NFKC", _CONTROL.sub(" ", text)).lower().split():
        if len(word) == 15 and word.isascii() and word.isdigit():  # an old ID: the store keeps the 18-digit form
            word = upgrade_15_to_18(word).lower()
        words.append(_BUILDING_MARK.sub("栋", word))  # the index writes every building as '7栋'
    return words


def search_words(text: str) -> list[str]:
    """The words of what was typed, lower-cased, control characters dropped.

    A word under three characters is matched as the start of an indexed word, and the index
    splits words at punctuation: so such a word keeps only its letters and digits ('3-' is '3').
    A flat is read as the index writes it ('7号楼2单元1203室' is '7-2-1203'); one written without its
    unit ('7-1203', '7栋1203') is left to `flat_conditions`.
    """
    words = []
    for word in _typed_words(text):
        flat = _FLAT.match(word)
        if flat and not flat.group(2):
            continue
        if flat:
            word = "-".join(flat.groups())
        if len(word) < 3:
            word = "".join(ch for ch in word if ch.isalnum())
        if word:
            words.append(word)
    return words


def flat_conditions(text: str) -> list[ColumnElement[bool]]:
    """For each flat typed without its unit ('7-1203'): the households in that building with that
    room in any unit, or whose text holds the word as typed (a household number such as 'gz-1203').
    They are looked up (the building and the room as words of the token index, the word as typed in
    the trigram index), then each found row is checked."""
    conditions = []
    for word in _typed_words(text):
        flat = _FLAT.match(word)
        if not flat or flat.group(2):
            continue
        building, _unit, room = flat.groups()
        in_building = select(_TOKENS.c.rowid.label("rid")).where(
            _TOKENS.c.household_tokens.op("MATCH")(f"{fts_phrase(building)} AND {fts_phrase(room)}*"))
        conditions.append(HouseholdSummary.rid.in_(union(index_hits([word]), in_building)))
        shapes = [f"% {_escape_like(building)}-{'_' * unit}-{_escape_like(room)}%" for unit in range(4)]  # units of up to 3
        shapes.append(f"%{_escape_like(word)}%")
        conditions.append(or_(*(HouseholdSummary.search_text.like(shape, escape="\\") for shape in shapes)))
    return conditions


def _escape_like(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def index_hits(words: list[str]) -> Select:
    """The summary row ids (`rid`) matching every word, from the indexes alone; `words` not empty."""
    queries = []
    long, short = [w for w in words if len(w) >= 3], [w for w in words if len(w) < 3]
    if long:
        match = " AND ".join(fts_phrase(w) for w in long)
        queries.append(select(_TRIGRAM.c.rowid.label("rid")).where(_TRIGRAM.c.household_trigram.op("MATCH")(match)))
    if short:
        match = " AND ".join(fts_phrase(w) + "*" for w in short)
        queries.append(select(_TOKENS.c.rowid.label("rid")).where(_TOKENS.c.household_tokens.op("MATCH")(match)))
    return queries[0] if len(queries) == 1 else intersect(*queries).subquery().select()


def row_test(word: str) -> ColumnElement[bool]:
    """The same match as the index, tested on one summary row."""
    # likely(): a dense word matches most rows, so the planner should walk the sort index and stop early.
    if len(word) >= 3:
        return func.likely(HouseholdSummary.search_text.like(f"%{_escape_like(word)}%", escape="\\"))
    return func.likely((literal(" ") + HouseholdSummary.search_tokens).like(f"% {_escape_like(word)}%", escape="\\"))


def hits_up_to(session: Session, hits: Select, limit: int) -> int:
    """How many rows `hits` gives, counting no further than `limit`."""
    return int(session.execute(select(func.count()).select_from(hits.limit(limit).subquery())).scalar_one())


def text_conditions(session: Session, text: str, ordered: bool = True) -> list[ColumnElement[bool]]:
    """Conditions on HouseholdSummary for what was typed.

    `ordered`: for a page read in a sort order (see the module's docstring); otherwise for a count,
    where every word that is not dense is simply looked up.
    """
    words, flats = search_words(text), flat_conditions(text)
    if not words:
        return flats
    found = {w: hits_up_to(session, index_hits([w]), DENSE) for w in dict.fromkeys(words)}
    dense = [w for w in found if found[w] >= DENSE]
    conditions = [row_test(w) for w in dense] + flats
    looked_up = [w for w in found if found[w] < DENSE]
    if looked_up:
        hits = index_hits(looked_up)
        if not ordered:
            conditions.append(HouseholdSummary.rid.in_(hits))
        else:
            fewest = min(found[w] for w in looked_up)
            narrow = fewest < BROAD or (len(looked_up) > 1 and hits_up_to(session, hits, BROAD) < BROAD)
            conditions.append(HouseholdSummary.rid.in_(hits) if narrow else (HouseholdSummary.rid + 0).in_(hits))
    return conditions


def count_matches(session: Session, text: str) -> int | None:
    """The exact number of households matching every word, from the indexes alone; None without words."""
    words = search_words(text)
    if not words or flat_conditions(text):  # a flat without its unit is checked row by row: counted that way
        return None
    return int(session.execute(select(func.count()).select_from(index_hits(words).subquery())).scalar_one())
