"""docker-compose.yml and the Dockerfile describe the production stack the README documents.

No Docker engine runs here, so these tests read the files: a pinned Neo4j 5 with a healthcheck and
volumes, and an API service that waits for Neo4j to be healthy and is configured to use it.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def test_compose_runs_a_pinned_healthchecked_neo4j_and_an_api_that_waits_for_it() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    neo4j, api = compose["services"]["neo4j"], compose["services"]["api"]
    assert re.fullmatch(r"neo4j:5\.\d+\.\d+(-community|-enterprise)?", neo4j["image"])
    assert neo4j["healthcheck"]["test"] and any(v.endswith(":/data") for v in neo4j["volumes"])
    assert "NEO4J_PASSWORD" in neo4j["environment"]["NEO4J_AUTH"]
    assert api["depends_on"]["neo4j"]["condition"] == "service_healthy"
    env = api["environment"]
    assert env["RAPPORT_STORE"] == "neo4j" and env["RAPPORT_NEO4J__URI"] == "bolt://neo4j:7687"
    assert "8000:8000" in api["ports"] and "7474:7474" in neo4j["ports"]


def test_the_dockerfile_installs_the_project_and_serves_the_api() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert dockerfile.startswith("# ") and "FROM python:3.11" in dockerfile
    for package in ("graph", "ingest", "algorithms", "api", "cypher"):
        assert f"COPY {package} ./{package}" in dockerfile
    assert '"rapport", "serve"' in dockerfile and "HEALTHCHECK" in dockerfile


def test_compose_runs_the_neo4j_version_the_tests_run_with_gds() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    neo4j = compose["services"]["neo4j"]
    pom = (ROOT / "neo4j" / "pom.xml").read_text()
    tested = re.search(r"<neo4j.version>([^<]+)</neo4j.version>", pom).group(1)
    assert neo4j["image"] == f"neo4j:{tested}-community"
    assert "graph-data-science" in neo4j["environment"]["NEO4J_PLUGINS"]
    assert "gds.*" in neo4j["environment"]["NEO4J_dbms_security_procedures_unrestricted"]
