"""``--format higgs``: SNAP Higgs Twitter activity file (De Domenico et al., Sci. Rep. 3, 2980, 2013).

Input: whitespace-separated ``userA userB timestamp type`` (no header, usually gzipped), ``timestamp`` in
epoch seconds, ``type`` one of ``RT`` (A retweeted B), ``MT`` (A mentioned B), ``RE`` (A replied to B).

The file records interactions, not tweets, so posts are **synthesized** — ``synthetic: true``, text ``""``,
no sentiment, no conversation — with ids derived only from the line itself, so reloads are idempotent and
the graph does not depend on line order (``P`` = the ``platform`` option, default ``higgs``; the ids are
anonymised SNAP user ids, not Twitter ids, so they get their own namespace):

=========================  ==========================================================================
node                       id
=========================  ==========================================================================
Profile                    ``P:<user>`` (``platform=P``, ``handle=<user>``)
A's post at second ``t``   ``P:post:<A>:<t>`` — "what A tweeted at t", shared by A's MT and RE lines
                           of the same second (Twitter replies carry a mention, and the file lists
                           both: ``223789 213163 1341100972 MT`` and ``... RE``), created_at = t
B's post A reacted to      ``P:post:<B>:for:<A>:<t>`` — one per interaction (the original tweet is
                           unknown), authored by B, created_at = t (an upper bound: the original is
                           older); an RT and an RE of the same (A, B, t) share it
=========================  ==========================================================================

=======  ========================================================================================
``RT``   ``(A)-[:SHARED {at: t}]->(B's post)``, ``(B)-[:POSTED]->(B's post)``
``MT``   ``(A)-[:POSTED]->(A's post)-[:MENTIONS {at: t}]->(B)``
``RE``   ``(A)-[:POSTED]->(A's post)-[:REPLY_TO]->(B's post)<-[:POSTED]-(B)``
=======  ========================================================================================
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

from ingest.events import InvalidEvent, PostEvent, ProfileEvent, ShareEvent, build_event
from ingest.records import Record, Rejected, SourceItem, excerpt, renamed_field
from ingest.sources.compression import ReadMeter, Shard, not_blank, parsed_lines

FORMAT = "higgs"
KINDS = ("RT", "MT", "RE")
_USER = re.compile(r"[0-9A-Za-z_]{1,64}")
_SECONDS = re.compile(r"\d{1,10}")


def actor_post_id(platform: str, user: str, seconds: int) -> str:
    return f"{platform}:post:{user}:{seconds}"


def target_post_id(platform: str, author: str, actor: str, seconds: int) -> str:
    return f"{platform}:post:{author}:for:{actor}:{seconds}"


@lru_cache(maxsize=16_384)
def profile_event(platform: str, user: str) -> ProfileEvent:
    """The profile event of ``user``: the same on every line that names the user, so the frequent
    ones (the file is heavy-tailed: a few accounts are on many lines) are validated once and shared
    (events are immutable)."""
    return build_event(ProfileEvent, id=f"{platform}:{user}", platform=platform, handle=user)


def parse_line(line: int, raw: bytes, platform: str) -> SourceItem | None:
    """One activity line -> Record, Rejected, or None for a blank line."""
    try:
        text = raw.decode("utf-8").strip()
    except UnicodeDecodeError as error:
        return Rejected(line, f"line: invalid UTF-8 at byte {error.start}", excerpt(raw))
    if not text:
        return None
    fields = text.split()
    try:
        if len(fields) != 4:
            raise InvalidEvent(f"row: expected 4 fields (userA userB timestamp type), got {len(fields)}")
        user_a, user_b, stamp, kind = fields
        for column, value in (("userA", user_a), ("userB", user_b)):
            if _USER.fullmatch(value) is None:
                raise InvalidEvent(f"{column}: expected a user id ([0-9A-Za-z_], 1-64), got {value[:40]!r}")
        if _SECONDS.fullmatch(stamp) is None:
            raise InvalidEvent(f"timestamp: expected epoch seconds (digits), got {stamp[:40]!r}")
        if kind not in KINDS:
            raise InvalidEvent(f"type: expected RT, MT or RE, got {kind[:20]!r}")
        seconds = int(stamp)
        profile_a, profile_b = f"{platform}:{user_a}", f"{platform}:{user_b}"
        events: list = [profile_event(platform, user) for user in dict.fromkeys((user_a, user_b))]
        if kind in ("RT", "RE"):
            original = target_post_id(platform, user_b, user_a, seconds)
            events.append(
                build_event(
                    PostEvent, id=original, author=profile_b, text="", created_at=seconds, synthetic=True
                )
            )
        if kind == "RT":
            events.append(build_event(ShareEvent, profile=profile_a, post=original, at=seconds))
        else:
            events.append(
                build_event(
                    PostEvent,
                    id=actor_post_id(platform, user_a, seconds),
                    author=profile_a,
                    text="",
                    created_at=seconds,
                    synthetic=True,
                    mentions=[profile_b] if kind == "MT" else None,
                    reply_to=original if kind == "RE" else None,
                )
            )
    except InvalidEvent as error:
        reason = renamed_field(error.reason, {"at": "timestamp", "created_at": "timestamp"})
        return Rejected(line, reason, excerpt(text))
    return Record(line, tuple(events), FORMAT)


def read_higgs(
    path: str | Path, *, platform: str = "higgs", meter: ReadMeter | None = None, shard: Shard | None = None
) -> Iterator[SourceItem]:
    """Stream a Higgs activity file (optionally gzipped); ``meter`` follows the bytes read;
    ``shard``: only those batches' items (a parse worker's)."""
    return parsed_lines(
        path, meter, lambda number, raw: parse_line(number, raw, platform), shard=shard, is_item=not_blank
    )
