# Rapport — the two set-up commands are `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test install lint bench clean neo4j

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

## Load the generated demo data into the embedded store, analyse it, serve the API on :8000
demo: $(STAMP)
	$(BIN)/rapport demo

# Neo4j 5.26 + GDS 2.13 from Maven Central (no Docker): the tests' Neo4j and `make neo4j`
NEO4J_LAUNCHER := neo4j/target/classpath.txt
$(NEO4J_LAUNCHER): neo4j/pom.xml $(wildcard neo4j/src/main/java/org/rapport/neo4j/*.java)
	mvn -q -B -f neo4j/pom.xml package

## Install what the tests need and run the whole suite (both engines)
test: $(STAMP) $(NEO4J_LAUNCHER)
	$(BIN)/python -m pytest -q

## A local Neo4j 5 with GDS for development (Bolt :7687, HTTP :7474), no Docker; Ctrl-C stops it
neo4j: $(STAMP) $(NEO4J_LAUNCHER)
	$(BIN)/python -m graph.engines.local_neo4j

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: $(STAMP)
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/analyze.py
	$(BIN)/python bench/api.py
	$(BIN)/python bench/outreach.py

clean:
	rm -rf $(VENV) .rapport-data .pytest_cache
