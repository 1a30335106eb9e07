"""Canonical event validation: strict types, times, characters, hostile strings kept intact."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.events import (
    EVENT_MODELS,
    InvalidEvent,
    PostEvent,
    RatingEvent,
    epoch_millis,
    parse_event,
)

POST = {"kind": "post", "id": "p1", "author": "twitter:a", "text": "hi", "created_at": "2024-05-01T12:00:00Z"}
MAY_1_NOON_MS = 1_714_564_800_000


def reason(obj: dict) -> str:
    with pytest.raises(InvalidEvent) as caught:
        parse_event(obj)
    return caught.value.reason


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-05-01T12:00:00Z", MAY_1_NOON_MS),
        ("2024-05-01T14:00:00+02:00", MAY_1_NOON_MS),
        ("2024-05-01T07:00:00.250-05:00", MAY_1_NOON_MS + 250),
        (1_714_564_800, MAY_1_NOON_MS),  # epoch seconds
        (1_714_564_800.25, MAY_1_NOON_MS + 250),  # fractional seconds
        (MAY_1_NOON_MS, MAY_1_NOON_MS),  # epoch milliseconds
        (1289241911.72836, 1_289_241_911_728),  # SNAP OTC style
        (0, 0),
        (
            99_999_999_999,
            99_999_999_999_000,
        ),  # just below the boundary: seconds (year 5138 > 3000 -> see below)
    ][:-1],
)
def test_time_inputs_become_epoch_millis(value: object, expected: int) -> None:
    assert epoch_millis(value) == expected
    assert parse_event({**POST, "created_at": value}).created_at == expected


def test_seconds_milliseconds_boundary() -> None:
    assert epoch_millis(10**11) == 10**11  # milliseconds: 1973-03-03
    with pytest.raises(ValueError, match="year 3000"):
        epoch_millis(10**11 - 1)  # seconds: year 5138


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("2024-05-01T12:00:00", "naive"),
        ("2024-05-01", "naive"),
        ("yesterday", "not an ISO 8601 time"),
        ("1714564800", "not an ISO 8601 time"),
        (True, "boolean"),
        (-5, "before 1970"),
        ("1969-12-31T23:59:59Z", "before 1970"),
        (None, "NoneType"),
    ],
)
def test_bad_times_are_rejected_naming_the_field(value: object, fragment: str) -> None:
    text = reason({**POST, "created_at": value})
    assert text.startswith("created_at: ")
    assert fragment in text


def test_nan_and_infinity_are_rejected() -> None:
    base = {"kind": "rating", "source": "a", "target": "b", "rating": 1, "at": 1}
    assert reason({**base, "rating": float("nan")}).startswith("rating: ")
    assert reason({**base, "rating": float("inf")}).startswith("rating: ")
    assert reason({**base, "at": float("nan")}).startswith("at: ")
    assert reason({"kind": "customer", "id": "c", "attributes": {"x": float("nan")}}).startswith(
        "attributes.x: "
    )


@pytest.mark.parametrize("bad", ["5", True, None, [5], {"v": 5}])
def test_rating_must_be_a_number(bad: object) -> None:
    assert reason({"kind": "rating", "source": "a", "target": "b", "rating": bad, "at": 1}).startswith(
        "rating: "
    )


@pytest.mark.parametrize("bad", [-10.5, 11, 100])
def test_rating_range(bad: float) -> None:
    assert "rating: " in reason({"kind": "rating", "source": "a", "target": "b", "rating": bad, "at": 1})
    assert parse_event({"kind": "rating", "source": "a", "target": "b", "rating": -10, "at": 1}).rating == -10


def test_missing_unknown_and_extra_fields() -> None:
    assert reason({"id": "x"}) == "kind: missing required field"
    assert reason({"kind": "tweet", "id": "x"}).startswith("kind: unknown kind 'tweet'")
    assert reason({"kind": 7}).startswith("kind: unknown kind")
    without_text = {key: value for key, value in POST.items() if key != "text"}
    assert reason(without_text) == "text: Field required"
    assert reason({**POST, "txet": "typo"}).startswith("txet: Extra inputs are not permitted")
    assert reason({**POST, "followers": 1}).startswith("followers: Extra")


def test_ids_and_text_lengths() -> None:
    assert reason({**POST, "id": ""}).startswith("id: ")
    assert reason({**POST, "id": "x" * 257}).startswith("id: ")
    assert parse_event({**POST, "id": "x" * 256}).id == "x" * 256
    assert reason({**POST, "text": "a" * 1_000_000}) == "text: String should have at most 20000 characters"
    assert len(parse_event({**POST, "text": "a" * 20_000}).text) == 20_000
    assert reason({**POST, "author": 12}).startswith("author: Input should be a valid string (got int)")
    assert reason(
        {"kind": "profile", "id": "p", "platform": "x", "handle": "h", "followers": "10"}
    ).startswith("followers: ")


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\ud800"])
@pytest.mark.parametrize("field", ["id", "author", "text"])
def test_control_characters_are_rejected(field: str, char: str) -> None:
    text = reason({**POST, field: f"a{char}b"})
    assert text.startswith(f"{field}: ")
    assert "position 1" in text


def test_handles_are_checked_too() -> None:
    text = reason({"kind": "profile", "id": "p", "platform": "x", "handle": "bad\x01handle"})
    assert text.startswith("handle: control character U+0001")


HOSTILE = [
    "'}) DETACH DELETE n //",
    '"}) MATCH (n) DETACH DELETE n RETURN 1 //',
    "back\\slash \\\\ \\n (literally) and \\u0000 (literally)",
    "quotes ' \" ` and $param {curly} [square]",
    "  leading and trailing spaces  ",
    "emoji 😀👍🏽👨‍👩‍👧 and combining é (e\u0301) and RTL \u202e",
    "real newline\nand tab\tand CR\r",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_strings_are_valid_and_unchanged(value: str) -> None:
    if value != value.strip():  # outer whitespace is fine in text but not in ids (it crashes FalkorDB)
        assert reason({**POST, "id": value}).startswith("id: ids must not start or end with whitespace")
        value_id = value.strip()
        event = parse_event({**POST, "id": value_id, "text": value, "author": value_id})
        assert event.text == value and event.id == value_id
        return
    line = json.dumps({**POST, "id": value, "text": value, "author": value}, ensure_ascii=False)
    event = parse_event(json.loads(line))
    assert isinstance(event, PostEvent)
    assert event.id == value and event.text == value and event.author == value
    assert event.text.encode("utf-8") == value.encode("utf-8")


def test_bool_is_not_a_number_and_ints_are_not_bools() -> None:
    assert reason({"kind": "purchase", "customer": "c", "brand": "b", "amount": True, "at": 1}).startswith(
        "amount"
    )
    assert reason({"kind": "customer", "id": "c", "email_verified": 1}).startswith("email_verified: ")


def test_attributes_are_flat_primitives_with_identifier_keys() -> None:
    ok = parse_event({"kind": "customer", "id": "c", "attributes": {"tier": "gold", "n": 2, "ok": True}})
    assert ok.attributes == {"tier": "gold", "n": 2, "ok": True}
    assert reason({"kind": "customer", "id": "c", "attributes": {"a": [1]}}).startswith("attributes.a: ")
    assert reason({"kind": "customer", "id": "c", "attributes": {"a": {"b": 1}}}).startswith("attributes.a: ")
    assert "attribute keys" in reason({"kind": "customer", "id": "c", "attributes": {"bad key": 1}})


def test_events_md_examples_are_valid_one_per_kind() -> None:
    text = (Path(__file__).resolve().parents[2] / "ingest" / "EVENTS.md").read_text(encoding="utf-8")
    block = re.search(r"```json\n(.*?)```", text, re.S)
    assert block is not None
    events = [parse_event(json.loads(line)) for line in block.group(1).splitlines()]
    assert sorted(event.kind for event in events) == sorted(EVENT_MODELS)
    rating = next(event for event in events if isinstance(event, RatingEvent))
    assert rating.at == 1_289_241_911_728


@settings(max_examples=500, deadline=None)
@given(value=st.text(alphabet=st.characters(max_codepoint=0x7F), max_size=12) | st.text(max_size=6))
def test_the_plain_ascii_id_shortcut_accepts_only_ids_the_full_rule_accepts(value: str) -> None:
    from ingest.events import _PLAIN_ASCII_ID, check_characters

    if _PLAIN_ASCII_ID.fullmatch(value) is not None:
        assert value and value == value.strip() and check_characters(value) == value


@pytest.mark.parametrize(
    ("event", "field"),
    [
        (
            {"kind": "profile", "id": "tw:a", "platform": "twitter", "handle": "a", "followers": 2**70},
            "followers",
        ),
        (
            {"kind": "profile", "id": "tw:a", "platform": "twitter", "handle": "a", "followers": 2**63},
            "followers",
        ),
        ({"kind": "customer", "id": "c1", "attributes": {"ltv": 2**64}}, "attributes.ltv"),
        ({"kind": "customer", "id": "c1", "attributes": {"debt": -(2**63) - 1}}, "attributes.debt"),
    ],
)
def test_integers_beyond_64_bits_are_rejected_naming_the_field(event: dict, field: str) -> None:
    """The stores keep 64-bit integers: a larger one was silently clamped to 2**63 - 1."""
    text = reason(event)
    assert text.startswith(f"{field}:") and "64-bit" in text, text


def test_the_largest_64_bit_integers_are_accepted() -> None:
    profile = {"kind": "profile", "id": "tw:a", "platform": "twitter", "handle": "a", "followers": 2**63 - 1}
    assert parse_event(profile).followers == 2**63 - 1
    customer = parse_event({"kind": "customer", "id": "c1", "attributes": {"a": -(2**63), "b": 2**63 - 1}})
    assert customer.attributes == {"a": -(2**63), "b": 2**63 - 1}


def test_a_post_replying_to_itself_is_rejected_naming_the_field() -> None:
    text = reason({**POST, "reply_to": POST["id"]})
    assert text.startswith("reply_to:") and "itself" in text, text
