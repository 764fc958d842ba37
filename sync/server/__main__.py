"""The county server's command line (README.md, "Command line").

    python -m sync.server serve --db URL [--host 127.0.0.1] [--port N] [--tls-cert F --tls-key F]
    python -m sync.server user add --db URL --username U --role worker|clerk|admin --scope CODE
    python -m sync.server user disable|enable --db URL --username U
    python -m sync.server user scope --db URL --username U --scope CODE
    python -m sync.server device list --db URL [--username U]
    python -m sync.server device revoke|reinstate --db URL --device ID
    python -m sync.server device audit --db URL [--clear ID]
    python -m sync.server demo-county --db URL [--households N]

Passwords come from ANJU_PASSWORD or a prompt. The database is migrated when it opens. A disabled
account cannot log in, and the tokens of its devices stop working until it is enabled again. A
revoked laptop that is found again is reinstated by an admin's decision; its user then logs in from
it again and its unsent changes go up. A user given other grids keeps their laptop: it downloads
what came into scope and lets go of what left it at the next sync.
`device audit` lists the devices whose audit log was found cut or rewritten (sync.server.audit),
and clears one device's flag once an admin has looked into it.
"""
from __future__ import annotations

import argparse
import ipaddress
import logging
import os
import socket
import sys
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

# Before any module that may run compiled is imported (it reads files only): see main().
from sync.server.compiled import HOT_MODULES, TREE, Stale, compiled_modules

try:
    COMPILED: list[str] | Stale = compiled_modules()
except Stale as stale:
    COMPILED = stale

from core.passwords import PasswordNeeded, read_password
from core.models import utc_now
from core.version import VersionAction
from sync.server.accounts import (
    AccountError, add_user, list_devices, reinstate_device, revoke_device, set_disabled, set_scope,
)
from sync.server.audit import clear_flag, flagged_devices
from sync.server.db import DB_CONNECTIONS, DatabaseUrlError, make_engine, reading, upgrade_database, writing

# --db's default: the environment's ANJU_DB_URL (how the container is told its PostgreSQL), else a SQLite file
DEFAULT_DB = os.environ.get("ANJU_DB_URL") or "sqlite:///county.db"
DEMO_HOUSEHOLDS = 300  # about a hundred a grid: each demo worker has a grid's worth to look at
LOG_LEVELS = ("debug", "info", "warning", "error")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="anju-server", description="安居 county server")
    parser.add_argument("--version", action=VersionAction)
    parser.add_argument("--log-level", default="info", choices=LOG_LEVELS,
                        help="what the server logs to stderr: info logs a line a request (default), warning only trouble")
    verbs = parser.add_subparsers(dest="verb", required=True)
    serve = verbs.add_parser("serve", help="run the server")
    serve.add_argument("--db", default=DEFAULT_DB)
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (127.0.0.1 unless told otherwise)")
    serve.add_argument("--port", type=int, default=8765)
    serve.add_argument("--tls-cert", help="certificate (PEM) for HTTPS")
    serve.add_argument("--tls-key", help="private key (PEM) of the certificate")
    serve.add_argument("--proxy", metavar="ADDRESSES", type=_proxy_addresses,
                       help="the load balancer's addresses (comma-separated, or *): their X-Forwarded-For names the "
                            "client, whose failed logins are counted (uvicorn trusts 127.0.0.1 without it)")
    serve.add_argument("--db-connections", type=_connections, default=DB_CONNECTIONS, metavar="N",
                       help=f"PostgreSQL connections each server process keeps (default {DB_CONNECTIONS}): a few per core "
                            "of the database host in all, counting every process on every host")
    serve.add_argument("--workers", type=int, default=1,
                       help="server processes (PostgreSQL: one per core; SQLite: keep 1, its writers queue anyway)")
    user = verbs.add_parser("user", help="accounts").add_subparsers(dest="action", required=True)
    add = user.add_parser("add", help="add a user")
    add.add_argument("--db", default=DEFAULT_DB)
    add.add_argument("--username", required=True)
    add.add_argument("--role", required=True, choices=["worker", "clerk", "admin"])
    add.add_argument("--scope", required=True, help="grid codes (worker), a village code (clerk), a county code (admin)")
    add.add_argument("--display-name", default="")
    for action, words in (("disable", "disable an account: no login, its devices' tokens stop working"),
                          ("enable", "enable a disabled account again")):
        one = user.add_parser(action, help=words)
        one.add_argument("--db", default=DEFAULT_DB)
        one.add_argument("--username", required=True)
    scope = user.add_parser("scope", help="give a user other grids or another village (their laptops follow)")
    scope.add_argument("--db", default=DEFAULT_DB)
    scope.add_argument("--username", required=True)
    scope.add_argument("--scope", required=True, help="grid codes (worker), a village code (clerk), a county code (admin)")
    dev = verbs.add_parser("device", help="registered devices").add_subparsers(dest="action", required=True)
    listing = dev.add_parser("list", help="the registered devices (of one user with --username)")
    listing.add_argument("--db", default=DEFAULT_DB)
    listing.add_argument("--username")
    revoke = dev.add_parser("revoke", help="revoke a device's token (a lost laptop)")
    revoke.add_argument("--db", default=DEFAULT_DB)
    revoke.add_argument("--device", required=True)
    reinstate = dev.add_parser("reinstate", help="let a revoked device (found again) log in again; "
                                                 "its unsent changes go up after its user logs in")
    reinstate.add_argument("--db", default=DEFAULT_DB)
    reinstate.add_argument("--device", required=True)
    audit = dev.add_parser("audit", help="devices whose audit log was found cut or rewritten")
    audit.add_argument("--db", default=DEFAULT_DB)
    audit.add_argument("--clear", metavar="DEVICE", help="clear this device's flag (after looking into it)")
    demo = verbs.add_parser("demo-county", help="a demo county: settlements, grids, users w1 w2 w3 c1 a1")
    demo.add_argument("--db", default=DEFAULT_DB)
    demo.add_argument("--households", type=int, default=DEMO_HOUSEHOLDS,
                      help=f"generated households spread over the grids (default {DEMO_HOUSEHOLDS}; 0 for none)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if isinstance(COMPILED, Stale):  # no command runs (nor migrates the database) on such code
        print(_stale_message(COMPILED), file=sys.stderr, flush=True)
        return 2
    # The server's own lines at --log-level (info: a line a request); libraries only when they warn.
    logging.basicConfig(level="DEBUG" if args.log_level == "debug" else "WARNING", stream=sys.stderr,
                        format="%(asctime)s %(process)d %(levelname)s %(name)s: %(message)s")
    logging.getLogger("sync").setLevel(args.log_level.upper())
    try:
        # the URL checked; nothing is made or connected yet
        engine = make_engine(args.db, getattr(args, "db_connections", DB_CONNECTIONS))
    except DatabaseUrlError as exc:
        print(exc, file=sys.stderr)
        return 2
    made = _new_sqlite_file(args.db) if args.verb == "demo-county" else None  # removed if the command fails
    try:
        if args.verb == "demo-county" and args.households < 0:
            raise CommandError(f"--households {args.households} 不对：户数不能为负。 / --households must be 0 or more.")
        args.password = _password_first(args)  # before a database is made that the command cannot fill
        if args.verb == "serve":
            _check_serve(args)
        _check_sqlite_folder(args.db)
        upgrade_database(engine)
    except (PasswordNeeded, CommandError) as exc:
        engine.dispose()
        print(exc, file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # while migrating: rolled back, and a file made for it removed
        engine.dispose()
        _remove_database(made)
        raise
    except SQLAlchemyError as exc:
        engine.dispose()
        _remove_database(made)
        reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
        print(f"打不开数据库 {_shown(args.db)}：{reason} / Cannot open the database {_shown(args.db)}: {reason}",
              file=sys.stderr)
        return 2
    return _run_once(args, engine, made)


def _stale_message(stale: Stale) -> str:
    """Why the server will not run, and the command that mends it (for the code it runs: --tree)."""
    names = ", ".join(stale.modules[:3]) + (f" …（共 {len(stale.modules)} 个）" if len(stale.modules) > 3 else "")
    mend = f"python installer/compile_server.py --tree {TREE}"
    if stale.reason == "code":
        return (f"错误：代码在编译后有改动，编译的模块（{names}）已过时。请运行 {mend}（或加 --clean 改回解释执行）。 / "
                f"Error: the code changed after its modules were compiled ({len(stale.modules)} of them). Run {mend} "
                f"again (or with --clean to run interpreted).")
    return (f"错误：这些编译的模块没有记录（编译中途停止，或不是由 compile_server.py 编译的）：{names}。请运行 {mend}"
            f"（或加 --clean 改回解释执行）。 / Error: compiled modules not recorded by a finished compile: "
            f"{', '.join(stale.modules)}. Run {mend} (or with --clean to run interpreted).")


def _run_once(args: argparse.Namespace, engine, made: Path | None) -> int:  # noqa: ANN001
    """Run the verb; a database file this command made is removed again when it fails or is interrupted
    (its writes are one transaction, rolled back), so the same command can simply be run again."""
    try:
        code = _run(args, engine)
    except (AccountError, ValueError) as exc:
        print(exc, file=sys.stderr)
        code = 2
    except KeyboardInterrupt:
        if args.verb != "demo-county":
            raise
        print("已中断：演示县没有建成，数据库保持原样。 / Interrupted: no demo county was made; the database is "
              "as it was.", file=sys.stderr)
        code = 130
    except BaseException:
        engine.dispose()
        _remove_database(made)
        raise
    finally:
        engine.dispose()
    if code:
        _remove_database(made)
    return code


def _new_sqlite_file(url: str) -> Path | None:
    """The SQLite file of `url` if it does not exist yet (this command would make it)."""
    if not url.startswith("sqlite:///") or url == "sqlite:///:memory:":
        return None
    path = Path(url[len("sqlite:///"):])
    return None if path.exists() else path


def _remove_database(path: Path | None) -> None:
    if path is not None:
        for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            leftover.unlink(missing_ok=True)


class CommandError(Exception):
    """A command that cannot run as given (the message names the option and the problem)."""


def _password_first(args: argparse.Namespace) -> str | None:
    if args.verb == "demo-county":
        return read_password("演示用户的密码 / Password of the demo users: ")
    if args.verb == "user" and args.action == "add":
        return read_password("新用户的密码 / Password of the new user: ")
    return None


def _check_serve(args: argparse.Namespace) -> None:
    if not 1 <= args.port <= 65535:
        raise CommandError(f"--port {args.port} 不对：端口应在1到65535之间。 / --port must be from 1 to 65535.")
    if bool(args.tls_cert) != bool(args.tls_key):
        raise CommandError("--tls-cert 和 --tls-key 要一起给出。 / Give both --tls-cert and --tls-key.")
    for option, path in (("--tls-cert", args.tls_cert), ("--tls-key", args.tls_key)):
        if path and not Path(path).is_file():
            raise CommandError(f"{option}：找不到文件“{path}”。 / {option}: no such file {path}.")
    with socket.socket() as probe:  # said now, not after "county server on …" has been printed
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds: a closed port's TIME_WAIT is fine
        try:
            probe.bind((args.host, args.port))
        except OSError as exc:
            raise CommandError(f"无法使用 {args.host}:{args.port}（{exc.strerror}），端口可能已被占用。 / "
                               f"Cannot listen on {args.host}:{args.port}: {exc.strerror}.") from None


def _check_sqlite_folder(url: str) -> None:
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        folder = Path(url[len("sqlite:///"):]).parent
        if not folder.is_dir():
            raise CommandError(f"数据库所在的文件夹“{folder}”不存在。 / The folder {folder} of the database does not exist.")


def _shown(url: str) -> str:
    """The database URL without its password."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - an unparsable URL is shown as typed, minus nothing secret in it
        return url.split("@")[-1]


def _run(args: argparse.Namespace, engine) -> int:  # noqa: ANN001
    verbs = {("serve", None): _serve, ("user", "add"): _user_add, ("user", "disable"): _user_disabled,
             ("user", "enable"): _user_disabled, ("device", "list"): _device_list,
             ("device", "revoke"): _device_revoke, ("device", "audit"): _device_audit,
             ("device", "reinstate"): _device_reinstate, ("user", "scope"): _user_scope,
             ("demo-county", None): _demo_county}
    return verbs[(args.verb, getattr(args, "action", None))](args, engine)


def _user_add(args: argparse.Namespace, engine) -> int:  # noqa: ANN001
    with writing(engine) as conn:
        add_user(conn, args.username, args.password, args.role, args.scope, utc_now(), args.display_name)
    print(f"added {args.role} {args.username} ({args.scope})")
    return 0


def _user_disabled(args: argparse.Namespace, engine) -> int:  # noqa: ANN001
    with writing(engine) as conn:
        set_disabled(conn, args.username, args.action == "disable")
    print(f"{args.action}d {args.username}")
    return 0


def _device_list(args: argparse.Namespace, engine) -> int:  # noqa: ANN001
    with reading(engine) as conn:
        devices = list_devices(conn, args.username)
    _table(devices, ("device_id", "username", "name", "registered_at", "last_seen_at", "state", "audit"))
    return 0


def _device_audit(args: argparse.Namespace, engine) -> int:  # noqa: ANN001
    if args.clear:
        with writing(engine) as conn:
            done = clear_flag(conn, args.clear)
        print(f"cleared the audit flag of {args.clear}" if done else f"no flagged device {args.clear}", file=sys.stderr)
        return 0 if done else 1
    with reading(engine) as conn:
        devices = flagged_devices(conn)
    _table(devices, ("device_id", "username", "name", "audit_flagged_at", "audit_flag"))
    return 0


def _table(rows: list[dict], columns: tuple[str, ...]) -> None:
    """Rows as aligned columns under a header line; the last column may hold spaces."""
    lines = [columns] + [tuple(_cell(d, c) for c in columns) for d in rows]
    widths = [max(len(r[i]) for r in lines) for i in range(len(columns))]
    for r in lines:
        print("  ".join(cell.ljust(w) for cell, w in zip(r, widths)).rstrip())


def _cell(d: dict, column: str) -> str:
    if column == "state":
        return "revoked" if d["revoked_at"] else "account-disabled" if d["disabled"] else "active"
    if column == "audit":
        return "FLAGGED" if d["audit_flagged_at"] else "ok"
    value = d[column]
    return value.isoformat(timespec="seconds") if hasattr(value, "isoformat") else str(value or "—")


def _device_revoke(args: argparse.Namespace, engine) -> int:  # noqa: ANN001
    with writing(engine) as conn:
        done = revoke_device(conn, args.device, utc_now())
    print(f"revoked {args.device}" if done else f"no active device {args.device}", file=sys.stderr)
    return 0 if done else 1


def _device_reinstate(args: argparse.Namespace, engine) -> int:  # noqa: ANN001
    with writing(engine) as conn:
        done = reinstate_device(conn, args.device)
    print(f"reinstated {args.device}: its user logs in from it again" if done else
          f"no revoked device {args.device}", file=sys.stderr)
    return 0 if done else 1


def _user_scope(args: argparse.Namespace, engine) -> int:  # noqa: ANN001
    with writing(engine) as conn:
        set_scope(conn, args.username, args.scope)
    print(f"{args.username}: scope {args.scope}")
    return 0


def _demo_county(args: argparse.Namespace, engine) -> int:  # noqa: ANN001
    from sync.server.demo import make_demo_county

    with writing(engine) as conn:  # one transaction: a whole demo county or nothing
        users = make_demo_county(conn, args.password, utc_now(), households=args.households)
    print(f"demo county made; users: {', '.join(users)}; households: {args.households}")
    return 0


def _proxy_addresses(value: str) -> str:
    """`--proxy`: `*`, or IP addresses and networks separated by commas (a typo would otherwise be
    taken silently, and every client behind the balancer counted as one)."""
    items = [item.strip() for item in value.split(",")]
    for item in items:
        if item == "*":
            continue
        try:
            ipaddress.ip_network(item, strict=False)
        except ValueError:
            raise argparse.ArgumentTypeError(f"“{item}”不是IP地址或网段 / {item!r} is not an IP address or network") from None
    return ",".join(items)


def _connections(value: str) -> int:
    """`--db-connections`: a whole number from 1 to 100."""
    if not value.strip().isdigit() or not 1 <= int(value) <= 100:
        raise argparse.ArgumentTypeError(f"应为1到100之间的整数，而不是“{value}” / must be a whole number "
                                         f"from 1 to 100, not {value!r}")
    return int(value)


def _serve(args: argparse.Namespace, engine) -> int:  # noqa: ANN001
    import uvicorn

    from sync.server.app import CONNECTIONS_VARIABLE, DB_VARIABLE, create_app, for_serving

    compiled = COMPILED if isinstance(COMPILED, list) else []
    scheme = "https" if args.tls_cert else "http"
    running = f"hot modules compiled: {len(compiled)} of {len(HOT_MODULES)}" if compiled else "interpreted"
    print(f"安居 county server on {scheme}://{args.host}:{args.port} ({engine.url.render_as_string()}; {running})",
          file=sys.stderr, flush=True)
    options = dict(host=args.host, port=args.port, ssl_certfile=args.tls_cert, ssl_keyfile=args.tls_key,
                   log_level="warning", access_log=False)
    if args.proxy:  # behind a load balancer on another host every client would be its one address
        options.update(proxy_headers=True, forwarded_allow_ips=args.proxy)
    if args.workers > 1:  # each worker process opens its own engine on the (already migrated) database
        os.environ[DB_VARIABLE] = args.db
        os.environ[CONNECTIONS_VARIABLE] = str(args.db_connections)
        engine.dispose()  # the upgrade's connection: the supervising process serves nothing itself
        uvicorn.run("sync.server.app:app_from_environment", factory=True, workers=args.workers, **options)
    else:
        uvicorn.run(for_serving(create_app(engine), engine), **options)
    return 0


if __name__ == "__main__":
    sys.exit(main())
