"""The GUI half of `python main.py selftest`: render the main window offscreen on demo data."""
from __future__ import annotations

from collections.abc import Callable


def run_gui_selftest(say: Callable[[str], None]) -> int:
    from gui.screenshots import offscreen_session

    try:
        with offscreen_session(households=30) as (app, ctx, window):
            shown = window.households.model.rowCount()
            assert shown == 30, f"the household list shows {shown} rows, not 30"
            image = window.grab().toImage()
            assert not image.isNull() and image.width() > 200, "the main window did not render"
            window.opener.open_household(window.households.model.rows[0].id)
            form = window.opener.open_forms()[-1]
            assert form.members.model.rowCount() >= 1, "the household form shows no members"
            say(f"✓ 主窗口已在屏幕外绘制，{shown} 户；户表单已打开 / main window rendered offscreen, form opened")
    except AssertionError as exc:
        say(f"✗ 界面自检失败 / GUI self-test failed: {exc}")
        return 1
    say("界面自检通过 / GUI self-test passed")
    return 0
