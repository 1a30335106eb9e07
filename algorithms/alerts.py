"""Negative-sentiment spike alerts: a brand's negative post volume against its own trailing baseline.

Method — an exact Poisson upper control limit (the c-chart with probability limits, D. C. Montgomery,
*Introduction to Statistical Quality Control*, 7th ed., Wiley 2013, §7.3.1 and §7.3.2 on probability
limits for the Poisson; the trailing-baseline form is that of the CDC's EARS C1–C3 aberration detectors,
Hutwagner et al., "The bioterrorism preparedness and response Early Aberration Reporting System (EARS)",
J. Urban Health 80, 2003):

* negative posts (sentiment <= -0.05) about the brand are counted per bucket (an hour or a day, UTC);
* for bucket ``t`` the baseline is the mean count ``lambda`` of the ``baseline_buckets`` buckets before
  it (168 hours = one week, or 28 days), floored at ``1 / baseline_buckets`` so that an empty history
  still gives a finite limit; buckets already in an alert are left out of later baselines, so a
  long spike does not hide its own tail by raising the baseline;
* bucket ``t`` is *out of control* when ``P(X >= count | X ~ Poisson(lambda)) < alpha`` (default
  ``alpha = 1e-4``: a 3-sigma Shewhart limit's 0.00135 would raise about one false alarm a month
  per brand on hourly buckets; 1e-4 raises one in ~10,000 quiet buckets, about 14 months) **and** ``count >=
  min_count`` (default 5: a handful of complaints is not an incident, whatever the baseline);
* at least ``min_history`` buckets (24 hours, 7 days) must precede ``t`` before it is tested;
* consecutive out-of-control buckets form one alert, whose ``start_ms`` is the start of its first
  bucket; it lists the posts behind it.

The upper control limit reported is the smallest count ``ucl`` with ``P(X >= ucl) < alpha``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.stats import poisson

HOUR_MS = 3_600_000
DAY_MS = 86_400_000
GRANULARITIES = {"hour": HOUR_MS, "day": DAY_MS}
DEFAULT_BASELINE = {"hour": 168, "day": 28}
DEFAULT_MIN_HISTORY = {"hour": 24, "day": 7}


@dataclass(frozen=True)
class SpikeAlert:
    """One spike: its buckets ``[start_ms, end_ms)``, counts against the baseline, and its posts.

    ``observed`` and ``expected`` sum over the alert's buckets; ``p_value`` is the smallest bucket
    p-value ``P(X >= count)``; ``upper_control_limit`` the largest bucket limit.
    """

    start_ms: int
    end_ms: int
    buckets: int
    observed: int
    expected: float
    upper_control_limit: int
    p_value: float
    post_ids: tuple[str, ...]


def negative_spikes(
    times_ms: Sequence[int],
    post_ids: Sequence[str],
    *,
    granularity: str = "hour",
    alpha: float = 1e-4,
    min_count: int = 5,
    baseline_buckets: int | None = None,
    min_history: int | None = None,
    start_ms: int | None = None,
    end_ms: int | None = None,
) -> list[SpikeAlert]:
    """Alerts over the negative posts ``(times_ms[i], post_ids[i])``; see the module docstring.

    ``start_ms``/``end_ms`` bound the series (default: the first and last post); buckets are aligned
    to UTC hours or days.

    Examples
    --------
    A quiet day per hour for two days, then twelve complaints in one hour:

    >>> times = [h * HOUR_MS for h in range(48)] + [48 * HOUR_MS + m * 60_000 for m in range(12)]
    >>> [(a.start_ms // HOUR_MS, a.observed) for a in negative_spikes(times, [str(t) for t in times])]
    [(48, 12)]
    """
    if granularity not in GRANULARITIES:
        raise ValueError(f"granularity must be one of {', '.join(GRANULARITIES)}, got {granularity!r}")
    if not 1e-12 <= alpha <= 0.5:
        raise ValueError("alpha must be in [1e-12, 0.5]")
    if len(times_ms) != len(post_ids):
        raise ValueError("times_ms and post_ids must have the same length")
    width = GRANULARITIES[granularity]
    baseline_buckets = baseline_buckets or DEFAULT_BASELINE[granularity]
    min_history = DEFAULT_MIN_HISTORY[granularity] if min_history is None else min_history
    if baseline_buckets < 1 or min_history < 1:
        raise ValueError("baseline_buckets and min_history must be >= 1")
    times = np.asarray(times_ms, dtype=np.int64)
    if times.size == 0:
        return []
    # Buckets before the first post or after the last hold nothing and cannot alert: the series runs
    # over the posts' own span within [start_ms, end_ms) (a far-back ``since`` costs nothing).
    first = max(int(times.min()), 0 if start_ms is None else int(start_ms)) // width
    last = (int(times.max()) if end_ms is None else min(int(times.max()), int(end_ms) - 1)) // width
    if last < first:
        return []
    bucket = times // width - first
    inside = (bucket >= 0) & (bucket <= last - first)
    counts = np.bincount(bucket[inside], minlength=last - first + 1)
    in_alert = np.zeros(counts.size, dtype=bool)
    expected = np.zeros(counts.size)
    limits = np.zeros(counts.size, dtype=np.int64)
    p_values = np.ones(counts.size)
    floor = 1.0 / baseline_buckets
    # Only a bucket with at least ``min_count`` posts can alert: test those, in time order (an alert
    # leaves its buckets out of the later baselines).
    for t in np.flatnonzero(counts >= min_count).tolist():
        if t < min_history:
            continue
        window = slice(max(0, t - baseline_buckets), t)
        calm = ~in_alert[window]
        history = counts[window][calm]
        if history.size < min_history:
            continue
        lam = max(float(history.mean()), floor)
        expected[t] = lam
        p_values[t] = float(poisson.sf(counts[t] - 1, lam))  # P(X >= count)
        limits[t] = int(poisson.isf(alpha, lam)) + 1  # smallest c with P(X >= c) < alpha
        in_alert[t] = p_values[t] < alpha and counts[t] >= min_count

    alerts: list[SpikeAlert] = []
    order = np.argsort(times, kind="stable")
    t = 0
    while t < counts.size:
        if not in_alert[t]:
            t += 1
            continue
        end = t
        while end + 1 < counts.size and in_alert[end + 1]:
            end += 1
        lo, hi = (first + t) * width, (first + end + 1) * width
        ids = tuple(post_ids[int(i)] for i in order.tolist() if lo <= times[int(i)] < hi)
        alerts.append(
            SpikeAlert(
                start_ms=lo,
                end_ms=hi,
                buckets=end - t + 1,
                observed=int(counts[t : end + 1].sum()),
                expected=float(expected[t : end + 1].sum()),
                upper_control_limit=int(limits[t : end + 1].max()),
                p_value=float(p_values[t : end + 1].min()),
                post_ids=ids,
            )
        )
        t = end + 1
    return alerts
