// Time (epoch ms) of the newest engagement interaction of each kind: the default "as of" of an analysis
// (the patterns of the engagement_*.cypher reads, so it equals the newest time those return)
MATCH (q:Post)-[:REPLY_TO]->()<-[:POSTED]-(b)
WITH q, b
MATCH (a)-[:POSTED]->(q)
RETURN 'reply' AS kind, max(q.created_at) AS latest
UNION ALL
MATCH (q:Post)-[m:MENTIONS]->(b)
WITH q, m, b
MATCH (a)-[:POSTED]->(q)
RETURN 'mention' AS kind, max(coalesce(m.at, q.created_at)) AS latest
UNION ALL
MATCH (a:Profile)-[s:SHARED]->(p)<-[:POSTED]-(b)
RETURN 'share' AS kind, max(coalesce(s.at, p.created_at)) AS latest
UNION ALL
MATCH (a:Profile)-[l:LIKED]->(p)<-[:POSTED]-(b)
RETURN 'like' AS kind, max(coalesce(l.at, p.created_at)) AS latest
