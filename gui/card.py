"""A household's card (户卡): one A4 page for the paper folders grid workers still carry — the
household, its members, jobs and training, help measures, open grievances and the last visits —
printed on paper or saved as PDF with Qt's printing (no browser).

Masked by default: ID numbers and phones masked, health left out. A card in clear is written to the
audit log before it is made (`Store.log_unmasked`). Field names and code values come from core/ in
the UI's language; the text is drawn with the app's Chinese font (gui/fonts.py), so a machine
without a Chinese font still prints Chinese. A household with many members or records is drawn
smaller until it fits one page. `main.py card` makes one from the command line (`cmd_card`).
"""
from __future__ import annotations

import argparse
import errno
import html
import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from PySide6.QtCore import QMarginsF, QSizeF
from PySide6.QtGui import QFont, QPageLayout, QPageSize, QTextDocument
from PySide6.QtPrintSupport import QPrinter

from core.address import address_text
from core.codes import code_lists
from core.indicators.monitoring import OPEN_GRIEVANCE_STATUSES
from core.files import written_atomically
from core.idcard import mask_id_number, mask_phone
from core.outputs import check_output_file
from core.store import HouseholdRecord, Store
from core.store.profile import ProfileError
from core.validation.fields import code_list_of, label
from gui.fonts import register_bundled_font, system_chinese_families
from gui.i18n import tr

POINTS = (10.0, 9.5, 9.0, 8.5, 8.0, 7.5, 7.0, 6.5, 6.0)  # tried in turn until the card is one page
ZOOMS_OUT = 20  # then the page is laid out up to three times as large and printed smaller
MARGIN_MM = 12.0
LAST_VISITS = 3
MOST_ROWS = 8  # of jobs, training and measures: the newest; the card says how many more there are
TEXT_CHARS = 60  # a grievance's summary, a visit's notes: cut to this
AUDIT_WHAT = "card unmasked"


@dataclass(frozen=True)
class CardData:
    """What a card shows: the household with everything under it, and the names of its places."""

    record: HouseholdRecord
    places: dict[str, str] = field(default_factory=dict)  # settlement and grid names by id
    printed: date = field(default_factory=date.today)


def load_card(store: Store, household_id: str, printed: date | None = None) -> CardData:
    """The card's data (for the database worker). Not logged: a masked card shows what the
    household list does; a card in clear is logged when it is made (`log_card`)."""
    record = store.get_household(household_id, log_access=False)
    places = {p["id"]: p["name"] for p in [*store.settlements(), *store.grids()]}
    return CardData(record, places, printed or date.today())


def log_card(store: Store, household_id: str, unmasked: bool) -> None:
    """A card in clear goes to the audit log before it is printed or saved; a masked one does not."""
    if unmasked:
        store.log_unmasked("household", household_id, AUDIT_WHAT)


# -- the card's text ------------------------------------------------------------------------------
class _Cells:
    """A record's fields as the card writes them: labels of codes, members by name, masked values."""

    def __init__(self, data: CardData, unmasked: bool, lang: str):
        self.data, self.unmasked, self.lang = data, unmasked, lang
        self.names = {m["id"]: m["name"] for m in data.record.members}

    def heading(self, entity: str, name: str) -> str:
        zh, en = label(entity, name)
        return en if self.lang == "en" else zh

    def value(self, entity: str, row: dict, name: str) -> str:
        value = row.get(name)
        if value is None or value == "" or value == []:
            return ""
        if name == "member_id":
            return self.names.get(value, "")
        if name == "id_number" and not self.unmasked:
            return mask_id_number(value)
        if name == "phone" and not self.unmasked:
            return mask_phone(value)
        listed = code_list_of(entity, name)
        if listed:
            codes = value if isinstance(value, list) else [value]
            return "、".join(code_lists().label(listed, c, self.lang) for c in codes)
        if isinstance(value, bool):
            return tr("是") if value else tr("否")
        if isinstance(value, float):
            return f"{value:g}"
        text = value.isoformat() if isinstance(value, date) else str(value)
        return text if len(text) <= TEXT_CHARS else text[:TEXT_CHARS - 1] + "…"


_TABLE = '<table width="100%" cellspacing="0" cellpadding="2" border="1" style="border-collapse:collapse">'
_TIGHT = ' style="margin-top:0; margin-bottom:0"'
_WHOLE = {"id_number", "phone", "birth_date", "start_date", "end_date", "start_month", "end_month", "month",
          "visit_date", "received_date", "deadline"}  # never broken over two lines


def _cell(text: str, name: str) -> str:
    style = ' style="white-space:nowrap"' if name in _WHOLE else ""
    return f"<td{style}>{html.escape(text)}</td>"


def _table(cells: _Cells, entity: str, rows: list[dict], names: Iterable[str]) -> str:
    if not rows:
        return f"<p{_TIGHT}>{html.escape(tr('（无）'))}</p>"
    names = list(names)
    head = "".join(f"<th>{html.escape(cells.heading(entity, n))}</th>" for n in names)
    body = "".join("<tr>" + "".join(_cell(cells.value(entity, r, n), n) for n in names) + "</tr>" for r in rows)
    return f"{_TABLE}<tr>{head}</tr>{body}</table>"


def _section(title: str, points: float, content: str, more: int = 0) -> str:
    extra = f"<p{_TIGHT}>{html.escape(tr('另有 %1 条未列出').replace('%1', str(more)))}</p>" if more > 0 else ""
    return (f'<p style="font-size:{points * 1.15:.1f}pt; font-weight:bold; margin-top:{points * 0.6:.1f}pt; '
            f'margin-bottom:{points * 0.2:.1f}pt">{html.escape(title)}</p>{content}{extra}')


def _household_part(cells: _Cells, points: float) -> str:
    h, record = cells.data.record.household, cells.data.record
    head = next((m for m in record.members if m.get("relation") == "head" and m.get("status") != "removed"), {})
    pairs = [
        (cells.heading("household", "household_no"), h.get("household_no") or ""),
        (cells.heading("household", "settlement_id"), cells.data.places.get(h.get("settlement_id") or "", "")),
        (cells.heading("household", "grid_id"), cells.data.places.get(h.get("grid_id") or "", "")),
        (tr("住址"), address_text(h.get("building"), h.get("unit"), h.get("room"), cells.lang)),
        (tr("户主"), head.get("name", "")),
        (cells.heading("household", "phone"), cells.value("household", h, "phone")),
        *((cells.heading("household", n), cells.value("household", h, n))
          for n in ("household_type", "resettlement_mode", "relocation_year", "monitoring_category", "risk_types")),
    ]
    rows = "".join(f"<tr><th align=\"left\">{html.escape(a)}</th><td>{html.escape(b)}</td>"
                   f"<th align=\"left\">{html.escape(c)}</th><td>{html.escape(d)}</td></tr>"
                   for (a, b), (c, d) in zip(pairs[::2], pairs[1::2] + [("", "")]))
    return _section(tr("基本情况"), points, f"{_TABLE}{rows}</table>")


def _member_fields(unmasked: bool) -> list[str]:
    names = ["name", "relation", "sex", "birth_date", "id_number", "phone", "education", "labour_skill", "job_need"]
    return names + (["health"] if unmasked else [])


def _newest(rows: list[dict], most: int) -> tuple[list[dict], int]:
    return rows[:most], max(0, len(rows) - most)


def card_html(data: CardData, unmasked: bool = False, points: float = POINTS[0], lang: str = "zh") -> str:
    """The card as HTML for a QTextDocument (tables; the font and its size are the document's)."""
    cells, record = _Cells(data, unmasked, lang), data.record
    number = record.household.get("household_no") or ""
    present = [m for m in record.members if m.get("status") != "removed"]
    jobs, more_jobs = _newest(record.employments, MOST_ROWS)
    trainings, more_trainings = _newest(record.trainings, MOST_ROWS)
    measures, more_measures = _newest(record.measures, MOST_ROWS)
    grievances = [g for g in record.grievances if g.get("status") in OPEN_GRIEVANCE_STATUSES]
    parts = [
        f'<p align="center" style="font-size:{points * 1.6:.1f}pt; font-weight:bold">'
        f"{html.escape(tr('搬迁户信息卡'))}　{html.escape(number)}</p>",
        _household_part(cells, points),
        _section(tr("家庭成员（%1 人）").replace("%1", str(len(present))), points,
                 _table(cells, "member", present, _member_fields(unmasked))),
        _section(tr("就业"), points, _table(cells, "employment", jobs, (
            "member_id", "start_month", "end_month", "channel", "place", "employer", "monthly_income")), more_jobs),
        _section(tr("培训"), points, _table(cells, "training", trainings, (
            "member_id", "programme", "training_type", "start_date", "end_date", "result", "certificate_type")),
            more_trainings),
        _section(tr("帮扶措施"), points, _table(cells, "measure", measures, (
            "category", "name", "member_id", "start_date", "end_date", "amount", "status")), more_measures),
        _section(tr("未办结的诉求"), points, _table(cells, "grievance", grievances, (
            "case_no", "kind", "summary", "received_date", "deadline", "status"))),
        _section(tr("最近 %1 次走访").replace("%1", str(LAST_VISITS)), points, _table(cells, "visit", (
            record.visits[:LAST_VISITS]), ("month", "visit_date", "visitor", "method", "notes", "new_risks"))),
        f'<p style="font-size:{points * 0.9:.1f}pt">{html.escape(_foot(data, unmasked, number))}</p>',
    ]
    return "<html><body>" + "".join(parts) + "</body></html>"


def _foot(data: CardData, unmasked: bool, number: str) -> str:
    shown = tr("身份证号和电话为完整号码，请妥善保管") if unmasked else tr("身份证号和电话已部分遮蔽")
    return tr("打印日期：%1　户编号：%2　%3").replace("%1", data.printed.isoformat()).replace("%2", number) \
        .replace("%3", shown)


# -- drawing and printing -------------------------------------------------------------------------
def card_font() -> QFont:
    """The bundled Chinese font first, the system's behind it for a rare character the subset lacks: a
    card looks the same on every laptop, and its PDF's text can be searched and copied (Qt writes some
    system CJK fonts, CFF-based OpenType collections, into a PDF without a usable text map)."""
    bundled = register_bundled_font()
    families = [*([bundled] if bundled else []), *system_chinese_families()[:1]]
    font = QFont()
    if families:
        font.setFamilies(families)
    return font


def a4_printer(printer: QPrinter | None = None) -> QPrinter:
    """`printer` (a paper printer from the print dialog) or a new PDF printer, set to A4 portrait."""
    if printer is None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                      QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM),
                                      QPageLayout.Unit.Millimeter))
    return printer


def card_document(data: CardData, printer: QPrinter, unmasked: bool = False, lang: str = "zh") -> QTextDocument:
    """The card laid out for `printer`'s page, at the largest size of POINTS that fits one page."""
    doc = QTextDocument()
    doc.documentLayout().setPaintDevice(printer)
    page = QSizeF(printer.pageRect(QPrinter.Unit.DevicePixel).size())
    doc.setPageSize(page)
    doc.setDocumentMargin(0)
    font = card_font()
    for points in POINTS:
        font.setPointSizeF(points)
        doc.setDefaultFont(font)
        doc.setHtml(card_html(data, unmasked, points, lang))
        if doc.pageCount() <= 1:
            return doc
    for step in range(1, ZOOMS_OUT + 1):  # still more than a page at the smallest size: the whole page drawn smaller
        doc.setPageSize(page * (1 + step / 10))  # print_ scales the document's page to the printer's
        if doc.pageCount() <= 1:
            break
    return doc


def print_document(doc: QTextDocument, printer: QPrinter) -> None:
    doc.print_(printer)


def save_card_pdf(data: CardData, out: Path, unmasked: bool = False, lang: str = "zh") -> Path:
    """The card as a one-page A4 PDF at `out`, which appears whole or not at all. The caller has
    logged a card in clear (`log_card`). OutputRefused for a folder, a missing folder or a name not
    ending in .pdf; OSError when the PDF cannot be written."""
    out = check_output_file(Path(out), ".pdf")
    with written_atomically(out) as tmp:
        printer = a4_printer()
        printer.setOutputFileName(str(tmp))
        print_document(card_document(data, printer, unmasked, lang), printer)
        if not tmp.is_file() or tmp.stat().st_size == 0:
            raise OSError(errno.EIO, "the PDF was not written", str(out))
    return out


# -- main.py card ---------------------------------------------------------------------------------
class UnknownHousehold(ProfileError):
    """No live household has the number asked for (code 'unknown'), or more than one has (code 'many')."""

    def __init__(self, code: str, number: str, count: int = 0):
        self.code, self.number, self.count = code, number, count
        if code == "many":
            text = (f"有 {count} 户的户编号都是“{number}”，请先在户表单中改正户编号。 / "
                    f"{count} households have the number {number}: correct them in the household form first.")
        else:
            text = f"没有户编号为“{number}”的户。 / No household has the number {number}."
        super().__init__(text)


def cmd_card(args: argparse.Namespace) -> int:
    """`main.py card`: one line and exit 2 for a wrong path, password or number; never a traceback."""
    from core.commands import os_error_words, read_password

    try:
        out = check_output_file(args.out, ".pdf")  # before the password is asked
        with Store.open(args.profile, read_password()) as store:
            ids = store.household_ids_of(args.household)
            if len(ids) != 1:
                raise UnknownHousehold("many" if ids else "unknown", args.household, len(ids))
            data = load_card(store, ids[0])
            log_card(store, ids[0], args.unmasked)
        app = _offscreen_app()
        save_card_pdf(data, out, args.unmasked)
        del app
    except ProfileError as exc:
        print(exc, file=sys.stderr)
        return 2
    except OSError as exc:
        print(os_error_words(exc), file=sys.stderr)
        return 2
    print(f"已保存户卡：{out} / Card saved: {out}", file=sys.stderr)
    return 0


def _offscreen_app() -> object:
    """A QGuiApplication for fonts and printing, offscreen: the command line shows no window."""
    from PySide6.QtGui import QGuiApplication

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    return QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
