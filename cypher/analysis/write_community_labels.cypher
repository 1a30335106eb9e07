// Write community labels keyed by community id (string form of the integer), with the run that wrote them
:param rows => [{id: "3", props: {community: 3, label: "@ada, @bob · boots, love", lead_handles: ["ada", "bob"], terms: ["boots", "love"], run_id: "run-1", size: 12}}]
UNWIND $rows AS row
MERGE (c:Community {id: row.id})
SET c += row.props
RETURN count(c) AS written
