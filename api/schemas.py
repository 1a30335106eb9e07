"""Request and response bodies of the /v1 API (``XPublic``-style: only what clients may see).

Scores come from the current :class:`AnalysisRun` (see ``algorithms/``): ``influence`` is the
profile's PageRank over the engagement graph (sums to 1 over all profiles), ``brand_score`` its
personalized PageRank seeded on one brand, advocacy/detraction ``score`` the brand-specific
influence-weighted sentiment. Times are integer epoch milliseconds (UTC), each with the same instant
beside it in ISO 8601 (``<name>_iso``, e.g. ``created_at_iso: "2026-01-01T00:00:00.000Z"``; null when
the time is null), computed from the epoch value in one place: :func:`iso_time`.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, computed_field, field_validator
from pydantic_core import to_json

from ingest.events import first_forbidden_character
from usecases.current_run import scores_not_computed
from usecases.segments import SavedSegment, SegmentFilter

SEGMENT_NAME_MAX = 200


@functools.lru_cache(maxsize=65_536)
def iso8601(epoch_ms: int | None) -> str | None:
    """``epoch_ms`` as ISO 8601 UTC with milliseconds (``2026-01-01T00:00:00.000Z``); None stays None.

    Kept for the most recent 65,536 instants: the same posts' and runs' times are written on every
    page that shows them."""
    if epoch_ms is None:
        return None
    try:
        moment = datetime.fromtimestamp(epoch_ms / 1000, tz=UTC)
    except (OverflowError, OSError, ValueError):  # beyond what datetime represents
        return None
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def iso_time(field: str) -> Any:
    """A computed ``<field>_iso`` property: the epoch-ms ``field`` of the same model in ISO 8601."""

    def getter(self: BaseModel) -> str | None:
        return iso8601(getattr(self, field))

    getter.__name__ = f"{field}_iso"
    return computed_field(  # type: ignore[call-overload]
        property(getter), return_type=str | None, description=f"`{field}` in ISO 8601 (UTC)"
    )


ItemT = TypeVar("ItemT")


class Page(BaseModel, Generic[ItemT]):
    """One page of a listing, in the listing's stable order; every paged response extends it.

    ``next_cursor`` is null on the last page; pass it back as ``cursor`` for the next one (see
    :mod:`usecases.paging`: cursors are bound to the analysis run and to the query).
    """

    items: list[ItemT]
    next_cursor: str | None = Field(default=None, description="pass as `cursor` for the next page")


class RunRef(BaseModel):
    """The analysis run a response was computed from."""

    id: str = Field(examples=["run-20260101T000000Z"])
    as_of: int | None = Field(default=None, description="epoch ms the run analysed up to")
    finished_at: int | None = None
    modularity: float | None = None
    engine: str = Field(default="in-process", description="in-process, or spark (docs/scale-out.md)")
    community_method: str = Field(default="louvain", description="louvain, or label_propagation (spark)")
    not_computed: list[str] = Field(
        default_factory=list, description="scores this run did not compute: null here, never a stand-in"
    )
    as_of_iso = iso_time("as_of")
    finished_at_iso = iso_time("finished_at")


def run_ref(run: dict[str, Any]) -> RunRef:
    """The run a response was computed from, as clients see it."""
    return RunRef(
        id=str(run["id"]),
        as_of=_int(run.get("param_as_of")),
        finished_at=_int(run.get("finished_at")),
        modularity=run.get("modularity"),
        engine=str(run.get("engine") or "in-process"),
        community_method=str(run.get("community_method") or "louvain"),
        not_computed=scores_not_computed(run),
    )


def _int(value: Any) -> int | None:
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


class SourceShare(BaseModel):
    id: str = Field(examples=["tw:grace"])
    handle: str | None = Field(default=None, examples=["grace"])
    platform: str | None = Field(default=None, examples=["twitter"])
    share: float = Field(description="this source's fraction of the score (0..1)", examples=[0.31])
    contribution: float | None = Field(default=None, description="this source's part of the score (absolute)")


class Explanation(BaseModel):
    """What made a score: PageRank mass received from the top sources, and for a brand query the
    personalized score and its rank among the brand's influencers."""

    kind: Literal["pagerank", "personalized_pagerank"]
    score: float | None = Field(default=None, description="the score explained (global or brand)")
    top_sources: list[SourceShare] = Field(default_factory=list)
    other_sources_share: float | None = Field(
        default=None, description="fraction of the score from all in-neighbours not listed in top_sources"
    )
    teleport_share: float | None = Field(
        default=None,
        description="fraction of the score from the random restart (uniform, or to the brand's accounts)",
    )
    brand_score: float | None = None
    brand_rank: int | None = None
    global_influence: float | None = None
    global_rank: int | None = None


class Influencer(BaseModel):
    id: str = Field(examples=["tw:ada"])
    handle: str | None = Field(default=None, examples=["ada"])
    platform: str | None = Field(default=None, examples=["twitter"])
    influence: float | None = Field(default=None, examples=[0.0042])
    rank: int | None = Field(default=None, description="1 = most influential (per brand when `brand`)")
    reach: int | None = Field(
        default=None,
        examples=[1234],
        description="two-hop audience: profiles that follow or engage with this one, or with one who does",
    )
    community: int | None = Field(default=None, examples=[3])
    role: str | None = Field(default=None, description="customer | brand_owned | staff | placeholder")
    role_reason: str | None = Field(default=None, description="the evidence for a non-customer role")
    brand_score: float | None = Field(default=None, description="personalized PageRank for `brand`")
    explanation: Explanation | None = None


def influencer_fields(row: dict[str, Any], *, brand: str | None) -> dict[str, Any]:
    """An :class:`Influencer`'s fields from a ranking row, to be validated with its page in one call
    (pydantic-core) rather than as a model built in Python per row."""
    return {
        "id": row["id"],
        "handle": row.get("handle"),
        "platform": row.get("platform"),
        "influence": row.get("influence"),
        "rank": row.get("rank"),
        "reach": row.get("reach"),
        "community": row.get("community"),
        "role": row.get("role"),
        "role_reason": row.get("role_reason") or None,
        "brand_score": row.get("brand_score") if brand is not None else None,
    }


class InfluencerPage(Page[Influencer]):
    run: RunRef


class EvidencePost(BaseModel):
    id: str = Field(examples=["post-17"])
    text: str | None = Field(default=None, examples=["Love the new Acme boots!"])
    sentiment: float | None = Field(default=None, examples=[0.82])
    created_at: int | None = Field(default=None, examples=[1767225600000])
    contribution: float | None = Field(
        default=None, description="this post's part of the score (negative: it speaks against the stance)"
    )
    tone: Literal["positive", "negative"] | None = None
    created_at_iso = iso_time("created_at")


class BrandStance(BaseModel):
    """One advocate or detractor of a brand."""

    id: str = Field(examples=["tw:ada"])
    handle: str | None = None
    platform: str | None = None
    community: int | None = None
    score: float | None = Field(default=None, examples=[0.91])
    rank: int | None = Field(default=None, examples=[1])
    posts: int | None = Field(default=None, description="posts about the brand counted")
    mean_sentiment: float | None = Field(default=None, examples=[0.64])
    influence: float | None = None
    influence_factor: float | None = None
    role: str | None = Field(default=None, description="customer | brand_owned | staff | placeholder")
    positive: float | None = Field(default=None, description="recency-weighted positive evidence")
    negative: float | None = Field(default=None, description="recency-weighted negative evidence")
    balance: float | None = Field(default=None, description="(positive - negative) / (positive + negative)")
    weight: float | None = Field(
        default=None, description="1, or the screening down-weight of a flagged account"
    )
    evidence: list[EvidencePost] = Field(default_factory=list)


def page_json(items: list[bytes], rest: dict[str, Any], *, exclude_none: bool = False) -> bytes:
    """The JSON of a :class:`Page` subclass written around its items' JSON: ``items`` first, then
    ``rest`` (the page's other fields, in the model's field order), as ``model_dump_json`` writes it."""
    others = to_json(rest, exclude_none=exclude_none, inf_nan_mode="null")
    return b'{"items":[' + b",".join(items) + b"]," + others[1:]


class BrandStancePage(Page[BrandStance]):
    brand: str
    role: Literal["advocate", "detractor", "mixed"]
    run: RunRef


class CommunityMember(BaseModel):
    id: str
    handle: str | None = None
    platform: str | None = None
    influence: float | None = None
    influence_rank: int | None = None
    role: str | None = None


class Community(BaseModel):
    id: int = Field(examples=[3])
    label: str | None = Field(
        default=None,
        examples=["@ada, @bob · boots, shipping"],
        description="top members' handles and most used terms; kept across runs like the id",
    )
    size: int = Field(examples=[1520])
    reach: int | None = Field(
        default=None,
        description="the members' reach summed: a profile in the audience of two members counts twice",
    )
    top_members: list[CommunityMember]


class CommunityPage(Page[Community]):
    modularity: float | None = Field(default=None, description="modularity of the run's partition")
    run: RunRef


class CommunityDetail(BaseModel):
    id: int
    label: str | None = Field(default=None, description="see Community.label")
    size: int
    reach: int | None = Field(default=None, description="see Community.reach (summed over the members)")
    mean_influence: float | None = None
    modularity: float | None = None
    members: list[Influencer]
    next_cursor: str | None = Field(default=None, description="next page of members")
    run: RunRef


class Scores(BaseModel):
    """A profile's scores in the current run (all null when the run did not score it)."""

    influence: float | None = None
    influence_rank: int | None = None
    reach: int | None = Field(default=None, description="two-hop audience (see Influencer.reach)")
    brokerage: float | None = None
    community: int | None = None


class BrandRelation(BaseModel):
    """What ties a profile (or a customer) to a brand."""

    brand: str
    name: str | None = None
    posts_about: int = 0
    posts_mean_sentiment: float | None = None
    last_post_at: int | None = None
    purchases: int = 0
    purchase_amount: float | None = None
    last_purchase_at: int | None = None
    advocate_score: float | None = None
    advocate_rank: int | None = None
    detractor_score: float | None = None
    detractor_rank: int | None = None
    influence_score: float | None = None
    influence_rank: int | None = None
    last_post_at_iso = iso_time("last_post_at")
    last_purchase_at_iso = iso_time("last_purchase_at")


class ConversationRef(BaseModel):
    id: str
    root_post_id: str | None = None
    root_text: str | None = Field(
        default=None, description="the text of the post that opened it (what it is about)"
    )
    started_at: int | None = None
    last_post_at: int | None = None
    posts_by_subject: int = Field(description="posts the profile (or customer) wrote in it")
    size: int = Field(description="posts in the conversation")
    started_at_iso = iso_time("started_at")
    last_post_at_iso = iso_time("last_post_at")


class SentimentWeek(BaseModel):
    week_start: int = Field(description="epoch ms of Monday 00:00 UTC")
    mean_sentiment: float
    posts: int
    week_start_iso = iso_time("week_start")


class ProfileSummary(BaseModel):
    id: str
    platform: str | None = None
    handle: str | None = None
    followers: int | None = None
    scores: Scores


class Profile360(BaseModel):
    id: str = Field(examples=["tw:ada"])
    platform: str | None = None
    handle: str | None = None
    followers: int | None = None
    customer_ids: list[str] = Field(default_factory=list)
    owner_brand_ids: list[str] = Field(default_factory=list, description="brands this profile belongs to")
    role: str | None = Field(default=None, description="customer | brand_owned | staff | placeholder")
    role_reason: str | None = None
    screening_flags: list[str] = Field(default_factory=list, description="see GET /v1/screening")
    screening_evidence: list[str] = Field(default_factory=list)
    scores: Scores
    brands: list[BrandRelation]
    recent_conversations: list[ConversationRef]
    sentiment_trend: list[SentimentWeek]
    run: RunRef | None = None


class Customer360(BaseModel):
    id: str = Field(examples=["c-1001"])
    name: str | None = None
    email: str | None = Field(
        default=None, description="only when verified and the customer's contact_allowed is not false"
    )
    contact_allowed: bool
    attributes: dict[str, str | int | float | bool] = Field(default_factory=dict)
    profiles: list[ProfileSummary]
    communities: list[int]
    brands: list[BrandRelation]
    recent_conversations: list[ConversationRef]
    sentiment_trend: list[SentimentWeek]
    run: RunRef | None = None


SEGMENT_NAME_PATTERN = "^(?:[^/\\u0000-\\u001f\\u007f-\\u009f\\s.](?:[^/\\u0000-\\u001f\\u007f-\\u009f]*[^/\\u0000-\\u001f\\u007f-\\u009f\\s])?|\\.+(?:[^/\\u0000-\\u001f\\u007f-\\u009f\\s.]|[^/\\u0000-\\u001f\\u007f-\\u009f.][^/\\u0000-\\u001f\\u007f-\\u009f]*[^/\\u0000-\\u001f\\u007f-\\u009f\\s]))$"
"""What :func:`_segment_name` accepts, for the OpenAPI document: not only dots, no '/', no control
character, no outer whitespace."""


def _segment_name(value: str) -> str:
    if value.strip(".") == "" or "/" in value or any(ord(ch) < 32 for ch in value):
        raise ValueError("a segment name may not be only dots, nor hold '/' or control characters")
    if first_forbidden_character(value) is not None:  # DEL, C1, lone surrogates: as every stored text
        raise ValueError("a segment name may not be only dots, nor hold '/' or control characters")
    if value != value.strip():
        # the pinned FalkorDB (4.16.3) crashes writing a uniquely constrained id with outer whitespace
        raise ValueError("a segment name may not start or end with whitespace")
    return value


class SegmentCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "name": "acme-advocates-recent",
                    "description": "Acme advocates active in the last 30 days",
                    "filter": {"brand": "acme", "role": "advocate", "active_within_days": 30},
                }
            ]
        },
    )

    name: str = Field(
        min_length=1,
        max_length=SEGMENT_NAME_MAX,
        description="unique; any text but '/', control characters and outer whitespace",
        json_schema_extra={"pattern": SEGMENT_NAME_PATTERN},
    )
    description: str = Field(default="", max_length=2000)
    filter: SegmentFilter = Field(default_factory=SegmentFilter)

    _name_check = field_validator("name")(_segment_name)


class Segment(BaseModel):
    name: str
    description: str = ""
    filter: SegmentFilter
    created_at: int
    created_at_iso = iso_time("created_at")


class SegmentPage(Page[Segment]):
    """Saved segments by name."""


class SegmentMember(BaseModel):
    """One row a CRM maps: a profile, the customer it belongs to (when known), and why it is in."""

    profile_id: str = Field(examples=["tw:ada"])
    platform: str | None = None
    handle: str | None = None
    customer_id: str | None = Field(default=None, examples=["c-1001"])
    email: str | None = Field(
        default=None, description="only when verified and the customer's contact_allowed is not false"
    )
    handles: list[str] = Field(default_factory=list, description="platform:handle of the customer's profiles")
    score: float | None = None
    rank: int | None = None
    influence: float | None = None
    community: int | None = None
    role: str | None = Field(default=None, description="customer | brand_owned | staff | placeholder")
    mean_sentiment: float | None = None
    reason: str = Field(examples=["advocate of acme (rank 3, score 0.412)"])
    cursor: str | None = Field(
        default=None, description="resumes the pull right after this member (pass it back as `cursor`)"
    )


def segment_public(segment: SavedSegment) -> Segment:
    return Segment(
        name=segment.name,
        description=segment.description,
        filter=segment.filter,
        created_at=segment.created_at,
    )


def member_items(columns: Mapping[str, list[Any]]) -> list[dict[str, Any]]:
    """The members of :func:`usecases.segments.member_columns` as one dict each, for a page model to
    validate in one call (pydantic's core validates a list of dicts far faster than one object at a
    time from attributes)."""
    names = list(columns)
    return [dict(zip(names, values, strict=True)) for values in zip(*columns.values(), strict=True)]


def _json_float(value: Any) -> float | None:
    """A float as the model writes it in JSON: non-finite as null (``x - x`` is 0 only when finite)."""
    if value is None:
        return None
    number = value if type(value) is float else float(value)
    return number if number - number == 0 else None


def _json_int(value: Any) -> int | None:
    return value if type(value) is int or value is None else int(value)


_MEMBER_NUMBERS = {
    "score": _json_float,
    "rank": _json_int,
    "influence": _json_float,
    "community": _json_int,
    "mean_sentiment": _json_float,
}
"""The :class:`SegmentMember` fields a model coerces (the rest pass through as they are)."""


MEMBER_RECORD_FIELDS: tuple[str, ...] = tuple(SegmentMember.model_fields)
"""The fields of a :class:`SegmentMember` JSON object, in its order."""


def member_record_columns(columns: Mapping[str, list[Any]]) -> list[list[Any]]:
    """The values ``SegmentMember(**member).model_dump_json()`` writes, column by column
    (:data:`MEMBER_RECORD_FIELDS` in order), from :func:`usecases.segments.member_columns`: without a
    model or an object per member, for exports that stream thousands of rows a second; numbers
    coerced as the model coerces them (:data:`_MEMBER_NUMBERS`; non-finite floats as null). Tested
    equal (tests/api/test_export_encoding.py)."""
    coerced = []
    for name in MEMBER_RECORD_FIELDS:
        coerce = _MEMBER_NUMBERS.get(name)
        column = columns[name]
        coerced.append(column if coerce is None else [coerce(value) for value in column])
    return coerced


class SegmentMemberPage(Page[SegmentMember]):
    segment: str
    run: RunRef


class ListChange(BaseModel):
    """One member that entered, left, or moved in a list between two runs."""

    profile_id: str = Field(examples=["tw:ada"])
    change: Literal["added", "removed", "changed"]
    score: float | None = Field(default=None, description="score in the current run (null: removed)")
    previous_score: float | None = Field(default=None, description="score in `since_run` (null: added)")
    rank: int | None = None
    previous_rank: int | None = None


class ListChanges(BaseModel):
    """What a CRM applies to go from the list it pulled under ``since_run`` to the current one."""

    list_id: str = Field(examples=["segment:acme-advocates", "advocates:acme", "influencers"])
    since_run: str
    run: RunRef
    min_change: float = Field(description="relative score move above which a member counts as changed")
    added: list[ListChange]
    removed: list[ListChange]
    changed: list[ListChange]
    unchanged: int = Field(description="members in both runs whose score moved less than `min_change`")


class AnalysisRunInfo(BaseModel):
    id: str
    state: str
    current: bool = False
    started_at: int | None = None
    finished_at: int | None = None
    as_of: int | None = None
    lists_kept: bool = Field(description="its list records are kept: deltas since it can be asked for")
    started_at_iso = iso_time("started_at")
    finished_at_iso = iso_time("finished_at")
    as_of_iso = iso_time("as_of")


class AnalysisRunPage(Page[AnalysisRunInfo]):
    runs_kept: int = Field(description="newest succeeded runs whose list records are kept (retention)")


class IdentityLink(BaseModel):
    """A link between the customer and a profile, and what it records."""

    profile_id: str = Field(examples=["tw:ada"])
    evidence: str | None = Field(
        default=None,
        examples=["customer_id"],
        description="customer_id, verified_email, verified_phone, manual",
    )
    source: str | None = Field(default=None, description="the input format that stated it")
    via: str | None = Field(default=None, description="derived links: the customer record that brought it")
    actor: str | None = Field(default=None, examples=["ingest", "identity-resolution", "cli:ana"])
    linked_at: int | None = Field(default=None, description="epoch ms (held links: when held)")
    consent_override: bool | None = Field(default=None, description="approved by a reviewer against consent")
    linked_at_iso = iso_time("linked_at")


class IdentityEvent(BaseModel):
    at: int | None = Field(default=None, description="epoch ms")
    action: Literal["linked", "unlinked", "relinked", "approved", "held", "refused"]
    profile_id: str
    evidence: str | None = None
    source: str | None = None
    via: str | None = None
    actor: str | None = None
    reason: str | None = None
    at_iso = iso_time("at")


class CustomerIdentity(BaseModel):
    """A customer's identity: its links now, links held for review, and their history (oldest first)."""

    customer_id: str
    contact_allowed: bool = Field(description="false: consent forbids joining profiles (links are held)")
    links: list[IdentityLink]
    held: list[IdentityLink]
    history: list[IdentityEvent]


class IdentityChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    profile_id: str = Field(min_length=1, max_length=256, examples=["tw:ada"])
    reason: str | None = Field(default=None, max_length=2000)
    override_consent: bool = Field(
        default=False, description="relink: approve a link the customer's consent forbids (reviewer)"
    )
