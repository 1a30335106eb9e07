// Schema for Neo4j 5: a uniqueness constraint (which also indexes) on every label's id, plus the
// indexes the catalogue's lookups use. Idempotent: every statement has IF NOT EXISTS.
// Run in the Browser with multi-statement editing enabled, or let `rapport` apply it.

CREATE CONSTRAINT customer_id IF NOT EXISTS FOR (n:Customer) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT profile_id IF NOT EXISTS FOR (n:Profile) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT brand_id IF NOT EXISTS FOR (n:Brand) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT post_id IF NOT EXISTS FOR (n:Post) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT conversation_id IF NOT EXISTS FOR (n:Conversation) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT analysisrun_id IF NOT EXISTS FOR (n:AnalysisRun) REQUIRE n.id IS UNIQUE;
CREATE INDEX profile_handle IF NOT EXISTS FOR (n:Profile) ON (n.handle);
CREATE INDEX profile_community IF NOT EXISTS FOR (n:Profile) ON (n.community);
CREATE INDEX profile_influence IF NOT EXISTS FOR (n:Profile) ON (n.influence);
CREATE INDEX post_created_at IF NOT EXISTS FOR (n:Post) ON (n.created_at);
CREATE INDEX customer_email IF NOT EXISTS FOR (n:Customer) ON (n.email);
CREATE INDEX customer_phone IF NOT EXISTS FOR (n:Customer) ON (n.phone);
CREATE CONSTRAINT segment_id IF NOT EXISTS FOR (n:Segment) REQUIRE n.id IS UNIQUE;
CREATE INDEX analysisrun_current IF NOT EXISTS FOR (n:AnalysisRun) ON (n.current);
CREATE CONSTRAINT ingestcheckpoint_id IF NOT EXISTS FOR (n:IngestCheckpoint) REQUIRE n.id IS UNIQUE;
CREATE INDEX profile_influence_rank IF NOT EXISTS FOR (n:Profile) ON (n.influence_rank);
CREATE CONSTRAINT runlist_id IF NOT EXISTS FOR (n:RunList) REQUIRE n.id IS UNIQUE;
CREATE INDEX runlist_run_id IF NOT EXISTS FOR (n:RunList) ON (n.run_id);
CREATE CONSTRAINT identityevent_id IF NOT EXISTS FOR (n:IdentityEvent) REQUIRE n.id IS UNIQUE;
CREATE INDEX identityevent_customer_id IF NOT EXISTS FOR (n:IdentityEvent) ON (n.customer_id);
CREATE CONSTRAINT community_id IF NOT EXISTS FOR (n:Community) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT dataversion_id IF NOT EXISTS FOR (n:DataVersion) REQUIRE n.id IS UNIQUE;
