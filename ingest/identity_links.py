"""Record identity evidence in the store: link profiles across customer records that are the same person.

Run after every load. Customer records sharing a *verified* email or phone (see :mod:`ingest.identity`)
are the same person, so each one's explicitly linked profiles (``evidence: "customer_id"``) are linked to
the other too, with ``evidence: "verified_email" | "verified_phone"`` and ``via``: the customer record
that brought it, and ``actor: "identity-resolution"``. Nothing is ever linked by name. A pair is not
derived when either record's consent forbids joining (see :mod:`ingest.identity_ledger`, which also
holds or refuses the links of such customers). ``rapport identity unlink`` removes a link and records
the refusal on the customer (``unlinked_profile_ids``), so derived links are not made again; a source
that states a ``customer_id`` link again re-creates that explicit link (fix the source instead).
"""

from __future__ import annotations

from dataclasses import dataclass

from graph.errors import NotFound
from graph.model import CUSTOMER_HAS_PROFILE, Label, RelRow
from graph.store import GraphStore
from ingest.identity import identity_links
from ingest.identity_ledger import contact_allowed
from ingest.identity_ledger import unlink as ledger_unlink


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
    forbidden = {row["id"] for row in rows if not contact_allowed(row.get("contact_allowed"))}
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
        if link.customer_id in forbidden or link.same_as in forbidden:
            continue  # consent: neither record's profiles join the other's
        for customer, other in ((link.customer_id, link.same_as), (link.same_as, link.customer_id)):
            for profile_id in profiles.get(other, []):
                if profile_id not in refused.get(customer, set()):
                    new_links.append(
                        RelRow(
                            customer,
                            profile_id,
                            {"evidence": link.evidence, "via": other, "actor": "identity-resolution"},
                        )
                    )
    store.upsert_relationships(CUSTOMER_HAS_PROFILE, new_links)
    return len(new_links)


def customer_links(store: GraphStore, customer_id: str) -> list[dict]:
    """The customer's profile links with their evidence; :class:`NotFound` for an unknown customer
    (an empty list is a customer without profiles, not a typo)."""
    rows = store.run("read.customer_profile_links", {"customer_id": customer_id})
    if not rows and store.get_node(Label.CUSTOMER, customer_id) is None:
        raise NotFound(f"no customer {customer_id!r}")
    return rows


def unlink(store: GraphStore, customer_id: str, profile_id: str, *, actor: str = "unknown") -> str:
    """Remove the link between a customer and a profile (logged); returns the evidence it had."""
    return str(ledger_unlink(store, customer_id, profile_id, actor=actor).get("evidence"))
