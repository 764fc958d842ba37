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
