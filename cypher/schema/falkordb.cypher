// Schema for embedded FalkorDB: an index and a uniqueness constraint on every label's id, plus
// the indexes the catalogue's lookups use. ensure_schema() skips what already exists (no IF NOT EXISTS
// in FalkorDB); the CONSTRAINT lines are issued as GRAPH.CONSTRAINT CREATE (the index must come first).
// Profile.community and Profile.influence are indexed on Neo4j only: FalkorDB 4.16.3 loses every value 0
// from an index it rebuilds when it loads a stored graph, so after a restart `p.community = 0` (the
// largest community) found nothing. Without the index the filter is checked on each profile and is right;
// ensure_schema() drops them from stores made before (graph.engines.falkordb.RETIRED_INDEXES).

CREATE INDEX FOR (n:Customer) ON (n.id);
CREATE CONSTRAINT FOR (n:Customer) REQUIRE n.id IS UNIQUE;
CREATE INDEX FOR (n:Profile) ON (n.id);
CREATE CONSTRAINT FOR (n:Profile) REQUIRE n.id IS UNIQUE;
CREATE INDEX FOR (n:Brand) ON (n.id);
CREATE CONSTRAINT FOR (n:Brand) REQUIRE n.id IS UNIQUE;
CREATE INDEX FOR (n:Post) ON (n.id);
CREATE CONSTRAINT FOR (n:Post) REQUIRE n.id IS UNIQUE;
CREATE INDEX FOR (n:Conversation) ON (n.id);
CREATE CONSTRAINT FOR (n:Conversation) REQUIRE n.id IS UNIQUE;
CREATE INDEX FOR (n:AnalysisRun) ON (n.id);
CREATE CONSTRAINT FOR (n:AnalysisRun) REQUIRE n.id IS UNIQUE;
CREATE INDEX FOR (n:Profile) ON (n.handle);
CREATE INDEX FOR (n:Post) ON (n.created_at);
CREATE INDEX FOR (n:Customer) ON (n.email);
CREATE INDEX FOR (n:Customer) ON (n.phone);
CREATE INDEX FOR (n:Segment) ON (n.id);
CREATE CONSTRAINT FOR (n:Segment) REQUIRE n.id IS UNIQUE;
CREATE INDEX FOR (n:AnalysisRun) ON (n.current);
CREATE INDEX FOR (n:IngestCheckpoint) ON (n.id);
CREATE CONSTRAINT FOR (n:IngestCheckpoint) REQUIRE n.id IS UNIQUE;
CREATE INDEX FOR (n:Profile) ON (n.influence_rank);
CREATE INDEX FOR (n:RunList) ON (n.id);
CREATE CONSTRAINT FOR (n:RunList) REQUIRE n.id IS UNIQUE;
CREATE INDEX FOR (n:RunList) ON (n.run_id);
CREATE INDEX FOR (n:IdentityEvent) ON (n.id);
CREATE CONSTRAINT FOR (n:IdentityEvent) REQUIRE n.id IS UNIQUE;
CREATE INDEX FOR (n:IdentityEvent) ON (n.customer_id);
CREATE INDEX FOR (n:Community) ON (n.id);
CREATE CONSTRAINT FOR (n:Community) REQUIRE n.id IS UNIQUE;
