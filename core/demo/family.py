"""Who lives together, and how old they are: a household that could be a real family.

The head, maybe a spouse and one of the head's parents, then the couple's children, maybe one
married child with their spouse and children, and when no more children fit, the head's brothers
and sisters. Ages follow biology and law: a mother is 18-44 at a birth (mostly 20-38), a father
20-54 (mostly 22-45); brothers and sisters are born at least 15 months apart unless twins (same
birth date, about one further birth in fifty); a wife is at least 20 and a husband 22 (the legal
ages of marriage), the husband mostly older by up to five years; the head's parent is 20-38 years
older than the head.

Ages are years as floats on the day the data are made as of (people.member_row turns them into
birth dates, so equal ages are equal dates).
"""
from __future__ import annotations

from dataclasses import dataclass
from random import Random

MIN_AGE = 0.35  # the youngest member is about four months old: present in every visit month
GAP = 1.25  # years between the births of brothers and sisters, unless twins
TWINS = 0.02  # a further child is the twin of the one born before this often
# (preferred youngest, preferred oldest, youngest, oldest) age at a child's birth
MOTHER = (20.0, 38.0, 18.0, 44.0)
FATHER = (22.0, 45.0, 20.0, 54.0)
WIFE_MIN, HUSBAND_MIN = 20.1, 22.1  # past the birthday (ages become dates in whole days)
PARENT_GAP = {False: (20.0, 35.0), True: (22.0, 38.0)}  # how much older the head's mother, father is
OLDEST = 95.0
ADULT_CHILD = 24.0  # the youngest a married child living with the household is
YOUNG_FAMILY = 0.7  # a household with room and a grown child has a married child living with it this often
IN_LAWS = ("daughter_in_law", "son_in_law")
ORDER = ("son", "daughter", "daughter_in_law", "son_in_law", "grandchild")

Window = tuple[float, float]


@dataclass(slots=True)
class Person:
    """A member before it becomes a row: relation, sex, age in years, and whose surname it carries."""

    relation: str
    male: bool
    age: float
    family: str = ""
    ethnicity: str = ""
    kin: Person | None = None  # of a child-in-law or a grandchild: the head's son or daughter they belong to


def compose(rng: Random, size: int) -> list[Person]:
    """Members of a household of `size`: head, maybe a spouse and a parent, then children and grandchildren."""
    head = _head(rng, size)
    people = [head]
    if size > 1 and rng.random() < 0.86:
        people.append(Person("spouse", not head.male, married_age(rng, head)))
    if len(people) < size and head.age < 56 and rng.random() < (0.25 if len(people) > 1 else 0.5):
        parent = _parent(rng, head)
        if parent is not None:
            people.append(parent)
    _add_descendants(rng, people, size)
    return people


def _head(rng: Random, size: int) -> Person:
    if size == 1:
        age = 60 + rng.random() * 26 if rng.random() < 0.7 else 28 + rng.random() * 32
        return Person("head", rng.random() < 0.6, age)
    age = rng.triangular(24, 80, 46)
    if size >= 5 and age < 34:
        age += 10
    return Person("head", rng.random() < 0.84, age)


def married_age(rng: Random, partner: Person) -> float:
    """The age of `partner`'s husband or wife: mostly older (a husband) by up to five years."""
    gap = rng.random() * 6 - 1  # how much older the husband is
    if partner.male:
        return max(WIFE_MIN, partner.age - gap)
    return max(HUSBAND_MIN, partner.age + gap)


def _parent(rng: Random, head: Person) -> Person | None:
    male = rng.random() < 0.35
    low, high = PARENT_GAP[male]
    high = min(high, OLDEST - head.age)
    if high < low:
        return None
    return Person("parent", male, head.age + low + rng.random() * (high - low))


def windows(mother: float | None, father: float | None) -> tuple[Window, Window]:
    """(preferred, allowed) ages now of a child of a mother and a father of these ages (None: not known)."""
    out = []
    for k in (0, 2):
        low, high = MIN_AGE, OLDEST
        for age, limits in ((mother, MOTHER), (father, FATHER)):
            if age is not None:
                low, high = max(low, age - limits[k + 1]), min(high, age - limits[k])
        out.append((low, high))
    return out[0], out[1]


def births(rng: Random, count: int, ranges: tuple[Window, Window], siblings: list[float],
           youngest: float = MIN_AGE) -> list[float]:
    """Ages of up to `count` more children, each `GAP` from `siblings` and the others or a twin of the one before.

    Fewer when no more fit in the ranges (preferred first, then allowed).
    """
    ages: list[float] = []
    for _ in range(count):
        taken = siblings + ages
        age = taken[-1] if taken and rng.random() < TWINS else _one_birth(rng, ranges, taken, youngest)
        if age is None:
            break
        ages.append(age)
    return ages


def _one_birth(rng: Random, ranges: tuple[Window, Window], taken: list[float], youngest: float) -> float | None:
    for low, high in ranges:
        low = max(low, youngest)
        if high < low:
            continue
        for _ in range(12):
            age = low + rng.random() * (high - low)
            if all(abs(age - t) >= GAP for t in taken):
                return age
    return None


def _parents(a: Person, b: Person | None) -> tuple[float | None, float | None]:
    """(mother's age, father's age) of the children of `a` and `b` (None when not in the household)."""
    if b is None:
        return (None, a.age) if a.male else (a.age, None)
    return (b.age, a.age) if a.male else (a.age, b.age)


def _child(rng: Random, age: float) -> Person:
    male = rng.random() < 0.52
    return Person("son" if male else "daughter", male, age)


def _add_descendants(rng: Random, people: list[Person], size: int) -> None:
    head = people[0]
    spouse = next((p for p in people if p.relation == "spouse"), None)
    ranges = windows(*_parents(head, spouse))
    room = size - len(people)
    children: list[Person] = []
    young: list[Person] = []
    if room >= 3 and rng.random() < YOUNG_FAMILY:
        grown = births(rng, 1, ranges, [], ADULT_CHILD)
        if grown:
            children.append(_child(rng, grown[0]))
            young = _young_family(rng, children[0], room - 1)
    ages = births(rng, room - len(children) - len(young), ranges, [c.age for c in children])
    children += [_child(rng, age) for age in ages]
    children += young
    children.sort(key=lambda p: (ORDER.index(p.relation), -p.age))
    people.extend(children)
    people.extend(_siblings(rng, people, size - len(people)))


def _young_family(rng: Random, child: Person, room: int) -> list[Person]:
    """A grown child's spouse (儿媳, sometimes 女婿) and one or two of their children."""
    in_law = Person(IN_LAWS[0] if child.male else IN_LAWS[1], not child.male, married_age(rng, child), kin=child)
    ranges = windows(*_parents(child, in_law))
    wanted = min(room - 1, 1 + int(rng.random() * 2))
    return [in_law] + [Person("grandchild", rng.random() < 0.5, age, kin=child)
                       for age in births(rng, wanted, ranges, [])]


def _siblings(rng: Random, people: list[Person], count: int) -> list[Person]:
    """The head's grown brothers and sisters (children of the head's parent, if they live here), for the
    places no child fits; anyone else (其他) when no sibling fits either."""
    if count <= 0:
        return []
    head = people[0]
    parent = next((p for p in people if p.relation == "parent"), None)
    if parent is not None:
        ranges = windows(*_parents(parent, None))
    else:
        ranges = ((head.age - 8, head.age + 8), (head.age - 14, head.age + 14))
    ages = births(rng, count, ranges, [head.age], youngest=16.0)
    out = [Person("sibling", rng.random() < 0.5, age) for age in ages]
    return out + [Person("other", rng.random() < 0.5, 18 + rng.random() * 50) for _ in range(count - len(ages))]
