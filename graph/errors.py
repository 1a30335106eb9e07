"""The one error tree of Rapport.

Every error Rapport raises on purpose derives from :class:`RapportError`; driver and engine
errors are wrapped (``raise ... from exc``) once, at the engine boundary, and mapped to HTTP
statuses or CLI exit codes once, at each outer boundary::

    RapportError
    ├── ConfigError              settings are invalid or contradict each other
    ├── InvalidInput             a request or record is malformed (HTTP 422)
    │   ├── PayloadTooLarge      a request body is over the configured limit (HTTP 413)
    │   ├── CorruptInput         an input file is truncated or corrupt (gzip); lines before the break load
    │   └── InvalidCursor        a paging cursor this API did not issue, or one for another query (HTTP 422)
    ├── NotFound                 a named entity does not exist (HTTP 404)
    ├── Conflict                 the operation clashes with current state (HTTP 409)
    │   ├── RunNotRetained       a delta asked since a run whose list record is gone (HTTP 410)
    │   ├── ConsentRefused       the customer's consent forbids joining this profile (HTTP 409)
    │   ├── NoAnalysisRun        results were asked for before the first successful analysis (HTTP 409)
    │   ├── StaleCursor          a paging cursor made under an older analysis run (HTTP 409)
    │   └── SegmentExists        a segment of that name is saved already (HTTP 409)
    ├── AuthError                no or unknown credentials (HTTP 401)
    │   ├── Forbidden            credentials lack the needed role (HTTP 403)
    │   └── TooManyFailures      too many failed authentications from one client (HTTP 429)
    └── StoreError               anything the graph store reports
        ├── StoreUnavailable     the store cannot be reached or started (HTTP 503)
        │   └── DataDirLocked    another process holds the embedded store's data directory
        ├── ConstraintViolation  a write broke a uniqueness constraint
        ├── QueryError           the engine rejected a query (syntax, types, parameters)
        └── ReadOnlyViolation    a write was sent through a read-only path
"""

from __future__ import annotations


class RapportError(Exception):
    """Base of every error Rapport raises on purpose. ``code`` is stable for clients."""

    code = "rapport_error"


class ConfigError(RapportError):
    code = "config_error"


class InvalidInput(RapportError):
    code = "invalid_input"


class PayloadTooLarge(InvalidInput):
    code = "payload_too_large"


class CorruptInput(InvalidInput):
    """An input file cannot be read to its end (a truncated or corrupt gzip stream).

    The message names the file and where it broke; the lines before the break were loaded.
    """

    code = "corrupt_input"


class InvalidCursor(InvalidInput):
    code = "invalid_cursor"


class NotFound(RapportError):
    code = "not_found"


class Conflict(RapportError):
    code = "conflict"


class RunNotRetained(Conflict):
    code = "run_not_retained"


class ConsentRefused(Conflict):
    code = "consent_refused"


class NoAnalysisRun(Conflict):
    code = "no_analysis_run"


class ScoreNotComputed(Conflict):
    """The current run did not compute a score the request needs (a Spark run: brokerage)."""

    code = "score_not_computed"


class StaleCursor(Conflict):
    code = "stale_cursor"


class SegmentExists(Conflict):
    code = "segment_exists"


class AuthError(RapportError):
    code = "unauthorized"


class Forbidden(AuthError):
    code = "forbidden"


class TooManyFailures(AuthError):
    """Too many invalid keys from one client address; ``retry_after`` seconds until it may retry."""

    code = "too_many_requests"

    def __init__(self, message: str, retry_after: int = 60) -> None:
        super().__init__(message)
        self.retry_after = retry_after

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (str(self), self.retry_after))


class StoreError(RapportError):
    code = "store_error"


class StoreUnavailable(StoreError):
    code = "store_unavailable"


class DataDirLocked(StoreUnavailable):
    code = "data_dir_locked"


class ConstraintViolation(StoreError):
    code = "constraint_violation"


class QueryError(StoreError):
    code = "query_error"


class ReadOnlyViolation(QueryError):
    code = "read_only"
