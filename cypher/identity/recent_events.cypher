// The newest identity log entries of every customer
:param limit => 100
MATCH (e:IdentityEvent)
RETURN properties(e) AS event
ORDER BY e.at DESC, e.id DESC
LIMIT $limit
