"""Reading one shard of a file: each worker counts every item without parsing the others' (so its
``is_item`` must agree with the format's parse on every line), and the shards cover the file once."""

from __future__ import annotations

import gzip
import itertools
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ingest.pipeline import SHARDABLE_FORMATS, read_source
from ingest.sources import canonical, higgs, snap_signed
from ingest.sources.compression import Shard, not_blank
from tests.ingest.helpers import HIGGS

PARSES: dict[str, tuple[Callable[[bytes], bool], Callable[[int, bytes], object]]] = {
    "events": (canonical.is_item, lambda number, raw: canonical.parse_line(number, raw.rstrip(b"\r\n"))),
    "higgs": (not_blank, lambda number, raw: higgs.parse_line(number, raw, "higgs")),
    "snap-signed": (not_blank, lambda number, raw: snap_signed.parse_row(number, raw, "snap")),
}

WHITE_SPACE = " \t\r\x0b\x0c\x1c\x85\xa0\u1680\u2000\u2028\u3000"
LINES = st.one_of(
    st.binary(max_size=24),
    st.text(alphabet=WHITE_SPACE, max_size=6).map(lambda text: text.encode("utf-8")),
    st.text(alphabet=WHITE_SPACE + "1 2,{}x\u00e9", max_size=12).map(lambda text: text.encode("utf-8")),
    st.sampled_from([b"", b"\n", b"\r\n", b"\xff\n", b"  \xa0\n", b"1 2 1 RT\n", b"1,2,3,4\n", b"{}\n"]),
)


def test_every_shardable_format_has_its_item_check_tested() -> None:
    assert set(PARSES) == SHARDABLE_FORMATS


@pytest.mark.parametrize("format_name", sorted(PARSES))
@given(raw=LINES)
def test_is_item_says_exactly_which_lines_parse_to_an_item(format_name: str, raw: bytes) -> None:
    is_item, parse = PARSES[format_name]
    assert is_item(raw) == (parse(7, raw) is not None)


def test_a_line_longer_than_the_limit_is_an_item_even_when_blank(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(canonical, "MAX_LINE_BYTES", 8)
    raw = b" " * 9 + b"\n"
    assert canonical.is_item(raw) and canonical.parse_line(1, raw.rstrip(b"\r\n")) is not None


def test_a_shard_owns_every_count_th_batch() -> None:
    shard = Shard(index=1, count=3, batch_size=2)
    assert [item for item in range(14) if shard.owns(item)] == [2, 3, 8, 9]
    with pytest.raises(ValueError, match="not a shard"):
        Shard(index=3, count=3, batch_size=2)
    with pytest.raises(ValueError, match="not a shard"):
        Shard(index=0, count=2, batch_size=0)


@pytest.mark.parametrize(("count", "after_line"), [(2, 0), (3, 0), (3, 1234)])
def test_the_shards_of_a_file_hold_each_item_once(tmp_path: Path, count: int, after_line: int) -> None:
    with gzip.open(HIGGS, "rt") as source:
        lines = list(itertools.islice(source, 2500))
    for at in (10, 700, 1500):
        lines.insert(at, " \n")  # no item
    lines.insert(900, "not a higgs line\n")  # a reject: an item
    path = tmp_path / "higgs.txt"
    path.write_text("".join(lines), encoding="utf-8")
    everything = [item for item in read_source(path, "higgs") if item.line > after_line]
    shards = [
        list(read_source(path, "higgs", shard=Shard(index, count, batch_size=97, after_line=after_line)))
        for index in range(count)
    ]
    assert sorted((item for shard in shards for item in shard), key=lambda item: item.line) == everything
    for index, shard in enumerate(shards):
        owned = [item for position, item in enumerate(everything) if (position // 97) % count == index]
        assert shard == owned


def test_twcs_cannot_be_read_in_shards() -> None:
    with pytest.raises(ValueError, match="cannot be read in shards"):
        read_source("any.csv", "twcs", shard=Shard(0, 2, 10))
