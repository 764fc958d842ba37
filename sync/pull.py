"""The laptop's side of a pull (docs/protocol.md, "Pull"): every page the server has for this profile,
the next one fetched while the last is written, each written with its cursor in one transaction
(core/store/pull.py), so a pull cut off anywhere resumes with no gap and no repeat.
"""
from __future__ import annotations

import logging
from concurrent.futures import Future
from dataclasses import dataclass
from typing import TYPE_CHECKING

from core.changes import Changes
from core.store import Store
from core.store.pull import PULL_CURSOR, PULL_EVERYTHING, PULL_ORIGIN_META, PulledChange
from core.store.scope import SCOPE_META, scope_codes
from sync.beside import StopFlag, beside, when_done
from sync.errors import refused_as_sync_error
from sync.protocol import MAX_PAGE, ROWS_EVERY_SERVER_PAGES, ChangesPage

if TYPE_CHECKING:
    from sync.client import CancelFlag, CountyServer, Progress, SyncReport

log = logging.getLogger(__name__)

PULL_PAGE = MAX_PAGE  # the records a page asks for, when the server has said it serves as many
PULL_ORIGIN = PULL_ORIGIN_META  # the cursor an unfinished pull began at (profile meta)
PULL_STATE = (PULL_CURSOR, PULL_ORIGIN, PULL_EVERYTHING, SCOPE_META)  # where a pull starts from (profile metas)


@dataclass
class _Where:
    """Where a pull stands. `origin` is where it began (its cursor before the first page), kept in
    the profile once it needs a second page, also across a cancel or a crash: the server sends back
    a record the device changed last only when nothing else changed since then."""

    cursor: int
    origin: int
    everything: bool  # downloading again from the start, this laptop's own records too
    scope: str | None  # the scope this laptop holds
    origin_kept: bool
    owing: bool = False  # a page has left its households' summaries owed: the pull's end refreshes them

    @classmethod
    def of(cls, held: dict[str, str | None]) -> _Where:
        cursor = int(held[PULL_CURSOR] or 0)
        return cls(cursor, int(held[PULL_ORIGIN] or cursor), held[PULL_EVERYTHING] == "1", held[SCOPE_META],
                   held[PULL_ORIGIN] not in (None, ""))


@dataclass
class EarlyPage:
    """The first page of the pull that follows a push, asked for as soon as the server has answered
    the push's last batch, while the laptop records that answer: in a sync of 1,000 edits the request
    (5-6 ms, most of it the server's) and the recording (5 ms) went one after the other. The pull takes
    it only if it starts from the state it was asked from (`held`, the PULL_STATE metas)."""

    held: dict[str, str | None]
    page: Future[ChangesPage]
    stop: StopFlag  # the request's, and then the pull's that takes it
    server: CountyServer  # the connections it goes on, its own (one dropped may still be on its way): the
    # pull that takes the page fetches its next pages on them, so a pull asks on no more connections than before

    @classmethod
    def ask(cls, server: CountyServer, held: dict[str, str | None], page_size: int,
            cancel: CancelFlag | None) -> EarlyPage:
        """The first page asked for on connections of its own."""
        where, stop, own = _Where.of(held), StopFlag(cancel), server.twin()
        page = beside("anju-pull", own.changes, where.cursor, _rows(page_size, server), stop, where.origin,
                      where.everything)
        return cls(dict(held), page, stop, own)

    def drop(self) -> None:
        """Not taken: the request stops its retries, its page is never read, and its connections are
        closed once it has ended."""
        self.stop.cancel()
        self.page.add_done_callback(lambda _done: self.server.close())


def pull_changes(store: Store, server: CountyServer, report: SyncReport, progress: Progress | None = None,
                 cancel: CancelFlag | None = None, page_size: int = PULL_PAGE,
                 held: dict[str, str | None] | None = None, early: EarlyPage | None = None) -> None:
    """Every page the server has for this profile, each of at most `page_size` records, and of no more
    than the server has said its pages hold (_rows). `held`: the PULL_STATE metas, when the caller has
    just read them (none: they are read here). `early`: a first page asked for already (EarlyPage),
    taken if the pull starts where it was asked from, else dropped."""
    state, early = _state_and_early(store, held, early)
    where = _Where.of(state)
    where.owing = store.summaries_owed  # a settle an earlier pull could not finish: this one's end does
    wrote: list[Changes] = []  # each page's, merged once at the end (also when the pull stops half-way)
    # The next page is asked for as soon as a page arrives and fetched while this one is written:
    # the server and the network work beside the laptop's disk. Pages are still written one by one,
    # in order; a page that fails to be written leaves the one fetched after it unread. The first page
    # is asked for on a thread too, on the caller's session, idle meanwhile (the app's health check has
    # just opened its connection): a cancel does not wait for it either.
    ahead = server.twin() if early is None else early.server  # the connections of the thread fetching ahead
    stop = StopFlag(cancel)  # its cancel: the caller's, or this pull ending
    following: Future[ChangesPage] | None = None
    early_on = None  # the early page's connections: what they hear of the server's limits is the caller's
    if early is not None:
        following, stop, early_on = early.page, early.stop, early.server
    ended = False
    try:
        while True:
            if cancel:
                cancel.check()
            if following is None:  # the first page, or the first again after a change of scope
                following = beside("anju-pull", server.changes, where.cursor, _rows(page_size, server), stop,
                                   where.origin, where.everything)
            page = when_done(following, cancel)  # a cancel stops the wait at once; the page is dropped
            following = None
            if early_on is not None:  # its request has ended
                server.heard(early_on)
                early_on = None
            if _scope_changed(store, page, where, wrote):
                report.scope_changed = True
                continue
            if page.more:
                following = beside("anju-pull", ahead.changes, page.next_since, _rows(page_size, ahead, server),
                                   stop, where.origin, where.everything)
            _write_page(store, page, where, wrote, report)
            if progress:
                progress("pull", report.pulled, None)
            if not page.more:
                if where.origin_kept or where.everything:
                    store.set_metas({PULL_ORIGIN: "", PULL_EVERYTHING: ""})
                ended = True
                return
    finally:
        # A request still on its way after a failure or a cancel is not waited for, nor is it at the
        # program's exit (sync.beside): its page is dropped, and its connections are closed once it ends.
        if following is None:
            ahead.close()
        else:
            stop.cancel()  # its retries end, after a failure too
            following.add_done_callback(lambda _done: ahead.close())
        report.changes = report.changes.merge(*wrote)
        if where.owing:
            _settle(store, ended, cancel, progress)


def _state_and_early(store: Store, held: dict[str, str | None] | None,
                     early: EarlyPage | None) -> tuple[dict[str, str | None], EarlyPage | None]:
    """The pull state (`held`, or read here), and the early page if it was asked from that state; one
    asked from another, or met by a failure to read the state, is dropped."""
    try:
        state = held if held is not None else store.metas(*PULL_STATE)
    except BaseException:
        if early is not None:
            early.drop()
        raise
    if early is not None and early.held != {key: state.get(key) for key in early.held}:
        early.drop()
        return state, None
    return state, early


def _rows(asked: int, *servers: CountyServer) -> int:
    """The records to ask a page for: `asked`, but no more than the server has said its pages hold
    (PAGE_ROWS_HEADER, on every answer: the first page's tells the next; `servers`: the connections
    whose last answer is the latest first, the first that has heard it said), and ROWS_EVERY_SERVER_PAGES
    while none has (a server from before the header refuses a larger `limit`)."""
    said = next((server.page_rows for server in servers if server.page_rows), None)
    return max(1, min(asked, said or ROWS_EVERY_SERVER_PAGES))


def _settle(store: Store, ended: bool, cancel: CancelFlag | None, progress: Progress | None) -> None:
    """The summaries the pull's pages owe, refreshed when it ends, and also when it stopped half-way
    (a cancel, a lost connection): the list shows what arrived. Said as the stage "settle" (households
    done, of how many). A cancel stops it after a chunk (the next pull or opening settles the rest). A
    failure to do so after another is logged, and the first one is what the caller hears; the next
    pull settles them (Store.summaries_owed)."""
    stop = None if cancel is None else (lambda: cancel.cancelled)
    report = None if progress is None else (lambda done, total: progress("settle", done, total))
    if ended:
        store.settle_summaries(stop, report)
        return
    try:
        store.settle_summaries(stop, report)
    except Exception:
        log.exception("a pull that stopped left the household summaries it owes to the next pull or opening")


def _scope_changed(store: Store, page: ChangesPage, where: _Where, wrote: list[Changes]) -> bool:
    """The server gave the user another scope: what is outside it goes, and the pull starts again
    from the beginning (Store.change_scope keeps the origin)."""
    if not (page.scope and where.scope and set(scope_codes(page.scope)) != set(scope_codes(where.scope))):
        return False
    wrote.append(store.change_scope(store.meta("role") or "", page.scope))
    where.cursor, where.origin, where.everything, where.scope, where.origin_kept = 0, 0, True, page.scope, True
    return True


def _write_page(store: Store, page: ChangesPage, where: _Where, wrote: list[Changes], report: SyncReport) -> None:
    if page.more and not where.origin_kept:  # a crash between two pages resumes from the same origin
        store.set_meta(PULL_ORIGIN, str(where.origin))
        where.origin_kept = True
    # The page's own dicts: nothing writing a page changes them, and a download has tens of thousands.
    changes = [PulledChange(c.seq, c.entity, c.row_id, c.deleted, c.fields) for c in page.changes]
    if changes or page.left or page.next_since != where.cursor:  # a page with nothing: no write at all
        # A pull of one page summarises its households in its transaction; a longer one, once at its end.
        settle = not (page.more or where.owing)
        with refused_as_sync_error("a pulled page"):  # refused whole: the next sync asks for it again
            wrote.append(store.apply_pulled(changes, page.next_since, page.left, settle).changes)
        where.owing = where.owing or not settle
    where.cursor = page.next_since
    report.pulled += len(changes)
    report.cursor = where.cursor
