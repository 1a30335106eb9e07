"""``--format snap-signed``: SNAP signed, weighted trust networks (Bitcoin OTC, Bitcoin Alpha).

Input: CSV without header, 4 columns ``SOURCE,TARGET,RATING,TIME`` — rater id, ratee id, integer rating
in -10 … +10 (never 0 upstream), epoch seconds (OTC has fractional seconds, e.g. ``1289241911.72836``,
rounded to the millisecond). Gzip is read transparently.

Id scheme (``P`` = the ``platform`` option, default ``snap``; pass e.g. ``bitcoin-otc`` or
``bitcoin-alpha`` so two networks with overlapping numeric ids stay apart): Profile ``P:<node id>`` with
``platform=P`` and ``handle=<node id>``; each row is ``(:Profile)-[:RATED {rating, at}]->(:Profile)``.
Ratings are kept as signed numbers: > 0 trust, < 0 distrust. Each row yields a Record with two profile
events and one rating event; a row repeating an earlier (source, target) pair overwrites it (RATED is one
relationship per ordered pair) — the SNAP files have no such duplicates.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from ingest.events import SECONDS_MILLIS_BOUNDARY, InvalidEvent, ProfileEvent, RatingEvent, build_event
from ingest.records import Record, Rejected, SourceItem, excerpt, renamed_field
from ingest.sources.compression import ReadMeter, Shard, not_blank, parsed_lines

FORMAT = "snap-signed"
COLUMNS = ("source", "target", "rating", "time")
_NODE = re.compile(r"[0-9A-Za-z_.:-]{1,128}")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def _number(value: str, column: str) -> float | int:
    if _NUMBER.fullmatch(value) is None:
        raise InvalidEvent(f"{column}: expected a number, got {value[:40]!r}")
    number = float(value)
    return int(number) if number.is_integer() and "." not in value and "e" not in value.lower() else number


def parse_row(line: int, raw: bytes, platform: str) -> SourceItem | None:
    """One CSV line -> Record (profiles + rating), Rejected, or None for a blank line."""
    try:
        text = raw.decode("utf-8").strip()
    except UnicodeDecodeError as error:
        return Rejected(line, f"line: invalid UTF-8 at byte {error.start}", excerpt(raw))
    if not text:
        return None
    fields = [field.strip() for field in text.split(",")]
    try:
        if len(fields) != len(COLUMNS):
            raise InvalidEvent(f"row: expected 4 columns (source,target,rating,time), got {len(fields)}")
        for column, value in zip(("source", "target"), fields[:2], strict=True):
            if _NODE.fullmatch(value) is None:
                raise InvalidEvent(
                    f"{column}: expected a node id ([0-9A-Za-z_.:-], 1-128), got {value[:40]!r}"
                )
        source, target = fields[0], fields[1]
        rating = _number(fields[2], "rating")
        seconds = _number(fields[3], "time")
        if seconds >= SECONDS_MILLIS_BOUNDARY:
            raise InvalidEvent(f"time: expected epoch seconds, got {fields[3][:40]!r}")
        profiles = tuple(
            build_event(ProfileEvent, id=f"{platform}:{node}", platform=platform, handle=node)
            for node in dict.fromkeys((source, target))
        )
        rated = build_event(
            RatingEvent,
            source=f"{platform}:{source}",
            target=f"{platform}:{target}",
            rating=rating,
            at=seconds,
        )
    except InvalidEvent as error:
        return Rejected(line, renamed_field(error.reason, {"at": "time"}), excerpt(text))
    return Record(line, (*profiles, rated), FORMAT)


def read_snap_signed(
    path: str | Path, *, platform: str = "snap", meter: ReadMeter | None = None, shard: Shard | None = None
) -> Iterator[SourceItem]:
    """Stream a SNAP signed-network CSV (optionally gzipped); ``meter`` follows the bytes read;
    ``shard``: only those batches' items (a parse worker's)."""
    return parsed_lines(
        path, meter, lambda number, raw: parse_row(number, raw, platform), shard=shard, is_item=not_blank
    )
