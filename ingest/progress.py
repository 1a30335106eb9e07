"""Percentage, rate and time left of a file load, from the bytes of the file read so far.

The loader reports, after each batch, how many bytes of the file on disk were read by then
(:class:`~ingest.loader.LoadProgress`; compressed bytes for gzip, so the figure and the file size
are in the same unit). The rate is measured from the first report on, not from the start: the first
batch of a resumed load includes the lines skipped up to its checkpoint, read far faster than loaded,
which would make the estimate far too hopeful.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Estimate:
    fraction: float  # 0..1 of the file read
    bytes_per_s: float | None  # None until two reports
    seconds_left: float | None  # None until two reports, or when no progress was measured


@dataclass
class LoadEstimator:
    """Turns successive ``(bytes_read, elapsed_s)`` reports of one load into :class:`Estimate`\\ s."""

    total_bytes: int
    _first: tuple[int, float] | None = field(default=None, init=False)

    def update(self, bytes_read: int, elapsed_s: float) -> Estimate:
        fraction = min(bytes_read / self.total_bytes, 1.0) if self.total_bytes > 0 else 1.0
        if self._first is None:
            self._first = (bytes_read, elapsed_s)
            return Estimate(fraction, None, None)
        first_bytes, first_s = self._first
        seconds = elapsed_s - first_s
        if seconds <= 0:
            return Estimate(fraction, None, None)
        rate = (bytes_read - first_bytes) / seconds
        left = max(self.total_bytes - bytes_read, 0) / rate if rate > 0 else None
        return Estimate(fraction, rate, left)
