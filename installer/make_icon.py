"""Draw Anju's icon: a roof over the character 安 on a rounded square, in the app's colours.

    python installer/make_icon.py

Writes gui/resources/icons/anju.png (256 px: the window icon, the Linux desktop entry's and the AppImage's)
and installer/icons/anju.ico (16 to 256 px, PNG-compressed entries, for the Windows executable, its
installer and shortcuts). Drawn with Qt and the bundled font, so it needs nothing but the project's packages;
the output is committed, and running it again gives the same files.
"""
from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

SIZES = (16, 24, 32, 48, 64, 128, 256)
PNG = ROOT / "gui" / "resources" / "icons" / "anju.png"
ICO = ROOT / "installer" / "icons" / "anju.ico"


def draw(size: int):  # noqa: ANN201 - a QImage
    from PySide6.QtCore import QPointF, QRectF, Qt
    from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPainterPath, QPen

    from gui.fonts import register_bundled_font

    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    s = size / 256
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor("#1f6f5c"))  # the green of the dashboard's met targets
    p.drawRoundedRect(QRectF(8 * s, 8 * s, 240 * s, 240 * s), 44 * s, 44 * s)
    roof = QPainterPath(QPointF(36 * s, 112 * s))
    roof.lineTo(128 * s, 40 * s)
    roof.lineTo(220 * s, 112 * s)
    p.setPen(QPen(QColor("#f2c14e"), 20 * s, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                  Qt.PenJoinStyle.RoundJoin))
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawPath(roof)
    font = QFont(register_bundled_font())
    font.setPixelSize(max(1, int(120 * s)))
    font.setBold(True)
    p.setFont(font)
    p.setPen(QColor("white"))
    p.drawText(QRectF(0, 92 * s, 256 * s, 150 * s), Qt.AlignmentFlag.AlignCenter, "安")
    p.end()
    return image


def png_bytes(image) -> bytes:  # noqa: ANN001 - a QImage
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice

    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data)


def ico_bytes(images: dict[int, bytes]) -> bytes:
    """An ICO file whose entries are PNG images (read by Windows Vista and later, and by Inno Setup)."""
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = 6 + 16 * len(images)
    entries, blobs = b"", b""
    for size, blob in images.items():
        edge = 0 if size >= 256 else size
        entries += struct.pack("<BBBBHHII", edge, edge, 0, 0, 1, 32, len(blob), offset + len(blobs))
        blobs += blob
    return header + entries + blobs


def main() -> int:
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # fonts need an application
    pngs = {size: png_bytes(draw(size)) for size in SIZES}
    PNG.parent.mkdir(parents=True, exist_ok=True)
    ICO.parent.mkdir(parents=True, exist_ok=True)
    PNG.write_bytes(pngs[256])
    ICO.write_bytes(ico_bytes(pngs))
    print(PNG, ICO)
    app.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
