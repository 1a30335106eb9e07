// Segment members among the profiles run $run_id scored (ranked; not the unscored, rank -1), by influence (SKIP/LIMIT over score DESC, id ASC)
:param run_id => "run-1"
:param community => null
:param platform => null
:param min_influence => null
:param active_since => null
:param sentiment_min => null
:param sentiment_max => null
:param roles => ["customer"]
:param skip => 0
:param limit => 1000
MATCH (p:Profile)
WHERE p.run_id = $run_id AND p.influence_rank >= 1
  AND ($community IS NULL OR p.community = $community)
  AND ($platform IS NULL OR p.platform = $platform) AND coalesce(p.role, 'customer') IN $roles
  AND ($min_influence IS NULL OR p.influence >= $min_influence)
WITH p, CASE WHEN $active_since IS NULL THEN true
     ELSE size([(p)-[:POSTED]->(q:Post) WHERE q.created_at >= $active_since | 1]) > 0 END AS active
WHERE active
WITH p, CASE WHEN $sentiment_min IS NULL AND $sentiment_max IS NULL THEN null
     ELSE [(p)-[:POSTED]->(q:Post) WHERE q.sentiment IS NOT NULL | q.sentiment] END AS sentiments
WITH p, p.influence AS score, p.influence_rank AS rank,
     CASE WHEN size(sentiments) > 0 THEN reduce(t = 0.0, x IN sentiments | t + x) / size(sentiments) END
       AS mean_sentiment
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
