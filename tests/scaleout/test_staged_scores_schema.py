"""The Spark schema of the connector-staged scores names what the store's own stage writes.

``scaleout.sources.STAGED_SCORES_SCHEMA`` repeats, with Spark types, the properties of a
``StagedScores`` node that ``cypher/analysis/stage_profile_scores.cypher`` creates; ``publish_run``
reads those properties whichever way they were written. A property added to one list and not the
other fails here, before a Spark run on Neo4j would stage scores that the publish does not find.
"""

import re

from graph.catalogue import query
from scaleout.sources import STAGED_SCORES_SCHEMA


def test_the_spark_schema_names_the_properties_the_stage_statement_creates() -> None:
    text = query("analysis.stage_profile_scores")
    created = re.search(r"CREATE \(s:StagedScores \{(.*?)\}\)", text, re.DOTALL)
    assert created is not None, "the stage statement no longer creates StagedScores nodes in one map"
    statement_properties = re.findall(r"(\w+):", created.group(1))
    schema_properties = [field.split()[0] for field in STAGED_SCORES_SCHEMA.split(", ")]
    assert len(statement_properties) == len(set(statement_properties)) > 10
    assert sorted(schema_properties) == sorted(statement_properties)
