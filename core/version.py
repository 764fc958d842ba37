"""The version of Anju: the installed package's, else (run from a source folder) pyproject.toml's."""
from __future__ import annotations

import argparse
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


class VersionAction(argparse.Action):
    """`--version`: prints "<prog> <version>" and exits; the version is looked up only when asked
    (reading the package metadata costs milliseconds every start otherwise)."""

    def __init__(self, option_strings: list[str], dest: str = argparse.SUPPRESS, **kwargs) -> None:  # noqa: ANN003
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS,
                         help="show the version and exit", **kwargs)

    def __call__(self, parser: argparse.ArgumentParser, *_args) -> None:  # noqa: ANN002
        print(f"{parser.prog} {app_version() or '?'}")
        parser.exit()
