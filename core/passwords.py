"""Where a command's password comes from: ANJU_PASSWORD for scripts, else a prompt that does not echo.
Kept apart from core.commands so the county server's commands read passwords without the laptop's store."""
from __future__ import annotations

import getpass
import os
import sys

from core.errors import ProfileError


class PasswordNeeded(ProfileError):
    """No ANJU_PASSWORD and no terminal to ask at."""


def read_password(prompt: str = "档案密码 / Profile password: ") -> str:
    """From ANJU_PASSWORD for scripts, else a prompt that does not echo."""
    env = os.environ.get("ANJU_PASSWORD")
    if env:
        return env
    if not sys.stdin.isatty():
        raise PasswordNeeded("需要密码：请设置环境变量 ANJU_PASSWORD。 / A password is needed: set ANJU_PASSWORD.")
    return getpass.getpass(prompt)
