"""The people indicators, one test per clause that flips a definition: where and in what trade the employed
work, returned workers, children out of school, the left-behind and special hardship; each figure's
households are exactly those with a member it counts, and a county's figures are the sums of its grids'."""
from __future__ import annotations

from datetime import date

import pytest

from core.indicators.people import PLACE_GROUPS, SECTORS

TODAY = date(2026, 11, 15)  # the month is 2026-11
COUNTY = "522601"  # the settlements' county (凯里市)


@pytest.fixture
def places(store):
    """Two settlements of the county, the first with two grids."""
    area = {"area_code": COUNTY + "001001", "mode": None, "address": None}
    store.bulk_load({"settlement": [{"id": "s1", "code": "S1", "name": "阳光社区安置点", **area},
                                    {"id": "s2", "code": "S2", "name": "幸福家园安置点", **area}],
                     "grid": [{"id": "g1", "code": "G1", "name": "一网格", "settlement_id": "s1", "village_code": "522601001"},
                              {"id": "g2", "code": "G2", "name": "二网格", "settlement_id": "s1", "village_code": "522601001"},
                              {"id": "g3", "code": "G3", "name": "三网格", "settlement_id": "s2",
                               "village_code": "522601002"}]}, reason="test reference data")
    return {"g1": "s1", "g2": "s1", "g3": "s2"}


def person(name: str, relation: str, born: str, sex: str, **more) -> dict:
    return {"name": name, "relation": relation, "birth_date": born, "sex": sex, **more}


class Village:
    """Households saved into the test profile, each member reachable by name."""

    def __init__(self, store):
        self.store, self.households, self.ids = store, {}, {}

    def add(self, key: str, *members: dict, grid: str | None = "g1", settlement: str | None = "s1") -> str:
        household = {"household_no": key, "resettlement_mode": "centralised", "settlement_id": settlement,
                     "grid_id": grid}
        hid = self.store.save_household(household, list(members), today=TODAY).id
        self.households[key] = hid
        self.ids.update({m["name"]: m["id"] for m in self.store.get_household(hid).members})
        return hid

    def change(self, name: str, **fields) -> None:
        hid = next(h for h in self.households.values() if name in self.names(h))
        record = self.store.get_household(hid)
        members = [{**m, **fields} if m["name"] == name else m for m in record.members]
        self.store.save_household(record.household, members, today=TODAY)

    def names(self, hid: str) -> set[str]:
        return {m["name"] for m in self.store.get_household(hid).members}

    def job(self, name: str, **fields) -> None:
        hid = next(h for h in self.households.values() if name in self.names(h))
        self.store.save_employment({"household_id": hid, "member_id": self.ids[name], "start_month": "2025-01",
                                    "channel": "self_migrant", **fields}, today=TODAY)

    def visit(self, key: str, rows: dict[str, dict]) -> None:
        self.store.save_visit({"household_id": self.households[key], "month": "2026-11", "visit_date": "2026-11-05",
                               "method": "home"}, [{"member_id": self.ids[n], **row} for n, row in rows.items()],
                              today=TODAY)

    def figure(self, name: str) -> tuple[int, int]:
        f = self.store.indicators(TODAY).figures()[name]
        return f.numerator, f.denominator

    def behind(self, key: str) -> set[str]:
        ids = set(self.store.households_behind(key, TODAY))
        return {k for k, hid in self.households.items() if hid in ids}


@pytest.fixture
def village(store, places):
    return Village(store)


AWAY = {"residence": "working_away"}


# -- 留守儿童 -----------------------------------------------------------------------------------
def test_a_child_whose_parents_both_work_away_is_left_behind_until_the_mother_comes_home(village):
    village.add("A", person("王大山", "head", "1985-03-01", "1", **AWAY),
                person("李小花", "spouse", "1987-05-01", "2", **AWAY),
                person("王小虎", "son", "2016-06-01", "1", school_status="primary"))
    assert village.figure("left_behind_children") == (1, 1)
    assert village.behind("left_behind_children") == {"A"}
    village.change("李小花", residence="at_site")
    assert village.figure("left_behind_children") == (0, 1)
    assert village.behind("left_behind_children") == set()


def test_a_child_whose_only_parent_is_away_is_left_behind(village):
    village.add("A", person("张秀梅", "head", "1988-01-01", "2", marital_status="widowed", **AWAY),
                person("张小雨", "daughter", "2018-02-01", "2"))
    assert village.figure("left_behind_children") == (1, 1)


def test_a_child_of_sixteen_or_living_away_is_not_left_behind(village):
    village.add("A", person("王大山", "head", "1985-03-01", "1", **AWAY),
                person("李小花", "spouse", "1987-05-01", "2", **AWAY),
                person("王小虎", "son", "2010-11-01", "1"),  # sixteen this month
                person("王小龙", "son", "2012-01-01", "1", residence="studying_away"))
    assert village.figure("left_behind_children") == (0, 1)
    village.change("王小虎", birth_date="2010-12-01")  # fifteen until next month
    assert village.figure("left_behind_children") == (1, 2)


def test_a_grandchild_is_left_behind_only_when_every_parent_of_the_household_is_away(village):
    village.add("A", person("王老汉", "head", "1955-01-01", "1", marital_status="married"),
                person("刘老太", "spouse", "1957-01-01", "2", marital_status="married"),
                person("王二娃", "son", "1985-01-01", "1", **AWAY),
                person("陈二嫂", "daughter_in_law", "1986-01-01", "2"),
                person("王小宝", "grandchild", "2017-01-01", "1"))
    assert village.figure("left_behind_children") == (0, 1)
    village.change("陈二嫂", residence="working_away")
    assert village.figure("left_behind_children") == (1, 1)


# -- 留守老人 -----------------------------------------------------------------------------------
def test_an_old_man_whose_children_are_all_away_is_left_behind_from_sixty(village):
    village.add("A", person("赵老根", "head", "1966-12-01", "1", marital_status="widowed"),  # 59 this month
                person("赵大强", "son", "1990-01-01", "1", **AWAY),
                person("赵二妹", "daughter", "1993-01-01", "2", **AWAY))
    assert village.figure("left_behind_elderly") == (0, 0)
    village.change("赵老根", birth_date="1966-11-01")
    assert village.figure("left_behind_elderly") == (1, 1)
    assert village.behind("left_behind_elderly") == {"A"}
    village.change("赵二妹", residence="at_site")
    assert village.figure("left_behind_elderly") == (0, 1)


def test_an_old_couple_without_children_in_the_household_is_not_left_behind(village):
    village.add("A", person("钱老伯", "head", "1950-01-01", "1", marital_status="married"),
                person("孙老妈", "spouse", "1952-01-01", "2", marital_status="married"))
    assert village.figure("left_behind_elderly") == (0, 2)


def test_a_grandchild_at_the_site_does_not_look_after_an_old_member(village):
    village.add("A", person("周老太", "parent", "1950-01-01", "2", marital_status="widowed"),
                person("周建华", "head", "1980-01-01", "1", **AWAY),
                person("吴丽", "spouse", "1982-01-01", "2", **AWAY),
                person("周小丽", "daughter", "2015-01-01", "2"))
    assert village.figure("left_behind_elderly") == (1, 1)
    village.change("吴丽", residence="at_site")  # the daughter-in-law looks after her
    assert village.figure("left_behind_elderly") == (0, 1)


# -- 留守妇女 -----------------------------------------------------------------------------------
def test_a_married_woman_whose_husband_works_away_is_left_behind(village):
    village.add("A", person("郑国强", "head", "1984-01-01", "1", marital_status="married", **AWAY),
                person("冯丽娟", "spouse", "1986-01-01", "2", marital_status="married"))
    assert village.figure("left_behind_women") == (1, 1)
    assert village.behind("left_behind_women") == {"A"}
    village.change("郑国强", residence="at_site")
    assert village.figure("left_behind_women") == (0, 1)


def test_a_woman_away_herself_or_past_working_age_is_not_left_behind(village):
    village.add("A", person("郑国强", "head", "1984-01-01", "1", marital_status="married", **AWAY),
                person("冯丽娟", "spouse", "1986-01-01", "2", marital_status="married", residence="other"))
    assert village.figure("left_behind_women") == (0, 1)
    village.change("冯丽娟", residence="at_site", birth_date="1966-01-01")  # sixty
    assert village.figure("left_behind_women") == (0, 0)


def test_a_daughter_in_law_is_left_behind_when_the_son_is_away(village):
    village.add("A", person("王老汉", "head", "1955-01-01", "1", marital_status="married"),
                person("王二娃", "son", "1985-01-01", "1", marital_status="married", **AWAY),
                person("陈二嫂", "daughter_in_law", "1986-01-01", "2", marital_status="married"))
    assert village.figure("left_behind_women") == (1, 1)


# -- 鳏寡孤独残 ----------------------------------------------------------------------------------
def test_a_widow_is_in_the_hardship_group_from_sixty_not_fifty_eight(village):
    village.add("A", person("何桂英", "head", "1968-06-01", "2", marital_status="widowed"))  # 58
    assert village.figure("special_hardship") == (0, 1)
    village.change("何桂英", birth_date="1966-06-01")  # 60
    assert village.figure("special_hardship") == (1, 1)
    assert village.store.indicators(TODAY).distributions["special_hardship_kind"]["widow"] == 1
    assert village.behind("special_hardship_kind:widow") == {"A"} == village.behind("special_hardship")


def test_a_widower_of_sixty_and_a_married_man_of_seventy(village):
    village.add("A", person("罗老汉", "head", "1966-11-01", "1", marital_status="widowed"))
    village.add("B", person("罗大伯", "head", "1956-11-01", "1", marital_status="married"),
                person("罗大妈", "spouse", "1958-11-01", "2", marital_status="married"))
    kinds = village.store.indicators(TODAY).distributions["special_hardship_kind"]
    assert kinds == {"widower": 1, "widow": 0, "orphan": 0, "alone": 0, "disabled": 0}
    assert village.behind("special_hardship_kind:widower") == {"A"}


def test_a_child_with_no_parent_in_the_household_is_an_orphan_until_a_parent_is(village):
    village.add("A", person("马大哥", "head", "2004-01-01", "1"), person("马小妹", "sibling", "2012-01-01", "2"))
    assert village.store.indicators(TODAY).distributions["special_hardship_kind"]["orphan"] == 1
    assert village.behind("special_hardship_kind:orphan") == {"A"}
    village.change("马小妹", birth_date="2008-10-01")  # eighteen
    assert village.figure("special_hardship") == (0, 2)
    village.add("B", person("马二哥", "head", "2004-01-01", "1"), person("马小弟", "sibling", "2012-01-01", "1"),
                person("马老爹", "parent", "1975-01-01", "1", residence="in_prison"))
    assert village.figure("special_hardship") == (0, 5)


def test_an_old_person_living_alone_without_children_in_the_household(village):
    village.add("A", person("秦老太", "head", "1950-01-01", "2", marital_status="divorced", lives_alone=True))
    assert village.behind("special_hardship_kind:alone") == {"A"}
    village.add("B", person("秦老伯", "head", "1950-01-01", "1", marital_status="divorced", lives_alone=True),
                person("秦大郎", "son", "1980-01-01", "1", **AWAY))
    assert village.behind("special_hardship_kind:alone") == {"A"}
    assert village.behind("left_behind_elderly") == {"B"}


def test_a_disability_of_any_category_and_a_member_counted_once_for_two_kinds(village):
    village.add("A", person("韩老汉", "head", "1950-01-01", "1", marital_status="widowed",
                            disability_category="physical", disability_level="3"),
                person("韩小军", "son", "1990-01-01", "1"))
    kinds = village.store.indicators(TODAY).distributions["special_hardship_kind"]
    assert (kinds["widower"], kinds["disabled"]) == (1, 1)
    assert village.figure("special_hardship") == (1, 2)
    village.change("韩小军", disability_category="visual", disability_level="4")
    assert village.figure("special_hardship") == (2, 2)


# -- 辍学 -----------------------------------------------------------------------------------
def test_a_child_of_compulsory_school_age_out_of_school(village):
    village.add("A", person("刘建", "head", "1985-01-01", "1"),
                person("刘小一", "son", "2014-01-01", "1", school_status="dropped_out"),
                person("刘小二", "son", "2016-01-01", "1", school_status="primary"),
                person("刘小三", "son", "2021-01-01", "1", school_status="preschool"))  # five
    assert village.figure("school_dropouts") == (1, 2)
    assert village.behind("school_dropouts") == {"A"}
    village.change("刘小一", school_status="junior")
    assert village.figure("school_dropouts") == (0, 2)
    assert village.behind("school_dropouts") == set()


def test_a_fifteen_year_old_out_of_school_is_a_dropout_unless_junior_school_is_finished(village):
    village.add("A", person("刘建", "head", "1985-01-01", "1"),
                person("刘小一", "son", "2011-06-01", "1", school_status="not_in_school", education="primary"))
    assert village.figure("school_dropouts") == (1, 1)
    village.change("刘小一", education="junior")
    assert village.figure("school_dropouts") == (0, 1)
    village.change("刘小一", education="primary", birth_date="2010-06-01")  # sixteen: past compulsory age
    assert village.figure("school_dropouts") == (0, 0)


# -- 返乡劳动力 -------------------------------------------------------------------------------
def test_returned_workers_of_the_last_twelve_months_and_those_at_work(village):
    village.add("A", person("陈返乡", "head", "1990-01-01", "1", returned_worker=True, returned_month="2025-12"),
                person("陈早归", "spouse", "1991-01-01", "2", returned_worker=True, returned_month="2025-11"))
    assert village.figure("returned_workers_employed") == (0, 1)  # a return of thirteen months ago is not followed
    assert village.behind("returned_workers") == {"A"} and village.behind("returned_workers_employed") == set()
    village.job("陈返乡", scope="in_county", start_month="2026-03")
    assert village.figure("returned_workers_employed") == (1, 1)
    assert village.behind("returned_workers_employed") == {"A"}
    village.visit("A", {"陈返乡": {"employment_status": "unemployed"}})
    assert village.figure("returned_workers_employed") == (0, 1)


# -- 就业去向 and 行业分布 ------------------------------------------------------------------------
def _labour(name: str, relation: str, born: str, sex: str) -> dict:
    return person(name, relation, born, sex, labour_skill="ordinary", job_need="local")


def test_where_and_in_what_trade_the_employed_work(village):
    village.add("A", _labour("杨一", "head", "1980-01-01", "1"), _labour("杨二", "spouse", "1982-01-01", "2"),
                _labour("杨三", "son", "2000-01-01", "1"), _labour("杨四", "daughter", "2002-01-01", "2"),
                _labour("杨五", "sibling", "1985-01-01", "1"))
    village.job("杨一", scope="in_county", place_code=COUNTY, sector="E")
    village.job("杨二", place_code="520102", sector="H")  # 贵阳市南明区: another county of the province
    village.job("杨三", scope="out_province", sector="C")  # no place code: the scope says
    village.job("杨四", scope="in_province", place_code="522600")  # the prefecture: the scope decides
    village.job("杨五")  # neither place nor scope
    ind = village.store.indicators(TODAY)
    assert ind.distributions["employment_place"] == {"in_county": 1, "in_province": 2, "out_province": 1,
                                                     "abroad": 0, "": 1}
    assert {k: n for k, n in ind.distributions["employment_sector"].items() if n} == {"E": 1, "H": 1, "C": 1, "": 2}
    assert village.figure("employed_members") == (5, 5)
    assert set(ind.distributions["employment_place"]) == set(PLACE_GROUPS)
    assert set(ind.distributions["employment_sector"]) == set(SECTORS)


def test_this_months_visit_wins_over_the_job_for_place_and_sector(village):
    village.add("A", _labour("杨一", "head", "1980-01-01", "1"), _labour("杨二", "spouse", "1982-01-01", "2"))
    village.job("杨一", scope="in_county", place_code=COUNTY, sector="E")
    village.job("杨二", scope="in_county", place_code=COUNTY, sector="C")
    village.visit("A", {"杨一": {"employment_status": "employed", "place_code": "440300", "sector": "G"},  # 深圳市
                        "杨二": {"employment_status": "unemployed"}})
    ind = village.store.indicators(TODAY)
    assert ind.distributions["employment_place"]["out_province"] == 1
    assert ind.distributions["employment_place"]["in_county"] == 0
    sectors = {k: n for k, n in ind.distributions["employment_sector"].items() if n}
    assert sectors == {"G": 1}  # the visit saying unemployed takes 杨二 out of the sectors
    assert village.figure("employed_members") == (1, 2)
    assert village.behind("employment_sector:G") == {"A"} and village.behind("employment_sector:C") == set()
    assert village.behind("employment_place:out_province") == {"A"}


def test_a_visit_saying_employed_without_a_place_keeps_the_jobs(village):
    village.add("A", _labour("杨一", "head", "1980-01-01", "1"))
    village.job("杨一", scope="out_province", place_code="440300", sector="C")
    village.visit("A", {"杨一": {"employment_status": "employed"}})
    ind = village.store.indicators(TODAY)
    assert ind.distributions["employment_place"]["out_province"] == 1
    assert ind.distributions["employment_sector"]["C"] == 1


def test_a_household_of_another_county_places_its_work_by_its_own_county(village, store):
    store.bulk_load({"settlement": [{"id": "s9", "code": "S9", "name": "丹寨安置点", "area_code": "522636001001",
                                     "mode": None, "address": None}]}, reason="test reference data")
    village.add("A", _labour("杨一", "head", "1980-01-01", "1"), settlement="s9", grid=None)
    village.job("杨一", place_code=COUNTY)  # 凯里市: another county of the province
    assert village.store.indicators(TODAY).distributions["employment_place"]["in_province"] == 1
    assert village.behind("employment_place:in_province") == {"A"}


def test_a_member_not_of_working_age_is_not_counted_among_the_employed(village):
    village.add("A", _labour("杨一", "head", "1960-01-01", "1"))  # sixty-six
    village.job("杨一", scope="in_county", place_code=COUNTY, sector="A")
    assert village.figure("employed_members") == (0, 0)
    assert sum(village.store.indicators(TODAY).distributions["employment_place"].values()) == 0


# -- the drill-down and the sums ------------------------------------------------------------
def test_each_figure_lists_exactly_the_households_with_a_member_it_counts(village):
    village.add("A", person("王大山", "head", "1985-03-01", "1", marital_status="married", **AWAY),
                person("李小花", "spouse", "1987-05-01", "2", marital_status="married", **AWAY),
                person("王小虎", "son", "2016-06-01", "1", school_status="dropped_out"))
    village.add("B", person("何桂英", "head", "1960-06-01", "2", marital_status="widowed"), grid="g2")
    village.add("C", _labour("杨一", "head", "1980-01-01", "1"), grid="g3", settlement="s2")
    village.job("杨一", scope="in_county", place_code=COUNTY, sector="E")
    expected = {"left_behind_children": {"A"}, "school_dropouts": {"A"}, "special_hardship": {"B"},
                "left_behind_elderly": set(), "left_behind_women": set(), "employed_members": {"C"},
                "employment_place:in_county": {"C"}, "employment_sector:E": {"C"}, "employment_sector:": set()}
    for key, households in expected.items():
        assert village.behind(key) == households, key


def test_the_county_figures_are_the_sums_of_the_grids(village):
    village.add("A", person("王大山", "head", "1985-03-01", "1", **AWAY),
                person("王小虎", "son", "2016-06-01", "1", school_status="dropped_out"))
    village.add("B", person("何桂英", "head", "1960-06-01", "2", marital_status="widowed", lives_alone=True),
                grid="g2")
    village.add("C", _labour("杨一", "head", "1980-01-01", "1"), _labour("杨二", "spouse", "1982-01-01", "2"),
                grid="g3", settlement="s2")
    village.add("D", _labour("杨三", "head", "1980-01-01", "1"), grid=None, settlement=None)
    village.job("杨一", scope="in_county", place_code=COUNTY, sector="E")
    village.job("杨三", scope="out_province", sector="C")
    report = village.store.indicator_report(TODAY)
    assert len(report.by_grid) == 4
    names = ("employed_members", "returned_workers_employed", "school_dropouts", "left_behind_children",
             "left_behind_elderly", "left_behind_women", "special_hardship")
    for name in names:
        total = report.total.figures()[name]
        assert total.numerator == sum(g.figures()[name].numerator for g in report.by_grid.values()), name
        assert total.denominator == sum(g.figures()[name].denominator for g in report.by_grid.values()), name
    for name, codes in report.total.distributions.items():
        for code, n in codes.items():
            assert n == sum(g.distributions[name][code] for g in report.by_grid.values()), (name, code)
    assert report.total.figures()["employed_members"].numerator == 2
    assert report.by_settlement["s1"].figures()["left_behind_children"].numerator == 1
