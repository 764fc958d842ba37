"""Errors that several parts raise and catch, kept apart from the modules that raise them so that a part
(the county server's command line) can catch them without importing the encrypted store."""
from __future__ import annotations


class ProfileError(Exception):
    """A profile cannot be opened or created; the message is for the user (Chinese, then English)."""


class LedgerError(Exception):
    """What stops a ledger export (core.ledgers), as a code and its parameters; the words are made by the
    caller's printer (core.ledgers.commands) or the GUI (gui/ledger_page.py)."""

    def __init__(self, code: str, **params: object) -> None:
        self.code, self.params = code, params
        super().__init__(code, params)


class ChangesOnTheirWay(Exception):
    """Changes cannot be given up yet: some are in a push batch that may have reached the county
    server, or be on its way there (a push cut off while it was on its way, an offline bundle), and
    the server has not answered it; a copy landing later would still apply them. Nothing was changed.
    A sync gets the answer, and then they can be given up. Said by its code; the words are made by
    the caller (gui/forms/refused.py)."""

    code = "changes_on_their_way"


class UnusableValue(ValueError):
    """A pulled record holds a value this laptop cannot store in its column (text where a number or a
    date belongs: a county database edited by hand): the page is refused whole. Said by its code and
    parameters (the entity, the field and the record's id; never the value, which may be personal);
    the words are made by the caller (sync.pull for the command line, gui/sync_words.py)."""

    code = "unusable_value"

    def __init__(self, entity: str, field: str, row_id: str) -> None:
        self.entity, self.field, self.row_id = entity, field, row_id
        super().__init__(f"{entity}.{field} of record {row_id} cannot be stored")
