"""The version of Anju: the installed package's, else (run from a source folder) pyproject.toml's."""
from __future__ import annotations

import tomllib
from importlib import metadata
from pathlib import Path

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"


def app_version() -> str:
    """'0.1.0'; '' when neither the package nor pyproject.toml says."""
    try:
        return metadata.version("anju")
    except metadata.PackageNotFoundError:
        return pyproject_version(PYPROJECT)


def pyproject_version(path: Path) -> str:
    try:
        with path.open("rb") as f:
            return str(tomllib.load(f).get("project", {}).get("version", ""))
    except (OSError, tomllib.TOMLDecodeError):
        return ""
