"""Schema-driven fuzzing of every operation in the OpenAPI document, with **all** schemathesis checks.

Uses schemathesis (its ASGI transport, in process, offline) with an admin key so requests reach the
handlers. Each operation gets a bounded number of schema-valid cases (``positive``: they must be
accepted, and every response must be documented, with its media type, headers and schema) and of
schema-violating ones (``negative``: they must be rejected); no input may give a 5xx. Failures are
collected over all operations and reported together.

Two things are set for the fuzzing only, each for a reason:

- ``cursor`` parameters are not generated: a cursor is an opaque token the API issues, so any
  string but one it issued is refused (422 ``invalid_cursor``, tested in test_auth_and_errors.py),
  which the positive-data check would take for a schema-valid request rejected.
- the failed-authentication throttle allows every attempt: the ``ignored_auth`` check presents
  invalid keys on purpose, and a throttled address would then get 429 for the valid ones.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
import schemathesis  # (a test dependency in pyproject)
from api_testdata import KEYS, build_base_graph, write_analysis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import checks
from schemathesis.generation import GenerationMode

from api.main import create_app
from graph.config import ApiKey, load_settings
from graph.engines.falkordb import FalkorDBEngine
from graph.store import CypherGraphStore

EXAMPLES_PER_MODE = 6


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
def fuzz_schema(fuzz_store, tmp_path_factory):
    app_settings = load_settings(
        data_dir=Path(tmp_path_factory.mktemp("fuzz-data")),
        api_keys=[ApiKey(key=key, role=role, name=f"{role}-key") for role, key in KEYS.items()],
        auth_failures_allowed=10**9,
        response_cache_seconds=0,
    )
    return schemathesis.openapi.from_asgi("/openapi.json", create_app(app_settings, store=fuzz_store))


@schemathesis.hook
def map_query(context, query):  # noqa: ARG001 - the hook's signature
    if query and "cursor" in query:
        return {name: value for name, value in query.items() if name != "cursor"}
    return query


def all_checks() -> list:
    checks.load_all_checks()
    return [checks.CHECKS.get_one(name) for name in checks.CHECKS.get_all_names()]


def test_every_operation_passes_every_check(fuzz_schema) -> None:
    headers = {"Authorization": f"Bearer {KEYS['admin']}"}
    every_check = all_checks()
    assert len(every_check) >= 14
    operations = [result.ok() for result in fuzz_schema.get_all_operations()]
    assert len(operations) >= 14
    failures: dict[str, str] = {}
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(
                max_examples=EXAMPLES_PER_MODE,
                deadline=None,
                suppress_health_check=list(HealthCheck),
                database=None,
                # the same examples every run, so CI is reproducible; a random sweep
                # (RAPPORT_FUZZ_RANDOM=1) explores further
                derandomize=os.environ.get("RAPPORT_FUZZ_RANDOM") != "1",
            )
            def check(case) -> None:
                case.call_and_validate(headers=headers, checks=every_check)

            try:
                check()
            except Unsatisfiable:  # no parameter and no body (GET /health): nothing can violate the schema
                assert mode is GenerationMode.NEGATIVE, operation.label
            except Exception as failure:  # noqa: BLE001 - collected, reported below
                failures[f"{operation.label} ({mode.value})"] = str(failure)[:1500]
    assert not failures, "\n\n".join(f"{label}:\n{text}" for label, text in failures.items())


def test_the_document_describes_problem_responses_and_the_page_size_maximum(fuzz_schema) -> None:
    document = fuzz_schema.raw_schema
    influencers = document["paths"]["/v1/influencers"]["get"]
    for status in ("401", "403", "404", "409", "422", "429", "503"):
        assert "application/problem+json" in influencers["responses"][status]["content"], status
    assert influencers["responses"]["429"]["headers"]["Retry-After"]["required"] is True
    events = document["paths"]["/v1/events"]["post"]["responses"]
    assert {"400", "413"} <= set(events)
    (limit,) = [p for p in influencers["parameters"] if p["name"] == "limit"]
    assert limit["schema"]["maximum"] == 1000
