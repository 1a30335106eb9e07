// The runs that have list records, with how many list parts each keeps
MATCH (s:RunList)
RETURN s.run_id AS run_id, count(s) AS parts
ORDER BY run_id ASC
