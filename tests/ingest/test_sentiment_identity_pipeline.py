"""Sentiment sign, identity evidence, and deterministic, resumable batching."""

from __future__ import annotations

import itertools
import sys

import pytest

from ingest.events import CustomerEvent
from ingest.identity import IdentityLink, identity_links, same_person_groups
from ingest.pipeline import FORMATS, batches, read_source, skip_through
from ingest.records import Rejected
from ingest.sentiment import SentimentScorer, VaderScorer
from tests.ingest.helpers import TWCS, ConstantSentiment, snapshot


@pytest.mark.parametrize(
    ("text", "sign"),
    [
        ("I love this, thank you so much, amazing service! 😀", 1),
        ("Great job, really happy with the fast delivery", 1),
        ("This is the worst customer service ever, I hate it", -1),
        ("My order is broken and late again, terrible and awful", -1),
        ("The parcel is at the depot", 0),
    ],
)
def test_vader_sign(text: str, sign: int) -> None:
    score = VaderScorer().score(text, "en").score
    assert score is not None and -1.0 <= score <= 1.0
    assert (score > 0.05) - (score < -0.05) == sign


def test_sentiment_scorer_protocol_and_lazy_analyser() -> None:
    model = VaderScorer()
    assert model._analyzer is None  # nothing loaded until first use
    assert model.score("", "en").score == 0.0 and model._analyzer is None
    assert isinstance(model, SentimentScorer) and isinstance(ConstantSentiment(), SentimentScorer)


def test_importing_sentiment_and_language_does_no_io() -> None:
    import subprocess

    code = (
        "import ingest.sentiment, ingest.support_sentiment, ingest.language, ingest.mapping, sys; "
        "print(any(m in sys.modules for m in ('vaderSentiment.vaderSentiment', 'lingua')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def _customer(id_: str, **fields) -> CustomerEvent:
    return CustomerEvent(id=id_, **fields)


def test_identity_same_verified_email_links_unverified_and_names_do_not() -> None:
    customers = [
        _customer("c1", name="Jo Smith", email="Jo.Smith@Example.org ", email_verified=True),
        _customer("c2", name="Joanna", email="jo.smith@example.org", email_verified=True),
        _customer("c3", name="Jo Smith", email="jo.smith@example.org", email_verified=False),  # unverified
        _customer("c4", name="Jo Smith"),  # same name only
        _customer("c5", phone="+1 (555) 010-9999", phone_verified=True),
        _customer("c6", phone="1-555-010-9999", phone_verified=True),
        _customer("c7", phone="1-555-010-9999", phone_verified=None),
        _customer("c8", phone="123", phone_verified=True),
        _customer("c9", phone="123", phone_verified=True),  # too short to be evidence
    ]
    links = identity_links(customers)
    assert links == [IdentityLink("c1", "c2", "verified_email"), IdentityLink("c5", "c6", "verified_phone")]
    assert identity_links(reversed(customers)) == links
    assert same_person_groups(links) == [frozenset({"c1", "c2"}), frozenset({"c5", "c6"})]


def test_identity_groups_are_stars_and_merge_transitively() -> None:
    customers = [
        _customer("b", email="x@y.z", email_verified=True),
        _customer("a", email="x@y.z", email_verified=True),
        _customer("c", email="x@y.z", email_verified=True, phone="5550100", phone_verified=True),
        _customer("d", phone="555-0100", phone_verified=True),
    ]
    links = identity_links(customers)
    assert [(link.customer_id, link.same_as) for link in links] == [("a", "b"), ("a", "c"), ("c", "d")]
    assert same_person_groups(links) == [frozenset("abcd")]


def test_batches_are_deterministic_and_cover_lines_in_order() -> None:
    model = ConstantSentiment()
    first = list(batches(read_source(TWCS, "twcs"), 1_000, sentiment=model))
    second = list(batches(read_source(TWCS, "twcs"), 1_000, sentiment=model))
    assert [(b.first_line, b.last_line, b.lines, b.events) for b in first] == [
        (b.first_line, b.last_line, b.lines, b.events) for b in second
    ]
    assert [snapshot(b.writes) for b in first] == [snapshot(b.writes) for b in second]
    assert len(first) == 5 and sum(b.lines for b in first) == 5000
    assert all(a.last_line < b.first_line for a, b in itertools.pairwise(first))
    assert sum(b.events for b in first) == 5000 * 2 + 2222  # profile + post per row, brand per brand row


def test_resume_after_checkpoint_gives_the_same_graph(write_lines) -> None:
    lines = [f'{{"kind": "profile", "id": "p{i}", "platform": "x", "handle": "h{i}"}}' for i in range(50)]
    lines[7] = '{"kind": "profile"}'
    path = write_lines(lines)
    model = ConstantSentiment()
    full = list(batches(read_source(path, "events"), 10, sentiment=model))
    checkpoint = full[1].last_line  # crash after the second batch
    resumed = full[:2] + list(
        batches(skip_through(read_source(path, "events"), checkpoint), 10, sentiment=model)
    )
    assert [(b.first_line, b.last_line) for b in resumed] == [(b.first_line, b.last_line) for b in full]
    assert snapshot(merge_writes_all(full)) == snapshot(merge_writes_all(resumed))
    assert [r.line for b in full for r in b.rejected] == [8]
    assert isinstance(full[0].rejected[0], Rejected)


def merge_writes_all(parts):
    from graph.writes import GraphWrites

    total = GraphWrites()
    for part in parts:
        total.extend(part.writes)
    return total


def test_unknown_format() -> None:
    assert FORMATS == ("events", "twcs", "snap-signed", "higgs")
    with pytest.raises(ValueError, match="unknown format"):
        read_source(TWCS, "csv")
    with pytest.raises(ValueError):
        next(batches([], 0))
