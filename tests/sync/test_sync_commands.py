"""`main.py enroll`, `main.py sync` and `python -m sync.server …` as scripts call them: real
processes, a real server, real profiles."""
from __future__ import annotations

import json

from tests.core.test_commands import run_main
from tests.sync.conftest import PASSWORD
from tests.sync.sync_helpers import new_household, server_row

import subprocess
from tests.installed import ANJU_SERVER, OUTSIDE


def test_enroll_then_sync_then_status(county, tmp_path):
    profile = tmp_path / "w1"
    enrolled = run_main("enroll", "--profile", str(profile), "--server", county.url, "--username", "w1",
                        password=PASSWORD)
    assert enrolled.returncode == 0, enrolled.stderr
    assert "pulled: 7 records" in enrolled.stdout  # the county's areas, settlement and grids

    from core.store import Store

    with Store.open(profile, PASSWORD) as store:
        assert [g["code"] for g in store.grids()] == ["522601100201-01", "522601100201-02", "522601100202-01"]
        hid = new_household(store)
    synced = run_main("sync", "--profile", str(profile), password=PASSWORD)
    assert synced.returncode == 0, synced.stderr
    assert "applied 2" in synced.stdout
    assert server_row(county, "household", hid)["created_by"] == "w1"
    status = json.loads(run_main("status", "--profile", str(profile), "--json", password=PASSWORD).stdout)
    assert status["pending_changes"] == 0 and status["server"] == county.url and status["last_sync"]


def test_enroll_with_a_wrong_password_makes_no_profile(county, tmp_path):
    profile = tmp_path / "w1"
    result = run_main("enroll", "--profile", str(profile), "--server", county.url, "--username", "w1",
                      password="wrong password")
    assert result.returncode == 1 and "用户名或密码不正确" in result.stderr
    assert not (profile / "profile.json").exists()


def test_sync_with_the_server_down_fails_and_keeps_the_outbox(county, tmp_path):
    profile = tmp_path / "w1"
    assert run_main("enroll", "--profile", str(profile), "--server", county.url, "--username", "w1",
                    password=PASSWORD).returncode == 0
    from core.store import Store

    with Store.open(profile, PASSWORD) as store:
        new_household(store)
    result = run_main("sync", "--profile", str(profile), "--server", "http://127.0.0.1:9", password=PASSWORD)
    assert result.returncode == 1 and "连不上县服务器" in result.stderr
    with Store.open(profile, PASSWORD) as store:
        assert store.pending_change_count() > 0


def test_server_user_add_names_what_is_wrong(db_url):
    def server(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([ANJU_SERVER, *args, "--db", db_url], cwd=OUTSIDE,
                              capture_output=True, text=True, timeout=120, env={"ANJU_PASSWORD": "secret-9",
                                                                                "PATH": "/usr/bin:/bin"})
    ok = server("user", "add", "--username", "w9", "--role", "worker", "--scope", "522601100201-02")
    assert ok.returncode == 0, ok.stderr
    assert "没有这些网格" in server("user", "add", "--username", "w10", "--role", "worker", "--scope", "nope").stderr
    assert "已经存在" in server("user", "add", "--username", "w9", "--role", "worker",
                                "--scope", "522601100201-02").stderr
    assert "--db must be" in subprocess.run([ANJU_SERVER, "demo-county", "--db", "mysql://x"],
                                            cwd=OUTSIDE, capture_output=True, text=True, timeout=60).stderr


def test_serve_with_two_worker_processes(db_url, tmp_path):
    """`serve --workers 2` (PostgreSQL's production setting): each process opens its own engine."""
    from sync.client import enroll
    from tests.sync.conftest import County
    from tests.sync.sync_helpers import run_sync

    county = County(db_url)
    county.process = subprocess.Popen(
        [ANJU_SERVER, "serve", "--db", db_url, "--port", str(county.port), "--workers", "2"],
        cwd=OUTSIDE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    try:
        county.wait_ready()
        store, report = enroll(tmp_path / "w1", county.url, "w1", PASSWORD)
        with store:
            new_household(store)
            assert run_sync(store).pushed == {"applied": 2}
            assert report.pulled == 7
    finally:
        import os
        import signal

        os.killpg(county.process.pid, signal.SIGTERM)
        county.process.wait(20)


def test_https_with_the_countys_own_ca(county, tmp_path):
    """`serve --tls-cert/--tls-key`: a laptop given the county's CA connects; one without it refuses."""
    import trustme

    from sync.client import CountyServer, ServerUnreachable
    from tests.sync.conftest import County

    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1")
    cert_file, key_file, ca_file = tmp_path / "server.pem", tmp_path / "server.key", tmp_path / "county-ca.pem"
    for i, pem in enumerate(cert.cert_chain_pems):  # the leaf and any intermediate
        pem.write_to_path(str(cert_file), append=i > 0)
    cert.private_key_pem.write_to_path(str(key_file))
    ca.cert_pem.write_to_path(str(ca_file))
    secure = County(county.db_url)
    secure.process = subprocess.Popen(
        [ANJU_SERVER, "serve", "--db", county.db_url, "--port", str(secure.port),
         "--tls-cert", str(cert_file), "--tls-key", str(key_file)], cwd=OUTSIDE, stderr=subprocess.PIPE)
    url = f"https://127.0.0.1:{secure.port}"
    try:
        for _ in range(300):
            try:
                CountyServer(url, ca_bundle=str(ca_file), retries=0).health()
                break
            except ServerUnreachable:
                import time

                time.sleep(0.1)
        trusted = CountyServer(url, ca_bundle=str(ca_file))
        assert trusted.login("w1", PASSWORD, "dev-tls")["role"] == "worker"
        trusted.close()
        import pytest

        with pytest.raises(ServerUnreachable, match="证书"):
            CountyServer(url, retries=0).health()
    finally:
        secure.stop()
