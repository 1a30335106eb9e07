// Time (epoch ms) of the newest engagement interaction of each kind: the default "as of" of an analysis
MATCH (:Profile)-[:POSTED]->(q:Post)-[:REPLY_TO]->(:Post)<-[:POSTED]-(:Profile)
RETURN 'reply' AS kind, max(q.created_at) AS latest
UNION ALL
MATCH (:Profile)-[:POSTED]->(q:Post)-[m:MENTIONS]->(:Profile)
RETURN 'mention' AS kind, max(coalesce(m.at, q.created_at)) AS latest
UNION ALL
MATCH (:Profile)-[s:SHARED]->(p:Post)<-[:POSTED]-(:Profile)
RETURN 'share' AS kind, max(coalesce(s.at, p.created_at)) AS latest
UNION ALL
MATCH (:Profile)-[l:LIKED]->(p:Post)<-[:POSTED]-(:Profile)
RETURN 'like' AS kind, max(coalesce(l.at, p.created_at)) AS latest
