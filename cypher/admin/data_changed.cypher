// Mark that the graph's data changed: a fresh token on the one DataVersion node. Every write through
// the store ends with this statement; an API process compares the token to drop the rows it holds in
// memory (usecases.read_view). Run it yourself after editing data by hand in the Browser.
:param token => "3f2b9c0e7a1d4e5f"
MERGE (v:DataVersion {id: 'data'})
SET v.token = $token
