"""What a failed sync says: a few words for the status bar and, for the message, why and what to do.

The errors carry the server's code (sync.client.SyncError.code) or are known kinds (server
unreachable, update required, a full disk); the words are made here, at the edge, in the UI
language."""
from __future__ import annotations

import errno

from core.store.failures import DiskFull
from core.validation.fields import ENTITY_LABELS, label
from gui.i18n import error_message, tr


def failure_words(error: BaseException, lang: str) -> tuple[str, str]:
    """(short, full): 'account disabled' for the status bar; the reason and what to do for the message."""
    from sync.client import LoginRequired, ServerUnreachable, TooManyAttempts, UpdateRequiredError

    kept = tr("您的修改都安全地留在本机，没有丢。")
    code = getattr(error, "code", "")
    if isinstance(error, ServerUnreachable) and code == "server_busy":
        return tr("县服务器正忙"), tr("县服务器这会儿太忙，没能处理这次同步。过几分钟会自动再同步，也可以按 F9 再试。") + kept
    if isinstance(error, ServerUnreachable) and code == "device_busy":
        return tr("上一次同步还没结束"), tr(
            "县服务器还在处理这台电脑上一次发出的同步。过几分钟会自动再同步，也可以按 F9 再试。") + kept
    if isinstance(error, ServerUnreachable):
        return tr("连不上县服务器"), error_message(error, lang) + " " + tr(
            "连上网后会自动同步，也可以按 F9 再试。") + kept
    if isinstance(error, LoginRequired) and code == "account_disabled":
        return tr("账号已停用"), tr("县里停用了您的账号，所以不能同步。请联系县管理员恢复账号。") + kept
    if isinstance(error, LoginRequired) and code == "device_revoked":
        return tr("这台电脑已被停用"), tr(
            "县里停用了这台电脑的登记（例如报告过丢失），所以不能同步。请联系县管理员：管理员同意恢复后，"
            "用“同步 → 连接县服务器…”重新登录即可，未上传的修改会一并上传。") + kept
    if isinstance(error, LoginRequired):
        return tr("需要重新登录"), tr(
            "县服务器不再认这台电脑的登录（例如密码改过或在别处登录过）。请用“同步 → 连接县服务器…”"
            "重新输入密码。") + kept
    if isinstance(error, TooManyAttempts):
        return tr("登录太频繁"), error_message(error, lang)
    if code in ("too_large", "batch_too_large"):  # refused for its size, and nothing left to cut (sync.push)
        return tr("县服务器不收这批更改"), tr(
            "这批更改超过了县服务器一次能收的大小。如果这些更改已经放进离线包，请把离线包交给文书转交，"
            "导入文书带回的回复包后再同步；否则请联系县管理员。") + kept
    if code == "unusable_value":  # a record edited by hand on the server (sync.errors.ServerRecordUnusable)
        return tr("县服务器上有一条记录存不进本机"), tr(
            "县服务器上一条{entity}记录（编号 {row_id}）的“{field}”存的值这台电脑无法保存（格式不对），"
            "同步停在这条记录之前。请县管理员在服务器上改正这条记录，然后再同步。").format(
            entity=_in(lang, ENTITY_LABELS.get(error.entity, (error.entity, error.entity))),
            field=_in(lang, label(error.entity, error.field)), row_id=error.row_id) + kept
    if isinstance(error, UpdateRequiredError):
        return tr("需要更新安居"), tr("县服务器要求更新版本的安居才能同步。请安装县里提供的新版本。") + kept
    if isinstance(error, DiskFull) or (isinstance(error, OSError) and error.errno == errno.ENOSPC):
        return tr("磁盘已满"), tr("电脑的磁盘满了，同步写不进档案。请删掉一些不用的文件，再按 F9 同步。") + kept
    message = error_message(error, lang)
    return message, message


def _in(lang: str, words: tuple[str, str]) -> str:
    """The (Chinese, English) words in the UI language."""
    return words[1] if lang.startswith("en") else words[0]
