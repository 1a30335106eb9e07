"""API keys and roles.

Keys are verified by :class:`usecases.api_keys.KeyRing`: hashed keys in the key file (``rapport keys
create|list|revoke``, re-read when it changes) and keys from :attr:`graph.config.Settings.api_keys`
(``RAPPORT_API_KEYS``). A request presents its key as ``Authorization: Bearer <key>`` or
``X-API-Key: <key>``. Roles are ordered ``read < write < admin``: a role grants everything the
roles below it grant. ``admin`` is needed for destructive operations (deleting a segment,
starting an analysis run, which replaces the published results).

Comparisons are constant-time (:func:`hmac.compare_digest`, see the key store), keys are never
logged, and a principal carries only the key's ``name`` and ``role``. With no key configured every
protected endpoint answers 401: the API is closed by default. A client address that presents too
many invalid keys is throttled (429, :mod:`api.throttle`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from api.throttle import FailedAuthThrottle
from graph.config import ApiKey
from graph.errors import AuthError, Forbidden, TooManyFailures
from usecases.api_keys import KeyRing

Role = Literal["read", "write", "admin"]
ROLE_LEVEL: dict[str, int] = {"read": 1, "write": 2, "admin": 3}


@dataclass(frozen=True)
class Principal:
    """Who is calling: the matched key's name and role (never the key itself)."""

    name: str
    role: Role

    def grants(self, needed: Role) -> bool:
        return ROLE_LEVEL[self.role] >= ROLE_LEVEL[needed]


def authenticate(
    keys: KeyRing | Sequence[ApiKey],
    presented: str | None,
    *,
    client: str = "",
    throttle: FailedAuthThrottle | None = None,
) -> Principal:
    """The principal of the presented key; :class:`AuthError` when absent or unknown,
    :class:`TooManyFailures` when ``client`` is throttled."""
    if throttle is not None and (wait := throttle.retry_after(client)) is not None:
        raise TooManyFailures(
            f"too many invalid API keys from this address; try again in {wait} s", retry_after=wait
        )
    if presented is None:
        raise AuthError("an API key is required: send 'Authorization: Bearer <key>' or 'X-API-Key'")
    ring = keys if isinstance(keys, KeyRing) else KeyRing(keys, None)
    verified = ring.verify(presented)
    if verified is None:
        if throttle is not None:
            throttle.failed(client)
        raise AuthError("the API key is not valid")
    return Principal(name=verified.name, role=verified.role)


def authorize(principal: Principal, needed: Role) -> Principal:
    if not principal.grants(needed):
        raise Forbidden(f"this operation needs the {needed!r} role; the key has {principal.role!r}")
    return principal
