"""Open an input file as a binary stream, gunzipping it transparently (``.gz`` suffix or gzip magic bytes)."""

from __future__ import annotations

import gzip
import io
from pathlib import Path
from typing import BinaryIO

GZIP_MAGIC = b"\x1f\x8b"


def open_binary(path: str | Path) -> BinaryIO:
    """A binary stream over ``path``, decompressed on the fly if it is gzip. The caller closes it."""
    with open(path, "rb") as probe:
        magic = probe.read(2)
    if str(path).endswith(".gz") or magic == GZIP_MAGIC:
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return open(path, "rb")  # noqa: SIM115 - returned to the caller, who closes it


def open_text(path: str | Path) -> io.TextIOWrapper:
    """A UTF-8 text stream for the ``csv`` module (``newline=""``). Undecodable bytes become lone surrogates
    (``surrogateescape``), so validation rejects the one bad row instead of failing the whole file."""
    return io.TextIOWrapper(open_binary(path), encoding="utf-8", errors="surrogateescape", newline="")
