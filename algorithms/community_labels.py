"""Readable community labels: the handles of a community's most influential members and its most used terms.

A community id is an integer (kept stable across runs, see :mod:`algorithms.communities`); a person
reading a report wants a name. The label of a community is ``"@lead1, @lead2 · term1, term2"``:

- **leads** — the handles of its ``leads`` most influential members (PageRank, ties by profile id);
- **terms** — the ``terms`` words used by the most of its top members' posts (document frequency
  over the posts given, ties alphabetically), leaving out stop words, handles, mentions, links and
  numbers: a keyword summary in the spirit of TF-based cluster labelling (Manning, Raghavan &
  Schütze, *Introduction to Information Retrieval*, 2008, §17.7 "Cluster labeling").

Stability across runs: a community whose previous label's first lead is still among its
``keep_within`` most influential members keeps its previous label unchanged, so a label changes only
when the community's lead has really changed (ids are stable, and now names too).

Examples
--------
>>> labels = community_labels(
...     {0: ["ada", "bob", "cy"]},
...     {0: ["Boots arrived, love the boots", "boots too small #sizing", "love shipping"]},
... )
>>> labels[0].label
'@ada, @bob · boots, love'
>>> community_labels({0: ["bob", "ada"]}, {0: []}, previous={0: labels[0]})[0].label
'@ada, @bob · boots, love'
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

_WORD = re.compile(r"(?<![@\w])[^\W\d_][\w'-]{2,}", re.UNICODE)
_LINK = re.compile(r"https?://\S+|www\.\S+")
_STOP_TEXT = """about above after again against all also and any are aren't because been before being below
    between both but can can't cannot could couldn't did didn't does doesn't doing don't down during each
    few for from further get got had hadn't has hasn't have haven't having her here hers herself him
    himself his how i'm i've into isn't it's its itself just let's like more most mustn't myself nor
    not now off once only other ought our ours ourselves out over own rt same shan't she she's should
    shouldn't some such than that that's the their theirs them themselves then there there's these they
    they're this those through too under until very was wasn't we're we've were weren't what what's
    when where which while who whom why will with won't would wouldn't you you're you've your yours
    yourself yourselves amp via one two new now get got just really still"""
STOP_WORDS = frozenset(_STOP_TEXT.split())


@dataclass(frozen=True)
class CommunityLabel:
    label: str
    leads: tuple[str, ...]
    terms: tuple[str, ...]


def top_terms(texts: Sequence[str], count: int, *, exclude: frozenset[str] = frozenset()) -> tuple[str, ...]:
    """The ``count`` words found in the most ``texts`` (each text counts a word once), ties alphabetically."""
    frequency: Counter[str] = Counter()
    for text in texts:
        words = {w.lower().strip("'-") for w in _WORD.findall(_LINK.sub(" ", text))}
        frequency.update(w for w in words if len(w) >= 3 and w not in STOP_WORDS and w not in exclude)
    ranked = sorted(frequency.items(), key=lambda item: (-item[1], item[0]))
    return tuple(word for word, _ in ranked[:count])


def community_labels(
    members: Mapping[int, Sequence[str]],
    texts: Mapping[int, Sequence[str]],
    previous: Mapping[int, CommunityLabel] | None = None,
    *,
    leads: int = 2,
    terms: int = 2,
    keep_within: int = 10,
) -> dict[int, CommunityLabel]:
    """A label per community (see the module docstring).

    Parameters
    ----------
    members : mapping of int to sequence of str
        Per community, its members' handles, most influential first.
    texts : mapping of int to sequence of str
        Per community, texts of posts by its top members.
    previous : mapping of int to CommunityLabel, optional
        The labels of the previous run, kept where the lead is still among the top ``keep_within``.
    """
    previous = previous or {}
    labels: dict[int, CommunityLabel] = {}
    for community, handles in members.items():
        old = previous.get(community)
        if old is not None and old.leads and old.leads[0] in handles[:keep_within]:
            labels[community] = old
            continue
        chosen = tuple(handles[:leads])
        exclude = frozenset(h.split(" (")[0].lower() for h in handles)  # "ada (mastodon)" is handle "ada"
        words = top_terms(texts.get(community, ()), terms, exclude=exclude)
        head = ", ".join(f"@{h}" for h in chosen) or f"community {community}"
        labels[community] = CommunityLabel(f"{head} · {', '.join(words)}" if words else head, chosen, words)
    return labels
