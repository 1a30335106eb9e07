"""The application layer: every use case of Rapport, once, as a function (or a small service) over a store.

Each takes a :class:`graph.store.CypherGraphStore` and typed inputs and returns domain results or
raises an error of :mod:`graph.errors`; the HTTP routes (:mod:`api.routes`) and the CLI commands
(:mod:`cli.commands`) only turn their requests and arguments into these calls and back. This package
imports :mod:`graph`, :mod:`ingest`, :mod:`algorithms` and :mod:`scaleout` (the scores on Spark),
never :mod:`api` or :mod:`cli` (``tests/test_architecture.py``).

- :mod:`usecases.analysis`        run the analysis pipeline and publish a run (``rapport analyze``,
  ``POST /v1/analysis/runs``)
- :mod:`usecases.spark_analysis`  the same run with its graph scores computed on Spark
  (``rapport analyze --engine spark``; needs the ``[spark]`` extra, imported only for that engine)
- :mod:`usecases.current_run`     the one "current analysis run" rule (none yet: ``NoAnalysisRun``)
- :mod:`usecases.paging`          opaque cursors bound to a run and a query
- :mod:`usecases.segments`        save, list, load, delete segments; their members in a run
- :mod:`usecases.consent`         who may be contacted, which e-mail a list may carry
- :mod:`usecases.outreach`        outreach plan and simulation (influence maximisation)
- :mod:`usecases.signals`, :mod:`usecases.alerts`  sentiment signals and negative-spike alerts
- :mod:`usecases.roles`           account roles a reader includes (customers only by default)
- :mod:`usecases.community_labels`, :mod:`usecases.community_map`  community names and the map
- :mod:`usecases.trust_network`   the trust network of the current run, for trust paths
- :mod:`usecases.crm`             CRM sync: per-run list snapshots, deltas, resumable exports
- :mod:`usecases.api_keys`        the hashed API key file (create, list, revoke, verify)
- :mod:`usecases.inputs`          input checks shared by use cases and adapters

Identity resolution (link, unlink, relink, its history and its consent rule) is applied while
loading, so it lives in :mod:`ingest.identity_ledger` and :mod:`ingest.identity_links`; routes and
commands call it there.
"""
