"""Wrong server addresses and CA files, as users type them, through `main.py enroll` and `main.py
sync` as real processes: one clear line (Chinese, then English), a non-zero exit, no traceback,
no urllib3 text, and no profile left behind."""
from __future__ import annotations

import http.server
import os
import socket
import subprocess
import threading

import pytest

from tests.core.test_commands import run_main
from tests.sync.conftest import PASSWORD, free_port
from tests.installed import ANJU_SERVER, OUTSIDE


@pytest.fixture
def other_web_server():
    """A web server that is not Anju: every path answers 404 with an HTML page."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), http.server.SimpleHTTPRequestHandler)
    server.RequestHandlerClass.log_message = lambda *a, **k: None
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


CASES = [
    # (what the user typed as the server, extra arguments, words the one line must hold)
    ("127.0.0.1:8765", [], "应以 http:// 或 https:// 开头"),
    ("htp://127.0.0.1:8765", [], "应以 http:// 或 https:// 开头"),
    ("http://127.0.0.1:99999", [], "端口不对"),
    ("http://127.0.0.1:9", [], "连接被拒绝"),
    ("http://no-such-host.invalid:8765", [], "找不到这个主机名"),
    ("{county}", ["--ca-bundle", "county-ca.pem"], "CA证书只用于 https://"),
    ("{https_county}", ["--ca-bundle", "missing-ca.pem"], "找不到CA证书文件"),
    ("{https_county}", [], "不支持 HTTPS"),
    ("{other}", [], "不是安居县服务器"),
]


@pytest.mark.parametrize("typed, extra, words", CASES, ids=[c[0] + " " + " ".join(c[1]) for c in CASES])
def test_enroll_says_what_is_wrong_in_one_line_and_makes_nothing(county, other_web_server, tmp_path, typed,
                                                                  extra, words):
    if "sqlite" not in county.db_url:
        pytest.skip("the answers do not depend on the county's database")
    url = typed.format(county=county.url, https_county=county.url.replace("http://", "https://"),
                       other=other_web_server)
    (tmp_path / "county-ca.pem").write_text("not used", encoding="utf-8")
    extra = [str(tmp_path / a) if a.endswith(".pem") else a for a in extra]
    result = run_main("enroll", "--profile", str(tmp_path / "w1"), "--server", url, "--username", "w1", *extra,
                      password=PASSWORD)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.returncode != 0
    assert words in result.stderr, result.stderr
    assert len(lines) == 1 and " / " in lines[0], result.stderr
    for raw in ("Traceback", "urllib3", "HTTPConnectionPool", "Max retries"):
        assert raw not in result.stderr
    assert not (tmp_path / "w1").exists() and not [p for p in tmp_path.iterdir() if "anju-new" in p.name]


def test_sync_to_a_mistyped_or_foreign_address_keeps_the_outbox(county, other_web_server, tmp_path):
    if "sqlite" not in county.db_url:
        pytest.skip("the answers do not depend on the county's database")
    profile = tmp_path / "w1"
    assert run_main("enroll", "--profile", str(profile), "--server", county.url, "--username", "w1",
                    password=PASSWORD).returncode == 0
    from core.store import Store
    from tests.sync.sync_helpers import new_household

    with Store.open(profile, PASSWORD) as store:
        new_household(store)
        pending = store.pending_change_count()
    for url, words in (("127.0.0.1:8765", "http://"), (other_web_server, "不是安居县服务器")):
        result = run_main("sync", "--profile", str(profile), "--server", url, password=PASSWORD)
        assert result.returncode != 0 and words in result.stderr and "Traceback" not in result.stderr
    with Store.open(profile, PASSWORD) as store:
        assert store.pending_change_count() == pending


def _server_cli(*args: str, password: str | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "ANJU_PASSWORD"}
    if password:
        env["ANJU_PASSWORD"] = password
    return subprocess.run([ANJU_SERVER, *args], cwd=OUTSIDE, env=env, capture_output=True,
                          text=True, timeout=120, stdin=subprocess.DEVNULL)


@pytest.fixture
def busy_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        yield s.getsockname()[1]


SERVER_CASES = [
    # (arguments, what the one line must hold, a file that must not be left)
    (["demo-county", "--db", "sqlite:///{tmp}/county.db"], "需要密码", "county.db"),
    (["user", "add", "--db", "sqlite:///{tmp}/county.db", "--username", "u1", "--role", "worker", "--scope", "x"],
     "需要密码", "county.db"),
    (["serve", "--db", "sqlite:///{tmp}/no-such-folder/county.db"], "不存在", "no-such-folder"),
    (["serve", "--db", "sqlite:///{tmp}/county.db", "--port", "99999"], "1到65535", "county.db"),
    (["serve", "--db", "sqlite:///{tmp}/county.db", "--port", "{busy}"], "端口可能已被占用", "county.db"),
    (["serve", "--db", "sqlite:///{tmp}/county.db", "--tls-cert", "{tmp}/no.pem", "--tls-key", "{tmp}/no.key"],
     "找不到文件", "county.db"),
    (["serve", "--db", "postgresql+psycopg://nobody:secret-pw@127.0.0.1:5432/no_such_db"], "打不开数据库", None),
]


@pytest.mark.parametrize("args, words, not_left", SERVER_CASES, ids=[" ".join(c[0][:2]) + f" {i}"
                                                                       for i, c in enumerate(SERVER_CASES)])
def test_the_server_command_says_what_is_wrong_in_one_line(tmp_path, busy_port, args, words, not_left):
    result = _server_cli(*[a.format(tmp=tmp_path, busy=busy_port) for a in args])
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.returncode != 0 and words in result.stderr, result.stderr
    assert len(lines) == 1 and "Traceback" not in result.stderr and "county server on" not in result.stderr
    assert "secret-pw" not in result.stderr, "a database password is never printed"
    if not_left:
        assert not (tmp_path / not_left).exists()


def test_main_takes_the_profile_before_the_verb_and_says_where_a_folder_cannot_be(tmp_path):
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    made = run_main("--profile", str(tmp_path / "p"), "demo-data", "--households", "3", password=PASSWORD)
    assert made.returncode == 0, made.stderr
    status = run_main("--profile", str(tmp_path / "p"), "status", "--json", password=PASSWORD)
    assert status.returncode == 0 and '"households": 3' in status.stdout
    for args in (["demo-data", "--profile", str(tmp_path / "afile" / "p"), "--households", "3"],
                 ["screenshots", "--out", str(tmp_path / "afile" / "shots")],
                 ["enroll", "--profile", str(tmp_path / "afile"), "--server", "http://127.0.0.1:9", "--username", "w1"]):
        result = run_main(*args, password=PASSWORD)
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        assert result.returncode != 0 and len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
        assert "afile" in result.stderr


def test_the_server_logs_a_line_a_request_without_record_values(county, caplog):
    import logging

    import requests

    if "sqlite" not in county.db_url:
        pytest.skip("the log does not depend on the county's database")
    with caplog.at_level(logging.INFO, logger="sync.server.requests"):
        assert requests.get(county.url + "/api/v1/health", timeout=10).ok
        requests.post(county.url + "/api/v1/auth/login", json={"username": "w1", "password": "王建国的秘密-1",
                                                                "device_id": "dev-x"}, timeout=10)
    lines = [r.getMessage() for r in caplog.records if r.name == "sync.server.requests"]
    assert any(line.startswith("GET /api/v1/health 200") for line in lines), lines
    assert any(line.startswith("POST /api/v1/auth/login") for line in lines), lines
    assert not any("王建国" in line or "秘密" in line for line in lines)
