"""API keys and roles.

Keys come from :attr:`graph.config.Settings.api_keys` (``RAPPORT_API_KEYS`` as JSON, e.g.
``[{"key": "s3cret", "role": "admin", "name": "ops"}]``). A request presents its key as
``Authorization: Bearer <key>`` or ``X-API-Key: <key>``. Roles are ordered
``read < write < admin``: a role grants everything the roles below it grant.

The presented key is compared with *every* configured key with :func:`hmac.compare_digest`
(no early exit), so the time taken does not reveal which key, or how much of one, matched.
Keys are never logged; a principal carries only the key's ``name`` and ``role``. With no key
configured every protected endpoint answers 401: the API is closed by default.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from typing import Literal

from graph.config import ApiKey
from graph.errors import AuthError, Forbidden

Role = Literal["read", "write", "admin"]
ROLE_LEVEL: dict[str, int] = {"read": 1, "write": 2, "admin": 3}


@dataclass(frozen=True)
class Principal:
    """Who is calling: the matched key's name and role (never the key itself)."""

    name: str
    role: Role

    def grants(self, needed: Role) -> bool:
        return ROLE_LEVEL[self.role] >= ROLE_LEVEL[needed]


def authenticate(keys: list[ApiKey], presented: str | None) -> Principal:
    """The principal of the presented key; :class:`AuthError` when absent or unknown."""
    if presented is None:
        raise AuthError("an API key is required: send 'Authorization: Bearer <key>' or 'X-API-Key'")
    candidate = presented.encode("utf-8", "surrogatepass")
    matched: ApiKey | None = None
    for key in keys:  # every key is compared, whatever matched before
        if hmac.compare_digest(candidate, key.key.get_secret_value().encode("utf-8")) and matched is None:
            matched = key
    if matched is None:
        raise AuthError("the API key is not valid")
    return Principal(name=matched.name, role=matched.role)


def authorize(principal: Principal, needed: Role) -> Principal:
    if not principal.grants(needed):
        raise Forbidden(f"this operation needs the {needed!r} role; the key has {principal.role!r}")
    return principal
