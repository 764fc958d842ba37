"""Visits, grievances, jobs and drafts, as a grid worker meets them."""
from __future__ import annotations

from datetime import date

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox

from core.selftest import sample_household
from gui.area_picker import AreaCodeEdit
from gui_helpers import TODAY, choose, ctrl, newest_form, resident_id, type_text

LAST_MONTH = "2026-10"
THIS_MONTH = f"{TODAY:%Y-%m}"


def saved_household(store, index: int = 0):  # noqa: ANN001, ANN201
    household, members = sample_household(index)
    return store.get_household(store.save_household(household, members, TODAY).id)


def test_the_monthly_visit_is_prefilled_from_last_month_and_saved_in_one_keystroke(window, store):
    full = saved_household(store)
    head, wife, son = full.members
    store.save_visit({"household_id": full.household["id"], "month": LAST_MONTH, "visit_date": date(2026, 10, 12),
                      "method": "phone", "visitor": "w1"},
                     [{"member_id": head["id"], "employment_status": "employed", "income": 3200},
                      {"member_id": wife["id"], "employment_status": "unemployed"},
                      {"member_id": son["id"], "employment_status": "in_school"}], TODAY)
    full = store.get_household(full.household["id"])

    window.opener.open_record("visit", full, None)
    form = newest_form(window)
    assert form.editors["month"].value() == THIS_MONTH
    assert form.editors["visit_date"].value() == TODAY.isoformat()
    assert form.editors["method"].value() == "phone"  # as last time
    rows = {r["member_id"]: (r["employment_status"], r["income"]) for r in form.rows()}
    assert rows == {head["id"]: ("employed", 3200), wife["id"]: ("unemployed", None), son["id"]: ("in_school", None)}

    ctrl(form, Qt.Key.Key_S)  # nothing changed this month: one keystroke
    assert form.record_id, form.summary.text()
    visits = store.get_household(full.household["id"]).visits
    assert [vis["month"] for vis in visits] == [THIS_MONTH, LAST_MONTH]
    assert {r["member_id"]: r["income"] for r in visits[0]["members"]}[head["id"]] == 3200

    # Opening "this month's visit" again opens the same visit, not a second one.
    window.opener.open_record("visit", store.get_household(full.household["id"]), None)
    assert newest_form(window).record_id == form.record_id


def test_a_changed_income_in_the_visit_table_is_saved(window, store):
    full = saved_household(store)
    window.opener.open_record("visit", full, None)
    form = newest_form(window)
    model = form.member_rows
    cell = model.index(0, model.column_of("income"))
    assert model.setData(cell, "2500")
    choose_status = model.index(0, model.column_of("employment_status"))
    model.setData(choose_status, "employed")
    assert form.dirty
    form.save()
    row = next(r for r in store.get_household(full.household["id"]).visits[0]["members"]
               if r["member_id"] == full.members[0]["id"])
    assert (row["employment_status"], row["income"]) == ("employed", 2500)


def test_the_grievance_workflow_moves_through_its_states(window, store):
    full = saved_household(store)
    window.opener.open_record("grievance", full, None)
    form = newest_form(window)
    assert form.editors["status"].value() == "registered"
    assert form.editors["case_no"].value()  # numbered for the worker
    choose(form.editors["kind"], "request")
    type_text(form.editors["summary"].input, "楼道灯坏了，请求维修")
    QTest.keyClicks(form.editors["deadline"].input, "2026-12-01")
    form.save()
    assert form.record_id, form.summary.text()

    def status_in_store() -> str:
        return store.get_household(full.household["id"]).grievances[0]["status"]

    assert status_in_store() == "registered"
    form.next_button.click()
    form.save()
    assert status_in_store() == "in_progress"
    form.next_button.click()  # 已办结: the closing date is filled with today
    assert form.editors["closed_date"].value() == TODAY.isoformat()
    type_text(form.editors["resolution"].input, "已联系物业更换灯泡")
    form.save()
    assert status_in_store() == "closed"
    form.next_button.click()  # 已回访 needs the satisfaction
    form.save()
    assert status_in_store() == "closed"
    assert "满意度" in form.editors["satisfaction"].problem
    choose(form.editors["satisfaction"], form.editors["satisfaction"].input.itemData(1))
    form.save()
    assert status_in_store() == "followed_up"
    assert form.next_button.isHidden()  # the last step


def test_an_open_grievance_past_its_deadline_is_shown_overdue(window, store):
    full = saved_household(store)
    store.save_grievance({"household_id": full.household["id"], "case_no": "G-1", "kind": "request",
                          "summary": "漏水", "received_date": date(2026, 10, 1), "deadline": date(2026, 10, 31),
                          "status": "in_progress"}, [], TODAY)
    full = store.get_household(full.household["id"])
    window.opener.open_record("grievance", full, full.grievances[0])
    form = newest_form(window)
    assert "20" in form.overdue_label.text()  # 20 days past 31 October on 20 November
    assert form.editors["deadline"].problem


def test_a_job_is_recorded_from_the_member(window, store):
    full = saved_household(store)
    window.opener.open_household(full.household["id"])
    household_form = newest_form(window)
    household_form.tab_widget.setCurrentWidget(household_form.members)
    household_form.members.select_row(0)
    household_form.members.findChild(type(household_form.save_button), "add_employment").click()
    form = newest_form(window)
    assert form.entity == "employment"
    assert form.editors["member_id"].value() == full.members[0]["id"]
    choose(form.editors["channel"], "public_welfare_post" if form.editors["channel"].input.findData(
        "public_welfare_post") >= 0 else form.editors["channel"].input.itemData(1))
    type_text(form.editors["employer"].input, "社区公益岗")
    QTest.keyClicks(form.editors["monthly_income"].input, "1800")
    ctrl(form, Qt.Key.Key_S)
    assert form.record_id, form.summary.text()
    jobs = household_form.members.record_lists["employment"]
    assert jobs.count() == 1 and "社区公益岗" in jobs.item(0).text()  # the household form shows it at once


def test_a_jobs_place_is_picked_by_name_with_its_contract_term_and_insurance_months(window, store):
    full = saved_household(store)
    window.opener.open_record("employment", full, None)
    form = newest_form(window)
    choose(form.editors["member_id"], full.members[0]["id"])
    picker = form.editors["place_code"].input
    assert not picker.rest.isVisibleTo(picker)  # a province, prefecture or county: no township after it
    type_text(picker.place, "东莞")
    offered = picker.choices.stringList()
    assert "广东省 东莞市 441900" in offered and picker.completer.popup().isVisible()
    picker.completer.activated[str].emit("广东省 东莞市 441900")  # a click on it in the list
    assert form.editors["place_code"].value() == "441900"
    choose(form.editors["sector"], "C")
    form.editors["has_contract"].input.setChecked(True)
    choose(form.editors["contract_term"], "6_to_12m")
    form.editors["has_social_insurance"].input.setChecked(True)
    QTest.keyClicks(form.editors["insurance_months"].input, "-1")
    form.save()
    assert "不能是负数" in form.editors["insurance_months"].problem and not form.record_id
    form.editors["insurance_months"].input.clear()
    QTest.keyClicks(form.editors["insurance_months"].input, "4")
    ctrl(form, Qt.Key.Key_S)
    assert form.record_id, form.summary.text()
    job = store.get_household(full.household["id"]).employments[0]
    assert (job["place_code"], job["sector"], job["contract_term"], job["insurance_months"]) == \
        ("441900", "C", "6_to_12m", 4)


def test_the_visit_table_shows_where_and_in_which_sector_each_member_worked(window, store):
    full = saved_household(store)
    head = full.members[0]
    store.save_visit({"household_id": full.household["id"], "month": LAST_MONTH, "visit_date": date(2026, 10, 12),
                      "method": "phone", "visitor": "w1"},
                     [{"member_id": head["id"], "employment_status": "employed", "income": 3200,
                       "place_code": "441900", "sector": "C"}], TODAY)
    window.opener.open_record("visit", store.get_household(full.household["id"]), None)
    form = newest_form(window)
    model = form.member_rows
    row = next(i for i, r in enumerate(model.rows) if r["member_id"] == head["id"])
    assert model.index(row, model.column_of("place_code")).data() == "广东省 东莞市 441900"  # carried from last month
    assert model.index(row, model.column_of("sector")).data() == "制造业"
    table = form.row_views["members"]
    table.setFocus()
    table.edit(model.index(row, model.column_of("place_code")))  # the cell's editor is the place picker
    picker = table.findChild(AreaCodeEdit)
    assert picker.place.text() == "广东省 东莞市 441900"
    picker.place.clear()
    type_text(picker.place, "凯里")
    picker.completer.activated[str].emit("贵州省 黔东南苗族侗族自治州 凯里市 522601")  # a click on it in the list
    QTest.keyClick(picker.place, Qt.Key.Key_Return)
    assert model.index(row, model.column_of("place_code")).data() == "贵州省 黔东南苗族侗族自治州 凯里市 522601"
    ctrl(form, Qt.Key.Key_S)
    assert form.record_id, form.summary.text()
    saved = next(r for r in store.get_household(full.household["id"]).visits[0]["members"]
                 if r["member_id"] == head["id"])
    assert (saved["place_code"], saved["sector"]) == ("522601", "C")


def test_a_half_typed_form_is_offered_back_after_the_window_is_destroyed(qtbot, store, make_ctx, make_window,
                                                                          answer):
    from gui.main_window import MainWindow
    from gui.ops import ImmediateWorker

    ctx = make_ctx(store)
    window = MainWindow(ctx, ImmediateWorker())  # not handed to qtbot: it is destroyed below
    window.show()
    window.opener.open_household(None)
    form = newest_form(window)
    QTest.keyClicks(form.editors["household_no"].input, "H-DRAFT")
    form.tab_widget.setCurrentWidget(form.members)
    form.members.add_member()
    type_text(form.members.editors["name"].input, "赵大海")
    qtbot.waitUntil(lambda: store.drafts() != {}, timeout=5000)  # kept within the draft interval (1 s here)
    # A crash: the windows go away without any chance to ask or save.
    form.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
    shiboken6.delete(form)
    window.opener.forms.clear()
    shiboken6.delete(window)
    assert store.count_households() == 0

    window = make_window(ctx)
    asked = answer(QMessageBox.StandardButton.Yes)
    window.offer_drafts()
    assert asked and "H-DRAFT" in asked[0]
    form = newest_form(window)
    assert form.editors["household_no"].value() == "H-DRAFT"
    assert [m["name"] for m in form.members.rows()] == ["赵大海"]
    assert form.dirty
    QTest.keyClicks(form.members.editors["id_number"].input, resident_id("522601", "19750505", "015"))
    form.save()
    assert form.record_id, form.summary.text()
    assert store.drafts() == {}  # saved: the draft is gone


def test_deleting_a_grievance_asks_then_removes_it_everywhere(window, store, answer):
    full = saved_household(store)
    store.save_grievance({"household_id": full.household["id"], "case_no": "G-DEL", "kind": "request",
                          "summary": "误登记", "received_date": date(2026, 11, 1)}, [], TODAY)
    window.opener.open_household(full.household["id"])
    household_form = newest_form(window)
    assert household_form.lists["grievance"].count() == 1
    full = store.get_household(full.household["id"])
    window.opener.open_record("grievance", full, full.grievances[0])
    form = newest_form(window)
    asked = answer(QMessageBox.StandardButton.Cancel)
    form.delete_action.trigger()
    assert asked and store.get_household(full.household["id"]).grievances  # Cancel: still there
    answer(QMessageBox.StandardButton.Yes)
    form.delete_action.trigger()
    assert store.get_household(full.household["id"]).grievances == []
    assert household_form.lists["grievance"].count() == 0
    assert form not in window.opener.open_forms()


def test_a_years_income_is_recorded_from_the_household_and_shown_per_person(window, store):
    full = saved_household(store)
    window.opener.open_household(full.household["id"])
    household_form = newest_form(window)
    household_form.findChild(type(household_form.save_button), "add_household_income").click()
    form = newest_form(window)
    assert form.entity == "household_income"
    assert form.editors["year"].value() == str(TODAY.year - 1) and form.editors["household_size"].value() == "3"
    QTest.keyClicks(form.editors["wage"].input, "24000")
    QTest.keyClicks(form.editors["transfer"].input, "6000")
    ctrl(form, Qt.Key.Key_S)
    assert form.record_id, form.summary.text()
    shown = household_form.lists["household_income"]
    assert shown.count() == 1
    assert shown.item(0).text() == f"{TODAY.year - 1}年 人均可支配收入 10000 元，工资性收入占比 80%"
    # the same year again is refused by name, and nothing is written
    household_form.findChild(type(household_form.save_button), "add_household_income").click()
    again = newest_form(window)
    QTest.keyClicks(again.editors["wage"].input, "1000")
    again.save()
    assert not again.record_id and "年度：这一户这一年的收入已经登记过" in again.summary.text() + str(
        again.editors["year"].problem)
    assert len(store.get_household(full.household["id"]).incomes) == 1


def test_a_members_insurance_of_a_year_is_recorded(window, store):
    full = saved_household(store)
    window.opener.open_record("insurance", full, None)
    form = newest_form(window)
    choose(form.editors["member_id"], full.members[1]["id"])
    choose(form.editors["kind"], "pension")
    choose(form.editors["paid_by"], "government")
    ctrl(form, Qt.Key.Key_S)
    assert form.record_id, form.summary.text()
    saved = store.get_household(full.household["id"]).insurances[0]
    assert (saved["member_id"], saved["year"], saved["kind"], saved["insured"], saved["paid_by"]) == \
        (full.members[1]["id"], TODAY.year, "pension", True, "government")
