"""Errors that several parts raise and catch, kept apart from the modules that raise them so that a part
(the county server's command line) can catch them without importing the encrypted store."""
from __future__ import annotations


class ProfileError(Exception):
    """A profile cannot be opened or created; the message is for the user (Chinese, then English)."""
