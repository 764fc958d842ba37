"""What the county server spends making pull pages, without HTTP or a laptop: a demo county of N
households, then a pull of everything by the device that made the records (the pull that follows
its push: nothing to send) and by another device (a first download: everything to send), page by
page as the server makes them (sync.server.changes.changes_since in a read transaction each, below
the watermark on PostgreSQL, and the page's JSON). Prints figures, never asserts.

    python bench/pages.py [--households 3000] [--db sqlite|postgresql|URL] [--stamps] [--runs 5]

`--stamps` gives every record two field stamps of the device that made it, as records a device
has edited carry (the records of a new demo county carry none).
"""
from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path
import sys

sys.path.insert(0, str(Path(__file__).resolve().parent))

from county import PASSWORD, at_least, county_database, say  # noqa: E402

PAGE = 1000
MAKER = "laptop-w1"  # the device that made every record of the county here


def _made(url: str, households: int, stamps: bool):  # noqa: ANN202 - an Engine
    from sqlalchemy import text

    from core.models import utc_now
    from sync.server.db import open_database, writing
    from sync.server.demo import make_demo_county

    engine = open_database(url)
    with writing(engine) as conn:
        make_demo_county(conn, PASSWORD, utc_now(), households=households)
        # The records as a laptop's: the demo's maker, "server", also stamps re-sends and conflicts.
        conn.execute(text(f"UPDATE row_state SET created_device = '{MAKER}'"))
        if stamps:
            build, array = (("json_build_object", "json_build_array") if engine.dialect.name == "postgresql"
                            else ("json_object", "json_array"))
            stamp = f"{array}(seq, '{MAKER}', 'w1', '2026-12-01T10:00:00')"
            conn.execute(text(f"UPDATE row_state SET versions = {build}('phone', {stamp}, 'education', {stamp})"))
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")  # every table: the page query joins households and grids
    return engine


def _pull(engine, device: str) -> tuple[float, int, int]:  # noqa: ANN001
    from sync.server.accounts import Caller
    from sync.server.changes import changes_since
    from sync.server.numbers import reading_below_watermark

    started, since, sent, pages = time.perf_counter(), 0, 0, 0
    while True:
        with reading_below_watermark(engine) as (conn, upto):
            page = changes_since(conn, Caller("a1", "admin", "", device), since, PAGE, 0, False, upto,
                                 as_text=True)
        page.json()  # its body, as the route sends it
        sent, pages = sent + page.count, pages + 1
        if not page.more:
            return time.perf_counter() - started, sent, pages
        since = page.next_since


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--households", type=at_least(0), default=3000)
    parser.add_argument("--db", default="sqlite", help="sqlite (default), postgresql, or a postgresql+psycopg:// URL")
    parser.add_argument("--stamps", action="store_true", help="every record with two field stamps of its maker")
    parser.add_argument("--runs", type=at_least(1), default=5)
    args = parser.parse_args(argv)
    from sqlalchemy import func, select

    from sync.server.models import row_state

    with county_database(args.db) as url:
        say(f"making a demo county of {args.households} households")
        engine = _made(url, args.households, args.stamps)
        try:
            with engine.connect() as conn:
                maker, states = conn.execute(select(row_state.c.created_device, func.count())
                                             .group_by(row_state.c.created_device)
                                             .order_by(func.count().desc())).first()
            print(f"county on {engine.dialect.name}: {states} records made by {maker!r}"
                  f"{', each with two field stamps' if args.stamps else ''}; pages of {PAGE}")
            for label, device in (("the device that made them (the pull after its push)", maker),
                                  ("another device (a first download)", "another-device")):
                runs = [_pull(engine, device) for _ in range(args.runs)]
                median, sent, pages = statistics.median(t for t, _, _ in runs), runs[0][1], runs[0][2]
                rate = f" ({sent / median:.0f} records/s)" if sent else ""
                what = f"{sent} records" if sent else "nothing"
                print(f"  {label}: {what} sent in {pages} page{'s' if pages != 1 else ''}; "
                      f"median {median * 1000:.0f} ms, min {min(t for t, _, _ in runs) * 1000:.0f} ms{rate}")
        finally:
            engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
