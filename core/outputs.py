"""Where a file the user asked for may go (an analysts' copy, a household card): checked before any
work starts, so a typo in a path is said in one line and nothing is half-made."""
from __future__ import annotations

from pathlib import Path

from core.store.profile import ProfileError


class OutputRefused(ProfileError):
    """The target of an output file cannot be written: a folder stands there, its folder is missing,
    or it does not end as the kind of file asked for. `code` says which, `path` where."""

    WORDS = {
        "is_directory": ("“{path}”是一个文件夹，请给出一个文件名", "{path} is a folder: give a file name"),
        "no_folder": ("文件夹“{path}”不存在，请先建立它或换一个位置", "The folder {path} does not exist"),
        "wrong_suffix": ("“{path}”的文件名应以 {suffix} 结尾", "{path} should end with {suffix}"),
        "in_profile": ("“{path}”在档案文件夹里，请换一个位置", "{path} is inside the profile's folder: choose another place"),
    }

    def __init__(self, code: str, path: Path, suffix: str = "") -> None:
        self.code, self.path, self.suffix = code, Path(path), suffix
        zh, en = self.WORDS[code]
        super().__init__(f"{zh.format(path=path, suffix=suffix)}。 / {en.format(path=path, suffix=suffix)}.")


def check_output_file(path: Path, suffix: str | None = None, away_from: Path | None = None) -> Path:
    """`path` as given when a file can be made there (an existing file is replaced whole, later);
    else OutputRefused. Nothing is made inside `away_from` (a profile's folder: its database)."""
    path = Path(path)
    if away_from is not None and path.resolve().is_relative_to(Path(away_from).resolve()):
        raise OutputRefused("in_profile", path)
    if path.is_dir():
        raise OutputRefused("is_directory", path)
    if suffix and path.suffix.lower() != suffix:
        raise OutputRefused("wrong_suffix", path, suffix)
    folder = path.parent
    if not folder.is_dir():
        raise OutputRefused("no_folder", folder)
    return path
