// Profiles $ids among brand $brand's advocates of run $run_id, with the columns of api.advocates (a page the read model chose)
:param run_id => "run-1"
:param brand => "acme"
:param ids => ["tw:ada"]
// from each profile by its id index, the brand unlabelled: with (b:Brand {id}) FalkorDB starts at the brand
// and walks every ADVOCATES edge once per id
UNWIND $ids AS profile_id
MATCH (p:Profile {id: profile_id})
WITH p
MATCH (p)-[a:ADVOCATES]->(b)
WHERE a.run_id = $run_id AND b.id = $brand
RETURN $run_id AS run_id, p.id AS id, p.handle AS handle, p.platform AS platform, p.community AS community,
       p.influence AS influence, coalesce(p.role, 'customer') AS role, a.score AS score, a.rank AS rank,
       a.posts AS posts, a.mean_sentiment AS mean_sentiment, a.influence_factor AS influence_factor,
       a.positive AS positive, a.negative AS negative, a.balance AS balance, a.weight AS weight,
       a.evidence_post_ids AS evidence_post_ids, a.evidence_contributions AS evidence_contributions,
       a.evidence_tones AS evidence_tones
