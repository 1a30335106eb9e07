"""``--format events``: every bad line is rejected with its number and field; good lines are kept."""

from __future__ import annotations

import gzip
import json
import random

import pytest

from graph.model import NODE_MODELS, Label
from ingest.pipeline import read_source
from ingest.records import Record, Rejected
from ingest.rejects import RejectsWriter, read_rejects
from ingest.sources.canonical import read_event_array
from tests.ingest.helpers import ConstantSentiment, merged, snapshot

GOOD = '{"kind": "profile", "id": "twitter:ada", "platform": "twitter", "handle": "Ada"}'
POST = {"kind": "post", "id": "p1", "author": "twitter:ada", "text": "hi", "created_at": 1_714_564_800}

BAD_LINES = {  # line text -> field the reason must start with
    '{"kind": "profile", "id": "x", "platform": "t", "handle": ': "line",  # malformed JSON
    "[1, 2, 3]": "$",
    '{"kind": "rating", "source": "a", "target": "b", "rating": "5", "at": 1}': "rating",  # wrong type
    '{"kind": "rating", "source": "a", "target": "b", "rating": 11, "at": 1}': "rating",  # out of range
    '{"kind": "rating", "source": "a", "target": "b", "rating": NaN, "at": 1}': "rating",
    '{"kind": "follow", "source": "a", "target": "b", "at": Infinity}': "at",
    '{"kind": "brand", "id": "acme"}': "name",  # missing required field
    '{"kind": "tweet", "id": "x"}': "kind",  # unknown kind
    '{"id": "x"}': "kind",
    json.dumps({**POST, "text": "x" * 1_048_576}): "text",  # 1 MB text
    json.dumps({**POST, "text": "bell \u0007"}): "text",  # control character (JSON escape)
    json.dumps({**POST, "id": "nul\u0000id"}): "id",
    json.dumps({**POST, "created_at": "2024-05-01T12:00:00"}): "created_at",  # naive time
    '{"kind": "brand", "id": "a", "name": "A", "name": "B"}': "name",  # duplicate key
    json.dumps({**POST, "text": "\ud83d"}): "text",  # lone surrogate via \\u escape
}


def test_bad_lines_rejected_with_line_and_field_good_lines_kept(write_lines, tmp_path) -> None:
    lines = [GOOD]
    for bad in BAD_LINES:
        lines += [bad, GOOD.replace("ada", f"ada{len(lines)}")]
    lines.append("   ")  # blank: skipped
    lines.append(b'{"kind": "brand", "id": "\xff", "name": "x"}')  # invalid UTF-8
    items = list(read_source(write_lines(lines), "events"))

    rejected = [item for item in items if isinstance(item, Rejected)]
    records = [item for item in items if isinstance(item, Record)]
    assert len(records) == 1 + len(BAD_LINES)
    assert [record.line for record in records] == [1] + [3 + 2 * i for i in range(len(BAD_LINES))]
    expected = [(2 + 2 * i, field) for i, field in enumerate(BAD_LINES.values())] + [(len(lines), "line")]
    assert [(item.line, item.reason.split(":")[0]) for item in rejected] == expected
    assert all(len(item.excerpt) <= 200 for item in rejected)
    assert rejected[0].excerpt.startswith('{"kind": "profile"')

    path = tmp_path / "out.rejects.jsonl"
    with RejectsWriter(path, append=False) as writer:
        writer.write_all(rejected)
    assert read_rejects(path) == rejected
    first = json.loads(path.read_text(encoding="utf-8").splitlines()[0])
    assert set(first) == {"line", "reason", "excerpt"}


def test_gzip_is_read_transparently_by_suffix_and_magic(tmp_path) -> None:
    for name in ("events.jsonl.gz", "events-without-suffix"):
        path = tmp_path / name
        path.write_bytes(gzip.compress((GOOD + "\n" + json.dumps(POST) + "\n").encode()))
        items = list(read_source(path, "events"))
        assert [type(item) for item in items] == [Record, Record]


def test_json_array_body() -> None:
    body = json.dumps([json.loads(GOOD), {"kind": "nope"}, POST])
    items = list(read_event_array(body))
    assert [(type(item), item.line) for item in items] == [(Record, 1), (Rejected, 2), (Record, 3)]
    assert list(read_event_array('{"kind": "post"}'))[0].reason.startswith("body: expected a JSON array")
    assert list(read_event_array("[1,"))[0].line == 0


def _sample_lines() -> list[str]:
    hostile = '\'}) DETACH DELETE n // "quoted" back\\slash 😀'
    events = [
        {
            "kind": "customer",
            "id": "c1",
            "name": "Ada",
            "email": "ada@example.org",
            "email_verified": True,
            "attributes": {"tier": "gold", "score": 7.5},
        },
        {
            "kind": "profile",
            "id": "tw:ada",
            "platform": "twitter",
            "handle": "Ada",
            "customer_id": "c1",
            "followers": 10,
        },
        {"kind": "profile", "id": "tw:acme", "platform": "twitter", "handle": "AcmeHelp"},
        {"kind": "brand", "id": "acme", "name": "ACME", "profile_ids": ["tw:acme"]},
        {
            "kind": "post",
            "id": "p1",
            "author": "tw:ada",
            "text": "I love @AcmeHelp",
            "created_at": 1_700_000_000,
            "mentions": ["tw:acme"],
            "brands": ["acme"],
        },
        {
            "kind": "post",
            "id": "p2",
            "author": "tw:acme",
            "text": hostile,
            "created_at": 1_700_000_100,
            "reply_to": "p1",
            "conversation_id": "p1",
        },
        {
            "kind": "post",
            "id": "p3",
            "author": "tw:ada",
            "text": "thanks",
            "created_at": 1_700_000_200,
            "reply_to": "p2",
        },
        {"kind": "follow", "source": "tw:ada", "target": "tw:acme", "at": "2023-11-14T22:13:20Z"},
        {"kind": "follow", "source": "tw:acme", "target": "tw:ada"},
        {"kind": "share", "profile": "tw:acme", "post": "p1", "at": 1_700_000_300_000},
        {"kind": "like", "profile": "tw:acme", "post": "p1", "at": 1_700_000_301},
        {"kind": "purchase", "customer": "c1", "brand": "acme", "amount": 9.5, "at": 1_700_000_400},
        {"kind": "purchase", "customer": "c1", "brand": "acme", "at": 1_700_000_500},
        {"kind": "rating", "source": "tw:ada", "target": "tw:acme", "rating": -3, "at": 1_700_000_600},
        {"kind": "profile", "id": hostile, "platform": hostile, "handle": hostile},
    ]
    return [json.dumps(event, ensure_ascii=False) for event in events]


def test_mapping_of_every_kind(write_lines) -> None:
    writes = merged(read_source(write_lines(_sample_lines()), "events"))
    view = snapshot(writes)
    nodes, rels = view["nodes"], view["relationships"]
    assert nodes["Customer"]["c1"] == {
        "id": "c1",
        "name": "Ada",
        "email": "ada@example.org",
        "email_verified": True,
        "attr_tier": "gold",
        "attr_score": 7.5,
    }
    assert nodes["Post"]["p1"] == {
        "id": "p1",
        "text": "I love @AcmeHelp",
        "created_at": 1_700_000_000_000,
        "lang": "en",
        "sentiment": 0.5,
    }
    assert rels["customer_has_profile"] == {
        ("c1", "tw:ada"): ("c1", "tw:ada", {"evidence": "customer_id", "source": "events"})
    }
    assert rels["brand_has_profile"] == {("acme", "tw:acme"): ("acme", "tw:acme", {"source": "events"})}
    assert rels["mentions"][("p1", "tw:acme")][2] == {"sentiment": 0.5, "at": 1_700_000_000_000}
    assert rels["about"][("p1", "acme")][2] == {"sentiment": 0.5, "at": 1_700_000_000_000}
    assert set(rels["reply_to"]) == {("p2", "p1"), ("p3", "p2")}
    # conversation rule: root p1 starts conversation p1; p2 names it; p3 (reply, no id) joins none
    assert set(rels["in_conversation"]) == {("p1", "p1"), ("p2", "p1")}
    assert nodes["Conversation"] == {
        "p1": {"id": "p1", "root_post_id": "p1", "started_at": 1_700_000_000_000}
    }
    assert rels["follows"][("tw:ada", "tw:acme")][2] == {"at": 1_700_000_000_000}
    assert rels["follows"][("tw:acme", "tw:ada")][2] == {}
    assert rels["shared"][("tw:acme", "p1")][2] == {"at": 1_700_000_300_000}
    assert rels["liked"][("tw:acme", "p1")][2] == {"at": 1_700_000_301_000}
    assert len(rels["purchased"]) == 2  # keyed on at
    assert rels["purchased"][("c1", "acme", 1_700_000_400_000)][2] == {"at": 1_700_000_400_000, "amount": 9.5}
    assert rels["rated"][("tw:ada", "tw:acme")][2] == {"rating": -3.0, "at": 1_700_000_600_000}
    for label, rows in writes.nodes.items():  # rows satisfy the graph model (Customer attrs are flattened)
        for row in rows.values():
            if label is not Label.CUSTOMER:
                NODE_MODELS[label].model_validate(row)


def test_hostile_strings_survive_byte_for_byte(write_lines) -> None:
    hostile = '\'}) DETACH DELETE n // "quoted" back\\slash 😀'
    writes = merged(read_source(write_lines(_sample_lines()), "events"))
    assert writes.nodes[Label.POST]["p2"]["text"].encode() == hostile.encode()
    assert writes.nodes[Label.PROFILE][hostile] == {"id": hostile, "platform": hostile, "handle": hostile}


def test_order_independence(write_lines, tmp_path) -> None:
    lines = _sample_lines()
    expected = snapshot(merged(read_source(write_lines(lines, "a.jsonl"), "events"), batch_size=4))
    rng = random.Random(7)
    for attempt in range(5):
        shuffled = lines[:]
        rng.shuffle(shuffled)
        path = write_lines(shuffled, f"shuffled{attempt}.jsonl")
        got = snapshot(merged(read_source(path, "events"), batch_size=3, sentiment=ConstantSentiment()))
        assert got == expected


@pytest.mark.parametrize(
    "text",
    [
        '{"kind": "follow", "source": "a", "target": "b"}',
        '{"kind": "follow", "source": "a", "target": "b"}   ',
        '  {"kind": "follow"}',
        '{"a": {"b": [1, 2.5, null, true]}}\t',
        "[1, 2]",
        '"text"',
    ],
)
def test_decoding_in_place_gives_what_json_loads_gives(text: str) -> None:
    from ingest.sources.canonical import decode_json

    assert decode_json(text) == json.loads(text)


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b'{"kind": "follow"} {"kind": "like"}', "line: malformed JSON (Extra data)"),
        (b'{"kind": "follow"} x', "line: malformed JSON (Extra data)"),
        (b'{"kind": "follow",}', "line: malformed JSON (Expecting property name enclosed in double quotes)"),
        (b'{"kind": "a", "kind": "b"}', "kind: duplicate key in one object"),
    ],
)
def test_lines_with_more_than_one_value_or_broken_json_are_rejected_as_before(
    raw: bytes, reason: str
) -> None:
    from ingest.sources.canonical import parse_line

    item = parse_line(7, raw)
    assert isinstance(item, Rejected) and item.line == 7 and item.reason == reason
