// Write parts of per-run list records (RunList: which profiles a list held in one run, with scores and ranks)
:param rows => [{id: "run-1|segment:vip|0", props: {run_id: "run-1", list: "segment:vip", part: 0, parts: 1, definition: "f00d", profile_ids: ["tw:ada"], scores: [0.5], ranks: [1], recorded_at: 1700000000000}}]
UNWIND $rows AS row
MERGE (s:RunList {id: row.id})
SET s += row.props
RETURN count(s) AS written
