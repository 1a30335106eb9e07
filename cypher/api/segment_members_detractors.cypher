// Segment members among a brand's detractors of run $run_id, by DETRACTS score (SKIP/LIMIT)
:param run_id => "run-1"
:param brand => "acme"
:param community => null
:param platform => null
:param min_influence => null
:param active_since => null
:param sentiment_min => null
:param sentiment_max => null
:param roles => ["customer"]
:param skip => 0
:param limit => 1000
// WITH b makes the planner start at the brand (else FalkorDB may scan every profile)
MATCH (b:Brand {id: $brand})
WITH b
MATCH (b)<-[a:DETRACTS]-(p:Profile)
WHERE a.run_id = $run_id
  AND ($community IS NULL OR p.community = $community)
  AND ($platform IS NULL OR p.platform = $platform) AND coalesce(p.role, 'customer') IN $roles
  AND ($min_influence IS NULL OR p.influence >= $min_influence)
WITH p, a, CASE WHEN $active_since IS NULL THEN true
     ELSE size([(p)-[:POSTED]->(q:Post) WHERE q.created_at >= $active_since | 1]) > 0 END AS active
WHERE active
WITH p, a.score AS score, a.rank AS rank, a.mean_sentiment AS mean_sentiment
WHERE ($sentiment_min IS NULL OR mean_sentiment >= $sentiment_min)
  AND ($sentiment_max IS NULL OR mean_sentiment <= $sentiment_max)
WITH p, score, rank, mean_sentiment
ORDER BY score DESC, p.id ASC
SKIP $skip
LIMIT $limit
RETURN $run_id AS run_id, p.id AS id, p.handle AS handle, p.platform AS platform, p.community AS community,
       coalesce(p.role, 'customer') AS role,
       p.influence AS influence, score, rank, mean_sentiment,
       [(c:Customer)-[:HAS_PROFILE]->(p) | c {.id, .email, .email_verified, .attr_contact_allowed}] AS customers
