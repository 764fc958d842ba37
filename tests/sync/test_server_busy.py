"""PostgreSQL: a county server process keeps a few database connections (`serve --db-connections`), so
that fifty laptops pushing at once do not make fifty backends take turns on the database's cores. A
request that finds every connection busy for long is answered 503 with Retry-After and nothing of it
is done; the laptop tries again and goes through once a connection is free."""
from __future__ import annotations

import logging
import threading

import pytest

from sync.client import CountyServer
from sync.errors import ServerUnreachable
from tests.sync.conftest import PASSWORD, running_county

pytestmark = pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)


@pytest.fixture
def one_connection_county(db_url: str):
    """The county server with one database connection, which a request waits half a second for."""
    with running_county(db_url, connections=1, wait_for_connection=0.5) as county:
        yield county


def test_a_request_that_finds_no_connection_free_is_answered_busy_and_tried_again(one_connection_county, caplog):
    county = one_connection_county
    laptop = CountyServer(county.url, retries=0)
    laptop.login("w1", PASSWORD, device_id="d-busy", device_name="busy")
    patient = CountyServer(county.url, token=laptop.token, retries=6, backoff=0.2)
    held = county.engine.connect()  # the server's one connection, busy with something long
    try:
        with caplog.at_level(logging.WARNING, logger="sync.server.requests"):
            with pytest.raises(ServerUnreachable) as refused:
                laptop.changes(0)
        assert "县服务器正忙" in str(refused.value)
        assert [r.getMessage().split(" (")[0] for r in caplog.records] == ["no database connection came free, answered 503"]
        raw = laptop.http.get(county.url + "/api/v1/sync/changes", params={"since": 0},
                              headers={"Authorization": f"Bearer {laptop.token}", "Anju-Protocol": "2"})
        assert (raw.status_code, raw.json()["error"], raw.headers.get("Retry-After")) == (503, "server_busy", "5")
        threading.Timer(1.0, held.close).start()  # the long thing ends: the connection goes back
        page = patient.changes(0)  # tried again until it goes through
        assert page.changes, "the demo county's reference data, once a connection was free"
    finally:
        held.close()
        laptop.close()
        patient.close()
