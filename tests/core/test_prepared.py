"""A statement compiled once and run on the driver's cursor (core.prepared) must give what SQLAlchemy's
own run gives: constants converted as SQLAlchemy converts them (a date parameter, an IN list), result
values turned as it turns them (a date column comes back a date), for any value of the given parameter."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import String, bindparam, func, select, update
from sqlalchemy.dialects import postgresql

from core.among import among_bound, json_values
from core.demo import write_demo_profile
from core.models import Household, Visit
from core.prepared import Prepared
from core.store import Store
from tests.conftest import PASSWORD


@pytest.fixture
def village(tmp_path):
    with Store.create(tmp_path / "p", PASSWORD, username="w1",
                      fill=lambda store: write_demo_profile(store, 40, 3, date.today(), lambda *_: None)):
        pass
    with Store.open(tmp_path / "p", PASSWORD) as store:
        yield store


def _visits_since():  # noqa: ANN202 - a statement with a date constant, an IN list, a date result
    return (select(Visit.household_id, func.max(Visit.visit_date), func.count())
            .join(Household, Household.id == Visit.household_id)
            .where(among_bound(Household.id, bindparam("ids", type_=String)),
                   Visit.visit_date >= date(2000, 1, 1), Visit.method.in_(("home", "phone", "group")))
            .group_by(Visit.household_id).order_by(Visit.household_id))


def test_prepared_rows_are_sqlalchemys_for_every_household(village):
    stmt = _visits_since()
    with village.reading() as s:
        conn = s.connection()
        ids = list(s.execute(select(Household.id).order_by(Household.id)).scalars())
        ready = Prepared(stmt, conn.dialect, ("ids",))
        seen = 0
        for chosen in ([ids[0]], ids[:7], ids, []):
            expected = [tuple(r) for r in conn.execute(stmt, {"ids": json_values(chosen)})]
            got = ready.rows(conn, {"ids": json_values(chosen)})
            assert [tuple(r) for r in got] == expected
            assert all(isinstance(r[1], date) for r in got)  # the date column comes back a date, as SQLAlchemy's
            seen += len(got)
    assert seen > 0, "the demo households have visits"


def test_prepared_binds_every_constant_as_sqlalchemy_does(village):
    """A datetime constant goes as SQLite's text with its microseconds (a whole second matches a
    stored whole second), a Decimal as a number: the driver's own binding would miss the first and
    refuse the second."""
    with village.writing() as s:
        chosen = s.execute(select(Household.id).order_by(Household.id).limit(1)).scalar_one()
        s.execute(update(Household).where(Household.id == chosen).values(updated_at=datetime(2020, 1, 1)))
    stmt = (select(Household.id).where(among_bound(Household.id, bindparam("ids", type_=String)),
                                       Household.updated_at <= datetime(2020, 1, 1),
                                       func.coalesce(Household.house_area, 0) > Decimal("-0.5"))
            .order_by(Household.id))
    with village.reading() as s:
        conn = s.connection()
        ids = json_values(s.execute(select(Household.id)).scalars())
        expected = [tuple(r) for r in conn.execute(stmt, {"ids": ids})]
        assert expected == [(chosen,)]
        assert [tuple(r) for r in Prepared(stmt, conn.dialect, ("ids",)).rows(conn, {"ids": ids})] == expected


def test_prepared_refuses_what_it_cannot_run(village):
    with village.reading() as s:
        dialect = s.connection().dialect
        with pytest.raises(ValueError, match="no parameter"):
            Prepared(_visits_since(), dialect, ("households",))
    with pytest.raises(ValueError, match="bound"):  # a given parameter written into the text is never bound
        Prepared(select(Household.id).where(Household.id == bindparam("ids", literal_execute=True)), dialect, ("ids",))
    with pytest.raises(ValueError, match="positional"):
        Prepared(_visits_since(), postgresql.dialect(), ("ids",))
