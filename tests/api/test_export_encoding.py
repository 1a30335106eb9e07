"""The export fast paths (segment members streamed as CSV/NDJSON, one cursor per row) give exactly
what the per-row models and the plain encodings give."""

from __future__ import annotations

import base64
import csv
import io
import json
import math

import pytest

from api.routes.segments import (
    CSV_COLUMNS,
    _csv_lines,
    _ndjson_lines,
    csv_cell,
    member_page_json,
    member_records_json,
    with_cursor,
)
from api.schemas import (
    MEMBER_RECORD_FIELDS,
    RunRef,
    SegmentMember,
    SegmentMemberPage,
    member_items,
    member_record_columns,
)
from usecases.paging import Cursor, decode_cursor
from usecases.segments import Member


def _member(i: int, **changes) -> Member:
    values = {
        "profile_id": f"tw:{i}",
        "platform": "twitter",
        "handle": f"h{i}",
        "customer_id": f"c-{i}",
        "email": f"c{i}@example.com",
        "handles": [f"twitter:h{i}", "=cmd|' /C calc'!A0"],
        "score": 0.25 + i,
        "rank": i + 1,
        "influence": 1e-7 * i,
        "community": i % 3,
        "role": "customer",
        "mean_sentiment": -0.5,
        "reason": f"advocate of acme (rank {i + 1})",
        "cursor": f"cur{i}",
    }
    values.update(changes)
    return Member(**values)


def member_public(member: Member) -> SegmentMember:
    """The reference: the model validated from the member's attributes, one member at a time."""
    return SegmentMember.model_validate(member, from_attributes=True)


MEMBERS = [
    _member(0),
    _member(1, score=3, rank=2.0, influence=0, community=None, mean_sentiment=None),  # ints, floats, nulls
    _member(2, score=math.nan, influence=math.inf, mean_sentiment=-math.inf),  # non-finite: null
    _member(3, handle="Zoë 😀", reason='"quoted", comma\nnew line', email=None, customer_id=None, handles=[]),
    _member(4, handle="+44 20", reason="-1 point", platform="@home", role="=1+1", cursor="\tx"),
]


@pytest.mark.parametrize("member", MEMBERS, ids=lambda m: m.profile_id)
def test_member_record_is_the_models_json_dump(member: Member) -> None:
    """Equal to the model's JSON (non-finite numbers as null, as ``model_dump_json`` writes them)."""
    dumped = json.loads(member_public(member).model_dump_json())
    columns = member_record_columns({name: [getattr(member, name)] for name in MEMBER_RECORD_FIELDS})
    record = {name: column[0] for name, column in zip(MEMBER_RECORD_FIELDS, columns, strict=True)}
    assert record == dumped
    assert list(record) == list(dumped)  # same key order
    line = json.dumps(record, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    assert json.loads(line) == dumped


def test_record_columns_are_the_models_json_dumps_member_by_member() -> None:
    columns = {name: [getattr(member, name) for member in MEMBERS] for name in MEMBER_RECORD_FIELDS}
    records = [
        dict(zip(MEMBER_RECORD_FIELDS, values, strict=True))
        for values in zip(*member_record_columns(columns), strict=True)
    ]
    assert records == [json.loads(member_public(member).model_dump_json()) for member in MEMBERS]


def test_csv_lines_are_the_reference_cells_of_the_model() -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for member in MEMBERS:
        model = json.loads(member_public(member).model_dump_json())  # a non-finite number: empty cell
        values = [model[column] for column in CSV_COLUMNS]
        values[CSV_COLUMNS.index("handles")] = ";".join(model["handles"])
        writer.writerow([csv_cell(value) for value in values])
    columns = {name: [getattr(member, name) for member in MEMBERS] for name in MEMBER_RECORD_FIELDS}
    fast = _csv_lines(member_record_columns(columns))
    assert fast == buffer.getvalue()
    parsed = list(csv.reader(io.StringIO(fast)))
    assert parsed[3][CSV_COLUMNS.index("handle")] == "Zoë 😀"
    assert parsed[4][CSV_COLUMNS.index("handle")] == "'+44 20"  # a formula start is neutralised
    assert parsed[1][CSV_COLUMNS.index("community")] == ""  # null: an empty cell
    assert parsed[2][CSV_COLUMNS.index("score")] == ""  # NaN too (it was written "nan" before)


@pytest.mark.parametrize("run_id", ["r", "ru", "run", "run-1", "run-20260101T000000-abcdef", "rün-ß"])
def test_cursor_encoding_is_base64url_of_its_json(run_id: str) -> None:
    for query in ("q", "segment:acme", "0123456789abcdef"):
        for position in (0, 7, 99, 12345, 2**40):
            token = Cursor(run_id, query, position).encode()
            raw = json.dumps({"r": run_id, "q": query, "p": position}, separators=(",", ":"))
            assert token == base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")
            assert decode_cursor(token, query=query) == Cursor(run_id, query, position)


def test_an_export_closed_by_its_own_reader_thread_does_not_wait_for_itself() -> None:
    """An export the client abandons is closed by whichever thread collects it; when that is the
    thread reading its next chunk, closing must not wait for that thread (it used to raise "cannot
    join current thread" there)."""
    import threading

    from usecases.crm.exports import chunked_rows

    resumed, closed = threading.Event(), threading.Event()
    errors: list[BaseException] = []
    holder: dict = {}

    def fetch(skip: int, limit: int, stop: int | None) -> list[dict]:
        if skip > 0:  # the read ahead, in the reader thread, while the generator waits at its yield
            assert resumed.wait(10)
            try:
                holder["export"].close()
            except BaseException as exc:  # noqa: BLE001 - the test reports whatever close raised
                errors.append(exc)
            closed.set()
        return [{"position": position} for position in range(skip, skip + limit)]

    export = chunked_rows(fetch, start=0, total=None, chunk=2)
    holder["export"] = export
    assert next(export) == [{"position": 0}, {"position": 1}]
    resumed.set()
    assert closed.wait(10)
    assert errors == []
    assert list(export) == []  # closed: nothing more


def test_member_items_validate_to_the_same_models_as_one_member_at_a_time() -> None:
    """The JSON page validates :func:`member_items` in one call: the same members, in the same order."""
    columns = {name: [getattr(member, name) for member in MEMBERS] for name in MEMBER_RECORD_FIELDS}
    items = [SegmentMember.model_validate(item) for item in member_items(columns)]
    assert items == [member_public(member) for member in MEMBERS]


@pytest.mark.parametrize("next_cursor", [None, "eyJyIjoiYSJ9"])
def test_the_json_page_is_byte_for_byte_the_page_model_s_dump(next_cursor: str | None) -> None:
    """The members page is written from record columns; the same bytes as validating the page model
    (with a non-finite number, text beyond ASCII, the run's ISO twins) and dumping it."""
    columns = {name: [getattr(member, name) for member in MEMBERS] for name in MEMBER_RECORD_FIELDS}
    run = RunRef(id="run-1", as_of=1_767_225_600_000, finished_at=1_767_225_600_123, modularity=0.41)
    model = SegmentMemberPage.model_validate(
        {"segment": "Zoë's fans", "items": member_items(columns), "next_cursor": next_cursor, "run": run}
    )
    fast = member_page_json(
        "Zoë's fans", member_records_json(member_record_columns(columns)), next_cursor, run
    )
    assert fast == model.model_dump_json().encode()


def test_a_record_without_its_cursor_takes_it_back_byte_for_byte() -> None:
    """A page's members are held without their cursor (:func:`with_cursor` adds it per pull): the
    same bytes as the record encoded with it, a cursor that needs escaping included."""
    columns = member_record_columns(
        {name: [getattr(member, name) for member in MEMBERS] for name in MEMBER_RECORD_FIELDS}
    )
    whole = member_records_json(columns)
    bare = member_records_json(columns, cursor=False)
    assert [json.loads(record) for record in bare] == [
        {k: v for k, v in json.loads(record).items() if k != "cursor"} for record in whole
    ]
    assert [with_cursor(record, m.cursor) for record, m in zip(bare, MEMBERS, strict=True)] == whole
    assert with_cursor(bare[0], None) == member_public(_member(0, cursor=None)).model_dump_json().encode()


def test_ndjson_lines_are_one_compact_json_record_per_member() -> None:
    """One line per member (a newline inside a value is escaped), keys in field order, numbers that
    read back exactly, text not escaped to ASCII: what ``json.dumps`` (compact, UTF-8) writes, but
    for a small float's exponent (``1e-7`` where Python writes ``1e-07``)."""
    columns = member_record_columns(
        {name: [getattr(member, name) for member in MEMBERS] for name in MEMBER_RECORD_FIELDS}
    )
    records = [dict(zip(MEMBER_RECORD_FIELDS, values, strict=True)) for values in zip(*columns, strict=True)]
    text = _ndjson_lines(columns).decode()
    assert text.endswith("\n") and text.count("\n") == len(MEMBERS)
    lines = text.splitlines()
    parsed = [json.loads(line) for line in lines]
    assert parsed == records == [json.loads(member_public(m).model_dump_json()) for m in MEMBERS]
    assert [list(record) for record in parsed] == [list(MEMBER_RECORD_FIELDS)] * len(MEMBERS)
    plain = [json.dumps(record, ensure_ascii=False, separators=(",", ":")) for record in records]
    assert lines[0] == plain[0]  # no exponent (influence 0.0): the very bytes json.dumps writes
    assert '"Zoë 😀"' in lines[3] and ", " not in lines[0]
    assert parsed[3]["influence"] == 3e-7 and '"influence":3e-7,' in lines[3]
