"""``--format events``: canonical events as JSON Lines (one object per line; schema in ``ingest/EVENTS.md``).

Ids are used exactly as given (the recommended profile id scheme is ``<platform>:<handle or account id>``,
as the other sources produce). Blank lines (only whitespace) are skipped silently; every other line
yields a :class:`~ingest.records.Record` with one event or a :class:`~ingest.records.Rejected`: invalid
UTF-8, malformed JSON, ``NaN``/``Infinity`` literals, duplicate keys in one object, lines over
:data:`MAX_LINE_BYTES`, and every validation failure of :func:`ingest.events.parse_event`.
The file is read line by line (gzip transparently), so memory stays flat whatever its size.

:func:`read_event_array` reads the same objects given as one JSON array (the API's body form); there
``line`` is the 1-based element number.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ingest.events import InvalidEvent, parse_event
from ingest.records import Record, Rejected, SourceItem, excerpt
from ingest.sources.compression import ReadMeter, Shard, not_blank, parsed_lines

FORMAT = "events"
MAX_LINE_BYTES = 16 * 1024 * 1024


class _DuplicateKey(ValueError):
    pass


def _object_without_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(key)
        result[key] = value
    return result


def _float_constant(name: str) -> float:
    return float(name)  # NaN / ±Infinity pass through, the event model rejects them naming the field


_DECODER = json.JSONDecoder(object_pairs_hook=_object_without_duplicates, parse_constant=_float_constant)


def decode_json(text: str | bytes) -> Any:
    """``json.loads`` refusing duplicate keys (``_DuplicateKey``), NaN/Infinity literals decoded as floats.

    Text goes to one shared decoder: ``json.loads`` with hooks builds a new decoder per call, a
    fifth of the time of reading and validating a canonical event. A line that starts with ``{``
    is decoded in place (``raw_decode``), skipping the two whitespace scans around the value;
    ``decode`` is that same call after its leading whitespace, so errors are the ones
    ``json.loads`` raises, and a line with anything after its object goes the ordinary way.
    """
    if isinstance(text, str) and not text.startswith("\ufeff"):
        if text[:1] == "{":  # a JSON Lines event: decode in place, no whitespace scans around it
            value, end = _DECODER.raw_decode(text)
            if end == len(text):
                return value
        return _DECODER.decode(text)
    return json.loads(text, object_pairs_hook=_object_without_duplicates, parse_constant=_float_constant)


def _item_from_value(line: int, value: Any, raw: str | bytes) -> SourceItem:
    try:
        return Record(line, (parse_event(value),), FORMAT)
    except InvalidEvent as error:
        return Rejected(line, error.reason, excerpt(raw))


def parse_line(line: int, raw: bytes) -> SourceItem | None:
    """One JSON Lines line -> a Record, a Rejected, or ``None`` for a blank line."""
    if len(raw) > MAX_LINE_BYTES:
        return Rejected(line, f"line: longer than {MAX_LINE_BYTES} bytes", excerpt(raw))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        return Rejected(line, f"line: invalid UTF-8 at byte {error.start}", excerpt(raw))
    if not text.strip():
        return None
    try:
        value = decode_json(text)
    except _DuplicateKey as error:
        return Rejected(line, f"{error.args[0]}: duplicate key in one object", excerpt(text))
    except (json.JSONDecodeError, RecursionError) as error:
        reason = error.msg if isinstance(error, json.JSONDecodeError) else "nested too deeply"
        return Rejected(line, f"line: malformed JSON ({reason})", excerpt(text))
    return _item_from_value(line, value, text)


def is_item(raw: bytes) -> bool:
    """Whether :func:`parse_line` makes an item (a Record or a Rejected) of the file line ``raw``: all
    but a blank line (checked without decoding JSON or validating)."""
    line = raw.rstrip(b"\r\n")
    return len(line) > MAX_LINE_BYTES or not_blank(line)


def read_events(
    path: str | Path, *, meter: ReadMeter | None = None, shard: Shard | None = None
) -> Iterator[SourceItem]:
    """Stream a canonical JSON Lines file (optionally gzipped); ``meter`` follows the bytes read;
    ``shard``: only those batches' items (a parse worker's)."""
    return parsed_lines(
        path, meter, lambda number, raw: parse_line(number, raw.rstrip(b"\r\n")), shard=shard, is_item=is_item
    )


def read_event_objects(values: Iterable[Any]) -> Iterator[SourceItem]:
    """Validate already-decoded JSON values (numbered from 1), e.g. the elements of an API body."""
    for number, value in enumerate(values, start=1):
        raw = json.dumps(value, ensure_ascii=False, default=str) if not isinstance(value, str) else value
        yield _item_from_value(number, value, raw)


def read_event_array(data: str | bytes) -> Iterator[SourceItem]:
    """A JSON array of canonical events. A body that is not a JSON array yields one Rejected at line 0.

    Bytes must be UTF-8 (RFC 8259): ``json.loads`` would guess UTF-16/32 from the first bytes instead.
    """
    if isinstance(data, bytes | bytearray):
        try:
            data = bytes(data).decode("utf-8")
        except UnicodeDecodeError as error:
            yield Rejected(0, f"body: not valid UTF-8 (byte {error.start}); JSON must be UTF-8", "")
            return
    try:
        values = decode_json(data)
    except _DuplicateKey as error:
        yield Rejected(0, f"{error.args[0]}: duplicate key in one object", excerpt(data))
        return
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as error:
        yield Rejected(0, f"body: malformed JSON ({error})"[:300], excerpt(data))
        return
    if not isinstance(values, list):
        yield Rejected(
            0, f"body: expected a JSON array of events, got {type(values).__name__}", excerpt(data)
        )
        return
    yield from read_event_objects(values)
