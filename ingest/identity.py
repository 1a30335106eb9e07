"""Identity evidence: which customer records are the same person — on explicit evidence only.

Two customer records are proposed as the same person when both carry the same **verified** email
(``email_verified`` true on both) or the same **verified** phone (``phone_verified`` true on both).
Unverified values, and names, are never evidence: "J. Smith" twice is two people until proven otherwise.
(A profile joins a customer only through the profile event's own ``customer_id``; see ``ingest.mapping``.)

Normalisation before comparing: emails are stripped and case-folded (the local part is case-sensitive in
theory, never in practice); phones keep their digits only (a leading ``+`` and all punctuation/spaces are
dropped) and need at least 7 digits to count. No country-code inference: ``+44 20 7946 0000`` and
``020 7946 0000`` do not match.

This module is pure: it proposes links; the store decides how to record them. Proposals never carry the
email or phone itself, only which kind of evidence matched, so they are safe to log.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal, Protocol

Evidence = Literal["verified_email", "verified_phone"]
MIN_PHONE_DIGITS = 7


class CustomerRecord(Protocol):
    """What the detection reads: a ``CustomerEvent`` or a ``graph.model.Customer`` both fit."""

    @property
    def id(self) -> str: ...
    @property
    def email(self) -> str | None: ...
    @property
    def email_verified(self) -> bool | None: ...
    @property
    def phone(self) -> str | None: ...
    @property
    def phone_verified(self) -> bool | None: ...


@dataclass(frozen=True, order=True)
class IdentityLink:
    """Proposal: customer ``customer_id`` is the same person as ``same_as`` (``customer_id < same_as``)."""

    customer_id: str
    same_as: str
    evidence: Evidence


def normalized_email(email: str) -> str | None:
    value = email.strip().casefold()
    local, at, domain = value.rpartition("@")
    return value if at and local and domain else None


def normalized_phone(phone: str) -> str | None:
    digits = "".join(char for char in phone if char.isascii() and char.isdigit())
    return digits if len(digits) >= MIN_PHONE_DIGITS else None


def identity_links(customers: Iterable[CustomerRecord]) -> list[IdentityLink]:
    """Link proposals between customer records sharing a verified email or phone, sorted.

    Each group of n records sharing one value yields n - 1 links, from the smallest id to each other id
    (a star, not all pairs). A pair linked by both email and phone gets one link per kind of evidence.
    Records with the same id are one record (duplicates are ignored). The result does not depend on the
    order of ``customers``.
    """
    by_value: dict[tuple[Evidence, str], set[str]] = defaultdict(set)
    for customer in customers:
        if customer.email and customer.email_verified is True:
            email = normalized_email(customer.email)
            if email is not None:
                by_value["verified_email", email].add(customer.id)
        if customer.phone and customer.phone_verified is True:
            phone = normalized_phone(customer.phone)
            if phone is not None:
                by_value["verified_phone", phone].add(customer.id)
    links: set[IdentityLink] = set()
    for (evidence, _value), ids in by_value.items():
        first, *others = sorted(ids)
        links.update(IdentityLink(first, other, evidence) for other in others)
    return sorted(links)


def same_person_groups(links: Iterable[IdentityLink]) -> list[frozenset[str]]:
    """Connected groups of customer ids (union of all links), sorted by their smallest id."""
    parent: dict[str, str] = {}

    def find(node: str) -> str:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for link in links:
        a, b = find(link.customer_id), find(link.same_as)
        if a != b:
            parent[max(a, b)] = min(a, b)
    groups: dict[str, set[str]] = defaultdict(set)
    for node in list(parent):
        groups[find(node)].add(node)
    return sorted((frozenset(group) for group in groups.values()), key=min)
