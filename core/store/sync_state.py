"""The store's side of sync beyond a push and a pull: a scope that changed, a download started again,
the summaries a download owes, and batches frozen for an offline bundle (mixed into core.store.Store)."""
from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

import sqlcipher3
from sqlalchemy import bindparam, func, select
from sqlalchemy.exc import DBAPIError

from core.changes import Changes
from core.models import OutboxEntry, ProfileMeta, utc_now
from core.store import push, summary
from core.store.engine import SYNCHRONOUS
from core.store.pull import PULL_CURSOR, PULL_EVERYTHING, PULL_ORIGIN_META, apply_page, departed
from core.store.profile import ProfileError
from core.store.summary import owed_count, settle_summaries

log = logging.getLogger(__name__)

ON_DISK_META = "on_disk_at"  # when make_durable last put on the disk commits that had not waited for it
_PUTS_ON_DISK = "anju_puts_on_disk"  # in a write session's info: its commit is make_durable's


class SyncStateMixin:
    """Needs the store's `reading`, `writing` and `actor`."""

    bundle_keys_checked = False  # set by sync.bundles once the server holds this device's keys (per open)
    summaries_owed = False  # households' summaries a pull or an opening left owed (core.store.summary)
    # A commit may not be on the disk yet: one that did not wait for it (engine.SYNCHRONOUS) since the last
    # commit of make_durable, or one of the last run of the program, which the system may not have
    # written yet. Set by the writer engine's `commit` event (note_commit), cleared only once
    # make_durable's own commit has succeeded, while its transaction still holds the one writer
    # connection (note_durable): no other commit comes between. Any other commit at FULL would sync
    # the log with it too, but only if it wrote a page: an UPDATE to the values a row holds (a
    # setting written again in the same second) counts as a change and writes nothing.
    not_on_disk = True

    def note_commit(self, conn: Any) -> None:
        """The writer's `commit` event, before the commit itself: a commit that does not wait for the
        disk leaves it owed, whether or not it then succeeds."""
        if conn.get_execution_options().get(SYNCHRONOUS, "FULL") != "FULL":
            self.not_on_disk = True

    def note_durable(self, session: Any) -> None:
        """The durable write sessions' `after_commit` event: make_durable's commit is on the disk."""
        if session.info.pop(_PUTS_ON_DISK, False):
            self.not_on_disk = False

    def make_durable(self) -> None:
        """Every commit so far put on the disk: by a durable commit of the one setting that marks it
        (its time, always new, so SQLite writes a page and syncs the log with every commit before it),
        when a commit that did not wait for the disk came since the last. Before the head of the audit
        log leaves the laptop (a push), so the server never holds lines a power cut could take back: a
        pulled page appends one (the server would take their loss for a log cut short). A failed
        commit leaves it owed."""
        if self.not_on_disk:
            with self.writing() as s:  # type: ignore[attr-defined]
                self.put_on_disk_with(s)

    def put_on_disk_with(self, session: Any) -> None:
        """make_durable's commit made by `session`, a durable write transaction that comes anyway (the
        freeze of a push's batch, just before the push reads the head): one sync of the disk a push
        less. Nothing when every commit is on the disk already."""
        if self.not_on_disk:
            session.info[_PUTS_ON_DISK] = True
            session.merge(ProfileMeta(key=ON_DISK_META, value=utc_now().isoformat()))

    def sync_outset(self, *keys: str) -> tuple[int, dict[str, str | None]]:
        """What a sync looks at first, in one read: the records waiting to be pushed (as
        `pending_change_count` counts them) and the settings `keys`."""
        with self.reading() as s:  # type: ignore[attr-defined]
            return pending_records(s), settings(s, keys)

    def change_scope(self, role: str, scope: str) -> Changes:
        """The server gave this laptop's user another scope: what is outside it goes (core/store/scope.py),
        and the next pull starts from the beginning, in one transaction."""
        from core.store.scope import households_outside, remember_scope

        with self.writing() as s:  # type: ignore[attr-defined]
            gone = departed(s, households_outside(s, role, scope))
            result = apply_page(s, self.actor, gone, 0)  # type: ignore[attr-defined]
            remember_scope(s, scope)
            s.merge(ProfileMeta(key=PULL_ORIGIN_META, value="0"))
            s.merge(ProfileMeta(key=PULL_EVERYTHING, value="1"))
            return result.changes

    def settle_summaries(self, stop: Callable[[], bool] | None = None,
                         report: Callable[[int, int], None] | None = None) -> bool:
        """The summaries a download's pages owe, refreshed (core.store.summary.settle_summaries), a
        chunk per transaction so that a save waits for one chunk at most; `stop` asked between chunks
        (a cancelled sync leaves the rest to the next pull or opening); `report(done, total)` told the
        households settled before the first chunk and after each (a download of 100,000 households
        takes seconds here). True once none is owed. Until then `summaries_owed` stays set, also after
        a failure, so the next pull settles them."""
        self.summaries_owed = True
        total = done = 0
        if report is not None:
            with self.reading() as s:  # type: ignore[attr-defined]
                total = owed_count(s.connection())
            if total:  # nothing to count (pages of reference data only): nothing said
                report(0, total)
            else:
                report = None
        while True:
            with self.writing(durable=False) as s:  # type: ignore[attr-defined]  # undone, owed again
                more = settle_summaries(s.connection())
            if report is not None:
                done = total if not more else min(total, done + summary.SETTLE_AT_ONCE)
                report(done, total)
            if not more:
                self.summaries_owed = False
                return True
            if stop is not None and stop():
                return False

    def settle_what_a_kill_left(self) -> None:
        """The summaries a download killed half-way owes, settled when the profile opens. Derived data
        never keeps the profile shut: a failure (a full disk, another process writing, a damaged page)
        leaves them owed, and the list lacks those households until the next pull settles them."""
        try:
            self.settle_summaries()
        except (ProfileError, sqlcipher3.Error, DBAPIError, OSError):
            log.warning("the household summaries a cut-off download owes are left to the next pull", exc_info=True)

    def restart_pull(self) -> None:
        """设置 → 重新下载: the next sync downloads everything in scope again; the outbox is kept."""
        with self.writing() as s:  # type: ignore[attr-defined]
            s.merge(ProfileMeta(key=PULL_CURSOR, value="0"))
            s.merge(ProfileMeta(key=PULL_ORIGIN_META, value="0"))
            s.merge(ProfileMeta(key=PULL_EVERYTHING, value="1"))

    def freeze_following_batch(self, after: str, max_rows: int) -> tuple[str, list[dict[str, Any]]]:
        """The batch to push once `after`, on its way, is answered: frozen now, while the server works
        on that one (core/store/push.py, following_batch)."""
        with self.writing() as s:  # type: ignore[attr-defined]
            return push.following_batch(s, after, max_rows)

    def freeze_for_bundle(self, max_rows: int) -> list[tuple[str, list[dict[str, Any]]]]:
        """Every outbox entry in batches frozen for an offline bundle (core/store/push.py)."""
        with self.writing() as s:  # type: ignore[attr-defined]
            return push.freeze_for_bundle(s, max_rows)

    def split_push_batches(self, max_rows: int, settings: dict[str, str] | None = None) -> int:
        """The batch the server has just refused for its size, and the batches of more than `max_rows`
        records no push has sent, cut in place, in order (core/store/push.py, split_batches): the
        server takes less now; and `settings` written with them, in one transaction. Returns how many
        were cut."""
        with self.writing() as s:  # type: ignore[attr-defined]
            cut = push.split_batches(s, max_rows)
            for key, value in (settings or {}).items():
                s.merge(ProfileMeta(key=key, value=value))
            return cut

    def frozen_batch_entries(self, batch_id: str) -> list[dict[str, Any]]:
        """The entries still waiting of a frozen batch: [] once it was answered (by a push, or a bundle)."""
        with self.reading() as s:  # type: ignore[attr-defined]
            return push.frozen_entries(s, batch_id)


def settings(session: Any, keys: Iterable[str]) -> dict[str, str]:
    """The settings (profile metas) of `keys` that the profile holds."""
    return dict(session.execute(_SETTINGS, {"keys": list(keys)}).all())


def pending_records(session: Any) -> int:
    """The records waiting to be pushed: a record with many changed fields counts once."""
    return int(session.execute(_PENDING).scalar_one())


_PENDING = select(func.count()).select_from(select(OutboxEntry.entity, OutboxEntry.row_id).distinct().subquery())
_SETTINGS = select(ProfileMeta.key, ProfileMeta.value).where(ProfileMeta.key.in_(bindparam("keys", expanding=True)))
