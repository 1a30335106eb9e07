// The profiles of segment members $ids that still carry run $run_id, with their current handle: the run's own columns (scores, ranks, communities, roles) come from the API's read model of the run (usecases.read_model), the customers from api.segment_member_customers
:param run_id => "run-1"
:param ids => ["tw:ada"]
UNWIND $ids AS profile_id
MATCH (p:Profile {id: profile_id})
WHERE p.run_id = $run_id
RETURN p.id AS id, p.handle AS handle
