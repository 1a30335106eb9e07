"""``--format twcs`` on the real 5,000-row sample; expected values recomputed independently here."""

from __future__ import annotations

import csv
import random
import re

import pytest

from graph.model import Label
from ingest.pipeline import read_source
from ingest.records import Record, Rejected
from ingest.sources.twcs import twitter_time_millis
from tests.ingest.helpers import TWCS, merged, snapshot


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    with open(TWCS, newline="", encoding="utf-8") as stream:
        return list(csv.DictReader(stream))


@pytest.fixture(scope="module")
def writes():
    return merged(read_source(TWCS, "twcs"), batch_size=700)


def _thread_count(rows: list[dict[str, str]]) -> int:
    """Connected components of the in_response_to graph (tweets plus referenced ids), by union-find."""
    parent: dict[str, str] = {}

    def find(node: str) -> str:
        while parent.setdefault(node, node) != node:
            node = parent[node]
        return node

    for row in rows:
        find(row["tweet_id"])
        if row["in_response_to_tweet_id"]:
            parent[find(row["tweet_id"])] = find(row["in_response_to_tweet_id"])
    return len({find(node) for node in list(parent)})


def test_counts_match_source_md(rows, writes) -> None:
    authors = {row["author_id"] for row in rows}
    brands = {row["author_id"] for row in rows if row["inbound"] == "False"}
    assert (len(rows), len(authors), len(brands), len(authors - brands)) == (5000, 1519, 76, 1443)
    assert _thread_count(rows) == 1312
    replies = sum(1 for row in rows if row["in_response_to_tweet_id"])
    assert replies == 3694

    view = snapshot(writes)
    assert len(view["nodes"]["Post"]) == 5000
    assert len(view["nodes"]["Brand"]) == 76
    assert set(view["nodes"]["Brand"]) == brands
    profiles = view["nodes"]["Profile"]
    assert len(profiles) == 1519
    assert {p["handle"] for p in profiles.values()} == authors
    assert len(view["nodes"]["Conversation"]) == 1312
    assert len(view["relationships"]["reply_to"]) == 3694
    assert len(view["relationships"]["posted"]) == 5000
    assert len(view["relationships"]["in_conversation"]) == 5000
    assert len(view["relationships"]["brand_has_profile"]) == 76
    assert "customer_has_profile" not in view["relationships"]  # no identity evidence in twcs


def test_conversation_roots(writes) -> None:
    in_conversation = {source: target for source, target in writes_rels(writes, "in_conversation")}
    # upstream sample: tweets 1..8 form one thread whose root is tweet 8 (1 -> 3 -> 4 -> ... -> 8)
    assert in_conversation["twitter:1"] == "twitter:8"
    assert in_conversation["twitter:8"] == "twitter:8"
    roots = writes.nodes[Label.CONVERSATION]
    assert roots["twitter:8"]["root_post_id"] == "twitter:8"
    assert roots["twitter:8"]["started_at"] == twitter_time_millis("Tue Oct 31 21:45:10 +0000 2017")


def writes_rels(writes, name: str):
    for spec, rows in writes.relationships.items():
        if spec.name == name:
            return [(row.source, row.target) for row in rows.values()]
    return []


def test_mentions_and_about(rows, writes) -> None:
    brand_by_lower = {row["author_id"].lower(): row["author_id"] for row in rows if row["inbound"] == "False"}
    author_of = {row["tweet_id"]: row["author_id"] for row in rows}
    expected_about = set()
    for row in rows:
        names = {
            token.lstrip("@").rstrip(".,:;!?)").lower()
            for token in row["text"].split()
            if token.startswith("@")
        }
        about = {brand_by_lower[name] for name in names if name in brand_by_lower}
        parent_author = author_of.get(row["in_response_to_tweet_id"])
        if parent_author is not None and parent_author.lower() in brand_by_lower:
            about.add(parent_author)
        about.discard(row["author_id"])
        expected_about |= {(f"twitter:{row['tweet_id']}", brand) for brand in about}
    got_about = set(writes_rels(writes, "about"))
    # the independent tokeniser above is cruder than the @name regex; they must agree on the vast majority
    assert len(got_about ^ expected_about) <= 0.01 * len(expected_about)
    mentions = set(writes_rels(writes, "mentions"))
    assert ("twitter:1", "twitter:115712") in mentions  # anonymised customer handle in text
    assert ("twitter:2", "twitter:sprintcare") in mentions
    assert len(mentions) == 7012
    props = next(
        row.properties
        for spec, rels in writes.relationships.items()
        if spec.name == "mentions"
        for row in rels.values()
    )
    assert set(props) == {"sentiment", "at"}


def test_order_independence(rows, tmp_path, writes) -> None:
    with open(TWCS, newline="", encoding="utf-8") as stream:
        header, *records = list(csv.reader(stream))
    random.Random(42).shuffle(records)
    path = tmp_path / "shuffled.csv"
    with open(path, "w", newline="", encoding="utf-8") as stream:
        csv.writer(stream).writerows([header, *records])
    assert snapshot(merged(read_source(path, "twcs"), batch_size=333)) == snapshot(writes)


def test_bad_rows_rejected_good_rows_kept(tmp_path) -> None:
    with open(TWCS, newline="", encoding="utf-8") as stream:
        header, *records = list(csv.reader(stream))
    good = records[:3]
    bad = [
        ["x1", "a", "True", "Tue Oct 31 22:10:47 +0000 2017", "t", "", ""],
        ["900001", "a", "maybe", "Tue Oct 31 22:10:47 +0000 2017", "t", "", ""],
        ["900002", "a", "True", "2017-10-31 22:10:47", "t", "", ""],
        ["900003", "a", "True", "Tue Oct 31 22:10:47 +0000 2017", "bell\x07", "", ""],
        ["900004", "", "True", "Tue Oct 31 22:10:47 +0000 2017", "t", "", ""],
        ["900005", "a", "True", "Tue Oct 31 22:10:47 +0000 2017", "t", "", "abc"],
        ["900006", "a", "True"],
        ["900007", "a", "True", "Tue Oct 31 22:10:47 +0000 2017", "x" * 30_000, "", ""],
    ]
    path = tmp_path / "bad.csv"
    with open(path, "w", newline="", encoding="utf-8") as stream:
        csv.writer(stream).writerows([header, *good, *bad])
    items = list(read_source(path, "twcs"))
    assert [item.line for item in items if isinstance(item, Record)] == [2, 3, 4]
    rejected = [item for item in items if isinstance(item, Rejected)]
    fields = [
        "tweet_id",
        "inbound",
        "created_at",
        "text",
        "author_id",
        "in_response_to_tweet_id",
        "row",
        "text",
    ]
    assert [(item.line, item.reason.split(":")[0]) for item in rejected] == list(
        zip(range(5, 5 + len(bad)), fields, strict=True)
    )


def test_missing_header_column(tmp_path) -> None:
    path = tmp_path / "nohead.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    (item,) = list(read_source(path, "twcs"))
    assert isinstance(item, Rejected) and item.line == 1 and item.reason.startswith("header: missing column")


def test_twitter_time() -> None:
    assert twitter_time_millis("Tue Oct 31 22:10:47 +0000 2017") == 1_509_487_847_000
    assert twitter_time_millis("Tue Oct 31 23:10:47 +0100 2017") == 1_509_487_847_000
    with pytest.raises(ValueError):
        twitter_time_millis("Tue Foo 31 22:10:47 +0000 2017")


def test_mention_regex_ignores_emails() -> None:
    from ingest.sources.twcs import MENTION

    assert MENTION.findall("mail me@example.com or @Real_Name, cc @115712.") == ["Real_Name", "115712"]
    assert re.sub(MENTION, "", "@a") == ""
