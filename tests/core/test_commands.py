"""The command-line verbs as a script would call them: real processes, real profiles."""
from __future__ import annotations

import json
import os
import subprocess

from tests.conftest import PASSWORD
from tests.installed import ANJU, OUTSIDE


def run_main(*args: str, password: str | None = PASSWORD) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "ANJU_PASSWORD"}
    if password is not None:
        env["ANJU_PASSWORD"] = password
    return subprocess.run([ANJU, *args], cwd=OUTSIDE, env=env,
                          capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL)


def test_selftest_passes():
    result = run_main("selftest", password=None)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "自检通过" in result.stdout
    assert "界面自检通过" in result.stdout  # the main window was rendered offscreen too


def test_demo_data_then_status_json(tmp_path):
    profile = tmp_path / "demo"
    made = run_main("demo-data", "--profile", str(profile), "--households", "40", "--seed", "7")
    assert made.returncode == 0, made.stderr
    assert json.loads(made.stdout.strip().splitlines()[-1])["household"] == 40
    status = run_main("status", "--profile", str(profile), "--json")
    assert status.returncode == 0, status.stderr
    figures = json.loads(status.stdout)
    assert figures["households"] == 40 and figures["members"] >= 40
    assert figures["pending_changes"] == 0 and figures["audit_log_intact"] is True


def test_status_prints_every_indicator_with_numerator_and_denominator(tmp_path):
    from core.indicators import INDICATOR_KEYS

    profile = tmp_path / "demo"
    assert run_main("demo-data", "--profile", str(profile), "--households", "30", "--seed", "3").returncode == 0
    status = json.loads(run_main("status", "--profile", str(profile), "--json").stdout)
    figures = status["indicators"]
    assert set(figures) >= {"zero_employment", "cleared_zero_employment", "at_least_one_employed", "training",
                            "monitoring_rounds", "visit_coverage", "overdue_grievances", "monitored_without_measure",
                            "employed_members", "returned_workers_employed", "school_dropouts", "left_behind_children",
                            "left_behind_elderly", "left_behind_women", "special_hardship"}
    assert set(figures) <= set(INDICATOR_KEYS)  # each figure has its households to drill down to
    for name, f in figures.items():
        if f["unit"] in ("amount", "growth"):  # yuan a person, and this year's over last year's less one
            continue
        assert 0 <= f["numerator"] <= f["denominator"] or name == "training", (name, f)
        assert f["rate"] == (round(f["numerator"] / f["denominator"], 4) if f["denominator"] else 0.0)
    assert figures["monitoring_rounds"]["denominator"] == 12 and figures["training"]["target"] == 0.3
    assert figures["visit_coverage"]["denominator"] == 30
    plain = run_main("status", "--profile", str(profile)).stdout
    zero = figures["zero_employment"]
    assert "零就业家庭" in plain and f"{zero['numerator']} / {zero['denominator']}" in plain
    assert "本年完成监测期数" in plain and "/ 12" in plain
    places = status["distributions"]["employment_place"]  # where this month's employed work, adding up to them
    assert sum(places.values()) == figures["employed_members"]["numerator"]
    assert sum(status["distributions"]["employment_sector"].values()) == figures["employed_members"]["numerator"]
    assert "留守儿童" in plain and "就业去向" in plain and "行业分布" in plain


def test_status_with_wrong_password_fails_clearly(tmp_path):
    profile = tmp_path / "demo"
    assert run_main("demo-data", "--profile", str(profile), "--households", "3").returncode == 0
    result = run_main("status", "--profile", str(profile), password="nope")
    assert result.returncode == 2 and "密码不正确" in result.stderr


def test_status_without_password_in_a_script_says_how(tmp_path):
    profile = tmp_path / "demo"
    assert run_main("demo-data", "--profile", str(profile), "--households", "3").returncode == 0
    result = run_main("status", "--profile", str(profile), password=None)
    assert result.returncode == 2 and "ANJU_PASSWORD" in result.stderr


def test_demo_data_refuses_to_overwrite_a_profile(tmp_path):
    profile = tmp_path / "demo"
    assert run_main("demo-data", "--profile", str(profile), "--households", "3").returncode == 0
    again = run_main("demo-data", "--profile", str(profile), "--households", "3")
    assert again.returncode == 2 and "已有档案" in again.stderr
