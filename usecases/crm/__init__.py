"""CRM sync use cases, callable from a route and from the CLI alike (neither holds these rules).

- :mod:`usecases.crm.exports`    resumable exports: row cursors, chunked reads, ``Link`` headers
- :mod:`usecases.crm.run_lists`  per-run snapshots of every list a CRM syncs, runs kept, retention
- :mod:`usecases.crm.deltas`     what changed in a list between an older run and the current one

A saved segment's members are :mod:`usecases.segments`; contact consent is :mod:`usecases.consent`;
identity-link consent lives in :mod:`ingest.identity_ledger` (ingest applies it too).
"""
