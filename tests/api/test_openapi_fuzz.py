"""Schema-driven fuzzing of every operation in the OpenAPI document: no input gives a 5xx.

Uses schemathesis (its ASGI transport, in process, offline) with a write key so requests reach
the handlers; each operation gets a bounded number of generated cases (well under a minute).
"""

from __future__ import annotations

import uuid

import pytest
import schemathesis  # noqa: E402  (a test dependency in pyproject)
from api_testdata import KEYS, build_base_graph, make_app, write_analysis
from hypothesis import HealthCheck, given, settings

from graph.engines.falkordb import FalkorDBEngine
from graph.store import CypherGraphStore


@pytest.fixture(scope="module")
def fuzz_store(falkordb_server):
    engine = FalkorDBEngine(
        graph_name=f"fuzz_{uuid.uuid4().hex[:12]}", url=f"unix://{falkordb_server.socket_path}"
    )
    store = CypherGraphStore(engine)
    engine.connect()
    store.ensure_schema()
    build_base_graph(store)
    write_analysis(store)
    yield store
    store.engine.connection.execute_command("GRAPH.DELETE", store.engine.graph_name)
    store.close()


@pytest.fixture(scope="module")
def fuzz_schema(fuzz_store):
    return schemathesis.openapi.from_asgi("/openapi.json", make_app(fuzz_store))


def test_no_generated_request_gets_a_server_error(fuzz_schema) -> None:
    headers = {"Authorization": f"Bearer {KEYS['admin']}"}
    operations = [result.ok() for result in fuzz_schema.get_all_operations()]
    assert len(operations) >= 11

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def check(case) -> None:
            response = case.call(headers=headers)
            assert response.status_code < 500, (case.method, case.formatted_path, response.text[:500])
            if response.status_code >= 400:
                content_type = response.headers.get("content-type") or [""]
                content_type = content_type[0] if isinstance(content_type, list) else content_type
                assert content_type.startswith("application/problem+json"), (case.method, case.formatted_path)
                assert "Traceback" not in response.text

        check()
