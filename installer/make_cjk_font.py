"""Rebuild the Chinese font that the app carries: gui/resources/fonts/NotoSansSC-Regular-subset.ttf.

    .venv/bin/pip install fonttools                  # for this script only, not the app
    .venv/bin/python installer/make_cjk_font.py      # fetches the package with `npm pack`
    .venv/bin/python installer/make_cjk_font.py --package noto-sans-sc-0.4.3.tgz   # a tarball at hand

Source: Noto Sans SC Regular (version 2.004, SIL Open Font License 1.1, (c) 2014-2021 Adobe, with
Reserved Font Name 'Source'), as the npm package @expo-google-fonts/noto-sans-sc 0.4.3 ships it:
    package tarball sha256  0d69d0f4971d2ff574e3d93cbc218dc950bf3f3f8f8e2c008d97687ed53aee59
    400Regular/NotoSansSC_400Regular.ttf sha256  d45f67f0a7c0ca3f256950777ce6a61cc7ce5f9696d02900cbbaac25f8aa7d16
The .ttf is checked against that sum (the tarball too, when it is the one named above), so
another download cannot slip in.

The subset keeps: every character of GB 2312 (all 6,763 hanzi of levels 1 and 2, with its
punctuation, full-width forms, Greek, Cyrillic, kana and symbols); ASCII, Latin-1 and the pinyin
letters; CJK punctuation, full-width forms, enclosed numbers, units such as ㎡ and common symbols;
common name characters outside GB 2312 (NAME_EXTRAS); and every character written anywhere in
core/, gui/ and sync/ (code, string literals, demo names), gui/resources/i18n/*.ts and
core/resources/codes/ (code lists and GB/T 2260 area names). Hinting is dropped (FreeType hints
on its own); the output is the same bytes for the same input and fontTools version.
The licence text goes beside it as OFL.txt.
"""
from __future__ import annotations

import argparse
import hashlib
import io
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "gui" / "resources" / "fonts"
OUT_FONT = OUT_DIR / "NotoSansSC-Regular-subset.ttf"
OUT_LICENCE = OUT_DIR / "OFL.txt"

PACKAGE = "@expo-google-fonts/noto-sans-sc@0.4.3"
PACKAGE_SHA256 = "0d69d0f4971d2ff574e3d93cbc218dc950bf3f3f8f8e2c008d97687ed53aee59"
FONT_MEMBER = "package/400Regular/NotoSansSC_400Regular.ttf"
FONT_SHA256 = "d45f67f0a7c0ca3f256950777ce6a61cc7ce5f9696d02900cbbaac25f8aa7d16"
LICENCE_MEMBER = "package/LICENSE_FONT"

# Blocks kept whole (what the font has of them).
RANGES = [
    (0x0020, 0x007E), (0x00A0, 0x017F), (0x01CD, 0x01DC), (0x0250, 0x02FF),  # Latin, pinyin, IPA, modifiers
    (0x0391, 0x03C9), (0x0401, 0x0451),  # Greek, Cyrillic (as in GB 2312)
    (0x2000, 0x206F), (0x20A0, 0x20BF), (0x2100, 0x218F), (0x2190, 0x21FF),  # punctuation, currency, ℃ №, Ⅻ, arrows
    (0x2200, 0x22FF), (0x2460, 0x24FF), (0x2500, 0x257F), (0x25A0, 0x25FF), (0x2600, 0x266F),
    (0x3000, 0x303F), (0x3040, 0x30FF), (0x3105, 0x312F), (0x3200, 0x32FF), (0x3300, 0x33FF),  # ㈠ ㎡
    (0xFE10, 0xFE1F), (0xFE30, 0xFE4F), (0xFF00, 0xFFEF),  # vertical and full-width forms
]
# Characters common in given names and place names that GB 2312 lacks.
NAME_EXTRAS = (
    "喆堃昇玥珺琰祎琇暐垚犇骉燚焜翀翾宬峣岍芃苒茈蓥蕤钖铖锘锜镕镟颋骞鹍鹓黉沄沨洺浛涴淏渼湉澍澴"
    "灏煊燊珅珩珣琬琨瑢璘璟瑀婕嫚媖旻旸昉晔晞晧暻曌玙玹珝瑒璠瓅甯睿祐禛秾筠箐绮缙翃翚胤芊芷苡茜"
    "荞莛菡萩蓁蔻蘅蘩谞赟郗郯鄞钰铧锃锳镠闿阚陉隽雯霈靓鞅頔颙飏馥驿骕鲲鹏鹞麒鼐㛃㻞䶮昺炘炅焓"
    "焘琤琭瑭璆璨璩璿彧旼昶晟暄曈曦朏杺枟桤棪楙榛槿橦檀歆毓沣泓泫洹浠淇淼渲湜滢漪潆濛瀚炜焱煜"
)
SOURCE_GLOBS = [
    ("core", "**/*.py"), ("gui", "**/*.py"), ("sync", "**/*.py"),
    ("gui/resources/i18n", "*.ts"), ("core/resources/codes", "*.json"), ("core/resources/codes", "*.txt"),
]


def gb2312_characters() -> set[str]:
    chars = set()
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                chars.add(bytes([high, low]).decode("gb2312"))
            except UnicodeDecodeError:
                continue  # an empty cell of the table
    return chars


def project_characters() -> set[str]:
    chars: set[str] = set()
    for folder, pattern in SOURCE_GLOBS:
        for path in sorted((ROOT / folder).glob(pattern)):
            chars.update(ch for ch in path.read_text(encoding="utf-8") if ord(ch) > 0x7E)
    return chars


def wanted_codepoints() -> set[int]:
    chars = gb2312_characters() | project_characters() | set(NAME_EXTRAS)
    points = {ord(ch) for ch in chars}
    for low, high in RANGES:
        points.update(range(low, high + 1))
    return points


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_package(tarball: Path | None) -> tuple[bytes, bytes]:
    """(the Regular .ttf, the licence text), from the npm package, checked by sha256."""
    with tempfile.TemporaryDirectory() as tmp:
        if tarball is None:
            subprocess.run(["npm", "pack", "--silent", PACKAGE], cwd=tmp, check=True, stdout=subprocess.DEVNULL)
            tarball = next(Path(tmp).glob("*.tgz"))
            if sha256(tarball.read_bytes()) != PACKAGE_SHA256:
                sys.exit(f"{PACKAGE}: the tarball is not the one this script was written for")
        with tarfile.open(tarball) as tar:
            font = tar.extractfile(FONT_MEMBER).read()  # type: ignore[union-attr]
            licence = tar.extractfile(LICENCE_MEMBER).read()  # type: ignore[union-attr]
    if sha256(font) != FONT_SHA256:
        sys.exit(f"{FONT_MEMBER}: sha256 {sha256(font)}, expected {FONT_SHA256}")
    return font, licence


def subset(font_bytes: bytes, codepoints: set[int]) -> tuple[bytes, int]:
    """The subset font's bytes and how many characters it maps."""
    from fontTools import subset as ft_subset
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(font_bytes), recalcTimestamp=False)
    options = ft_subset.Options()
    options.hinting = False
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]
    options.notdef_outline = True
    subsetter = ft_subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(codepoints))
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue(), len(font.getBestCmap())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--package", type=Path, help=f"the tarball of {PACKAGE} (default: npm pack it)")
    args = parser.parse_args(argv)
    font, licence = read_package(args.package)
    data, mapped = subset(font, wanted_codepoints())
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    OUT_FONT.write_bytes(data)
    OUT_LICENCE.write_bytes(licence)
    print(f"{OUT_FONT.relative_to(ROOT)}: {mapped} characters, {len(data) / 1e6:.2f} MB, sha256 {sha256(data)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
