"""The app's own entry points: the demo profile, and the screenshots for review."""
from __future__ import annotations

import os
import subprocess

from PySide6.QtGui import QImage

from core.store import Store
from gui.app import DEMO_PASSWORD, open_demo_profile
from tests.installed import ANJU, OUTSIDE


def test_the_demo_profile_is_made_once_then_opened(tmp_path, qapp):
    folder = tmp_path / "demo"
    store = open_demo_profile(folder, households=12)
    assert store.count_households() == 12
    store.close()
    again = open_demo_profile(folder, households=99)  # already there: opened, not made again
    assert again.count_households() == 12
    again.close()
    Store.open(folder, DEMO_PASSWORD).close()  # encrypted with the known demo password


def test_screenshots_of_the_main_screens_are_written(tmp_path):
    out = tmp_path / "shots"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run([ANJU, "screenshots", "--out", str(out)], cwd=OUTSIDE,
                            env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    names = sorted(p.name for p in out.glob("*.png"))
    assert names == ["0-dashboard-en.png", "0-dashboard-zh.png", "1-household-list.png",
                     "2-household-form-members.png", "2a-household-form-basic.png", "3-grievance-form.png",
                     "4-visit-form.png", "5-employment-form.png", "6-training-list.png", "7-ledger-page.png",
                     "8-roster-import-report.png"]
    for name in names:
        image = QImage(str(out / name))
        assert image.width() >= 800 and image.height() >= 600, name
        assert len({image.pixel(x, y) for x in range(0, image.width(), 37) for y in range(0, image.height(), 29)}) > 5
