"""Consent rules: whether a customer may be contacted, and the e-mail address a list may carry.

A CRM attribute ``contact_allowed`` of false (``false``/``no``/``0``/``n``/``off`` as text, 0, or
false) forbids contact; an absent one allows it. The reading of that value is the one rule
:func:`ingest.identity_ledger.contact_allowed` (which also decides whether profiles may be joined
to the customer while loading); here it is applied to a stored customer. An e-mail leaves Rapport
only when it is verified and contact is allowed: segment members, exports and the customer view
all decide through here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ingest import identity_ledger


def contact_allowed(customer: Mapping[str, Any]) -> bool:
    """False when the customer's CRM attribute ``contact_allowed`` says no; absent means allowed."""
    return identity_ledger.contact_allowed(customer.get("attr_contact_allowed"))


def allowed_email(customer: Mapping[str, Any]) -> str | None:
    """The customer's e-mail when it is verified and contact is allowed, else None."""
    if customer.get("email") and customer.get("email_verified") is True and contact_allowed(customer):
        return str(customer["email"])
    return None
