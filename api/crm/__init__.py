"""CRM sync use cases, callable from a route and from the CLI alike (neither holds these rules).

- :mod:`api.crm.segment_lists`  which saved segment's members a run holds (the store queries and their order)
- :mod:`api.crm.exports`        resumable exports: row cursors, chunked reads, ``Link`` headers
- :mod:`api.crm.run_lists`      per-run snapshots of every list a CRM syncs, runs kept, retention
- :mod:`api.crm.deltas`         what changed in a list between an older run and the current one

Identity and consent live in :mod:`ingest.identity_ledger` (ingest applies them too).
"""
