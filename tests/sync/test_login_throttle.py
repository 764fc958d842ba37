"""Password guessing at the county server: failed logins make the account and the client address
wait (429 with Retry-After), the right password included, across server processes; and the admin's
verbs that disable an account and list devices. Real servers over real HTTP, real CLI processes;
the servers' clock is the test's, so that no test waits for time to pass."""
from __future__ import annotations

import subprocess
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
import requests

from core.models import utc_now
from sync.client import CountyServer, LoginRequired, TooManyAttempts
from sync.server.throttle import ACCOUNT_FREE, ADDRESS_FREE
from tests.sync.conftest import PASSWORD, County
from tests.sync.sync_helpers import new_household, run_sync, server_count
from tests.installed import ANJU_SERVER, OUTSIDE


class Clock:
    def __init__(self) -> None:
        self.now = utc_now()

    def __call__(self):  # noqa: ANN204
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock() -> Clock:
    return Clock()


def _server(db_url: str, clock: Clock) -> County:
    from sync.server.db import open_database

    county = County(db_url, engine=open_database(db_url), clock=clock)
    county.start_in_thread()
    return county


@pytest.fixture
def servers(db_url: str, clock: Clock):
    """Two servers on one county database, as `serve --workers 2` runs two processes."""
    both = [_server(db_url, clock), _server(db_url, clock)]
    yield both
    for county in both:
        county.stop()
        county.engine.dispose()


def login(county: County, username: str, password: str, device_id: str = "dev-t1") -> requests.Response:
    return requests.post(county.url + "/api/v1/auth/login", headers={"Anju-Protocol": "1"}, timeout=60,
                         json={"username": username, "password": password, "device_id": device_id})


def _wait_of(answer: requests.Response) -> int:
    assert answer.status_code == 429, answer.text
    assert answer.json()["error"] == "too_many_attempts" and "登录失败次数过多" in answer.json()["message"]
    return int(answer.headers["Retry-After"])


def test_failed_logins_make_the_account_wait_the_right_password_too(servers, clock):
    county = servers[0]
    for _ in range(ACCOUNT_FREE):
        assert login(county, "w1", "wrong password").status_code == 401
    wait = _wait_of(login(county, "w1", PASSWORD))  # the right password, during the wait: refused too
    assert wait >= 1 and f"{wait} 秒" in login(county, "w1", PASSWORD).json()["message"]
    client = CountyServer(county.url, retries=0)
    with pytest.raises(TooManyAttempts, match=f"请 {wait} 秒后再试.*try again in {wait} seconds") as refused:
        client.login("w1", PASSWORD, "dev-t1")
    client.close()
    assert refused.value.seconds == wait
    assert login(county, "w2", PASSWORD, "dev-t2").status_code == 200  # another account is not held up
    clock.advance(wait)
    assert login(county, "w1", "wrong password").status_code == 401  # after the wait: checked again
    longer = _wait_of(login(county, "w1", PASSWORD))
    assert longer > wait  # and each further failure waits longer
    clock.advance(longer)
    assert login(county, "w1", PASSWORD).status_code == 200
    # The right password cleared the account's count: a few failures again do not make it wait.
    for _ in range(ACCOUNT_FREE - 1):
        assert login(county, "w1", "wrong password").status_code == 401
    assert login(county, "w1", PASSWORD).status_code == 200


def test_the_wait_holds_on_every_server_process(servers):
    first, second = servers
    for _ in range(ACCOUNT_FREE):
        assert login(first, "w1", "wrong password").status_code == 401
    _wait_of(login(second, "w1", PASSWORD))


def test_failed_logins_from_one_address_make_every_account_there_wait(servers, clock):
    county = servers[0]
    for i in range(ADDRESS_FREE):  # guessing names rather than passwords
        assert login(county, f"guess-{i}", "wrong password").status_code == 401
    wait = _wait_of(login(county, "w2", PASSWORD, "dev-t2"))
    clock.advance(wait)
    assert login(county, "w2", PASSWORD, "dev-t2").status_code == 200


def test_guesses_sent_side_by_side_are_all_counted(servers):
    county = servers[0]
    with ThreadPoolExecutor(12) as pool:
        answers = list(pool.map(lambda i: login(servers[i % 2], "w1", f"guess {i}").status_code, range(12)))
    assert answers.count(401) <= ACCOUNT_FREE and answers.count(429) >= 12 - ACCOUNT_FREE
    _wait_of(login(county, "w1", PASSWORD))


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # the server's address handling: one database is enough
def test_behind_a_load_balancer_each_client_is_counted_apart_only_when_the_balancer_is_named(db_url):
    """`serve --proxy` names the load balancer: the client addresses it forwards are counted apart.
    Behind a balancer not named, every client is the balancer's one address, and guesses from a few
    of them make all the others wait."""
    for proxy, all_wait in (("192.0.2.1", True), ("127.0.0.1", False)):
        county = County(db_url)
        county.start_process("--proxy", proxy)
        try:
            for i in range(ADDRESS_FREE):
                answer = requests.post(county.url + "/api/v1/auth/login", timeout=60,
                                       headers={"Anju-Protocol": "1", "X-Forwarded-For": f"10.0.0.{i + 1}"},
                                       json={"username": f"guess-{proxy}-{i}", "password": "wrong",
                                             "device_id": "dev-lb"})
                assert answer.status_code == 401
            honest = requests.post(county.url + "/api/v1/auth/login", timeout=60,
                                   headers={"Anju-Protocol": "1", "X-Forwarded-For": "10.0.1.1"},
                                   json={"username": "w2", "password": PASSWORD, "device_id": f"dev-lb-{proxy}"})
            assert honest.status_code == (429 if all_wait else 200), honest.text
        finally:
            county.stop()


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_balancer_address_mistyped_is_refused_before_the_server_starts(db_url):
    done = subprocess.run([ANJU_SERVER, "serve", "--db", db_url, "--proxy", "10.0.0.1,10.0.0.x"], cwd=OUTSIDE,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "--proxy" in done.stderr and "10.0.0.x" in done.stderr
    assert "Traceback" not in done.stderr


# -- the admin's verbs ----------------------------------------------------------------------

def admin(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([ANJU_SERVER, *args], cwd=OUTSIDE, capture_output=True, text=True,
                          timeout=120)


def _devices(db_url: str, *args: str) -> dict[str, list[str]]:
    done = admin("device", "list", "--db", db_url, *args)
    assert done.returncode == 0, done.stderr
    header, *lines = done.stdout.splitlines()
    assert header.split() == ["device_id", "username", "name", "registered_at", "last_seen_at", "state", "audit"]
    return {line.split()[0]: line.split() for line in lines}


def test_a_disabled_account_can_neither_log_in_nor_sync_until_enabled(enrol, county):
    w1, w2 = enrol("w1"), enrol("w2")
    assert set(_devices(county.db_url, "--username", "w1")) == {w1.info.device_id}
    assert set(_devices(county.db_url)) == {w1.info.device_id, w2.info.device_id}
    done = admin("user", "disable", "--db", county.db_url, "--username", "w1")
    assert done.returncode == 0 and "disabled w1" in done.stdout
    assert _devices(county.db_url, "--username", "w1")[w1.info.device_id][-2] == "account-disabled"
    new_household(w1)
    with pytest.raises(LoginRequired, match="停用"):
        run_sync(w1)  # the token it holds stopped working
    client = CountyServer(county.url)
    with pytest.raises(LoginRequired, match="停用"):
        client.login("w1", PASSWORD, w1.info.device_id)
    client.close()
    assert w1.pending_change_count() > 0 and server_count(county, "household") == 0
    assert admin("user", "enable", "--db", county.db_url, "--username", "w1").returncode == 0
    run_sync(w1)
    assert w1.pending_change_count() == 0 and server_count(county, "household") == 1
    assert _devices(county.db_url, "--username", "w1")[w1.info.device_id][-2] == "active"


def test_the_admin_verbs_name_a_user_that_does_not_exist(db_url):
    for verb in (("user", "disable"), ("device", "list")):
        done = admin(*verb, "--db", db_url, "--username", "nobody")
        assert done.returncode == 2 and "没有用户“nobody”" in done.stderr
