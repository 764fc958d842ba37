"""Reference data for a demo county: the area tree, resettlement sites (安置点) and their grids (网格)."""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime
from random import Random

from core.demo import vocab
from core.demo.names import Weighted, full_name, surname
from core.demo.rows import BOOK, new_id

HOUSEHOLDS_PER_GRID = 180
MAX_GRIDS_PER_SETTLEMENT = 150
UNITS = 4  # 单元 per building
URBAN_FLOORS = Weighted([(6, 2), (7, 1), (9, 1), (11, 3), (12, 1), (15, 1), (17, 1), (18, 3)])
HIGH_RISE_FLOORS = Weighted([(11, 2), (15, 1), (17, 1), (18, 3)])  # a big town site builds high
HIGH_RISE_HOUSEHOLDS = 3000
RURAL_FLOORS = Weighted([(5, 1), (6, 3)])


@dataclass
class GridInfo:
    id: str
    code: str
    village_code: str
    worker: str  # the grid worker (网格员) who visits its households


@dataclass
class SettlementInfo:
    id: str
    code: str
    name: str
    mode: str
    area: str  # resettlement_area code: urban or rural
    floors: int  # every building: UNITS units of `floors` floors with `per_floor` flats a floor
    per_floor: int
    buildings: int = 0
    grids: list[GridInfo] = field(default_factory=list)
    # flat numbers not yet handed out, shuffled; taken from the end (see take_flat)
    free: list[int] = field(default_factory=list, repr=False)

    @property
    def per_building(self) -> int:
        return UNITS * self.floors * self.per_floor

    def add_buildings(self, rng: Random, count: int) -> None:
        """`count` more buildings, their flats handed out after those of the buildings already there."""
        first = self.buildings * self.per_building
        flats = list(range(first, first + count * self.per_building))
        rng.shuffle(flats)
        self.free[:0] = flats
        self.buildings += count

    def take_flat(self, rng: Random) -> tuple[str, str, str]:
        """(building, unit, room) of a flat no household has yet, such as ("3", "2", "1802").

        Flats are handed out without replacement in a shuffled order, so a site is filled unevenly
        but never twice; when all are taken a new building goes up.
        """
        if not self.free:
            self.add_buildings(rng, 1)
        building, rest = divmod(self.free.pop(), self.per_building)
        unit, rest = divmod(rest, self.floors * self.per_floor)
        floor, room = divmod(rest, self.per_floor)
        return str(building + 1), str(unit + 1), f"{floor + 1}{room + 1:02d}"


@dataclass
class Reference:
    """What households are generated against; `rows` holds the area, settlement and grid rows to load.

    `used_ids` collects every resident ID number handed out, and each settlement's `free` list the
    flats not yet handed out, so numbers and flats stay unique across the chunks of one data set;
    generate_households takes from them.
    """

    rows: dict[str, list[dict]]
    county_code: str
    settlements: list[SettlementInfo]
    settlement_weights: Weighted[int]
    origin_townships: list[str]
    cadres: list[str]
    id_base: int  # household number 0's id prefix (rows.id_prefix)
    used_ids: set[str] = field(default_factory=set)


def _area(rng: Random, stamp: datetime, code: str, name: str, level: str, parent: str | None) -> dict:
    return {"id": new_id(rng), "created_at": stamp, "updated_at": stamp, **BOOK,
            "code": code, "name": name, "level": level, "parent_code": parent}


def _area_tree(rng: Random, stamp: datetime) -> tuple[list[dict], list[tuple[str, str]], list[str]]:
    """Province, city, county, townships and villages; returns (rows, new communities, origin township codes)."""
    county = vocab.COUNTY[0]
    rows = [_area(rng, stamp, *vocab.PROVINCE, "province", None),
            _area(rng, stamp, *vocab.CITY, "city", vocab.PROVINCE[0]),
            _area(rng, stamp, *vocab.COUNTY, "county", vocab.CITY[0])]
    communities: list[tuple[str, str]] = []
    names = list(vocab.COMMUNITY_NAMES)
    rng.shuffle(names)
    for suffix, town in vocab.HOST_TOWNSHIPS:
        code = county + suffix
        rows.append(_area(rng, stamp, code, town, "township", county))
        for k in range(1, 3):
            community = (f"{code}{k:03d}", names.pop() + "社区")
            communities.append(community)
            rows.append(_area(rng, stamp, *community, "village", code))
    origins = []
    for suffix, town in vocab.ORIGIN_TOWNSHIPS:
        code = county + suffix
        origins.append(code)
        rows.append(_area(rng, stamp, code, town, "township", county))
        villages = list(vocab.VILLAGE_NAMES)
        rng.shuffle(villages)
        for k in range(1, 4 + int(rng.random() * 5)):
            rows.append(_area(rng, stamp, f"{code}{199 + k:03d}", villages[k] + "村", "village", code))
    return rows, communities, origins


def _settlement(rng: Random, stamp: datetime, index: int, community: tuple[str, str], urban: bool) -> dict:
    base = community[1].removesuffix("社区")
    name = base + vocab.SETTLEMENT_SUFFIX[index % len(vocab.SETTLEMENT_SUFFIX)]
    street = f"{base}路{1 + int(rng.random() * 200)}号" if urban else name
    return {"id": new_id(rng), "created_at": stamp, "updated_at": stamp, **BOOK,
            "code": f"AZD{community[0]}", "name": name, "area_code": community[0], "mode": "centralised",
            "address": vocab.COUNTY[1] + street}


def _grids(rng: Random, stamp: datetime, settlement: dict, count: int, community: tuple[str, str]) -> list[dict]:
    return [{"id": new_id(rng), "created_at": stamp, "updated_at": stamp, **BOOK,
             "code": f"{community[0]}-{g:03d}", "name": f"{community[1]}第{g}网格",
             "settlement_id": settlement["id"], "village_code": community[0]} for g in range(1, count + 1)]


def generate_reference(rng: Random, as_of: date | None = None, households: int = 0) -> Reference:
    """The county's area tree, 3-6 resettlement sites and their grids (about one grid per 180 households).

    Each site has enough buildings for its expected share of `households` with 5-20% of the flats
    left empty (more go up if a site draws more households than expected).
    """
    when = as_of or date(2024, 1, 1)
    stamp = datetime(when.year - 3, 1, 5, 9)
    areas, communities, origins = _area_tree(rng, stamp)
    count = 3 + int(rng.random() * 4)
    weights = [0.5 + rng.random() for _ in range(count)]
    settlements, settlement_rows, grid_rows = [], [], []
    for i in range(count):
        community = communities[i]
        urban = i < count - 1 or rng.random() < 0.5
        s_row = _settlement(rng, stamp, i, community, urban)
        share = households * weights[i] / sum(weights)
        n_grids = max(3, min(MAX_GRIDS_PER_SETTLEMENT, round(share / HOUSEHOLDS_PER_GRID)))
        g_rows = _grids(rng, stamp, s_row, n_grids, community)
        heights = RURAL_FLOORS if not urban else HIGH_RISE_FLOORS if share >= HIGH_RISE_HOUSEHOLDS else URBAN_FLOORS
        floors = heights.pick(rng)
        info = SettlementInfo(s_row["id"], s_row["code"], s_row["name"], "centralised", "urban" if urban else "rural",
                              floors=floors, per_floor=2 + int(rng.random() * 3))
        occupancy = 0.8 + rng.random() * 0.15  # the share of flats taken once every household has moved in
        info.add_buildings(rng, max(1, math.ceil(share / occupancy / info.per_building)))
        info.grids = [GridInfo(g["id"], g["code"], g["village_code"], _person(rng)) for g in g_rows]
        settlements.append(info)
        settlement_rows.append(s_row)
        grid_rows.extend(g_rows)
    cadres = [_person(rng) for _ in range(40)]
    return Reference(rows={"area": areas, "settlement": settlement_rows, "grid": grid_rows},
                     county_code=vocab.COUNTY[0], settlements=settlements,
                     settlement_weights=Weighted(list(enumerate(weights))),
                     origin_townships=origins, cadres=cadres, id_base=rng.getrandbits(31))


def _person(rng: Random) -> str:
    male = rng.random() < 0.5
    return full_name(rng, surname(rng), male, 1970 + int(rng.random() * 30))
