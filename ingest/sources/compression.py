"""Open an input file as a binary stream, gunzipping it transparently (``.gz`` suffix or gzip magic bytes).

A :class:`ReadMeter` given to :func:`open_binary` tells how far reading has got in bytes of the file
on disk (for gzip: compressed bytes, the position of the underlying file), so a progress bar can show
a percentage of the file size for plain and gzipped files alike.
"""

from __future__ import annotations

import contextlib
import gzip
import io
from pathlib import Path
from typing import BinaryIO

GZIP_MAGIC = b"\x1f\x8b"


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


def open_binary(path: str | Path, meter: ReadMeter | None = None) -> BinaryIO:
    """A binary stream over ``path``, decompressed on the fly if it is gzip. The caller closes it."""
    with open(path, "rb") as probe:
        magic = probe.read(2)
    if str(path).endswith(".gz") or magic == GZIP_MAGIC:
        stream = gzip.open(path, "rb")  # noqa: SIM115 - returned to the caller, who closes it
        if meter is not None:
            meter.attach(stream.fileobj)  # type: ignore[attr-defined,arg-type] # the compressed file
        return stream  # type: ignore[return-value]
    plain = open(path, "rb")  # noqa: SIM115 - returned to the caller, who closes it
    if meter is not None:
        meter.attach(plain)
    return plain


def open_text(path: str | Path, meter: ReadMeter | None = None) -> io.TextIOWrapper:
    """A UTF-8 text stream for the ``csv`` module (``newline=""``). Undecodable bytes become lone surrogates
    (``surrogateescape``), so validation rejects the one bad row instead of failing the whole file."""
    return io.TextIOWrapper(open_binary(path, meter), encoding="utf-8", errors="surrogateescape", newline="")
