"""Consent-aware, reversible identity: links held or refused by consent, unlink/relink logged and undone.

Both engines (``store``). Customers: ``ok`` (no consent attribute), ``no`` (``contact_allowed`` false),
``shy`` (``contact_allowed`` "No"), each with one profile stated by its own ``customer_id``; ``twin``
shares ``no``'s verified email (so a derived link would join them) and ``ok2`` shares ``ok``'s.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graph.errors import Conflict, ConsentRefused, NotFound
from graph.store import CypherGraphStore
from ingest.identity_ledger import contact_allowed, enforce_consent, identity_history, relink, unlink
from ingest.identity_links import customer_links
from ingest.loader import load_file


def customer(cid: str, email: str, **attributes: object) -> dict:
    event = {"kind": "customer", "id": cid, "email": email, "email_verified": True}
    return {**event, "attributes": attributes} if attributes else event


def profile(pid: str, cid: str) -> dict:
    return {
        "kind": "profile",
        "id": pid,
        "platform": "twitter",
        "handle": pid.split(":")[1],
        "customer_id": cid,
    }


EVENTS = [
    profile("tw:ok", "ok"),  # the link's line comes before its customer's: order must not matter
    profile("tw:no", "no"),
    profile("tw:shy", "shy"),
    profile("tw:twin", "twin"),
    profile("tw:ok2", "ok2"),
    customer("ok", "ok@example.com"),
    customer("ok2", "OK@example.com"),
    customer("no", "no@example.com", contact_allowed=False),
    customer("twin", "no@example.com"),
    customer("shy", "shy@example.com", contact_allowed="No"),
]


def load(store: CypherGraphStore, tmp_path: Path, events: list[dict], name: str = "e.jsonl", **kw) -> None:
    path = tmp_path / name
    path.write_text("".join(json.dumps(e) + "\n" for e in events))
    load_file(store, path, "events", parse_in_worker=False, **kw)


def linked(store: CypherGraphStore, cid: str) -> list[str]:
    return [row["profile_id"] for row in customer_links(store, cid)]


def actions(store: CypherGraphStore, cid: str) -> list[tuple[str, str, str | None]]:
    return [(e.action, e.profile_id, e.actor) for e in identity_history(store, cid).history]


@pytest.mark.parametrize(
    ("value", "allowed"),
    [(None, True), (True, True), ("yes", True), (False, False), ("No", False), (" off ", False), (0, False)],
)
def test_contact_allowed_reads_the_crm_attribute(value, allowed) -> None:
    assert contact_allowed(value) is allowed


def test_links_record_evidence_source_actor_and_time_and_consent_holds_the_others(store, tmp_path) -> None:
    load(store, tmp_path, EVENTS)
    link = next(row for row in customer_links(store, "ok") if row["profile_id"] == "tw:ok")
    assert (link["profile_id"], link["evidence"], link["source"], link["actor"]) == (
        "tw:ok",
        "customer_id",
        "events",
        "ingest",
    )
    assert isinstance(link["linked_at"], int) and link["linked_at"] > 1_700_000_000_000
    assert linked(store, "ok2") == ["tw:ok", "tw:ok2"]  # derived from the shared verified email
    assert linked(store, "ok") == ["tw:ok", "tw:ok2"]
    # consent forbids joining: no link for `no` or `shy`, and `twin` does not get `no`'s profile
    assert linked(store, "no") == linked(store, "shy") == []
    assert linked(store, "twin") == ["tw:twin"]
    history = identity_history(store, "no")
    assert history.contact_allowed is False and history.links == []
    assert [h["profile_id"] for h in history.held] == ["tw:no"]
    assert actions(store, "no") == [("held", "tw:no", "consent-policy")]
    assert [e.evidence for e in history.history] == ["customer_id"]
    # a second load changes nothing and logs nothing twice
    load(store, tmp_path, EVENTS)
    assert actions(store, "no") == [("held", "tw:no", "consent-policy")]


def test_the_refuse_policy_drops_links_consent_forbids(store, tmp_path) -> None:
    load(store, tmp_path, EVENTS, consent_policy="refuse")
    assert linked(store, "no") == [] and identity_history(store, "no").held == []
    assert actions(store, "shy") == [("refused", "tw:shy", "consent-policy")]


def test_consent_withdrawn_later_takes_an_existing_link_back_to_held(store, tmp_path) -> None:
    load(store, tmp_path, EVENTS)
    assert linked(store, "ok") == ["tw:ok", "tw:ok2"]
    load(store, tmp_path, [customer("ok", "ok@example.com", contact_allowed=False)], name="withdraw.jsonl")
    assert linked(store, "ok") == []
    history = identity_history(store, "ok")
    assert [h["profile_id"] for h in history.held] == ["tw:ok", "tw:ok2"]
    assert history.held[0]["evidence"] == "customer_id" and history.held[0]["source"] == "events"
    assert history.held[1]["evidence"] == "verified_email" and history.held[1]["via"] == "ok2"
    assert ("held", "tw:ok", "consent-policy") in actions(store, "ok")


def test_unlink_and_relink_are_logged_and_undo_each_other(store, tmp_path) -> None:
    load(store, tmp_path, EVENTS)
    before = customer_links(store, "ok2")
    derived = next(link for link in before if link["profile_id"] == "tw:ok")
    removed = unlink(store, "ok2", "tw:ok", actor="cli:ana", reason="not the same person")
    assert removed["evidence"] == "verified_email" and removed["via"] == "ok"
    assert linked(store, "ok2") == ["tw:ok2"]
    with pytest.raises(NotFound):
        unlink(store, "ok2", "tw:ok", actor="cli:ana")
    load(store, tmp_path, EVENTS)  # the derived link is not made again after an unlink
    assert linked(store, "ok2") == ["tw:ok2"]

    restored = relink(store, "ok2", "tw:ok", actor="cli:bo", reason="checked: same person")
    again = next(link for link in customer_links(store, "ok2") if link["profile_id"] == "tw:ok")
    for key in ("evidence", "source", "via"):  # the link is back as it was, made again by cli:bo
        assert again[key] == derived[key]
    assert again["actor"] == restored["actor"] == "cli:bo" and again["linked_at"] >= derived["linked_at"]
    with pytest.raises(Conflict):
        relink(store, "ok2", "tw:ok", actor="cli:bo")
    entries = identity_history(store, "ok2").history
    assert [(e.action, e.profile_id, e.actor) for e in entries if e.profile_id == "tw:ok"] == [
        ("linked", "tw:ok", "identity-resolution"),
        ("unlinked", "tw:ok", "cli:ana"),
        ("relinked", "tw:ok", "cli:bo"),
    ]
    assert [e.reason for e in entries if e.profile_id == "tw:ok"][1:] == [
        "not the same person",
        "checked: same person",
    ]
    # and the relink can itself be undone
    unlink(store, "ok2", "tw:ok", actor="cli:ana")
    assert linked(store, "ok2") == ["tw:ok2"]


def test_relink_against_consent_needs_an_explicit_approval_that_the_consent_pass_respects(
    store, tmp_path
) -> None:
    load(store, tmp_path, EVENTS)
    with pytest.raises(ConsentRefused):
        relink(store, "no", "tw:no", actor="cli:ana")
    assert linked(store, "no") == []
    approved = relink(store, "no", "tw:no", actor="cli:rev", reason="customer asked", override_consent=True)
    assert approved["consent_override"] is True and approved["evidence"] == "customer_id"
    assert linked(store, "no") == ["tw:no"] and identity_history(store, "no").held == []
    assert enforce_consent(store) == {"held": 0, "refused": 0}
    assert linked(store, "no") == ["tw:no"]
    assert actions(store, "no")[-1] == ("approved", "tw:no", "cli:rev")
    with pytest.raises(NotFound):
        relink(store, "nobody", "tw:no", actor="cli:ana")
    with pytest.raises(NotFound):
        relink(store, "no", "tw:nobody", actor="cli:ana")
