"""What stops a sync, and the flag that stops it: the errors every part of the laptop's sync raises
(sync.client, sync.push, sync.pull, sync.bundles), with the message for the user, and the cancel flag
the command line and the GUI's network worker set from another thread."""
from __future__ import annotations

import threading

from sync.protocol import too_many_logins


class SyncError(Exception):
    """A sync that cannot go on; the message is for the user (Chinese, then English). `code` is the
    server's word for why (login_failed, token_invalid, account_disabled, device_revoked…), or ''.
    `batch_ops`: the ops a push batch may hold, as the refusing server said it (None: it did not say,
    a server from before it said so)."""

    code = ""
    batch_ops: int | None = None


class ServerUnreachable(SyncError):
    pass


class LoginRequired(SyncError):
    pass


class UpdateRequiredError(SyncError):
    pass


class TooManyAttempts(SyncError):
    """The server makes logins wait after failed ones; `seconds` is how long (its Retry-After)."""

    def __init__(self, seconds: int):
        super().__init__(too_many_logins(seconds))
        self.seconds = seconds


class Cancelled(SyncError):
    def __init__(self) -> None:
        super().__init__("同步已取消；已完成的部分已保存，下次从断点继续。 / Sync cancelled; what was done is kept.")


class CancelFlag:
    """Set from any thread; the sync stops at the next safe point (between requests)."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def check(self) -> None:
        if self.cancelled:
            raise Cancelled()
