// Create an AnalysisRun node in state "running" with its parameters (primitive properties only)
:param id => "run-20260101T000000-abcdef"
:param props => {state: "running", current: false, stage: "projection", started_at: 1700000000000}
MERGE (r:AnalysisRun {id: $id})
SET r += $props
RETURN r.id AS id
