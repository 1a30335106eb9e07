"""API keys at rest (salted scrypt hashes), rotation without restart, the CLI, throttling, the demo key."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from api_testdata import build_base_graph, write_analysis
from fastapi.testclient import TestClient

from api.main import create_app
from api.throttle import FailedAuthThrottle
from cli.commands.demo import demo_key
from graph.config import ApiKey, load_settings
from usecases.api_keys import KeyFile, KeyRing, hash_secret, secret_matches

ROOT = Path(__file__).resolve().parents[2]


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


@pytest.fixture
def keyed_app(falkordb_store, tmp_path: Path):
    """The app with no configured keys, only the key file in a temporary data dir."""
    build_base_graph(falkordb_store)
    write_analysis(falkordb_store)
    settings = load_settings(data_dir=tmp_path, response_cache_seconds=0, auth_failures_allowed=5)
    return create_app(settings, store=falkordb_store), KeyFile(tmp_path / "api-keys.json")


def test_keys_are_kept_as_salted_scrypt_hashes_never_in_clear(tmp_path: Path) -> None:
    keys = KeyFile(tmp_path / "api-keys.json")
    first, secret = keys.create("crm", "read")
    second, _ = keys.create("ops", "admin")
    text = keys.path.read_text()
    assert secret not in text and secret.split("_", 2)[2] not in text
    assert stat.S_IMODE(os.stat(keys.path).st_mode) == 0o600
    stored = json.loads(text)["keys"]
    assert [k["hash"].split("$")[0] for k in stored] == ["scrypt", "scrypt"]
    assert stored[0]["hash"].split("$")[4] != stored[1]["hash"].split("$")[4]  # a salt per key
    assert hash_secret("same") != hash_secret("same")  # salted: equal secrets, different hashes
    assert secret_matches(secret.split("_", 2)[2], first.hash)
    assert not secret_matches(secret.split("_", 2)[2] + "x", first.hash)
    ring = KeyRing([], keys.path)
    assert ring.verify(secret).name == "crm" and ring.verify(secret).role == "read"
    assert ring.verify(secret[:-1]) is None and ring.verify(f"rk_{second.id}_{secret[12:]}") is None


def test_a_new_key_works_and_a_revoked_one_stops_without_a_restart(keyed_app) -> None:
    app, keys = keyed_app
    with TestClient(app, raise_server_exceptions=False) as client:
        assert client.get("/v1/influencers", headers=bearer("rk_00000000_nothing")).status_code == 401
        _, secret = keys.create("crm", "read")
        assert client.get("/v1/influencers", headers=bearer(secret)).status_code == 200
        assert client.get("/v1/influencers", headers=bearer(secret)).status_code == 200  # (cached)
        _, replacement = keys.create("crm-2", "read")  # rotation: new key first, then revoke the old
        keys.revoke("crm")
        assert client.get("/v1/influencers", headers=bearer(secret)).status_code == 401
        assert client.get("/v1/influencers", headers=bearer(replacement)).status_code == 200


def test_destructive_operations_need_the_admin_role(keyed_app) -> None:
    app, keys = keyed_app
    _, writer = keys.create("writer", "write")
    _, admin = keys.create("admin", "admin")
    with TestClient(app, raise_server_exceptions=False) as client:
        assert (
            client.post("/v1/segments", json={"name": "s", "filter": {}}, headers=bearer(writer)).status_code
            == 201
        )
        assert client.delete("/v1/segments/s", headers=bearer(writer)).status_code == 403
        assert client.post("/v1/analysis/runs", headers=bearer(writer)).status_code == 403
        assert client.delete("/v1/segments/s", headers=bearer(admin)).status_code == 204


def test_repeated_invalid_keys_are_throttled_with_retry_after(keyed_app) -> None:
    app, keys = keyed_app
    _, good = keys.create("crm", "read")
    now = [1000.0]
    with TestClient(app, raise_server_exceptions=False) as client:
        app.state.auth_throttle = FailedAuthThrottle(5, 60.0, clock=lambda: now[0])
        for _ in range(10):  # no key at all is not a guess: never throttled
            assert client.get("/v1/influencers").status_code == 401
        for attempt in range(5):
            now[0] += 1
            assert client.get("/v1/influencers", headers=bearer(f"wrong-{attempt}")).status_code == 401
        throttled = client.get("/v1/influencers", headers=bearer(good))  # even the right key waits
        assert throttled.status_code == 429, throttled.text
        assert throttled.headers["content-type"] == "application/problem+json"
        assert throttled.json()["code"] == "too_many_requests"
        assert int(throttled.headers["retry-after"]) == 56  # the first failure (t=1001) leaves at t=1061
        now[0] += 56
        assert client.get("/v1/influencers", headers=bearer(good)).status_code == 200


def test_the_throttle_forgets_old_failures_and_tracks_a_bounded_number_of_clients() -> None:
    now = [0.0]
    throttle = FailedAuthThrottle(2, 10.0, max_clients=100, clock=lambda: now[0])
    for client in range(1000):
        throttle.failed(f"10.0.{client // 256}.{client % 256}")
    assert throttle.tracked == 100
    throttle.failed("a")
    throttle.failed("a")
    assert throttle.retry_after("a") == 10
    now[0] += 10.5  # a sliding window: both failures have left it
    assert throttle.retry_after("a") is None


def test_pre_hashed_keys_from_settings(falkordb_store, tmp_path: Path) -> None:
    _, secret = KeyFile(tmp_path / "elsewhere.json").create("deploy", "write")
    record = KeyFile(tmp_path / "elsewhere.json").read()[0]
    configured = ApiKey(key_id=record.id, key_hash=record.hash, role="write", name="deploy")
    settings = load_settings(data_dir=tmp_path / "data", api_keys=[configured])
    with TestClient(create_app(settings, store=falkordb_store), raise_server_exceptions=False) as client:
        assert client.get("/v1/segments", headers=bearer(secret)).status_code == 200
        assert client.get("/v1/segments", headers=bearer(secret + "x")).status_code == 401
    with pytest.raises(Exception, match="either 'key' or both"):
        ApiKey(key_id="abc", role="read")


def test_the_demo_key_is_created_once_and_reused_after_a_restart(tmp_path: Path) -> None:
    settings = load_settings(data_dir=tmp_path)
    first = demo_key(settings)
    assert first is not None
    assert demo_key(load_settings(data_dir=tmp_path)) is None  # the restart: nothing new, nothing shown
    (record,) = KeyFile(tmp_path / "api-keys.json").read()
    assert record.role == "admin" and record.name == "demo"
    assert KeyRing([], tmp_path / "api-keys.json").verify(first).role == "admin"  # still the key
    configured = load_settings(data_dir=tmp_path / "other", api_keys=[ApiKey(key="mine-123", role="admin")])
    assert demo_key(configured) == "mine-123"
    assert not (tmp_path / "other" / "api-keys.json").exists()


def rapport(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cli", *args], cwd=ROOT, capture_output=True, text=True, timeout=60
    )


def test_rapport_keys_create_list_revoke(tmp_path: Path) -> None:
    created = rapport("keys", "create", "crm", "--role", "write", "--data-dir", str(tmp_path))
    assert created.returncode == 0, created.stderr
    secret = created.stdout.strip()
    assert secret.startswith("rk_") and "only time" in created.stderr
    listed = rapport("keys", "list", "--json", "--data-dir", str(tmp_path))
    (row,) = json.loads(listed.stdout)
    assert row["name"] == "crm" and row["role"] == "write" and secret not in listed.stdout
    assert "scrypt" not in listed.stdout
    assert KeyRing([], tmp_path / "api-keys.json").verify(secret).name == "crm"
    assert rapport("keys", "revoke", row["id"], "--data-dir", str(tmp_path)).returncode == 0
    assert KeyRing([], tmp_path / "api-keys.json").verify(secret) is None
    missing = rapport("keys", "revoke", "nobody", "--data-dir", str(tmp_path))
    assert missing.returncode == 4 and "nobody" in missing.stderr


def test_key_operations_over_http_need_admin_and_take_effect_at_once(keyed_app) -> None:
    app, keys = keyed_app
    _, admin = keys.create("root", "admin")
    _, writer = keys.create("writer", "write")
    with TestClient(app, raise_server_exceptions=False) as client:
        assert client.get("/v1/keys", headers=bearer(writer)).status_code == 403
        assert client.post("/v1/keys", json={"name": "x"}, headers=bearer(writer)).status_code == 403
        created = client.post("/v1/keys", json={"name": "crm", "role": "read"}, headers=bearer(admin))
        assert created.status_code == 201, created.text
        secret, key_id = created.json()["key"], created.json()["id"]
        assert client.get("/v1/influencers", headers=bearer(secret)).status_code == 200
        listed = client.get("/v1/keys", headers=bearer(admin))
        assert {k["name"] for k in listed.json()["items"]} == {"root", "writer", "crm"}
        assert secret not in listed.text and "scrypt" not in listed.text
        assert client.delete(f"/v1/keys/{key_id}", headers=bearer(writer)).status_code == 403
        assert client.delete(f"/v1/keys/{key_id}", headers=bearer(admin)).status_code == 204
        assert client.get("/v1/influencers", headers=bearer(secret)).status_code == 401
        assert client.delete(f"/v1/keys/{key_id}", headers=bearer(admin)).status_code == 404
