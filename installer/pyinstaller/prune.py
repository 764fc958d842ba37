"""What the frozen desktop app leaves out, and the pruning of PyInstaller's collected files (used by anju.spec).

PySide6's hooks collect every Qt plugin and the libraries those plugins need: the virtual keyboard input
plugin brings Qt Quick and QML (18 MB), the PDF image format Qt PDF, the GTK platform theme GTK, Cairo
and Pango, the embedded-device platforms EGL, and Qt's own translations come in 90 languages. Anju draws
widgets on xcb or Wayland (Linux) or windows (Windows), offscreen for its self-test, reads PNG and ICO
images and prints through CUPS. `prune` drops what matches DROP, then every shared library no kept binary
needs any more (followed through the ELF NEEDED entries; on Windows the patterns alone apply).
"""
from __future__ import annotations

import os
import re

# Python packages the desktop app never imports: the county server's web stack, database driver and
# password hashing, and the test tools (the county server is its own build: installer/docker/).
EXCLUDED_MODULES = [
    "sync.server", "fastapi", "starlette", "uvicorn", "httptools", "uvloop", "anyio", "h11", "httpx", "httpcore",
    "psycopg", "psycopg_binary", "psycopg_pool", "argon2", "cryptography", "trustme", "hypothesis", "pytest",
    "pytestqt", "_pytest", "tkinter", "matplotlib", "numpy", "IPython", "pygments", "setuptools", "pkg_resources",
    "pip",
    "lxml.html", "lxml.objectify", "lxml.isoschematron", "lxml.sax", "lxml.cssselect", "readline",
    "sqlalchemy.dialects.mysql", "sqlalchemy.dialects.mssql", "sqlalchemy.dialects.oracle",
    "pydantic.v1", "pydantic.mypy", "PySide6.scripts",
]
# Qt's Python bindings Anju does not import (the C++ libraries QtCharts needs stay).
EXCLUDED_QT = [
    "QtWebEngineCore", "QtWebEngineWidgets", "QtWebEngineQuick", "QtWebChannel", "QtWebSockets", "Qt3DCore",
    "Qt3DRender", "Qt3DInput", "Qt3DLogic", "Qt3DAnimation", "Qt3DExtras", "QtMultimedia", "QtMultimediaWidgets",
    "QtSpatialAudio", "QtQml", "QtQuick", "QtQuick3D", "QtQuickWidgets", "QtQuickControls2", "QtDataVisualization",
    "QtGraphs", "QtLocation", "QtPositioning", "QtBluetooth", "QtNfc", "QtSensors", "QtSerialPort", "QtSerialBus",
    "QtRemoteObjects", "QtScxml", "QtStateMachine", "QtTextToSpeech", "QtPdf", "QtPdfWidgets", "QtDesigner",
    "QtHelp", "QtUiTools", "QtSql", "QtTest", "QtOpenGL", "QtOpenGLWidgets", "QtSvgWidgets", "QtHttpServer",
    "QtNetworkAuth", "QtConcurrent", "QtDBus", "QtNetwork", "QtSvg", "QtXml",
]
_QT_LIBS_UNUSED = ("Quick", "QmlMeta", "QmlModels", "QmlWorkerScript", "Qml", "VirtualKeyboardQml",
                   "VirtualKeyboard", "Pdf", "EglFSDeviceIntegration", "EglFsKmsSupport")
PLUGINS = r"PySide6[/\\](Qt[/\\])?plugins[/\\]"
DROP = [re.compile(p) for p in (
    r"(^|[/\\])(lib)?Qt6(" + "|".join(_QT_LIBS_UNUSED) + r")(\.so\.6|\.dll)$",
    PLUGINS + r"platforminputcontexts[/\\].*virtualkeyboard",
    PLUGINS + r"imageformats[/\\](?!(lib)?qico\.(so|dll)$)",
    PLUGINS + r"iconengines[/\\]",
    r"(^|[/\\])(lib)?Qt6Svg(\.so\.6|\.dll)$",
    PLUGINS + r"(egldeviceintegrations|generic|platformthemes|networkinformation|sqldrivers|multimedia|"
              r"qmltooling|position|sensors|texttospeech|canbus|designer|scenegraph|renderers|renderplugins)[/\\]",
    PLUGINS + r"platforms[/\\](lib)?q(eglfs|linuxfb|minimal|minimalegl|vkkhrdisplay|vnc|direct2d)\.(so|dll)$",
    r"PySide6[/\\](Qt[/\\])?translations[/\\](?!qtbase_zh_CN\.qm$|qt_zh_CN\.qm$)",
    r"PySide6[/\\](Qt[/\\])?qml[/\\]",
)]


# Libraries every Linux desktop Anju runs on has (Kylin, UOS, Debian, Ubuntu: X11, fontconfig, GLib, D-Bus,
# systemd, CUPS and its TLS and Kerberos stack), left to the system as AppImage's exclude list does: the
# system's own are the ones matched to its X server, fonts and printers, and they are 16 MB less to carry.
# Without CUPS on a machine, Qt's print plugin does not load and 打印… offers saving as PDF alone.
SYSTEM_LIBRARIES = re.compile(
    r"^lib(X11|X11-xcb|Xau|Xdmcp|Xext|Xrender|xcb|fontconfig|freetype|expat|z|glib-2\.0|gobject-2\.0|gio-2\.0|"
    r"gmodule-2\.0|gthread-2\.0|dbus-1|systemd|cups|avahi-client|avahi-common|gnutls|nettle|hogweed|gmp|"
    r"p11-kit|tasn1|unistring|idn2|gssapi_krb5|krb5|krb5support|k5crypto|com_err|keyutils|gcrypt|gpg-error|"
    r"lz4|pcre2-8|selinux|mount|blkid|uuid|cap|ffi|bsd|md|readline|tinfo|brotlicommon|brotlidec|png16|"
    r"harfbuzz|graphite2)\.so[.\d]*$")


def dropped(dest: str) -> bool:
    return any(p.search(dest) for p in DROP)


def _needed(path: str) -> set[str]:
    from PyInstaller.depend import bindepend

    try:
        return {os.path.basename(name) for name, _resolved in bindepend.get_imports(path)}
    except Exception:  # noqa: BLE001 - not an ELF file, or unreadable: it needs nothing we would drop
        return set()


def _is_library(dest: str) -> bool:
    """A shared library others link to; not a Qt plugin (loaded by name at run time) nor a Python module."""
    name = os.path.basename(dest)
    return (re.match(r"lib.*\.so(\.|$)", name) is not None and "plugins" not in dest.replace("\\", "/").split("/")
            and ".cpython-" not in name and not name.endswith(".abi3.so"))


def _unreachable(binaries: list) -> set[str]:
    """Shared libraries (lib*.so*) no kept binary needs, directly or through another kept library."""
    libs = {os.path.basename(dest): src for dest, src, _kind in binaries if _is_library(dest)}
    roots = [src for dest, src, _kind in binaries if os.path.basename(dest) not in libs]
    seen: set[str] = set()
    todo = [name for src in roots for name in _needed(src)]
    while todo:
        name = todo.pop()
        if name in seen or name not in libs:
            continue
        seen.add(name)
        todo.extend(_needed(libs[name]))
    keep_always = {"libpython3.11.so.1.0"}
    return {name for name in libs if name not in seen and name not in keep_always}


def prune(binaries: list, datas: list, work: str) -> tuple[list, list]:
    """The collected binaries and data less what Anju never uses; on Linux, ICU's data trimmed (trim_icu)."""
    binaries = [b for b in binaries if not dropped(b[0])]
    datas = [d for d in datas if not dropped(d[0])]
    if os.name != "nt":
        unused = _unreachable(binaries)
        binaries = [b for b in binaries if os.path.basename(b[0]) not in unused
                    and not SYSTEM_LIBRARIES.match(os.path.basename(b[0]))]
        binaries = [_with_trimmed_icu(b, work) for b in binaries]
    return binaries, datas


def _with_trimmed_icu(entry: tuple, work: str) -> tuple:
    from pathlib import Path

    from trim_icu import trimmed_icu

    dest, src, kind = entry
    if not re.match(r"libicudata\.so\.\d+$", os.path.basename(dest)) or kind == "SYMLINK":
        return entry
    small = trimmed_icu(Path(src), Path(work) / "icu")
    return (dest, str(small), kind) if small else entry
