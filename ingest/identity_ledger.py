"""Consent-aware, reversible identity: which profile joins which customer, on what evidence, by whom.

Every link ``(:Customer)-[:HAS_PROFILE]->(:Profile)`` records its ``evidence`` (``customer_id``: the
source said so; ``verified_email`` / ``verified_phone``: derived, see :mod:`ingest.identity_links`;
``manual``: a person linked them), ``source`` (the input format), ``actor`` (``ingest``,
``identity-resolution``, or who ran the command / held the API key) and ``linked_at`` (epoch ms).

Consent
-------
A customer whose CRM attribute ``contact_allowed`` is false (false, "false", "no", "n", "off", 0:
:func:`contact_allowed`) has not agreed to have their social profiles joined to their record. A link
to such a customer is never made: the store writes it as ``HELD_PROFILE`` instead, invisible to every
reader (360 views, segments, outreach), and :func:`enforce_consent` — run after every load — writes
it to the log and, by ``Settings.identity_consent``:

- ``hold`` (default): keeps it for review; a reviewer approves with ``relink --override-consent``
  (logged as ``approved``) or leaves it;
- ``refuse``: deletes it (logged as ``refused``).

A link made before consent was withdrawn is moved the same way (to held, or refused) at the next
load; a link a reviewer approved against consent (``consent_override``) is left alone.

Reversible
----------
Nothing is merged by moving data: a link is one relationship, and customers and profiles keep their
own nodes and properties, so any link can be taken back. :func:`unlink` removes a link and logs what
it recorded (evidence, source, via, actor, linked_at); :func:`relink` restores it from that record
(or approves a held one); each is logged with its actor, time and reason, and each undoes the other.

The log
-------
``(:IdentityEvent {id, customer_id, profile_id, action, evidence, source, via, actor, reason, at,
linked_at})``, actions ``unlinked``, ``relinked``, ``approved``, ``held``, ``refused``. A customer's
history (:func:`identity_history`) is its log plus the creation of each link it holds now (a link
made by ingest is not logged separately: the link itself records who made it, when and why).
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from graph.errors import Conflict, ConsentRefused, NotFound
from graph.model import Label
from graph.store import GraphStore

ConsentPolicy = Literal["hold", "refuse"]
CONSENT_ACTOR = "consent-policy"
_FALSE_WORDS = {"false", "no", "0", "n", "off"}
_LINK_FIELDS = ("evidence", "source", "via", "actor", "linked_at", "consent_override")


def contact_allowed(value: object) -> bool:
    """Whether a ``contact_allowed`` attribute value allows contact and joining; absent means allowed."""
    if value is False or (isinstance(value, int | float) and not isinstance(value, bool) and value == 0):
        return False
    return not (isinstance(value, str) and value.strip().lower() in _FALSE_WORDS)


def now_ms() -> int:
    return int(time.time() * 1000)


@dataclass(frozen=True)
class IdentityEntry:
    """One line of a customer's identity history."""

    at: int | None
    action: str
    customer_id: str
    profile_id: str
    evidence: str | None = None
    source: str | None = None
    via: str | None = None
    actor: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class IdentityHistory:
    customer_id: str
    contact_allowed: bool
    links: list[dict[str, Any]] = field(default_factory=list)
    held: list[dict[str, Any]] = field(default_factory=list)
    history: list[IdentityEntry] = field(default_factory=list)


def _log(store: GraphStore, entries: list[IdentityEntry], link_at: Mapping[str, Any] | None = None) -> None:
    if not entries:
        return
    rows = []
    for entry in entries:
        props = {k: v for k, v in vars(entry).items() if v is not None}
        if link_at and link_at.get("linked_at") is not None:
            props["linked_at"] = link_at["linked_at"]  # the creation of the link this entry ends
            if link_at.get("actor") is not None:
                props["linked_by"] = link_at["actor"]
        rows.append({"id": f"{entry.at:013d}-{secrets.token_hex(4)}", "props": props})
    store.run_write("identity.log_events", {"rows": rows})


def _entry(
    action: str, customer_id: str, profile_id: str, link: Mapping[str, Any], **extra: Any
) -> IdentityEntry:
    at = extra.pop("at", None)
    return IdentityEntry(
        at=now_ms() if at is None else at,
        action=action,
        customer_id=customer_id,
        profile_id=profile_id,
        evidence=extra.pop("evidence", None) or link.get("evidence"),
        source=link.get("source"),
        via=link.get("via"),
        actor=extra.pop("actor", None) or link.get("actor"),
        reason=extra.pop("reason", None),
    )


def _log_consent(
    store: GraphStore, action: str, row: Mapping[str, Any], reason: str, at: int, *, ends_link: bool
) -> None:
    """Log a consent action on the link in ``row``; ``ends_link`` records when that link was made."""
    entry = _entry(
        action, row["customer_id"], row["profile_id"], row["link"], actor=CONSENT_ACTOR, reason=reason, at=at
    )
    _log(store, [entry], row["link"] if ends_link else None)


def enforce_consent(store: GraphStore, policy: ConsentPolicy = "hold") -> dict[str, int]:
    """Apply consent to every link: move links of customers who forbid joining to held (or refuse
    them), and log held links not yet logged. Returns counts per action; safe to run any time."""
    counts = {"held": 0, "refused": 0}
    now = now_ms()
    for row in store.run("identity.consent_blocked_links"):
        moved = store.run_write(
            "identity.hold_link",
            {"customer_id": row["customer_id"], "profile_id": row["profile_id"], "now": now},
        )
        if moved:
            _log_consent(
                store, "held", row, "consent withdrawn: contact_allowed is false", now, ends_link=True
            )
    pending = store.run("identity.unlogged_held_links")
    for row in pending:
        reason = "consent forbids joining: contact_allowed is false"
        if policy == "refuse":
            store.run_write(
                "identity.drop_held_link",
                {"customer_id": row["customer_id"], "profile_id": row["profile_id"]},
            )
            counts["refused"] += 1
            action = "refused"
        else:
            counts["held"] += 1
            action = "held"
        _log_consent(store, action, row, reason, now, ends_link=False)
    if policy == "hold" and pending:
        store.run_write(
            "identity.mark_held_logged",
            {"rows": [{"customer_id": r["customer_id"], "profile_id": r["profile_id"]} for r in pending]},
        )
    return counts


def _customer_consent(store: GraphStore, customer_id: str) -> bool:
    rows = store.run("identity.customer_consent", {"customer_id": customer_id})
    if not rows:
        raise NotFound(f"no customer {customer_id!r}")
    return contact_allowed(rows[0]["contact_allowed"])


def unlink(
    store: GraphStore, customer_id: str, profile_id: str, *, actor: str, reason: str | None = None
) -> dict:
    """Remove a link, keep the refusal (derived links are not made again) and log what it recorded.

    Returns the link's recorded properties. :class:`NotFound` when there is no such link.
    """
    rows = store.run_write(
        "write.unlink_customer_profile", {"customer_id": customer_id, "profile_id": profile_id}
    )
    if not rows:
        raise NotFound(f"customer {customer_id!r} has no link to profile {profile_id!r}")
    link = dict(rows[0]["link"] or {})
    _log(store, [_entry("unlinked", customer_id, profile_id, link, actor=actor, reason=reason)], link)
    return link


def relink(
    store: GraphStore,
    customer_id: str,
    profile_id: str,
    *,
    actor: str,
    reason: str | None = None,
    override_consent: bool = False,
) -> dict:
    """Restore a link taken back by :func:`unlink`, or approve a held one; returns the link's properties.

    The link gets back the evidence, source and via it had (from the held link, or from the latest
    ``unlinked`` entry of the log; ``manual`` when it never existed), with ``actor`` and the time
    now. Consent is checked: a customer whose consent forbids joining is refused
    (:class:`ConsentRefused`) unless ``override_consent`` — a reviewer's decision, recorded on the
    link (``consent_override``) and in the log as ``approved``.
    """
    if store.get_node(Label.PROFILE, profile_id) is None:
        raise NotFound(f"no profile {profile_id!r}")
    allowed = _customer_consent(store, customer_id)
    if any(
        row["profile_id"] == profile_id for row in store.run("identity.links", {"customer_id": customer_id})
    ):
        raise Conflict(f"customer {customer_id!r} is already linked to profile {profile_id!r}")
    if not allowed and not override_consent:
        raise ConsentRefused(
            f"customer {customer_id!r} does not allow joining profiles (contact_allowed is false); "
            "a reviewer may approve it explicitly (override consent)"
        )
    held = [
        r
        for r in store.run("identity.held_links", {"customer_id": customer_id})
        if r["profile_id"] == profile_id
    ]
    previous: Mapping[str, Any] = (
        dict(held[0]["link"]) if held else _last_unlinked(store, customer_id, profile_id)
    )
    props = {key: previous[key] for key in ("evidence", "source", "via") if previous.get(key) is not None}
    props.setdefault("evidence", "manual")
    props.update(actor=actor, linked_at=now_ms())
    if not allowed:
        props["consent_override"] = True
    store.run_write("identity.relink", {"customer_id": customer_id, "profile_id": profile_id, "props": props})
    if held:
        store.run_write("identity.drop_held_link", {"customer_id": customer_id, "profile_id": profile_id})
    action = "approved" if held or not allowed else "relinked"
    _log(
        store,
        [_entry(action, customer_id, profile_id, props, actor=actor, reason=reason, at=props["linked_at"])],
    )
    return props


def _last_unlinked(store: GraphStore, customer_id: str, profile_id: str) -> Mapping[str, Any]:
    events = [
        dict(row["event"]) for row in store.run("identity.customer_events", {"customer_id": customer_id})
    ]
    unlinked = [e for e in events if e.get("profile_id") == profile_id and e.get("action") == "unlinked"]
    return unlinked[-1] if unlinked else {}


def identity_history(store: GraphStore, customer_id: str) -> IdentityHistory:
    """A customer's links now, its held links, and its history (oldest first)."""
    allowed = _customer_consent(store, customer_id)
    links = [
        {"profile_id": r["profile_id"], **dict(r["link"])}
        for r in store.run("identity.links", {"customer_id": customer_id})
    ]
    held = [
        {"profile_id": r["profile_id"], **dict(r["link"])}
        for r in store.run("identity.held_links", {"customer_id": customer_id})
    ]
    events = [
        dict(row["event"]) for row in store.run("identity.customer_events", {"customer_id": customer_id})
    ]
    history = [_from_event(event) for event in events]
    creations = {(e.profile_id, e.at) for e in history if e.action in ("relinked", "approved")}
    ended = [  # links that no longer exist: their creation, as the entry that ended them recorded it
        {**event, "actor": event.get("linked_by")}
        for event in events
        if event.get("action") in ("unlinked", "held") and event.get("linked_at") is not None
    ]
    for link in [*ended, *links]:
        key = (link["profile_id"], link.get("linked_at") or 0)
        if key not in creations:
            creations.add(key)
            history.append(_entry("linked", customer_id, link["profile_id"], link, at=key[1]))
    history.sort(key=lambda e: (e.at or 0, e.action != "linked"))
    return IdentityHistory(customer_id, allowed, links, held, history)


def _from_event(event: Mapping[str, Any]) -> IdentityEntry:
    return IdentityEntry(**{name: event.get(name) for name in IdentityEntry.__dataclass_fields__})


def recent_entries(store: GraphStore, limit: int = 100) -> list[IdentityEntry]:
    """The newest entries of the whole identity log, newest first."""
    return [_from_event(dict(row["event"])) for row in store.run("identity.recent_events", {"limit": limit})]


def held_at_as_linked_at(link: Mapping[str, Any]) -> dict[str, Any]:
    """A link's properties with a held link's ``held_at`` given as its ``linked_at``."""
    found = dict(link)
    if found.get("linked_at") is None and found.get("held_at") is not None:
        found["linked_at"] = found["held_at"]
    return found
