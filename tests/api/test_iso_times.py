"""Every epoch-ms time in a response has its ISO 8601 twin (``<name>_iso``), the same instant (both engines)."""

from __future__ import annotations

from datetime import datetime

import pytest
from api_testdata import AS_OF, auth, build_base_graph, make_app, write_analysis
from fastapi.testclient import TestClient

from api.schemas import iso8601


def epoch_ms(iso: str) -> int:
    """An independent reading of the ISO text (``fromisoformat``), back to epoch ms."""
    return round(datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp() * 1000)


@pytest.mark.parametrize(
    ("ms", "text"),
    [
        (0, "1970-01-01T00:00:00.000Z"),
        (AS_OF, "2026-01-01T00:00:00.000Z"),
        (AS_OF + 1234, "2026-01-01T00:00:01.234Z"),
        (951_782_400_000, "2000-02-29T00:00:00.000Z"),
        (None, None),
        (10**18, None),  # beyond year 9999: no ISO text rather than an error
    ],
)
def test_iso8601_of_known_instants(ms, text) -> None:
    assert iso8601(ms) == text


def pairs(value: object, found: list[tuple[str, int | None, str | None]]) -> list:
    """Every (name, epoch, iso) pair in a JSON document."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key.endswith("_iso"):
                found.append((key, value[key.removesuffix("_iso")], item))
            else:
                pairs(item, found)
    elif isinstance(value, list):
        for item in value:
            pairs(item, found)
    return found


def test_responses_carry_iso_times_beside_epoch_ms(store) -> None:
    build_base_graph(store)
    write_analysis(store)
    with TestClient(make_app(store), raise_server_exceptions=False) as client:
        assert client.post("/v1/segments", json={"name": "s"}, headers=auth("write")).status_code == 201
        documents = [
            client.get(path, headers=auth()).json()
            for path in (
                "/v1/customers/c1",
                "/v1/profiles/tw:user01",
                "/v1/brands/acme/advocates",
                "/v1/segments/s",
                "/v1/segments/s/members",
                "/v1/analysis/runs",
            )
        ]
    found = pairs(documents, [])
    names = {name for name, _, _ in found}
    assert {
        "as_of_iso",
        "finished_at_iso",
        "created_at_iso",
        "week_start_iso",
        "last_purchase_at_iso",
    } <= names
    assert {"started_at_iso", "last_post_at_iso"} <= names
    for name, ms, iso in found:
        assert (ms is None) == (iso is None), name
        if ms is not None:
            assert epoch_ms(iso) == ms, name
    run = documents[4]["run"]
    assert run["as_of"] == AS_OF and run["as_of_iso"] == "2026-01-01T00:00:00.000Z"


def test_every_epoch_ms_field_of_a_response_has_its_iso_twin() -> None:
    """Read from the OpenAPI document: an integer named ``*_at``, ``*_ms``, ``start``/``end``/
    ``week_start``/``as_of``, or described as epoch ms, in any response schema, has ``<name>_iso``."""
    from api.main import create_app
    from graph.config import Settings

    document = create_app(Settings(api_keys=[])).openapi()
    requests = {"AnalysisRequest"}  # request bodies take epoch ms only
    missing = []
    for name, schema in document["components"]["schemas"].items():
        properties = schema.get("properties", {})
        for field, sub in properties.items():
            types = {sub.get("type")} | {option.get("type") for option in sub.get("anyOf", [])}
            timely = field.endswith(("_at", "_ms", "start", "end")) or field == "as_of"
            epoch = "integer" in types and (timely or "epoch" in (sub.get("description") or "").lower())
            if epoch and name not in requests and f"{field}_iso" not in properties:
                missing.append(f"{name}.{field}")
    assert missing == []
