"""Identity links in the store: explicit evidence only, recorded, and undoable."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from graph.errors import NotFound
from graph.store import CypherGraphStore
from ingest.identity_links import customer_links, link_same_person_profiles, unlink
from ingest.loader import load_file

ROOT = Path(__file__).resolve().parents[2]

EVENTS = [
    {"kind": "customer", "id": "crm-1", "name": "Ada L", "email": "Ada@Example.com", "email_verified": True},
    {
        "kind": "customer",
        "id": "shop-9",
        "name": "Ada Lovelace",
        "email": "ada@example.com ",
        "email_verified": True,
    },
    {
        "kind": "customer",
        "id": "crm-2",
        "name": "Ada L",
        "email": "ada2@example.com",
        "email_verified": False,
    },
    {"kind": "customer", "id": "crm-3", "name": "Bob", "email": "ada2@example.com", "email_verified": True},
    {"kind": "profile", "id": "twitter:ada", "platform": "twitter", "handle": "ada", "customer_id": "shop-9"},
    {
        "kind": "profile",
        "id": "mastodon:ada",
        "platform": "mastodon",
        "handle": "ada",
        "customer_id": "crm-2",
    },
]


def load(store: CypherGraphStore, tmp_path: Path) -> None:
    path = tmp_path / "identity.jsonl"
    path.write_text("".join(json.dumps(e) + "\n" for e in EVENTS))
    load_file(store, path, "events")


def test_profiles_join_customers_only_on_explicit_evidence(store: CypherGraphStore, tmp_path: Path) -> None:
    load(store, tmp_path)
    # same verified email (after normalisation): crm-1 gains shop-9's profile, with evidence and via
    links = customer_links(store, "crm-1")
    assert isinstance(links[0].pop("linked_at"), int)
    assert links == [
        {
            "profile_id": "twitter:ada",
            "platform": "twitter",
            "handle": "ada",
            "evidence": "verified_email",
            "source": None,
            "via": "shop-9",
            "actor": "identity-resolution",
        }
    ]
    # unverified email on crm-2 links nothing to crm-3; same name links nothing either
    assert customer_links(store, "crm-3") == []
    with pytest.raises(NotFound, match="no-such-customer"):  # a typo is not a customer without links
        customer_links(store, "no-such-customer")
    assert [r["evidence"] for r in customer_links(store, "crm-2")] == ["customer_id"]


def test_unlink_removes_the_link_and_it_is_not_derived_again(store: CypherGraphStore, tmp_path: Path) -> None:
    load(store, tmp_path)
    assert unlink(store, "crm-1", "twitter:ada") == "verified_email"
    assert customer_links(store, "crm-1") == []
    link_same_person_profiles(store)
    load(store, tmp_path)
    assert customer_links(store, "crm-1") == []
    assert [r["profile_id"] for r in customer_links(store, "shop-9")] == ["twitter:ada"]


def test_identity_cli_lists_and_unlinks(tmp_path: Path) -> None:
    path = tmp_path / "identity.jsonl"
    path.write_text("".join(json.dumps(e) + "\n" for e in EVENTS))
    data = ["--data-dir", str(tmp_path / "data")]

    def rapport(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "cli", *args, *data],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )

    assert rapport("ingest", str(path), "--rejects", str(tmp_path / "r.jsonl")).returncode == 0
    listed = rapport("identity", "links", "crm-1", "--json")
    assert [r["profile_id"] for r in json.loads(listed.stdout)] == ["twitter:ada"]
    done = rapport("identity", "unlink", "crm-1", "twitter:ada")
    assert done.returncode == 0 and "verified_email" in done.stderr
    missing = rapport("identity", "unlink", "crm-1", "twitter:ada")
    assert missing.returncode == 4 and missing.stderr.startswith("error:")
    back = rapport("identity", "relink", "crm-1", "twitter:ada", "--actor", "cli:rev", "--reason", "checked")
    assert back.returncode == 0, back.stderr
    log = json.loads(rapport("identity", "log", "crm-1", "--json").stdout)
    assert [(e["action"], e["profile_id"]) for e in log] == [
        ("linked", "twitter:ada"),
        ("unlinked", "twitter:ada"),
        ("relinked", "twitter:ada"),
    ]
    assert log[0]["evidence"] == log[2]["evidence"] == "verified_email" and log[2]["actor"] == "cli:rev"
    everyone = json.loads(rapport("identity", "log", "--json").stdout)
    assert [e["action"] for e in everyone] == ["relinked", "unlinked"]  # the log itself, newest first
