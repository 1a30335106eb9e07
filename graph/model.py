"""The property graph Rapport stores, as pydantic v2 models.

Nodes (every one has a string ``id`` unique per label):

========================  ==========================================================
``Customer``              a person or company the CRM knows (name, email, phone)
``Profile``               one social account (platform, handle, followers)
``Brand``                 a company/brand whose conversation we follow
``Post``                  a message on a platform (text, created_at, lang, sentiment)
``Conversation``          a reply thread, identified by its root post
``AnalysisRun``           one run of ``rapport analyze`` (parameters, counts, modularity)
``Segment``               a saved CRM segment definition (name, filter)
``IngestCheckpoint``      how far a file load got (last applied line), for resuming it
``RunList``               what a CRM list held in one analysis run (``usecases/crm/run_lists.py``)
``IdentityEvent``         one entry of the identity log (``ingest/identity_ledger.py``)
``Community``             a community id's readable label (``usecases/community_labels.py``)
========================  ==========================================================

Relationships are listed in :data:`RELATIONSHIPS`: each :class:`RelSpec` fixes the
relationship type *and* the labels of both ends, so every Cypher statement that writes it
can be a literal file in ``cypher/write/`` (Neo4j and FalkorDB cannot parameterize labels).

Times are stored portably as integer epoch milliseconds (FalkorDB has no ``datetime``).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any, ClassVar, NamedTuple

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

MAX_ID_LENGTH = 256
MAX_TEXT_LENGTH = 20_000


def check_id(value: object) -> str:
    """A valid node id: a non-empty string of at most 256 characters without outer whitespace.

    Outer whitespace is refused because the pinned FalkorDB (4.16.3) crashes the whole server on a
    MERGE/CREATE of such an id on a label with a uniqueness constraint (found by the API tests).
    """
    if not isinstance(value, str) or not value:
        raise ValueError("ids must be non-empty strings")
    if len(value) > MAX_ID_LENGTH:
        raise ValueError(f"ids must be at most {MAX_ID_LENGTH} characters")
    if value != value.strip():
        raise ValueError("ids must not start or end with whitespace")
    return value


NodeId = Annotated[str, AfterValidator(check_id)]
EpochMillis = Annotated[int, Field(ge=0, le=32_503_680_000_000)]  # up to year 3000


class Label(StrEnum):
    """Every node label Rapport writes. Labels never come from user input."""

    CUSTOMER = "Customer"
    PROFILE = "Profile"
    BRAND = "Brand"
    POST = "Post"
    CONVERSATION = "Conversation"
    ANALYSIS_RUN = "AnalysisRun"
    SEGMENT = "Segment"
    INGEST_CHECKPOINT = "IngestCheckpoint"
    RUN_LIST = "RunList"
    IDENTITY_EVENT = "IdentityEvent"
    COMMUNITY = "Community"
    STAGED_SCORES = "StagedScores"  # one run's profile scores between staging and publish (graph.results)
    DATA_VERSION = "DataVersion"  # one node whose token every write through the store renews (graph.store)


class RelType(StrEnum):
    """Every relationship type Rapport writes."""

    HAS_PROFILE = "HAS_PROFILE"
    HELD_PROFILE = "HELD_PROFILE"  # a customer-profile link consent forbids, held for review
    POSTED = "POSTED"
    REPLY_TO = "REPLY_TO"
    IN_CONVERSATION = "IN_CONVERSATION"
    MENTIONS = "MENTIONS"
    ABOUT = "ABOUT"
    FOLLOWS = "FOLLOWS"
    SHARED = "SHARED"
    LIKED = "LIKED"
    PURCHASED = "PURCHASED"
    RATED = "RATED"
    ADVOCATES = "ADVOCATES"
    DETRACTS = "DETRACTS"
    MIXED_STANCE = "MIXED_STANCE"
    INFLUENCES = "INFLUENCES"


@dataclass(frozen=True)
class RelSpec:
    """A relationship type between two fixed labels.

    ``key`` names the relationship properties that, with both endpoint ids, identify one
    relationship (empty: at most one such relationship per ordered pair of nodes).
    ``name`` is the file stem of its upsert statement: ``cypher/write/link_<name>.cypher``.
    """

    name: str
    type: RelType
    source: Label
    target: Label
    key: tuple[str, ...] = ()


def _spec(name: str, rel: RelType, source: Label, target: Label, key: tuple[str, ...] = ()) -> RelSpec:
    return RelSpec(name, rel, source, target, key)


CUSTOMER_HAS_PROFILE = _spec("customer_has_profile", RelType.HAS_PROFILE, Label.CUSTOMER, Label.PROFILE)
BRAND_HAS_PROFILE = _spec("brand_has_profile", RelType.HAS_PROFILE, Label.BRAND, Label.PROFILE)
POSTED = _spec("posted", RelType.POSTED, Label.PROFILE, Label.POST)
REPLY_TO = _spec("reply_to", RelType.REPLY_TO, Label.POST, Label.POST)
IN_CONVERSATION = _spec("in_conversation", RelType.IN_CONVERSATION, Label.POST, Label.CONVERSATION)
MENTIONS = _spec("mentions", RelType.MENTIONS, Label.POST, Label.PROFILE)
ABOUT = _spec("about", RelType.ABOUT, Label.POST, Label.BRAND)
FOLLOWS = _spec("follows", RelType.FOLLOWS, Label.PROFILE, Label.PROFILE)
SHARED = _spec("shared", RelType.SHARED, Label.PROFILE, Label.POST)
LIKED = _spec("liked", RelType.LIKED, Label.PROFILE, Label.POST)
PURCHASED = _spec("purchased", RelType.PURCHASED, Label.CUSTOMER, Label.BRAND, key=("at",))
RATED = _spec("rated", RelType.RATED, Label.PROFILE, Label.PROFILE)
# Analysis results are stamped with the run that made them (part of the key), so a new run
# writes beside the old one and readers switch when the run becomes current (see AnalysisRun).
ADVOCATES = _spec("advocates", RelType.ADVOCATES, Label.PROFILE, Label.BRAND, key=("run_id",))
DETRACTS = _spec("detracts", RelType.DETRACTS, Label.PROFILE, Label.BRAND, key=("run_id",))
# A profile's stance toward a brand is exactly one of ADVOCATES, DETRACTS, MIXED_STANCE (algorithms.stance).
MIXED = _spec("mixed", RelType.MIXED_STANCE, Label.PROFILE, Label.BRAND, key=("run_id",))
INFLUENCES = _spec("influences", RelType.INFLUENCES, Label.PROFILE, Label.BRAND, key=("run_id",))

RELATIONSHIPS: tuple[RelSpec, ...] = (
    CUSTOMER_HAS_PROFILE,
    BRAND_HAS_PROFILE,
    POSTED,
    REPLY_TO,
    IN_CONVERSATION,
    MENTIONS,
    ABOUT,
    FOLLOWS,
    SHARED,
    LIKED,
    PURCHASED,
    RATED,
    ADVOCATES,
    DETRACTS,
    MIXED,
    INFLUENCES,
)
RELATIONSHIPS_BY_NAME: dict[str, RelSpec] = {spec.name: spec for spec in RELATIONSHIPS}

# Labels whose nodes ingest writes (AnalysisRun is written by the analysis only).
DATA_LABELS: tuple[Label, ...] = (
    Label.CUSTOMER,
    Label.PROFILE,
    Label.BRAND,
    Label.POST,
    Label.CONVERSATION,
)

Primitive = str | int | float | bool


class Node(BaseModel):
    """Base of every node model: a string id unique per label; no unknown fields."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)
    label: ClassVar[Label]

    id: NodeId

    def properties(self) -> dict[str, Any]:
        """Properties to store (``id`` included, unset optional fields left out)."""
        return self.model_dump(exclude_none=True)


class Customer(Node):
    label: ClassVar[Label] = Label.CUSTOMER
    name: str | None = Field(default=None, max_length=1000)
    email: str | None = Field(default=None, max_length=320)
    email_verified: bool | None = None
    phone: str | None = Field(default=None, max_length=64)
    phone_verified: bool | None = None
    # Free-form CRM attributes are flattened to ``attr_<key>`` properties (maps cannot be stored).
    attributes: dict[str, Primitive] | None = None

    def properties(self) -> dict[str, Any]:
        props = self.model_dump(exclude_none=True, exclude={"attributes"})
        for key, value in (self.attributes or {}).items():
            props[f"attr_{key}"] = value
        return props


class Profile(Node):
    label: ClassVar[Label] = Label.PROFILE
    platform: str = Field(min_length=1, max_length=64)
    handle: str = Field(min_length=1, max_length=256)
    followers: int | None = Field(default=None, ge=0)
    # Account role (algorithms.roles): ``declared_*`` as stated by the input, ``role`` as current.
    role: str | None = Field(default=None, max_length=32)
    role_reason: str | None = Field(default=None, max_length=500)
    declared_role: str | None = Field(default=None, max_length=32)
    declared_role_reason: str | None = Field(default=None, max_length=500)


class Brand(Node):
    label: ClassVar[Label] = Label.BRAND
    name: str = Field(min_length=1, max_length=1000)


class Post(Node):
    label: ClassVar[Label] = Label.POST
    text: str = Field(max_length=MAX_TEXT_LENGTH)
    created_at: EpochMillis
    # ISO 639-1 code of the text's language, or "und"; sentiment is null where that language is not
    # scored (docs/sentiment.md)
    lang: str | None = Field(default=None, min_length=2, max_length=8)
    sentiment: float | None = Field(default=None, ge=-1.0, le=1.0)
    synthetic: bool | None = None  # true for posts synthesized from interaction-only sources (Higgs)


class Conversation(Node):
    label: ClassVar[Label] = Label.CONVERSATION
    root_post_id: NodeId | None = None
    started_at: EpochMillis | None = None


NODE_MODELS: dict[Label, type[Node]] = {
    Label.CUSTOMER: Customer,
    Label.PROFILE: Profile,
    Label.BRAND: Brand,
    Label.POST: Post,
    Label.CONVERSATION: Conversation,
}


class RelRow(NamedTuple):
    """One relationship to upsert: endpoint ids plus properties (keys of the spec included).

    A named tuple rather than a frozen dataclass: a load makes one per relationship, and a
    frozen dataclass's ``__init__`` (an ``object.__setattr__`` per field) costs more than a tuple.
    """

    source: str
    target: str
    properties: dict[str, Any]
