// A brand's advocates of run $run_id (ADVOCATES rank after $after, roles in $roles) with both sides' evidence post ids
:param run_id => "run-1"
:param brand => "acme"
:param after => 0
:param roles => ["customer"]
:param limit => 51
// WITH b makes the planner start at the brand (else FalkorDB may scan every profile)
MATCH (b:Brand {id: $brand})
WITH b
MATCH (b)<-[a:ADVOCATES]-(p:Profile)
WHERE a.run_id = $run_id AND a.rank > $after AND coalesce(p.role, 'customer') IN $roles
RETURN $run_id AS run_id, p.id AS id, p.handle AS handle, p.platform AS platform, p.community AS community,
       p.influence AS influence, coalesce(p.role, 'customer') AS role, a.score AS score, a.rank AS rank,
       a.posts AS posts, a.mean_sentiment AS mean_sentiment, a.influence_factor AS influence_factor,
       a.positive AS positive, a.negative AS negative, a.balance AS balance, a.weight AS weight,
       a.evidence_post_ids AS evidence_post_ids, a.evidence_contributions AS evidence_contributions,
       a.evidence_tones AS evidence_tones
ORDER BY rank ASC, id ASC
LIMIT $limit
