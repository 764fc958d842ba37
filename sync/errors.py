"""What stops a sync, and the flag that stops it: the errors every part of the laptop's sync raises
(sync.client, sync.push, sync.pull, sync.bundles), with the message for the user, and the cancel flag
the command line and the GUI's network worker set from another thread."""
from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from core.errors import UnusableValue
from sync.protocol import too_many_logins

log = logging.getLogger(__name__)


class SyncError(Exception):
    """A sync that cannot go on; the message is for the user (Chinese, then English). `code` is the
    server's word for why (login_failed, token_invalid, account_disabled, device_revoked…), or ''.
    `batch_ops`: the ops a push batch may hold, as the refusing server said it (None: it did not say,
    a server from before it said so); `batch_records`: the records of the push batch it answers (None:
    not a push batch's answer)."""

    code = ""
    batch_ops: int | None = None
    batch_records: int | None = None


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


class ServerRecordUnusable(SyncError):
    """The server sent a record holding a value this laptop cannot store (core.errors.UnusableValue):
    the page was refused whole, and the sync stops before it until the county corrects the record."""

    code = "unusable_value"

    def __init__(self, entity: str, field: str, row_id: str) -> None:
        from core.validation.fields import ENTITY_LABELS, label

        (entity_zh, entity_en), (field_zh, field_en) = ENTITY_LABELS.get(entity, (entity, entity)), label(entity, field)
        super().__init__(
            f"县服务器上一条{entity_zh}记录（编号 {row_id}）的“{field_zh}”存的值这台电脑无法保存（格式不对），"
            f"同步停在这条记录之前。请县管理员在服务器上改正这条记录，然后再同步。 / The county server holds a "
            f"{entity_en} record ({row_id}) whose {field_en} this laptop cannot store (not in its format); the "
            f"sync stopped before it. Ask the county admin to correct that record on the server, then sync again.")
        self.entity, self.field, self.row_id = entity, field, row_id


@contextmanager
def refused_as_sync_error(what: str) -> Iterator[None]:
    """Writing the server's records in the block: a record the laptop cannot store (UnusableValue,
    raised in the store's transaction, which wrote nothing) is logged by its entity, field and id
    (never its value) and stops the sync as ServerRecordUnusable. `what`: the log's words for it."""
    try:
        yield
    except UnusableValue as exc:
        log.warning("%s was refused: %s", what, exc)
        raise ServerRecordUnusable(exc.entity, exc.field, exc.row_id) from exc


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
