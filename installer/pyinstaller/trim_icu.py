"""A smaller ICU data library for the Linux build: 30 MB of ICU data down to a few.

Qt's Linux libraries link ICU, whose data library (libicudata.so.73) holds every locale's names,
currencies, units, time zones, collations, word-break dictionaries and 200 legacy code pages. Anju uses
none of it directly (it formats with QLocale's own CLDR tables and speaks UTF-8); Qt asks ICU for a
collation or a code page only when a program does. The data library is one symbol, `icudt73_dat`, whose
bytes are ICU's common data package: this copies it out (objcopy), removes the locales but root, Chinese
and English and the code pages but UTF and GB 18030 (icupkg), and links the rest back as a library of the
same name and symbol (cc). Build requirements on Linux: binutils, gcc and icu-devtools (Debian names);
without them the build keeps the full library and says so.
"""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

LOCALE = re.compile(r"^[a-z]{2,3}(_[A-Za-z0-9]*)*\.res$")
KEPT_LOCALE = re.compile(r"^(root|pool|res_index|zh(_[A-Za-z0-9]+)*|en(_[A-Za-z0-9]+)*)\.res$")
KEPT_CODEPAGES = {"gb18030.cnv"}
TOOLS = ("objcopy", "icupkg", "cc")


def kept(item: str) -> bool:
    """Whether an item of the package (e.g. 'coll/zh.res', 'ibm-1390_P110-2003.cnv') stays."""
    folder, _, name = item.rpartition("/")
    if name.endswith(".cnv"):
        return name in KEPT_CODEPAGES
    if name.endswith(".dict"):  # word-break dictionaries: Thai, Khmer, Lao, Burmese, Chinese/Japanese words
        return False
    if folder == "translit":
        return bool(KEPT_LOCALE.match(name))
    if LOCALE.match(name):
        return bool(KEPT_LOCALE.match(name))
    return True


def trimmed_icu(library: Path, work: Path) -> Path | None:
    """A trimmed copy of `library` (libicudata.so.NN) built in `work`, or None when a tool is missing."""
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        print(f"ICU data kept whole: {', '.join(missing)} not found (Debian: binutils gcc icu-devtools)")
        return None
    work.mkdir(parents=True, exist_ok=True)
    version = re.search(r"\.so\.(\d+)", library.name).group(1)
    data, small = work / f"icudt{version}l.dat", work / f"icudt{version}l-small.dat"
    subprocess.run(["objcopy", "-O", "binary", "--only-section=.rodata", str(library), str(data)], check=True)
    items = subprocess.run(["icupkg", "-l", str(data)], check=True, capture_output=True, text=True).stdout.split()
    gone = work / "removed.txt"
    gone.write_text("\n".join(i for i in items if not kept(i)) + "\n", encoding="utf-8")
    # --ignore-deps: root's word-break rules name the dictionaries, zh_Hant_HK's numbers name yue's; ICU
    # falls back (to root's data, to breaking by character) when an item is missing.
    subprocess.run(["icupkg", "--ignore-deps", "-r", str(gone), str(data), str(small)], check=True,
                   capture_output=True)
    source = work / "icudata.S"
    source.write_text(f""".section .rodata
.globl icudt{version}_dat
.type icudt{version}_dat, @object
.balign 16
icudt{version}_dat:
.incbin "{small}"
.size icudt{version}_dat, . - icudt{version}_dat
.section .note.GNU-stack,"",@progbits
""", encoding="utf-8")
    out = work / library.name
    subprocess.run(["cc", "-shared", "-nostdlib", f"-Wl,-soname,{library.name}", "-o", str(out), str(source)],
                   check=True)
    print(f"ICU data trimmed: {library.stat().st_size / 2**20:.1f} MB -> {out.stat().st_size / 2**20:.1f} MB")
    return out
