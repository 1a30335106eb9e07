"""Record identity evidence in the store: link profiles across customer records that are the same person.

Run after every load. Customer records sharing a *verified* email or phone (see :mod:`ingest.identity`)
are the same person, so each one's explicitly linked profiles (``evidence: "customer_id"``) are linked to
the other too, with ``evidence: "verified_email" | "verified_phone"`` and ``via``: the customer record
that brought it. Nothing is ever linked by name. ``rapport identity unlink`` removes a link and records
the refusal on the customer (``unlinked_profile_ids``), so derived links are not made again; a source
that states a ``customer_id`` link again re-creates that explicit link (fix the source instead).
"""

from __future__ import annotations

from dataclasses import dataclass

from graph.errors import NotFound
from graph.model import CUSTOMER_HAS_PROFILE, RelRow
from graph.store import GraphStore
from ingest.identity import identity_links


@dataclass(frozen=True)
class _Contact:
    id: str
    email: str | None
    email_verified: bool | None
    phone: str | None
    phone_verified: bool | None


def link_same_person_profiles(store: GraphStore) -> int:
    """Derive HAS_PROFILE links from verified contacts; returns how many links the store holds for them."""
    rows = store.run("read.customers_with_verified_contacts")
    refused = {row["id"]: set(row["unlinked_profile_ids"]) for row in rows}
    contacts = [
        _Contact(row["id"], row["email"], row["email_verified"], row["phone"], row["phone_verified"])
        for row in rows
    ]
    links = identity_links(contacts)
    if not links:
        return 0
    customer_ids = sorted({c for link in links for c in (link.customer_id, link.same_as)})
    profiles: dict[str, list[str]] = {}
    for row in store.run("read.profiles_of_customers", {"customer_ids": customer_ids}):
        profiles.setdefault(row["customer_id"], []).append(row["profile_id"])
    new_links: list[RelRow] = []
    for link in links:
        for customer, other in ((link.customer_id, link.same_as), (link.same_as, link.customer_id)):
            for profile_id in profiles.get(other, []):
                if profile_id not in refused.get(customer, set()):
                    new_links.append(RelRow(customer, profile_id, {"evidence": link.evidence, "via": other}))
    store.upsert_relationships(CUSTOMER_HAS_PROFILE, new_links)
    return len(new_links)


def customer_links(store: GraphStore, customer_id: str) -> list[dict]:
    return store.run("read.customer_profile_links", {"customer_id": customer_id})


def unlink(store: GraphStore, customer_id: str, profile_id: str) -> str:
    """Remove the link between a customer and a profile; returns the evidence it had."""
    rows = store.run_write(
        "write.unlink_customer_profile", {"customer_id": customer_id, "profile_id": profile_id}
    )
    if not rows:
        raise NotFound(f"customer {customer_id!r} has no link to profile {profile_id!r}")
    return str(rows[0]["evidence"])
