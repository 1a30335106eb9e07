"""Open an input file as a binary stream, gunzipping it transparently (``.gz`` suffix or gzip magic bytes).

A :class:`ReadMeter` given to :func:`open_binary` tells how far reading has got in bytes of the file
on disk (for gzip: compressed bytes, the position of the underlying file), so a progress bar can show
a percentage of the file size for plain and gzipped files alike.

A gzip stream that ends early (a truncated download) or does not decompress (a corrupt one) raises
:class:`~graph.errors.CorruptInput` naming the file, the compressed byte reached and the line that
could not be read, instead of the ``EOFError`` or ``zlib.error`` of :mod:`gzip` (the CLI used to
print a bare ``Aborted.`` for the first). Every complete line before the break has been returned
by then, so a loader keeps them (see :func:`ingest.pipeline.batches`).
"""

from __future__ import annotations

import contextlib
import gzip
import io
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, TypeVar

from graph.errors import CorruptInput

GZIP_MAGIC = b"\x1f\x8b"
Item = TypeVar("Item")


class ReadMeter:
    """Bytes of the file on disk read so far by the stream :func:`open_binary` opened with it."""

    def __init__(self) -> None:
        self._file: BinaryIO | None = None
        self._last = 0

    def attach(self, file: BinaryIO) -> None:
        self._file = file

    @property
    def bytes_read(self) -> int:
        file = self._file
        if file is not None and not file.closed:
            with contextlib.suppress(OSError, ValueError):  # closed meanwhile: keep the last figure
                self._last = file.tell()
        return self._last


class CheckedGzipFile(gzip.GzipFile):
    """A :class:`gzip.GzipFile` whose read errors are :class:`CorruptInput` saying where the stream broke.

    It counts the newlines it has returned, so the error names the first line it could not read.
    """

    def __init__(self, path: str | Path) -> None:
        super().__init__(path, "rb")
        self.path = str(path)
        self.lines_returned = 0

    def _broken(self, exc: Exception) -> CorruptInput:
        try:
            at = self.fileobj.tell() if self.fileobj is not None else -1  # type: ignore[union-attr]
        except (OSError, ValueError):
            at = -1
        what = (
            "ends before the end of its gzip stream (truncated)"
            if isinstance(exc, EOFError)
            else "is corrupt"
        )
        reason = str(exc) or type(exc).__name__
        return CorruptInput(
            f"{self.path} {what}: it broke near compressed byte {at} while reading line "
            f"{self.lines_returned + 1} ({reason}); the lines before it were loaded"
        )

    def _counted(self, data: bytes) -> bytes:
        self.lines_returned += data.count(b"\n")
        return data

    def read(self, size: int | None = -1) -> bytes:
        try:
            return self._counted(super().read(size))
        except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
            raise self._broken(exc) from exc

    def read1(self, size: int = -1) -> bytes:
        try:
            return self._counted(super().read1(size))
        except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
            raise self._broken(exc) from exc

    def readline(self, size: int | None = -1) -> bytes:
        try:
            return self._counted(super().readline(size))
        except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
            raise self._broken(exc) from exc

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def readinto1(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self.read1(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def open_binary(path: str | Path, meter: ReadMeter | None = None) -> BinaryIO:
    """A binary stream over ``path``, decompressed on the fly if it is gzip. The caller closes it."""
    with open(path, "rb") as probe:
        magic = probe.read(2)
    if str(path).endswith(".gz") or magic == GZIP_MAGIC:
        stream = CheckedGzipFile(path)
        if meter is not None:
            meter.attach(stream.fileobj)  # type: ignore[arg-type] # the compressed file on disk
        return stream  # type: ignore[return-value]
    plain = open(path, "rb")  # noqa: SIM115 - returned to the caller, who closes it
    if meter is not None:
        meter.attach(plain)
    return plain


@dataclass(frozen=True)
class Shard:
    """The batches of a file that one of ``count`` parse workers parses: the ``index``-th of every
    ``count`` consecutive batches of ``batch_size`` items, counting the items after line
    ``after_line`` (a load's checkpoint), so worker ``i`` parses batches ``i``, ``i + count``, …
    of exactly the batches :func:`ingest.pipeline.batches` makes of the whole file."""

    index: int
    count: int
    batch_size: int
    after_line: int = 0

    def __post_init__(self) -> None:
        if not 0 <= self.index < self.count or self.batch_size < 1:
            raise ValueError(f"not a shard: {self}")

    def owns(self, item: int) -> bool:
        """Whether the ``item``-th item (from 0, after :attr:`after_line`) is in this shard's batches."""
        return (item // self.batch_size) % self.count == self.index


def not_blank(raw: bytes) -> bool:
    """Whether a file line holds anything but white space once decoded (a line that is not UTF-8
    does: it is rejected, not skipped): which lines the line formats make an item of."""
    try:
        return bool(raw.decode("utf-8").strip())
    except UnicodeDecodeError:
        return True


def parsed_lines(
    path: str | Path,
    meter: ReadMeter | None,
    parse: Callable[[int, bytes], Item | None],
    *,
    shard: Shard | None = None,
    is_item: Callable[[bytes], bool] | None = None,
) -> Iterator[Item]:
    """``parse(line_number, raw_line)`` over every line of ``path`` (numbered from 1, gzip or plain), skipping
    the lines it returns ``None`` for (blank lines, headers); ``meter`` follows the bytes read.

    With ``shard``, only that shard's items are parsed and returned; ``is_item(raw_line)`` must say,
    without the cost of parsing, exactly whether ``parse`` returns an item for the line (each format's
    ``is_item`` is tested against its ``parse``), since every worker counts the items it skips."""
    with open_binary(path, meter) as stream:
        if shard is None:
            for number, raw in enumerate(stream, start=1):
                item = parse(number, raw)
                if item is not None:
                    yield item
            return
        if is_item is None:
            raise ValueError("a shard needs is_item, to count the items it does not parse")
        owns, after, counted = shard.owns, shard.after_line, 0
        for number, raw in enumerate(stream, start=1):
            if number <= after or not is_item(raw):
                continue
            if owns(counted):
                item = parse(number, raw)
                if item is None:  # the workers would no longer agree on where batches start
                    raise RuntimeError(f"line {number}: is_item counts it as an item, the parse does not")
                yield item
            counted += 1


def open_text(path: str | Path, meter: ReadMeter | None = None) -> io.TextIOWrapper:
    """A UTF-8 text stream for the ``csv`` module (``newline=""``). Undecodable bytes become lone surrogates
    (``surrogateescape``), so validation rejects the one bad row instead of failing the whole file."""
    return io.TextIOWrapper(open_binary(path, meter), encoding="utf-8", errors="surrogateescape", newline="")
