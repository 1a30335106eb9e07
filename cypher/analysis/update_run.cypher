// Set properties of one AnalysisRun (stage, counts, failure state and error)
:param id => "run-20260101T000000-abcdef"
:param props => {stage: "communities"}
MATCH (r:AnalysisRun {id: $id})
SET r += $props
RETURN r.id AS id
