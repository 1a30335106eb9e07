# Rapport — the two set-up commands are `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# the console tests drive Debian's chromium: Playwright must never fetch a browser of its own
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD = 1

# Debian package $(1), whose command is also $(1), installed when that command is missing and this
# runs as root on a machine with apt-get (CI); elsewhere left to the developer
debian_package = if ! command -v $(1) >/dev/null && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(1); fi

.PHONY: demo test install lint bench bench-tools clean neo4j browser console-vendor console-screenshots

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test,spark]'
	touch $(STAMP)

install: $(STAMP)

## Load the generated demo data into the embedded store, analyse it, serve the API on :8000
demo: $(STAMP)
	$(BIN)/rapport demo

# Neo4j 5.26 + GDS 2.13 from Maven Central (no Docker): the tests' Neo4j and `make neo4j`
NEO4J_LAUNCHER := neo4j/target/classpath.txt
$(NEO4J_LAUNCHER): neo4j/pom.xml $(wildcard neo4j/src/main/java/org/rapport/neo4j/*.java)
	mvn -q -B -f neo4j/pom.xml package

# GraphFrames (with the GraphX it links, rebuilt from Apache Spark's) + the Neo4j Connector for Apache Spark,
# from Maven Central: the Spark engine's jars (scaleout/)
SPARK_JARS := spark/target/classpath.txt
$(SPARK_JARS): spark/pom.xml $(wildcard spark/src/main/scala/org/apache/spark/graphframes/graphx/*.scala)
	mvn -q -B -f spark/pom.xml package

## Debian's Chromium for the console's browser tests (Playwright drives it; it never downloads a browser)
browser:
	@$(call debian_package,chromium)

## Install what the tests need and run the whole suite (both engines)
test: $(STAMP) $(NEO4J_LAUNCHER) $(SPARK_JARS) browser
	$(BIN)/python -m pytest -q

## A local Neo4j 5 with GDS for development (Bolt :7687, HTTP :7474), no Docker; Ctrl-C stops it
neo4j: $(STAMP) $(NEO4J_LAUNCHER)
	$(BIN)/python -m graph.engines.local_neo4j

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

## Debian's wrk: bench/api.py's load generator (a C process, so the load costs the 2 cores little;
## without it the bench falls back to an httpx process, which competes with the server for CPU)
bench-tools:
	@$(call debian_package,wrk)

bench: $(STAMP) bench-tools
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/analyze.py
	$(BIN)/python bench/api.py
	$(BIN)/python bench/outreach.py

## Re-vendor Swagger UI and ReDoc from npm at the pinned versions (api/console/npm) into the package
console-vendor:
	sh api/console/npm/vendor.sh

## Refresh the console screenshots in docs/img from a browser test run
console-screenshots: $(STAMP) browser
	RAPPORT_SCREENSHOTS=docs/img $(BIN)/python -m pytest -q tests/api/console

clean:
	rm -rf $(VENV) .rapport-data .pytest_cache
