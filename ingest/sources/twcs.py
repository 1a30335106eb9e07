"""``--format twcs``: Kaggle "Customer Support on Twitter" CSV (Thought Vector, CC BY-NC-SA 4.0).

Input: UTF-8 CSV with a header naming at least ``tweet_id, author_id, inbound, created_at, text,
in_response_to_tweet_id`` (other columns — ``response_tweet_id``, a pandas index column — are ignored;
``response_tweet_id`` is the inverse of ``in_response_to_tweet_id`` and adds nothing). Ids written as
floats (``3.0``) are accepted. ``created_at`` looks like ``Tue Oct 31 22:10:47 +0000 2017``.

Id scheme (``P`` = the ``platform`` option, default ``twitter``; Twitter screen names are case
insensitive, so profile ids use the lower-cased name and ``handle`` keeps it as written):

==================  =======================================  ======================================
node                id                                       properties
==================  =======================================  ======================================
Profile             ``P:<author_id lower-cased>``            ``platform=P``, ``handle=author_id``
Brand               ``<author_id>`` (e.g. ``AppleSupport``)  ``name=author_id``; HAS_PROFILE its Profile
Post                ``P:<tweet_id>``                         text, created_at, sentiment
Conversation        ``P:<root tweet_id>``                    ``root_post_id=P:<root tweet_id>``
==================  =======================================  ======================================

* **Brands**: an author with at least one ``inbound=False`` tweet in the file is a brand account (a
  Brand with that Profile; the Profile's declared ``role`` is ``brand_owned``). Every other author is a customer's Profile; no Customer node is made (there is
  no identity evidence in the data).
* **Threads**: each post is ``IN_CONVERSATION`` with the thread root, found by following
  ``in_response_to_tweet_id`` up to a tweet that replies to nothing. If the chain leaves the file, the root
  is the last id reached (a tweet outside the file; its Post is then only a placeholder until loaded).
  Posts in a reply *cycle* (never seen in the data) get no conversation.
* **Mentions**: every ``@name`` in the text (Twitter names: 1–15 of ``[A-Za-z0-9_]``, not preceded by a
  word character, so e-mail addresses do not count) is ``MENTIONS`` of ``P:<name lower-cased>``;
  twcs replaced customer names by their numeric author ids (``@115712``), which therefore map onto the
  customer's Profile. Only authors get Profile properties; a mentioned name that never posts stays a
  placeholder Profile.
* **ABOUT**: a post is ``ABOUT`` each brand it mentions and the brand whose tweet it replies to, except
  its own author's brand.

Resolving roots and brands needs the whole file, so the file is read **twice** (it must be a path, not a
stream). The first pass keeps only integers: (tweet id, parent id) per reply and (tweet id, brand
number) per brand tweet, in ``array('q')``/numpy — about 16–30 bytes per row, ~70 MB for the full 2.8M-row
upstream file — plus the brand names. The second pass streams.
Line numbers are the physical line on which a CSV record starts (the header is line 1).
"""

from __future__ import annotations

import contextlib
import csv
import re
from array import array
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np

from graph.errors import CorruptInput
from graph.model import MAX_ID_LENGTH, MAX_TEXT_LENGTH
from ingest.events import (
    BrandEvent,
    InvalidEvent,
    PostEvent,
    ProfileEvent,
    build_event,
    check_characters,
    epoch_millis,
)
from ingest.records import Record, Rejected, SourceItem, excerpt
from ingest.sources.compression import ReadMeter, open_text

FORMAT = "twcs"
REQUIRED_COLUMNS = ("tweet_id", "author_id", "inbound", "created_at", "text", "in_response_to_tweet_id")
MENTION = re.compile(r"(?<![A-Za-z0-9_@])@([A-Za-z0-9_]{1,15})(?![A-Za-z0-9_])")
_MONTHS = {
    name: number
    for number, name in enumerate(
        ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), start=1
    )
}
_TWITTER_TIME = re.compile(
    r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) ([A-Z][a-z]{2}) (\d{2}) (\d{2}):(\d{2}):(\d{2})"
    r" ([+-])(\d{2})(\d{2}) (\d{4})"
)
_TWEET_ID = re.compile(r"(\d{1,18})(?:\.0+)?")
_MAX_DOUBLINGS = 64


def twitter_time_millis(value: str) -> int:
    """``Tue Oct 31 22:10:47 +0000 2017`` -> epoch ms (parsed without the locale, unlike ``strptime``)."""
    match = _TWITTER_TIME.fullmatch(value)
    if match is None or match.group(1) not in _MONTHS:
        raise ValueError(f"expected a time like 'Tue Oct 31 22:10:47 +0000 2017', got {value[:40]!r}")
    month, day, hour, minute, second, sign, zone_h, zone_m, year = match.groups()
    offset = timedelta(hours=int(zone_h), minutes=int(zone_m)) * (-1 if sign == "-" else 1)
    moment = datetime(
        int(year), _MONTHS[month], int(day), int(hour), int(minute), int(second), tzinfo=timezone(offset)
    )
    return epoch_millis(moment.isoformat())


@dataclass(frozen=True, slots=True)
class _Row:
    line: int
    tweet_id: int
    author: str
    inbound: bool
    created_at: int
    text: str
    parent: int | None


def _tweet_id(value: str, column: str) -> int:
    match = _TWEET_ID.fullmatch(value)
    if match is None:
        raise ValueError(f"{column}: expected a tweet id (digits), got {value[:40]!r}")
    return int(match.group(1))


def _parse_row(line: int, row: list[str], columns: dict[str, int]) -> _Row | Rejected:
    try:
        if len(row) < len(columns) or len(row) > len(columns) + 20:
            raise ValueError(f"row: expected {len(columns)} columns, got {len(row)}")
        field = {name: row[index] for name, index in columns.items()}
        tweet_id = _tweet_id(field["tweet_id"], "tweet_id")
        author = field["author_id"]
        if not author or len(author) > MAX_ID_LENGTH - 16:
            raise ValueError(f"author_id: expected 1 to {MAX_ID_LENGTH - 16} characters, got {len(author)}")
        try:
            check_characters(author)
        except ValueError as error:
            raise ValueError(f"author_id: {error}") from None
        if field["inbound"] not in ("True", "False"):
            raise ValueError(f"inbound: expected True or False, got {field['inbound'][:20]!r}")
        try:
            created_at = twitter_time_millis(field["created_at"])
        except ValueError as error:
            raise ValueError(f"created_at: {error}") from None
        text = field["text"]
        if len(text) > MAX_TEXT_LENGTH:
            raise ValueError(f"text: longer than {MAX_TEXT_LENGTH} characters ({len(text)})")
        try:
            check_characters(text)
        except ValueError as error:
            raise ValueError(f"text: {error}") from None
        parent_field = field["in_response_to_tweet_id"]
        parent = _tweet_id(parent_field, "in_response_to_tweet_id") if parent_field else None
    except ValueError as error:
        return Rejected(line, str(error), excerpt(",".join(row)))
    return _Row(line, tweet_id, author, field["inbound"] == "True", created_at, text, parent)


def _rows(path: str | Path, meter: ReadMeter | None = None) -> Iterator[_Row | Rejected]:
    with open_text(path, meter) as stream:
        reader = csv.reader(stream)
        try:
            header = next(reader)
        except (StopIteration, csv.Error):
            yield Rejected(1, "header: missing or unreadable CSV header", "")
            return
        columns = {name: header.index(name) for name in REQUIRED_COLUMNS if name in header}
        missing = [name for name in REQUIRED_COLUMNS if name not in columns]
        if missing:
            yield Rejected(1, f"header: missing column(s) {', '.join(missing)}", excerpt(",".join(header)))
            return
        width = len(header)
        while True:
            start = reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                yield Rejected(start, f"row: malformed CSV ({error})", "")
                continue
            if not row:
                continue
            if len(row) != width:
                yield Rejected(
                    start, f"row: expected {width} columns, got {len(row)}", excerpt(",".join(row))
                )
                continue
            yield _parse_row(start, row, columns)


class ThreadIndex:
    """Whole-file facts the second pass needs: thread roots, brand authors, and which tweets are brands'."""

    def __init__(
        self,
        children: np.ndarray,
        roots: np.ndarray,
        brand_names: list[str],
        brand_tweets: np.ndarray,
        brand_of_tweet: np.ndarray,
    ) -> None:
        self._children = children
        self._roots = roots
        self.brand_names = brand_names
        self._brand_by_lower = {name.lower(): name for name in sorted(brand_names, reverse=True)}
        self._brand_tweets = brand_tweets
        self._brand_of_tweet = brand_of_tweet

    @classmethod
    def build(cls, path: str | Path) -> ThreadIndex:
        children, parents = array("q"), array("q")
        brand_tweets, brand_numbers = array("q"), array("q")
        brand_number: dict[str, int] = {}
        with contextlib.suppress(CorruptInput):  # the rows pass meets the break again and reports it
            for row in _rows(path):
                if isinstance(row, Rejected):
                    continue
                if row.parent is not None:
                    children.append(row.tweet_id)
                    parents.append(row.parent)
                if not row.inbound:
                    brand_tweets.append(row.tweet_id)
                    brand_numbers.append(brand_number.setdefault(row.author, len(brand_number)))
        child_ids, parent_ids = _sorted_pairs(children, parents)
        brand_ids, brand_idx = _sorted_pairs(brand_tweets, brand_numbers)
        return cls(child_ids, _resolve_roots(child_ids, parent_ids), list(brand_number), brand_ids, brand_idx)

    def root(self, tweet_id: int) -> int | None:
        """The thread root of ``tweet_id`` (itself if it replies to nothing); None inside a reply cycle."""
        index = int(np.searchsorted(self._children, tweet_id))
        if index < len(self._children) and self._children[index] == tweet_id:
            root = int(self._roots[index])
            return None if root < 0 else root
        return tweet_id

    def brand_of_tweet(self, tweet_id: int) -> str | None:
        index = int(np.searchsorted(self._brand_tweets, tweet_id))
        if index < len(self._brand_tweets) and self._brand_tweets[index] == tweet_id:
            return self.brand_names[int(self._brand_of_tweet[index])]
        return None

    def brand_named(self, name: str) -> str | None:
        """The brand author id for a mentioned ``name`` (case-insensitive), if that author is a brand."""
        return self._brand_by_lower.get(name.lower())


def _sorted_pairs(keys: array, values: array) -> tuple[np.ndarray, np.ndarray]:
    """Pairs sorted by (key, value), keeping the smallest value of a duplicated key (order independent)."""
    key_arr = np.frombuffer(keys, dtype=np.int64) if len(keys) else np.empty(0, dtype=np.int64)
    value_arr = np.frombuffer(values, dtype=np.int64) if len(values) else np.empty(0, dtype=np.int64)
    order = np.lexsort((value_arr, key_arr))
    key_arr, value_arr = key_arr[order], value_arr[order]
    first = np.ones(len(key_arr), dtype=bool)
    first[1:] = key_arr[1:] != key_arr[:-1]
    return key_arr[first].copy(), value_arr[first].copy()


def _resolve_roots(children: np.ndarray, parents: np.ndarray) -> np.ndarray:
    """For each child (sorted, unique), its ultimate ancestor, by pointer doubling; -1 inside a cycle."""
    roots = parents.copy()
    if len(children) == 0:
        return roots
    for _ in range(_MAX_DOUBLINGS + 1):
        index = np.minimum(np.searchsorted(children, roots), len(children) - 1)
        has_parent = children[index] == roots
        if not has_parent.any():
            return roots
        roots[has_parent] = roots[index[has_parent]]
    roots[has_parent] = -1  # still moving after 2**64 steps: a cycle
    return roots


def read_twcs(
    path: str | Path, *, platform: str = "twitter", meter: ReadMeter | None = None
) -> Iterator[SourceItem]:
    """Stream a twcs CSV file (optionally gzipped) as Records of profile/brand/post events.

    ``meter`` follows the bytes of the second pass (the first one only indexes the threads)."""
    index = ThreadIndex.build(path)
    for row in _rows(path, meter):
        if isinstance(row, Rejected):
            yield row
            continue
        try:
            yield Record(row.line, _events(row, index, platform), FORMAT)
        except InvalidEvent as error:
            yield Rejected(row.line, error.reason, excerpt(row.text))


def _events(row: _Row, index: ThreadIndex, platform: str) -> tuple:
    profile_id = f"{platform}:{row.author.lower()}"
    own_brand = index.brand_named(row.author)
    role = (
        {"role": "brand_owned", "role_reason": "twcs company author (tweets with inbound=False)"}
        if own_brand is not None
        else {}
    )
    events: list = [build_event(ProfileEvent, id=profile_id, platform=platform, handle=row.author, **role)]
    if own_brand is not None:
        events.append(build_event(BrandEvent, id=own_brand, name=own_brand, profile_ids=[profile_id]))
    names = MENTION.findall(row.text)
    mentions = sorted({f"{platform}:{name.lower()}" for name in names})
    brands = {brand for brand in map(index.brand_named, names) if brand is not None}
    if row.parent is not None and (parent_brand := index.brand_of_tweet(row.parent)) is not None:
        brands.add(parent_brand)
    brands.discard(own_brand)  # type: ignore[arg-type]
    root = index.root(row.tweet_id)
    events.append(
        build_event(
            PostEvent,
            id=f"{platform}:{row.tweet_id}",
            author=profile_id,
            text=row.text,
            created_at=row.created_at,
            reply_to=None if row.parent is None else f"{platform}:{row.parent}",
            conversation_id=None if root is None else f"{platform}:{root}",
            mentions=mentions or None,
            brands=sorted(brands) or None,
        )
    )
    return tuple(events)
