"""The installed commands, as a user runs them: `anju` and `anju-server` from the environment's
scripts folder (what `pip install .` put there), never `main.py` by path or the source tree."""
from __future__ import annotations

import shutil
import tempfile
import sysconfig
from pathlib import Path


def installed_command(name: str) -> str:
    found = shutil.which(name, path=sysconfig.get_path("scripts"))
    if found is None:
        raise RuntimeError(f"`{name}` is not installed in this environment: run `pip install -e .` first")
    return str(Path(found))


ANJU = installed_command("anju")
ANJU_SERVER = installed_command("anju-server")
# Where the commands run in tests: a folder outside the repository, as a user's shell would be.
OUTSIDE = Path(tempfile.gettempdir())
