"""Opening a roster: .xlsx with openpyxl's read-only mode (rows streamed, little memory) and Excel
97-2003 .xls with xlrd. What the file is is told by its first bytes, not its name: a .xls that is really
an .xlsx (a common renaming) opens all the same. Each sheet is handed on as rows of plain values from row 1
(dates as datetime, numbers as int or float, text as str, empty as None).
"""
from __future__ import annotations

import contextlib
import struct
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from core.roster.problems import RosterFileError

ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED_MARK = "EncryptedPackage".encode("utf-16-le")  # a password-protected .xlsx is an OLE2 file with this


@dataclass
class Sheet:
    name: str
    rows: Iterator[tuple]
    size: int  # how many rows the sheet says it has (for progress; may be a guess)


def _kind(path: Path) -> str:
    if not path.exists():
        raise RosterFileError("file_missing", path)
    if not path.is_file():
        raise RosterFileError("not_excel", path)
    with open(path, "rb") as f:
        head = f.read(1 << 20)
    if head.startswith(ZIP_MAGIC):
        return "xlsx"
    if head.startswith(OLE2_MAGIC):
        return "encrypted" if ENCRYPTED_MARK in head else "xls"
    raise RosterFileError("empty" if not head.strip() else "not_excel", path)


def probe(path: Path) -> str:
    """'xlsx' or 'xls', or RosterFileError (missing, not Excel, protected by a password)."""
    kind = _kind(Path(path))
    if kind == "encrypted":
        raise RosterFileError("encrypted", path)
    return kind


@contextlib.contextmanager
def opened(path: Path) -> Iterator[list[Sheet]]:
    """The sheets of a roster, each with its rows read as they are iterated."""
    path = Path(path)
    kind = probe(path)
    if kind == "xlsx":
        with _xlsx(path) as sheets:
            yield sheets
    else:
        yield _xls(path)


@contextlib.contextmanager
def _xlsx(path: Path) -> Iterator[list[Sheet]]:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, TypeError) as exc:
        raise RosterFileError("unreadable", path) from exc
    try:
        sheets = []
        for ws in wb.worksheets:
            size = ws.max_row or 0
            ws.reset_dimensions()  # some writers declare a wrong size: read every row there is
            sheets.append(Sheet(ws.title, ws.iter_rows(values_only=True), size))
        yield sheets
    finally:
        wb.close()


def _xls(path: Path) -> list[Sheet]:
    import xlrd
    import xlrd.compdoc

    try:
        book = xlrd.open_workbook(str(path))
    except xlrd.XLRDError as exc:
        code = "encrypted" if "encrypt" in str(exc).lower() else "unreadable"
        raise RosterFileError(code, path) from exc
    except (xlrd.compdoc.CompDocError, OSError, ValueError, IndexError, AssertionError, struct.error) as exc:
        raise RosterFileError("unreadable", path) from exc  # what xlrd raises for a damaged or cut-short file
    return [Sheet(sheet.name, _xls_rows(book, sheet), sheet.nrows) for sheet in book.sheets()]


def _xls_rows(book, sheet) -> Iterator[tuple]:  # noqa: ANN001 - xlrd's Book and Sheet
    import xlrd

    for r in range(sheet.nrows):
        yield tuple(_xls_value(book, cell, xlrd) for cell in sheet.row(r))


def _xls_value(book, cell, xlrd) -> object:  # noqa: ANN001
    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
        return None
    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            return xlrd.xldate.xldate_as_datetime(cell.value, book.datemode)
        except (xlrd.xldate.XLDateError, OverflowError, ValueError):
            return cell.value
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return bool(cell.value)
    if cell.ctype == xlrd.XL_CELL_NUMBER and float(cell.value).is_integer() and abs(cell.value) < 2**53:
        return int(cell.value)
    return cell.value
