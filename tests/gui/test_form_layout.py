"""What the forms show around their fields: which household a record is for, units, the layout
at a laptop's size, the place picker for the origin, the lists' filters, toolbar, start and about."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from core.selftest import sample_household
from gui_helpers import TODAY, newest_form, resident_id, type_text


def saved_household(store):  # noqa: ANN001, ANN201
    household, members = sample_household(0)
    return store.get_household(store.save_household(household, members, TODAY).id)


def test_every_record_form_says_which_household_it_belongs_to(window, store):
    full = saved_household(store)
    for entity in ("employment", "training", "measure", "grievance", "visit"):
        window.opener.open_record(entity, full, None)
        heading = newest_form(window).household_label
        assert heading.isVisible()
        text = heading.text()
        assert "SELFTEST-0000" in text and "王建国" in text and "3栋2单元501" in text, (entity, text)


def test_numbers_show_their_units_and_short_fields_do_not_stretch(window, store):
    full = saved_household(store)
    window.opener.open_household(full.household["id"])
    form = newest_form(window)
    form.resize(1200, 760)
    form.tab_widget.setCurrentIndex(0)
    QApplication.processEvents()
    units = {name: editor.unit_label.text() for name, editor in form.editors.items() if hasattr(editor, "unit_label")}
    assert units["house_area"] == "㎡" and units["relocation_year"] == "年"
    year = form.editors["relocation_year"].input
    assert year.width() < form.width() / 4  # a four-digit year in a box for four digits, not across the form
    # Two label/field pairs a row: 户编号 and 安置点 side by side.
    number, settlement = form.editors["household_no"], form.editors["settlement_id"]
    assert settlement.x() > number.x() + number.width()
    # On one row (安置点 may be taller: a profile without settlements says why under it).
    assert settlement.y() < number.y() + number.height() and number.y() < settlement.y() + settlement.height()

    window.opener.open_record("employment", full, None)
    job = newest_form(window)
    assert job.editors["monthly_income"].unit_label.text() == "元/月"
    window.opener.open_record("visit", full, None)
    visit = newest_form(window)
    rows = visit.member_rows
    headers = [rows.headerData(c, Qt.Orientation.Horizontal) for c in range(rows.columnCount())]
    assert "本月收入（元/月）" in headers


def test_the_members_table_shows_all_its_columns_at_1280_by_800(qtbot, window, store):
    household, members = sample_household(0)
    members += [{"name": "王小明", "id_number": resident_id("522601", "20100101", "013"), "relation": "son",
                 "labour_skill": "none"}]
    saved = store.save_household(household, members, TODAY)
    window.resize(1280, 800)
    window.opener.open_household(saved.id)
    form = newest_form(window)
    qtbot.waitExposed(form)
    assert form.isVisible()  # a hidden form's scroll bar is hidden too: that would prove nothing
    form.tab_widget.setCurrentWidget(form.members)
    table = form.members.table
    assert table.model().rowCount() == len(members) and table.isVisible()
    for size in (None, (1280, 800)):  # as it opens, and filling the laptop's screen
        if size:
            form.resize(*size)
        QApplication.processEvents()
        bar = table.horizontalScrollBar()
        assert not bar.isVisible() and bar.maximum() == 0, form.size()


def test_the_origin_is_picked_from_the_place_hierarchy_by_name(qtbot, window, store):
    window.opener.open_household(None)
    form = newest_form(window)
    picker = form.editors["origin_area_code"].input
    type_text(picker.place, "福泉")
    offered = picker.choices.stringList()
    assert offered[0] == "贵州省 黔南布依族苗族自治州 福泉市 522702"
    popup = picker.completer.popup()
    assert popup.isVisible()
    QTest.keyClick(popup, Qt.Key.Key_Down)
    QTest.keyClick(popup, Qt.Key.Key_Return)
    assert picker.place_path() == "贵州省 黔南布依族苗族自治州 福泉市"
    assert form.editors["origin_area_code"].value() == "522702"
    type_text(picker.rest, "101")  # the township, which the list of places does not hold
    assert form.editors["origin_area_code"].value() == "522702101"
    assert not form.editors["origin_area_code"].problem

    # A stored code shows as its place; a code no place has stays as typed, and the check says so.
    form.editors["origin_area_code"].set_value("522702101203")
    assert picker.place.text() == "贵州省 黔南布依族苗族自治州 福泉市 522702" and picker.rest.text() == "101203"
    picker.place.clear()
    type_text(picker.place, "12345")
    form.save()
    assert "行政区划代码" in form.editors["origin_area_code"].problem


def pick_from(popup) -> None:  # noqa: ANN001 - a completer's popup
    """The first choice of an open list, by keyboard."""
    assert popup.isVisible()
    QTest.keyClick(popup, Qt.Key.Key_Down)
    QTest.keyClick(popup, Qt.Key.Key_Return)


def test_the_township_and_village_are_chosen_from_the_profiles_places_under_the_county(window, store):
    from core.demo import write_demo_profile

    write_demo_profile(store, 2, seed=3, as_of=TODAY)  # the county server's reference data
    window.opener.open_household(None)
    form = newest_form(window)
    picker, editor = form.editors["origin_area_code"].input, form.editors["origin_area_code"]
    type_text(picker.place, "凯里")
    pick_from(picker.completer.popup())
    assert editor.value() == "522601"
    towns = picker.below_choices.stringList()  # offered as soon as the county is chosen
    assert towns[0] == "001 城西街道" and "101 炉山镇" in towns and all(len(t.split()[0]) == 3 for t in towns)
    pick_from(picker.below_completer.popup())
    assert editor.value() == "522601001"
    assert picker.below_choices.stringList() == ["001001 城西街道 阳光社区", "001002 城西街道 同心社区"]
    pick_from(picker.below_completer.popup())
    assert editor.value() == "522601001001" and not picker.below_completer.popup().isVisible()

    picker.rest.clear()
    type_text(picker.rest, "旁海")  # a township found by its name
    assert picker.below_choices.stringList() == ["102 旁海镇"]
    pick_from(picker.below_completer.popup())
    assert editor.value() == "522601102" and "102200 旁海镇 岩寨村" in picker.below_choices.stringList()

    # A county the profile knows nothing under: its digits are typed, as before.
    picker.place.clear()
    picker.rest.clear()
    type_text(picker.place, "福泉")
    pick_from(picker.completer.popup())
    assert picker.below_choices.stringList() == [] and not picker.below_completer.popup().isVisible()
    type_text(picker.rest, "101203")
    assert editor.value() == "522702101203"


def test_the_toolbar_offers_a_new_household_and_a_sync(window):
    from PySide6.QtWidgets import QToolBar

    bar = window.findChild(QToolBar, "main_toolbar")
    assert bar.isVisible()
    names = [a.objectName() for a in bar.actions()]
    assert names == ["action_new_household", "action_sync"]
    before = len(window.opener.open_forms())
    bar.widgetForAction(bar.actions()[0]).click()
    assert len(window.opener.open_forms()) == before + 1 and newest_form(window).entity == "household"


def test_about_says_the_version_the_folders_and_the_licences(window):
    from core.paths import data_dir, log_dir
    from core.version import app_version

    window.findChild(QAction, "action_about").trigger()
    text = window.about_dialog.text.text()
    assert app_version() and app_version() in text
    assert str(data_dir()) in text and str(log_dir()) in text
    assert f"当前档案文件夹：{window.ctx.store.info.folder}" in text
    for licence in ("LGPL-3.0", "SIL Open Font License 1.1", "Noto Sans SC", "SQLCipher", "SQLAlchemy"):
        assert licence in text
    for installed in ("FastAPI", "Starlette", "uvicorn", "pydantic", "requests", "argon2-cffi", "psycopg",
                      "Alembic", "platformdirs", "psutil", "PSF-2.0"):
        assert installed in text


def test_the_start_dialog_shows_the_profile_name_and_whole_path(qtbot, settings, store, profile_dir):
    from gui.ops import ImmediateWorker
    from gui.start import CreateProfileDialog, StartDialog

    dialog = StartDialog(settings, ImmediateWorker(), preselect=profile_dir)
    qtbot.addWidget(dialog)
    dialog.show()
    item = dialog.profiles.item(0)
    assert str(profile_dir) in item.text()
    assert dialog.profiles.viewport().width() >= dialog.profiles.fontMetrics().horizontalAdvance(item.text())

    create = CreateProfileDialog(ImmediateWorker())
    qtbot.addWidget(create)
    create.show()
    folder = create.folder
    assert folder.width() >= folder.fontMetrics().horizontalAdvance(folder.text())


def training_page(window, store):  # noqa: ANN001, ANN201
    full = saved_household(store)
    hid, head, wife = full.household["id"], full.members[0]["id"], full.members[1]["id"]
    store.save_training({"household_id": hid, "member_id": head, "programme": "电工（初级）技能培训班",
                         "training_type": "employment_skill", "start_date": "2026-04-01", "result": "passed"}, TODAY)
    store.save_training({"household_id": hid, "member_id": wife, "programme": "家政", "training_type": "startup",
                         "start_date": "2026-05-01", "result": "in_progress"}, TODAY)
    window.resize(1280, 800)
    page = window.pages["training"]
    window.nav.setCurrentRow(list(window.pages).index("training"))
    QApplication.processEvents()
    return full, page


def test_the_training_list_sizes_its_columns_to_their_content(window, store):
    _full, page = training_page(window, store)
    view, model = page.view, page.model
    assert model.rowCount() == 2
    for column in range(model.columnCount()):
        needed = max(view.sizeHintForColumn(column),
                     view.horizontalHeader().fontMetrics().horizontalAdvance(str(model.headerData(
                         column, Qt.Orientation.Horizontal))))
        assert view.columnWidth(column) >= needed, model.headerData(column, Qt.Orientation.Horizontal)
    fields = [c[0] for c in model.columns]
    # The programme takes the spare room, not the result at the end.
    assert view.columnWidth(fields.index("programme")) > view.columnWidth(fields.index("result"))
    assert not view.horizontalScrollBar().isVisible()


def test_the_training_list_is_narrowed_by_type_and_result(window, store):
    _full, page = training_page(window, store)
    result = page.filters.controls["result"]
    result.setCurrentIndex(result.findData("passed"))
    assert [r["programme"] for r in page.model.rows] == ["电工（初级）技能培训班"]
    kind = page.filters.controls["training_type"]
    kind.setCurrentIndex(kind.findData("startup"))
    assert page.model.rows == []
    result.setCurrentIndex(0)
    assert [r["programme"] for r in page.model.rows] == ["家政"]


def test_every_list_has_an_add_button_and_its_filters(window, store):
    from PySide6.QtWidgets import QPushButton

    assert window.households.add_button.isEnabled()
    for kind, wanted in (("employment", {"current", "channel"}), ("grievance", {"status", "overdue"}),
                         ("visit", {"month"}), ("member", {"status"})):
        page = window.pages[kind]
        assert page.findChild(QPushButton, f"add_{kind}_record") is not None
        assert wanted <= set(page.filters.controls), kind
    visit_months = window.pages["visit"].filters.controls["month"]
    assert visit_months.itemData(1) == f"{TODAY:%Y-%m}"


def test_adding_a_training_from_its_list_asks_for_the_household_first(window, store):
    full, page = training_page(window, store)
    page.add_button.click()
    chooser = window.household_chooser
    assert chooser.isVisible()
    type_text(chooser.search, "SELFTEST")
    assert chooser.found.count() == 1
    chooser.accept()
    form = newest_form(window)
    assert form.entity == "training" and form.household_id == full.household["id"] and form.record_id is None
