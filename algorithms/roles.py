"""Account roles: is a profile a customer, a brand's own account, a brand's staff, or a placeholder?

Rankings that a marketer acts on (influencers, advocates, detractors, bridges, segments, outreach
seeds) are about *customers*. A brand's support account tops every engagement ranking (it answers
everyone), a support agent's personal account reads like an enthusiastic advocate, and a profile known
only from an ``@mention`` has nobody behind it to contact. :func:`assign_roles` gives every profile one
role and the evidence for it:

===============  ==============================================================================
role             evidence (first that applies wins, in this order)
===============  ==============================================================================
``brand_owned``  declared at ingest (``profile`` event ``role``, twcs authors with an
                 ``inbound=False`` tweet), or linked ``(:Brand)-[:HAS_PROFILE]->(:Profile)``
                 (a brand event's ``profile_ids``)
``staff``        declared at ingest; or *detected*: at least one post signed like a support agent
                 (ends with ``^`` + 2–4 capitals, e.g. ``^JK``, the twcs agents' convention), or at
                 least one reply to another customer's post that mentions a brand account and speaks
                 for it (a support phrase such as "thanks for reaching out", "could you help",
                 "DM us", "let us know", "we're sorry", "happy to help")
``placeholder``  no handle and no post of its own: known only from a reference (a mention, a
                 relationship end)
``customer``     everything else
===============  ==============================================================================

The rule is a transparent heuristic: every non-customer role carries a ``reason`` that names its
evidence (the post id for detected staff), so a wrong call can be seen and overridden at ingest
(a declared role always wins over detection).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, NamedTuple

Role = Literal["customer", "brand_owned", "staff", "placeholder"]
ROLES: tuple[Role, ...] = ("customer", "brand_owned", "staff", "placeholder")
NON_CUSTOMER_ROLES: tuple[Role, ...] = ("brand_owned", "staff", "placeholder")

AGENT_SIGNATURE = re.compile(r"(?:^|\s)\^[A-Z]{2,4}\s*$")
"""A post ending in ``^`` and the agent's initials (``... ^JK``), how twcs support agents sign."""

SUPPORT_PHRASE = re.compile(
    r"thanks? (?:you )?for reaching out|could you (?:please )?help|can you (?:please )?help out"
    r"|\bdm us\b|send us a (?:dm|direct message)|let us know|we(?:'re| are) sorry|happy to help"
    r"|we will be happy to|we'd be happy to",
    re.IGNORECASE,
)
"""Phrases with which an account speaks *for* a brand (first person plural, or passing a case on)."""


class AuthoredPost(NamedTuple):
    """A post as role detection sees it (a named tuple: one per post).

    ``reply_to_author`` is the author of the post it replies to (None if not a reply); ``mentions``
    the profile ids it mentions.
    """

    author: str
    post_id: str
    text: str
    reply_to_author: str | None = None
    mentions: tuple[str, ...] = ()


@dataclass(frozen=True)
class RoleAssignment:
    """One profile's role and the evidence for it (``reason`` is empty for plain customers)."""

    profile_id: str
    role: Role
    reason: str


def detect_staff(posts: Iterable[AuthoredPost], brand_accounts: frozenset[str]) -> dict[str, str]:
    """Profiles whose posts show them answering for a brand: ``{profile id: reason}``.

    Brand accounts themselves are skipped (they are ``brand_owned``). The first qualifying post (by
    post id) is the stated evidence.

    Examples
    --------
    >>> posts = [AuthoredPost("t:9", "t:1", "@42 Do you have the return slip? ^NHP")]
    >>> detect_staff(posts, frozenset())
    {'t:9': 'signs posts like a support agent (^NHP) in post t:1'}
    """
    found: dict[str, tuple[str, str]] = {}
    for post in posts:
        if post.author in brand_accounts:
            continue
        reason = None
        signature = AGENT_SIGNATURE.search(post.text)
        if signature is not None:
            reason = f"signs posts like a support agent ({signature.group().strip()}) in post {post.post_id}"
        elif (
            post.reply_to_author is not None
            and post.reply_to_author != post.author
            and post.reply_to_author not in brand_accounts
            and any(m in brand_accounts for m in post.mentions)
            and SUPPORT_PHRASE.search(post.text)
        ):
            brand = sorted(m for m in post.mentions if m in brand_accounts)[0]
            reason = f"answers a customer for brand account {brand} in post {post.post_id}"
        if reason is not None:
            previous = found.get(post.author)
            if previous is None or post.post_id < previous[0]:
                found[post.author] = (post.post_id, reason)
    return {author: reason for author, (_, reason) in sorted(found.items())}


def assign_roles(
    profile_ids: Sequence[str],
    *,
    declared: Mapping[str, tuple[str, str]],
    brand_accounts: Mapping[str, Sequence[str]],
    placeholders: Iterable[str],
    staff: Mapping[str, str],
) -> dict[str, RoleAssignment]:
    """The role of every profile in ``profile_ids`` (see the module docstring for the rule).

    Parameters
    ----------
    profile_ids : sequence of str
    declared : mapping of str to (role, reason)
        Roles stated at ingest; they win over anything detected.
    brand_accounts : mapping of str to sequence of str
        Per profile, the brands that list it as their own (``HAS_PROFILE``).
    placeholders : iterable of str
        Profiles without a handle and without posts.
    staff : mapping of str to str
        Detected staff and the reason (:func:`detect_staff`).

    Examples
    --------
    >>> roles = assign_roles(["a", "b", "c", "d"], declared={}, brand_accounts={"b": ["acme"]},
    ...                      placeholders=["c"], staff={})
    >>> [(r.profile_id, r.role) for r in roles.values()]
    [('a', 'customer'), ('b', 'brand_owned'), ('c', 'placeholder'), ('d', 'customer')]
    """
    placeholder_set = set(placeholders)
    result: dict[str, RoleAssignment] = {}
    for profile_id in profile_ids:
        if profile_id in declared and declared[profile_id][0] in ROLES:
            role, reason = declared[profile_id]
            result[profile_id] = RoleAssignment(profile_id, role, reason or f"declared {role} at ingest")  # type: ignore[arg-type]
        elif profile_id in brand_accounts:
            brands = ", ".join(sorted(brand_accounts[profile_id]))
            result[profile_id] = RoleAssignment(profile_id, "brand_owned", f"account of brand {brands}")
        elif profile_id in staff:
            result[profile_id] = RoleAssignment(profile_id, "staff", staff[profile_id])
        elif profile_id in placeholder_set:
            result[profile_id] = RoleAssignment(
                profile_id, "placeholder", "known only from a reference: no handle, no posts"
            )
        else:
            result[profile_id] = RoleAssignment(profile_id, "customer", "")
    return result


def parse_include(include: str | None) -> tuple[Role, ...]:
    """The roles a result shows: customers plus those named in ``include`` (``owned,staff,placeholder``).

    Raises :class:`ValueError` naming an unknown word.

    Examples
    --------
    >>> parse_include(None), parse_include("staff,owned")
    (('customer',), ('customer', 'brand_owned', 'staff'))
    """
    words = {
        "owned": "brand_owned",
        "brand_owned": "brand_owned",
        "staff": "staff",
        "placeholder": "placeholder",
    }
    wanted = {"customer"}
    for word in (include or "").split(","):
        word = word.strip().lower()
        if not word:
            continue
        if word not in words:
            raise ValueError(f"include: unknown role {word!r} (expected owned, staff, placeholder)")
        wanted.add(words[word])
    return tuple(role for role in ROLES if role in wanted)
