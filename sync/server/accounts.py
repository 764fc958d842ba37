"""Accounts, devices and scopes on the county server (docs/protocol.md, "Tokens and accounts").

A user logs in from a device; the device is registered to that user and gets a token, of which
the server keeps only the SHA-256. A token can be revoked, and so can a device. Every query is
limited to the caller's scope: a worker's grids, a clerk's village, an admin's county.
"""
from __future__ import annotations

import functools
import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, ColumnElement, Select, bindparam, insert, select, true, update

from sync.server.models import ENTITY_TABLES, SERVER_DEVICE, account, device

ROLES = ("worker", "clerk", "admin")
USERNAME = re.compile(r"^[A-Za-z0-9._\-]{1,64}$")
MIN_PASSWORD = 6
_hasher = PasswordHasher()
# Verified against when the user does not exist, so a wrong username costs as long as a wrong password.
_DUMMY_HASH = _hasher.hash("not a password of anyone")


class AuthError(Exception):
    """401: no valid token, a wrong password, a revoked device (the message is for the user; the code
    tells the laptop which, so it can say what to do)."""

    def __init__(self, message: str, code: str = "login_required"):
        super().__init__(message)
        self.code = code


class WrongPassword(AuthError):
    """No such user, or not their password (one answer for both)."""

    def __init__(self, message: str):
        super().__init__(message, "login_failed")


class ScopeError(Exception):
    """403: the record is outside the caller's scope, or the role may not do this."""


class AccountError(ValueError):
    """A user that cannot be added as asked (the message names the problem)."""


@dataclass(frozen=True)
class Caller:
    username: str
    role: str
    scope: str
    device_id: str

    def grid_clause(self, grid_table=None) -> ColumnElement[bool]:  # noqa: ANN001
        """The grids this caller works in, as a condition on the grid table."""
        grid = ENTITY_TABLES["grid"] if grid_table is None else grid_table
        if self.role == "worker":
            return grid.c.code.in_(scope_codes(self.scope))
        if self.role == "clerk":
            return grid.c.village_code == self.scope
        return grid.c.village_code.startswith(self.scope) if self.scope else true()

    @property
    def reviews_conflicts(self) -> bool:
        return self.role in ("clerk", "admin")


def scope_codes(scope: str) -> list[str]:
    return [c.strip() for c in scope.split(",") if c.strip()]


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def add_user(conn: Connection, username: str, password: str, role: str, scope: str, now: datetime,
             display_name: str = "") -> None:
    """Add a user, or refuse naming what is wrong (a grid or village that does not exist included)."""
    if not USERNAME.match(username or ""):
        raise AccountError(f"用户名“{username}”不合适：只能用字母、数字和 . _ -，最多64个。 / "
                           f"username {username!r}: letters, digits and . _ - only, at most 64")
    if role not in ROLES:
        raise AccountError(f"角色“{role}”不对，应为 {' / '.join(ROLES)}。 / role must be one of {ROLES}")
    if len(password or "") < MIN_PASSWORD:
        raise AccountError(f"密码太短，至少{MIN_PASSWORD}位。 / the password needs at least {MIN_PASSWORD} characters")
    _check_scope(conn, role, scope)
    if conn.execute(select(account.c.username).where(account.c.username == username)).first():
        raise AccountError(f"用户“{username}”已经存在。 / user {username!r} already exists")
    conn.execute(insert(account).values(username=username, display_name=display_name or username,
                                        password_hash=_hasher.hash(password), role=role, scope=scope,
                                        disabled=False, created_at=now))


def _check_scope(conn: Connection, role: str, scope: str) -> None:
    grid = ENTITY_TABLES["grid"]
    codes = scope_codes(scope or "")
    if not codes:
        raise AccountError("请给出范围：网格员填网格代码，村文书填村代码，管理员填县代码。 / --scope is required")
    if role == "worker":
        known = set(conn.execute(select(grid.c.code).where(grid.c.code.in_(codes))).scalars())
        missing = [c for c in codes if c not in known]
        if missing:
            raise AccountError(f"没有这些网格：{', '.join(missing)}。 / no grid with code(s) {missing}")
    elif role == "clerk":
        if len(codes) != 1 or conn.execute(select(grid.c.id).where(grid.c.village_code == codes[0])).first() is None:
            raise AccountError(f"没有属于村“{scope}”的网格。 / no grid belongs to village {scope!r}")
    elif not re.fullmatch(r"\d{2,12}", scope):
        raise AccountError(f"县代码“{scope}”不对，应为行政区划代码。 / {scope!r} is not a division code")


_RESERVED = "这个设备编号留给县服务器自己用，不能用来登录。 / This device id is the server's own."


def login(conn: Connection, username: str, password: str, device_id: str, device_name: str, now: datetime) -> tuple[str, Caller]:
    """Check the password, register the device to this user (or refresh its token); return the new token."""
    user = conn.execute(select(account).where(account.c.username == username)).mappings().first()
    try:
        _hasher.verify(user["password_hash"] if user else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        user = None
    if user is None:
        raise WrongPassword("用户名或密码不正确。 / The username or password is wrong.")
    if user["disabled"]:
        raise AuthError("此账号已停用，请联系县管理员。 / This account is disabled.", "account_disabled")
    if device_id == SERVER_DEVICE:
        raise AuthError(_RESERVED, "device_reserved")
    known = conn.execute(select(device).where(device.c.device_id == device_id)).mappings().first()
    if known and known["username"] != username:
        raise AuthError("此设备已登记给另一位用户。 / This device is registered to another user.", "device_taken")
    if known and known["revoked_at"] is not None:
        raise AuthError("此设备已被停用，请联系县管理员。 / This device was revoked.", "device_revoked")
    token = secrets.token_urlsafe(32)
    if known:
        conn.execute(update(device).where(device.c.device_id == device_id).values(
            token_hash=token_hash(token), name=device_name or known["name"], last_seen_at=now))
    else:
        conn.execute(insert(device).values(device_id=device_id, username=username, name=device_name or "",
                                           token_hash=token_hash(token), registered_at=now, last_seen_at=now))
    return token, Caller(username, user["role"], user["scope"], device_id)


# Built once: every request but a login asks it, and building the statement cost as much as running it.
_BY_TOKEN = (select(device.c.device_id, device.c.revoked_at, account.c.username, account.c.role, account.c.scope,
                    account.c.disabled)
             .join(account, account.c.username == device.c.username)
             .where(device.c.token_hash == bindparam("token_hash")))


def authenticate(conn: Connection, token: str) -> Caller:
    """The caller a bearer token stands for; AuthError when it is unknown or revoked."""
    row = conn.execute(_BY_TOKEN, {"token_hash": token_hash(token)}).first()
    if row is None:
        raise AuthError("登录已失效，请重新登录。 / The token is not valid; log in again.", "token_invalid")
    if row.disabled:
        raise AuthError("此账号已停用，请联系县管理员。 / This account is disabled.", "account_disabled")
    if row.revoked_at is not None:
        raise AuthError("这台电脑已被县里停用，请联系县管理员。 / This device was revoked.", "device_revoked")
    if row.device_id == SERVER_DEVICE:  # registered before the id was refused at login
        raise AuthError(_RESERVED, "device_reserved")
    return Caller(row.username, row.role, row.scope, row.device_id)


def revoke_device(conn: Connection, device_id: str, now: datetime) -> bool:
    result = conn.execute(update(device).where(device.c.device_id == device_id, device.c.revoked_at.is_(None))
                          .values(revoked_at=now))
    return result.rowcount > 0


def reinstate_device(conn: Connection, device_id: str) -> bool:
    """An admin's decision that a revoked laptop (found again) may log in again; its user logs in
    from it (连接县服务器…) and its unsent changes go up."""
    result = conn.execute(update(device).where(device.c.device_id == device_id, device.c.revoked_at.is_not(None))
                          .values(revoked_at=None, token_hash=token_hash(secrets.token_urlsafe(32))))
    # The old token stays dead: the worker logs in again with the password, proving it is them.
    return result.rowcount > 0


def set_scope(conn: Connection, username: str, scope: str) -> None:
    """Give a user other grids (a worker), another village (a clerk): their laptops download what
    came into scope and let go of what left it at their next sync, without enrolling again."""
    user = conn.execute(select(account.c.role).where(account.c.username == username)).first()
    if user is None:
        raise AccountError(f"没有用户“{username}”。 / There is no user {username!r}.")
    _check_scope(conn, user.role, scope)
    conn.execute(update(account).where(account.c.username == username).values(scope=scope))


def set_disabled(conn: Connection, username: str, disabled: bool) -> None:
    """Disable an account (it cannot log in, and its devices' tokens stop working) or enable it again."""
    result = conn.execute(update(account).where(account.c.username == username).values(disabled=disabled))
    if result.rowcount == 0:
        raise AccountError(f"没有用户“{username}”。 / There is no user {username!r}.")


def list_devices(conn: Connection, username: str | None = None) -> list[dict]:
    """The registered devices, a user's only when a username is given, newest first."""
    stmt = select(device.c.device_id, device.c.username, device.c.name, device.c.registered_at,
                  device.c.last_seen_at, device.c.revoked_at, account.c.disabled, device.c.audit_flagged_at) \
        .join(account, account.c.username == device.c.username).order_by(device.c.registered_at.desc())
    if username is not None:
        if conn.execute(select(account.c.username).where(account.c.username == username)).first() is None:
            raise AccountError(f"没有用户“{username}”。 / There is no user {username!r}.")
        stmt = stmt.where(device.c.username == username)
    return [dict(r) for r in conn.execute(stmt).mappings()]


def allowed_grid_ids(conn: Connection, caller: Caller) -> frozenset[str]:
    return frozenset(conn.execute(_grids_of(caller.role, caller.scope)).scalars())


@functools.lru_cache(maxsize=1024)
def _grids_of(role: str, scope: str) -> Select:
    """The ids of the grids of a role and scope, as Caller.grid_clause says them (the clause a pull
    takes too), built once for each: every push asks, and building it cost as much as running it."""
    grid = ENTITY_TABLES["grid"]
    return select(grid.c.id).where(Caller("", role, scope, "").grid_clause(grid))
