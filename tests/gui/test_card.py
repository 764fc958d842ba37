"""The household card (户卡): one A4 page, as PDF or on paper, masked unless asked, a card in clear in
the audit log; from the household form (打印户卡…, Ctrl+P) and from `main.py card`."""
from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QDialog
from sqlalchemy import select

from core.demo import write_demo_profile
from core.idcard import mask_id_number
from core.models import AuditEntry
from core.outputs import OutputRefused
from gui.card import AUDIT_WHAT, CardData, a4_printer, card_document, load_card, log_card, save_card_pdf
from gui.card_dialog import CardDialog
from gui_helpers import ctrl, newest_form
from tests.conftest import PASSWORD
from tests.core.test_commands import run_main

AS_OF = date(2026, 5, 20)
FULL_ID = re.compile(r"\d{17}[\dX]")


@pytest.fixture
def demo(store):
    write_demo_profile(store, 12, seed=4, as_of=AS_OF)
    return store


def _household(store, members_at_least: int = 3) -> str:  # noqa: ANN001
    """A demo household with a few members, one of whom has an ID number and a health entry."""
    for row in store.list_households(limit=50):
        record = store.get_household(row.id, log_access=False)
        if len(record.members) >= members_at_least and all(m["id_number"] for m in record.members):
            return row.id
    raise AssertionError("no demo household of that size")


def _pdf_text(path: Path) -> tuple[int, str, tuple[float, float]]:
    doc = QPdfDocument(None)
    doc.load(str(path))
    size = doc.pagePointSize(0)
    text = doc.getAllText(0).text() if doc.pageCount() else ""
    return doc.pageCount(), text, (round(size.width()), round(size.height()))


def _card_audits(store) -> list[AuditEntry]:  # noqa: ANN001
    with store.reading() as s:
        return list(s.execute(select(AuditEntry).where(AuditEntry.detail == AUDIT_WHAT)).scalars())


def test_a_masked_card_is_one_a4_page_with_the_household_and_no_full_numbers(qapp, demo, tmp_path):
    data = load_card(demo, _household(demo), printed=AS_OF)
    out = save_card_pdf(data, tmp_path / "card.pdf")
    pages, text, size = _pdf_text(out)
    assert pages == 1 and size == (595, 842)  # A4 in points
    head = data.record.members[0]
    assert data.record.household["household_no"] in text and head["name"] in text
    assert "搬迁户信息卡" in text and "打印日期：2026-05-20" in text
    assert mask_id_number(head["id_number"]) in text.replace("\n", "")
    assert not FULL_ID.search(text.replace("\n", "")) and "健康状况" not in text
    assert _card_audits(demo) == []  # a masked card is not a look in clear
    assert sorted(p.name for p in tmp_path.iterdir()) == ["card.pdf", "profile"]  # no temporary file left


def test_an_unmasked_card_shows_the_numbers_and_is_in_the_audit_log(qapp, demo, tmp_path):
    household_id = _household(demo)
    data = load_card(demo, household_id, printed=AS_OF)
    log_card(demo, household_id, unmasked=True)
    pages, text, _ = _pdf_text(save_card_pdf(data, tmp_path / "card.pdf", unmasked=True))
    assert pages == 1 and data.record.members[0]["id_number"] in text.replace("\n", "")
    assert "健康状况" in text
    [line] = _card_audits(demo)
    assert line.entity == "household" and line.row_id == household_id and line.action == "reveal"


def test_a_household_of_forty_with_many_records_still_fits_one_page(qapp, demo, tmp_path):
    data = load_card(demo, _household(demo), printed=AS_OF)
    one = data.record.members[-1]
    record = replace(data.record, members=[dict(one, id=f"m{i}", name=f"成员{i}") for i in range(40)],
                     visits=data.record.visits * 5, employments=data.record.employments * 10)
    big = CardData(record, data.places, AS_OF)
    assert card_document(big, a4_printer()).pageCount() == 1
    pages, text, _ = _pdf_text(save_card_pdf(big, tmp_path / "big.pdf"))
    assert pages == 1 and "成员39" in text and "家庭成员（40 人）" in text


def test_a_card_needs_a_pdf_name_in_a_folder_that_exists(qapp, demo, tmp_path):
    data = load_card(demo, _household(demo))
    for target, code in ((tmp_path / "card.txt", "wrong_suffix"), (tmp_path / "gone" / "card.pdf", "no_folder"),
                         (tmp_path, "is_directory")):
        with pytest.raises(OutputRefused) as refused:
            save_card_pdf(data, target)
        assert refused.value.code == code
    assert sorted(p.name for p in tmp_path.iterdir()) == ["profile"]


def test_the_form_offers_the_card_and_the_box_for_full_numbers_is_logged(window, demo, tmp_path, qtbot):
    household_id = _household(demo)
    window.opener.open_household(household_id)
    form = newest_form(window)
    assert form.card_action.shortcut().toString() == "Ctrl+P"
    ctrl(form, Qt.Key.Key_P)
    dialog = form.findChild(CardDialog)
    assert dialog is not None and dialog.isVisible() and dialog.pdf_button.isEnabled()
    assert not dialog.unmasked_box.isChecked()  # masked unless the worker asks
    dialog.save_pdf(str(tmp_path / "masked"))  # ".pdf" is added
    assert (tmp_path / "masked.pdf").is_file() and _card_audits(demo) == []
    assert "户卡已保存" in dialog.message.text()
    dialog.unmasked_box.setChecked(True)
    dialog.save_pdf(str(tmp_path / "gone" / "clear.pdf"))
    assert "不存在" in dialog.message.text() and _card_audits(demo) == []  # nothing made, nothing logged
    dialog.save_pdf(str(tmp_path / "clear.pdf"))
    assert len(_card_audits(demo)) == 1
    _, text, _ = _pdf_text(tmp_path / "clear.pdf")
    assert FULL_ID.search(text.replace("\n", ""))


def test_printing_goes_to_the_printer_chosen_in_the_print_dialog(ctx, demo, tmp_path, qtbot, monkeypatch):
    chosen = tmp_path / "printer.pdf"

    class FakePrintDialog:
        def __init__(self, printer: QPrinter, parent) -> None:  # noqa: ANN001
            printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)  # a printer that writes to a file
            printer.setOutputFileName(str(chosen))

        def exec(self) -> QDialog.DialogCode:
            return QDialog.DialogCode.Accepted

    monkeypatch.setattr("gui.card_dialog.QPrintDialog", FakePrintDialog)
    dialog = CardDialog(ctx, _household(demo))
    qtbot.addWidget(dialog)
    dialog.print_on_paper()
    assert _pdf_text(chosen)[0] == 1 and "打印机" in dialog.message.text()


def test_a_new_household_is_saved_before_its_card(window, no_blocking_message_boxes):
    window.opener.open_household(None)
    form = newest_form(window)
    form.card_action.trigger()
    assert form.findChild(CardDialog) is None
    assert any("先保存" in text for _, text in no_blocking_message_boxes)


def _card_command(*args: str) -> int:
    from core.commands import build_parser
    from gui.card import cmd_card
    from gui.cli import add_app_verbs

    return cmd_card(build_parser(add_app_verbs).parse_args(["card", *args]))


def test_the_card_command_writes_the_pdf_and_refuses_a_wrong_name(qapp, demo, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("ANJU_PASSWORD", PASSWORD)
    number = demo.get_household(_household(demo), log_access=False).household["household_no"]
    profile = str(demo.info.folder)
    out = tmp_path / "card.pdf"
    assert _card_command("--profile", profile, "--household", number, "--out", str(out)) == 0
    assert _pdf_text(out)[0] == 1 and _card_audits(demo) == []
    assert _card_command("--profile", profile, "--household", number, "--out", str(out), "--unmasked") == 0
    assert len(_card_audits(demo)) == 1
    capsys.readouterr()
    assert _card_command("--profile", profile, "--household", number, "--out", str(tmp_path / "x.png")) == 2
    assert ".pdf" in capsys.readouterr().err and not (tmp_path / "x.png").exists()


def test_the_card_command_says_an_unknown_number_in_one_line(demo, tmp_path):
    demo.close()
    result = run_main("card", "--profile", str(demo.info.folder), "--household", "没有这一户",
                      "--out", str(tmp_path / "card.pdf"))
    assert result.returncode == 2
    assert result.stderr.strip() == "没有户编号为“没有这一户”的户。 / No household has the number 没有这一户."
    assert not (tmp_path / "card.pdf").exists()
