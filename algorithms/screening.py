"""Screening for coordinated or automated accounts: copied text in step, bursts, reciprocal rings.

Three signals, each with its evidence (:func:`screen_accounts`):

``coordinated_text``
    The account posts near-duplicate text (Jaccard similarity of character 5-gram shingles of the
    normalised text >= ``similarity``, 0.7 by default) within ``window_ms`` (1 hour) of another
    account, with at least ``min_partners`` (2) distinct partners on at least ``min_occasions`` (2)
    distinct days each. Candidates come from MinHash locality-sensitive hashing (Broder, "On the
    resemblance and containment of documents", 1997; banding as in Leskovec, Rajaraman & Ullman,
    *Mining of Massive Datasets*, ch. 3), and every candidate pair is verified with the exact
    Jaccard similarity. Repetition in step is what separates a campaign from two customers who
    happen to write the same "Thank you!" (Pacheco et al., "Uncovering Coordinated Networks on
    Social Media", ICWSM 2021, use the same idea of co-activity across accounts).
``burst``
    At least ``burst_posts`` (5) posts within ``burst_window_ms`` (1 hour).
``reciprocal_ring``
    The account lies in the ``ring_core``-core (3) of the reciprocal engagement graph: an undirected
    edge joins two accounts that engaged with each other in both directions, and a k-core keeps only
    accounts with at least k such partners inside the group (Seidman, "Network structure and minimum
    degree", 1983): a closed clique of mutual boosting rather than a conversation.

**Flag rule**: an account is *flagged* (and down-weighted) when it shows ``coordinated_text``, the
signal that needs repetition in step with other accounts. ``burst`` and ``reciprocal_ring`` are
listed with their evidence for a human to judge but flag nothing on their own or together: bulk
imports share timestamps, and a close group of friends or a busy support thread is mutual by nature
(the karate-club test graph, all posted at one instant, shows both).
**Down-weighting** (applied by the analysis): a flagged account's engagement casts no vote in
influence — its out-edges are removed from the engagement graph before PageRank, so a ring cannot
pump its members (their mass teleports instead) — and its advocacy/detraction score is multiplied by
:data:`FLAGGED_WEIGHT` (0.1).
"""

from __future__ import annotations

import re
import zlib
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import networkx as nx
import numpy as np

FLAGGED_WEIGHT = 0.1
"""Multiplier of a flagged account's advocacy and detraction scores."""
_MINUTE = 60_000
_DAY = 86_400_000
_PRIME = (1 << 31) - 1  # (a * x + b) stays below 2**63 in uint64 arithmetic
_URL = re.compile(r"https?://\S+")
_MENTION = re.compile(r"@\w+")
_NON_WORD = re.compile(r"[^\w]+")


class ScreenedPost(NamedTuple):
    """A post as screening sees it: author, id, text, time (epoch ms). (A named tuple: one per post.)"""

    author: str
    post_id: str
    text: str
    created_at_ms: int


@dataclass(frozen=True)
class ScreeningResult:
    """One account's signals: ``flags`` (sorted signal names), ``flagged`` by the rule, and evidence lines."""

    profile_id: str
    flags: tuple[str, ...]
    flagged: bool
    evidence: tuple[str, ...] = field(default=())


def normalised_text(text: str) -> str:
    """Lower-case words of ``text`` without URLs, @mentions, punctuation or emoji.

    >>> normalised_text("Can't believe it!!! @acme 🔥 https://t.co/x")
    'can t believe it'
    """
    text = _MENTION.sub(" ", _URL.sub(" ", text.lower()))
    return " ".join(_NON_WORD.sub(" ", text).split())


def shingles(text: str, size: int = 5) -> frozenset[int]:
    """Character ``size``-gram shingles of the normalised text, as stable 32-bit hashes (crc32)."""
    if not text:
        return frozenset()
    norm = normalised_text(text)
    if len(norm) <= size:
        return frozenset({zlib.crc32(norm.encode())}) if norm else frozenset()
    return frozenset(zlib.crc32(norm[i : i + size].encode()) for i in range(len(norm) - size + 1))


def jaccard(a: frozenset[int], b: frozenset[int]) -> float:
    """``|a & b| / |a | b|`` (0 for two empty sets)."""
    union = len(a | b)
    return len(a & b) / union if union else 0.0


def _minhash_buckets(
    sets: Sequence[frozenset[int]], bands: int, rows: int, seed: int
) -> dict[tuple, list[int]]:
    rng = np.random.default_rng(seed)
    count = bands * rows
    a = rng.integers(1, _PRIME, size=(count, 1), dtype=np.uint64)
    b = rng.integers(0, _PRIME, size=(count, 1), dtype=np.uint64)
    prime = np.uint64(_PRIME)
    buckets: dict[tuple, list[int]] = defaultdict(list)
    for index, items in enumerate(sets):
        if not items:
            continue
        values = np.fromiter(items, dtype=np.uint64, count=len(items)) % prime
        signature = ((a * values[None, :] + b) % prime).min(axis=1).tolist()
        for band in range(bands):
            buckets[(band, *signature[band * rows : (band + 1) * rows])].append(index)
    return buckets


def near_duplicate_pairs(
    posts: Sequence[ScreenedPost],
    *,
    similarity: float = 0.7,
    window_ms: int = 60 * _MINUTE,
    bands: int = 10,
    rows: int = 3,
    seed: int = 0,
) -> list[tuple[int, int, float]]:
    """Pairs ``(i, j, jaccard)`` of posts by different authors, within ``window_ms``, similar >= ``similarity``.

    ``i < j`` index ``posts``; sorted. MinHash with ``bands x rows`` hash functions proposes pairs
    (about 0.5 probability at Jaccard 0.45, above 0.97 at 0.7 with the defaults), each verified exactly.
    """
    sets = [shingles(p.text) for p in posts]
    found: dict[tuple[int, int], float] = {}
    for members in _minhash_buckets(sets, bands, rows, seed).values():
        if len(members) < 2:
            continue
        members = sorted(members, key=lambda i: (posts[i].created_at_ms, i))
        start = 0
        for right, j in enumerate(members):
            while posts[j].created_at_ms - posts[members[start]].created_at_ms > window_ms:
                start += 1
            for i in members[start:right]:
                if posts[i].author == posts[j].author:
                    continue
                key = (min(i, j), max(i, j))
                if key in found:
                    continue
                value = jaccard(sets[i], sets[j])
                if value >= similarity:
                    found[key] = value
    return sorted((i, j, v) for (i, j), v in found.items())


BURST_POSTS = 5
"""Posts within :data:`BURST_WINDOW_MS` that make a burst."""
BURST_WINDOW_MS = 60 * _MINUTE


def burst_runs(
    authors: np.ndarray,
    times_ms: np.ndarray,
    burst_posts: int = BURST_POSTS,
    window_ms: int = BURST_WINDOW_MS,
) -> dict[int, tuple[int, int, int]]:
    """Per author code with ``burst_posts`` posts within ``window_ms``: its first such run, as
    ``(index of the first post, index of the last post, posts in the run)``.

    ``authors`` (integer codes) and ``times_ms`` are parallel arrays, one entry per post; indexes
    refer to them. Ties in time are taken in array order. Vectorised: arrays, not one object per post
    (the analysis passes every post of the store).

    Examples
    --------
    >>> minute = 60_000
    >>> burst_runs(np.array([7, 7, 3, 7]), np.array([0, 10, 5, 20]) * minute, burst_posts=3)
    {7: (0, 3, 3)}
    """
    authors = np.asarray(authors, dtype=np.int64)
    times = np.asarray(times_ms, dtype=np.int64)
    if authors.size < burst_posts or burst_posts < 2:
        return {}
    order = np.lexsort((np.arange(authors.size), times, authors))
    authors, times = authors[order], times[order]
    span = burst_posts - 1
    same = authors[span:] == authors[:-span]
    hits = np.flatnonzero(same & (times[span:] - times[:-span] <= window_ms))
    found: dict[int, tuple[int, int, int]] = {}
    for start in hits.tolist():
        author = int(authors[start])
        if author in found:
            continue
        end = start + span
        while (
            end + 1 < times.size and authors[end + 1] == author and times[end + 1] - times[start] <= window_ms
        ):
            end += 1
        found[author] = (int(order[start]), int(order[end]), end - start + 1)
    return found


def _bursts(
    posts: Sequence[ScreenedPost], burst_posts: int, window_ms: int
) -> dict[str, tuple[str, str, int]]:
    """Per author with ``burst_posts`` posts within ``window_ms``: its first such run (first, last post, count)."""
    names, codes = np.unique(np.array([p.author for p in posts], dtype=str), return_inverse=True)
    times = np.array([p.created_at_ms for p in posts], dtype=np.int64)
    return {
        str(names[code]): (posts[first].post_id, posts[last].post_id, count)
        for code, (first, last, count) in burst_runs(codes.reshape(-1), times, burst_posts, window_ms).items()
    }


def screen_accounts(
    posts: Sequence[ScreenedPost],
    reciprocal_pairs: Iterable[tuple[str, str]],
    *,
    candidates: Iterable[str] | None = None,
    similarity: float = 0.7,
    window_ms: int = 60 * _MINUTE,
    min_partners: int = 2,
    min_occasions: int = 2,
    burst_posts: int = BURST_POSTS,
    burst_window_ms: int = BURST_WINDOW_MS,
    ring_core: int = 3,
    seed: int = 0,
    bursts: Mapping[str, tuple[str, str, int]] | None = None,
) -> dict[str, ScreeningResult]:
    """Screen accounts (only ``candidates`` when given); returns the accounts with any signal, by id.

    ``reciprocal_pairs`` are ``(a, b)`` pairs that engaged with each other in both directions.
    See the module docstring for the signals and the flag rule.

    ``bursts``, when given, are the accounts' bursts found beforehand (``{account: (first post id,
    last post id, posts)}``, e.g. by :func:`burst_runs` over every post's author and time, taken with
    ``burst_posts`` and ``burst_window_ms``): ``posts`` then serve the text signal only, and need hold
    only the posts that have a text.

    Examples
    --------
    >>> posts = [ScreenedPost(a, f"{a}{d}", "Best brand ever, buy it now!!!", d * 86_400_000)
    ...          for a in "xyz" for d in (1, 2)]
    >>> sorted(r.profile_id for r in screen_accounts(posts, []).values() if r.flagged)
    ['x', 'y', 'z']
    """
    allowed = None if candidates is None else set(candidates)
    posts = [p for p in posts if allowed is None or p.author in allowed]
    evidence: dict[str, list[str]] = defaultdict(list)
    flags: dict[str, set[str]] = defaultdict(set)

    occasions: dict[tuple[str, str], set[int]] = defaultdict(set)
    examples: dict[tuple[str, str], tuple[str, str, float]] = {}
    for i, j, value in near_duplicate_pairs(posts, similarity=similarity, window_ms=window_ms, seed=seed):
        a, b = sorted((posts[i].author, posts[j].author))
        occasions[(a, b)].add(min(posts[i].created_at_ms, posts[j].created_at_ms) // _DAY)
        examples.setdefault((a, b), (posts[i].post_id, posts[j].post_id, value))
    partners: dict[str, list[str]] = defaultdict(list)
    for (a, b), days in occasions.items():
        if len(days) >= min_occasions:
            partners[a].append(b)
            partners[b].append(a)
    for author, others in partners.items():
        if len(others) >= min_partners:
            flags[author].add("coordinated_text")
            shown = sorted(others)[:5]
            first = examples[tuple(sorted((author, shown[0])))]  # type: ignore[index]
            evidence[author].append(
                f"coordinated_text: near-duplicate posts in step with {len(others)} accounts "
                f"(e.g. {', '.join(shown)}) on >= {min_occasions} days each; "
                f"example posts {first[0]} and {first[1]} (Jaccard {first[2]:.2f})"
            )

    if bursts is None:
        bursts = _bursts(posts, burst_posts, burst_window_ms)
    for author, (first_post, last_post, count) in sorted(bursts.items()):
        if allowed is not None and author not in allowed:
            continue
        flags[author].add("burst")
        evidence[author].append(
            f"burst: {count} posts within {burst_window_ms // _MINUTE} minutes ({first_post} .. {last_post})"
        )

    ring: nx.Graph = nx.Graph()
    ring.add_edges_from(
        (a, b) for a, b in reciprocal_pairs if a != b and (allowed is None or (a in allowed and b in allowed))
    )
    ring.remove_edges_from(nx.selfloop_edges(ring))
    core = nx.k_core(ring, k=ring_core) if ring.number_of_nodes() else ring
    for node in sorted(core.nodes):
        mates = sorted(core.neighbors(node))
        flags[node].add("reciprocal_ring")
        evidence[node].append(
            f"reciprocal_ring: mutual engagement with {len(mates)} accounts of a {ring_core}-core "
            f"(e.g. {', '.join(mates[:5])})"
        )

    result = {}
    for profile_id in sorted(flags):
        signals = flags[profile_id]
        flagged = "coordinated_text" in signals
        result[profile_id] = ScreeningResult(
            profile_id, tuple(sorted(signals)), flagged, tuple(evidence[profile_id])
        )
    return result
