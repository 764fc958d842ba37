"""The people of a household: their surnames and ethnicity, ID numbers, schooling and work ability.

Who lives together, and their ages, is core.demo.family.
"""
from __future__ import annotations

from datetime import date
from random import Random

from core.demo import vocab
from core.demo.family import IN_LAWS, Person
from core.demo.names import Weighted, surname, weighted_text
from core.idcard import CHECK_CHARACTERS, WEIGHTS

SIZES = Weighted([(1, 7), (2, 13), (3, 19), (4, 25), (5, 19), (6, 11), (7, 6)])
LABOUR = ("skilled", "ordinary", "weak")
IN_SCHOOL = ("primary", "junior", "senior", "vocational", "higher_vocational", "university")
DISABILITY = weighted_text("physical:40 visual:12 hearing:12 speech:4 intellectual:12 mental:12 multiple:8")
DISABILITY_LEVEL = weighted_text("1:10 2:20 3:30 4:40")
JOB_NEED_IDLE = weighted_text("local:40 outside:30 public_post:20 startup:5 none:5")
MARRIED_OTHER_ETHNICITY = 0.2  # a spouse or child-in-law draws an ethnicity of their own this often
FATHERS_ETHNICITY = 0.6  # a child of parents of two ethnicities takes the father's this often


def assign_families(rng: Random, people: list[Person]) -> None:
    """Surnames and ethnicity.

    The head, spouses and children-in-law have their own (a spouse mostly shares the ethnicity of
    the one they married); children and grandchildren take their father's surname (mostly) and
    their father's or their mother's ethnicity; the head's parent and siblings share the head's.
    """
    head = people[0]
    head.family, head.ethnicity = surname(rng), vocab.ETHNICITIES.pick(rng)
    spouse = next((p for p in people if p.relation == "spouse"), None)
    absent_father = surname(rng) if not head.male and spouse is None else None  # a single mother's children
    married = {id(p.kin): p for p in people if p.relation in IN_LAWS}  # son or daughter -> their spouse
    for p in people[1:]:  # spouse, parent, sons, daughters, children-in-law, grandchildren, siblings
        if p.relation == "spouse":
            p.family, p.ethnicity = surname(rng), _married_ethnicity(rng, head)
        elif p.relation in IN_LAWS:
            p.family, p.ethnicity = surname(rng), _married_ethnicity(rng, p.kin or head)
        elif p.relation in ("son", "daughter"):
            _descend(rng, p, head, spouse, absent_father)
        elif p.relation == "grandchild":
            _descend(rng, p, p.kin or head, married.get(id(p.kin)), None)
        else:  # the head's parent or sibling (or another relative)
            p.ethnicity = head.ethnicity
            p.family = head.family if p.male or rng.random() < 0.5 else surname(rng)


def _married_ethnicity(rng: Random, partner: Person) -> str:
    return vocab.ETHNICITIES.pick(rng) if rng.random() < MARRIED_OTHER_ETHNICITY else partner.ethnicity


def _descend(rng: Random, child: Person, parent: Person, other: Person | None, absent_father: str | None) -> None:
    """A child of `parent` and `other` (None when not in the household)."""
    father, mother = (parent, other) if parent.male else (other, parent)
    father_family = father.family if father else absent_father or parent.family
    child.family = father_family if rng.random() < 0.93 else (mother or parent).family
    if other is None or other.ethnicity == parent.ethnicity:
        child.ethnicity = parent.ethnicity
    elif rng.random() < FATHERS_ETHNICITY:
        child.ethnicity = (parent if parent.male else other).ethnicity
    else:
        child.ethnicity = (other if parent.male else parent).ethnicity


def _weighted_digits(text: str, first: int) -> int:
    return sum(int(c) * w for c, w in zip(text, WEIGHTS[first:first + len(text)]))


_SEQ_SUMS = [_weighted_digits(f"{s:03d}", 14) for s in range(1000)]
_MONTH_SUMS = [_weighted_digits(f"{m:02d}", 10) for m in range(13)]
_DAY_SUMS = [_weighted_digits(f"{d:02d}", 12) for d in range(32)]


class IdNumbers:
    """Valid 18-character resident ID numbers, unique across a data set (`used` is shared by its chunks).

    The sequence digits start from the household number (index % 100), so numbers seldom meet;
    when one is taken the next free one of the same sex is used.
    """

    def __init__(self, county: str, used: set[str]):
        self.county = county
        self.used = used
        self._sums: dict[str | int, int] = {}  # weighted digit sums of area codes and birth years

    def make(self, rng: Random, birth: date, male: bool, index: int) -> str:
        area = self.county if rng.random() < 0.93 else vocab.pick(rng, vocab.NEIGHBOUR_COUNTY_CODES)
        head = f"{area}{birth.year:04d}{birth.month:02d}{birth.day:02d}"
        partial = self._sum(area, 0) + self._sum(birth.year, 6) + _MONTH_SUMS[birth.month] + _DAY_SUMS[birth.day]
        seq = (index % 100) * 10 + 2 * int(rng.random() * 5) + (1 if male else 0)
        for _ in range(500):
            number = f"{head}{seq:03d}{CHECK_CHARACTERS[(partial + _SEQ_SUMS[seq]) % 11]}"
            if number not in self.used:
                self.used.add(number)
                return number
            seq = (seq + 2) % 1000
        raise RuntimeError(f"all 500 sequence numbers of {head} are taken")

    def _sum(self, key: str | int, first: int) -> int:
        total = self._sums.get(key)
        if total is None:
            total = self._sums[key] = _weighted_digits(key if isinstance(key, str) else f"{key:04d}", first)
        return total


def age_on(birth: date, today: date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def schooling(rng: Random, age: int) -> tuple[str, str | None]:
    """(education, school_status) for an age: school-age children are in school, adults have a level."""
    if age < 3:
        return "preschool", None
    if age < 6:
        return "preschool", "preschool"
    if age < 12:
        return "primary", "primary"
    if age < 15:
        return "junior", "junior" if rng.random() < 0.99 else "dropped_out"
    if age < 18:
        r = rng.random()
        if r < 0.55:
            return "senior", "senior"
        return ("vocational", "vocational") if r < 0.9 else ("junior", "not_in_school")
    if age < 23 and rng.random() < 0.3:
        return ("senior", "higher_vocational") if rng.random() < 0.6 else ("senior", "university")
    return _adult_education(rng, age), "not_in_school"


def _adult_education(rng: Random, age: int) -> str:
    r = rng.random()
    if age >= 60:
        return "none" if r < 0.45 else "primary" if r < 0.85 else "junior"
    if age >= 40:
        return "none" if r < 0.1 else "primary" if r < 0.45 else "junior" if r < 0.85 else "senior"
    return ("primary" if r < 0.1 else "junior" if r < 0.5 else "senior" if r < 0.68 else "vocational" if r < 0.85
            else "college" if r < 0.95 else "bachelor")
