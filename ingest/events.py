"""Canonical ingest events: one JSON object per line (JSON Lines), discriminated on ``kind``.

Every source format is turned into these events before it becomes graph writes, so validation lives in
one place. The schema, with an example line per kind, is in ``ingest/EVENTS.md``.

=============  =================================================================================
``customer``   ``id``, ``name?``, ``email?``, ``email_verified?``, ``phone?``, ``phone_verified?``,
               ``attributes?`` (flat map: key ``[A-Za-z_][A-Za-z0-9_]{0,63}`` -> string/number/bool)
``profile``    ``id``, ``platform``, ``handle``, ``customer_id?``, ``followers?``, ``role?``
               (``customer`` | ``brand_owned`` | ``staff``), ``role_reason?``
``brand``      ``id``, ``name``, ``profile_ids?`` (the brand's own accounts: role ``brand_owned``)
``post``       ``id``, ``author`` (profile id), ``text``, ``created_at``, ``reply_to?`` (post id),
               ``conversation_id?``, ``mentions?`` (profile ids), ``brands?`` (brand ids), ``synthetic?``
``follow``     ``source``, ``target`` (profile ids), ``at?``
``share``      ``profile``, ``post``, ``at``
``like``       ``profile``, ``post``, ``at``
``purchase``   ``customer``, ``brand``, ``amount?`` (>= 0), ``at``
``rating``     ``source``, ``target`` (profile ids), ``rating`` in [-10, 10] (> 0 trust, < 0 distrust), ``at``
=============  =================================================================================

Validation rules (a line breaking one is rejected with a reason naming the field, e.g. ``rating: ...``):

* Unknown fields are rejected (``extra="forbid"``); types are strict: a number given as a string
  (``"5"``) and a boolean given where a number is expected are rejected; so are NaN and ±Infinity.
* Ids are non-empty strings of at most 256 characters; ``text`` is at most 20,000 characters.
* Every string (ids, handles, text, names, attribute values) must not contain control characters other
  than ``\\n``, ``\\r`` and ``\\t``: U+0000–U+0008, U+000B, U+000C, U+000E–U+001F, U+007F–U+009F are
  rejected, and so are lone surrogates (what an unpaired ``\\ud800`` escape or undecodable bytes give).
  Everything else — quotes, backslashes, Cypher fragments, emoji, leading/trailing spaces — is valid data
  and is kept byte-for-byte (nothing is stripped or normalised).
* Times (``created_at``, ``at``) are stored as integer epoch milliseconds. Accepted inputs:

  - an ISO 8601 string **with** a zone (``2024-05-01T12:00:00Z``, ``...+02:00``); a naive time (no zone)
    is rejected, since guessing a zone shifts every time by hours;
  - a number of epoch **seconds** if it is below 10^11, else epoch **milliseconds** (10^11 s is the year
    5138, 10^11 ms is March 1973 — so milliseconds before 1973-03-03 cannot be given as numbers; use ISO).
    Fractional values are rounded to the nearest millisecond. Times before 1970 or after the year 3000
    are rejected.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, Literal, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainValidator,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from graph.model import MAX_ID_LENGTH, MAX_TEXT_LENGTH

SECONDS_MILLIS_BOUNDARY = 10**11
MAX_EPOCH_MILLIS = 32_503_680_000_000  # year 3000, as graph.model.EpochMillis
MAX_LIST_LENGTH = 1_000

_FORBIDDEN_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_ATTRIBUTE_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MILLISECOND = timedelta(milliseconds=1)


def first_forbidden_character(value: str) -> int | None:
    """Position of the first character :func:`check_characters` refuses, or None."""
    found = _FORBIDDEN_CHARACTER.search(value)
    return None if found is None else found.start()


def check_characters(value: str) -> str:
    """Return ``value`` unchanged, or raise ``ValueError`` naming its first forbidden character."""
    found = _FORBIDDEN_CHARACTER.search(value)
    if found is None:
        return value
    char = found.group()
    if "\ud800" <= char <= "\udfff":
        raise ValueError(
            f"lone surrogate U+{ord(char):04X} at position {found.start()} (invalid UTF-8 or "
            "unpaired \\u escape)"
        )
    raise ValueError(
        f"control character U+{ord(char):04X} at position {found.start()} (only \\n, \\r and \\t are allowed)"
    )


def epoch_millis(value: Any) -> int:
    """Convert an ISO 8601 string with zone, or epoch seconds/milliseconds, to integer epoch ms.

    Numbers below 10^11 are seconds, others milliseconds. Raises ``ValueError`` with a readable reason.
    """
    if isinstance(value, bool):
        raise ValueError("expected an ISO 8601 time with zone or an epoch number, got a boolean")
    if isinstance(value, int | float):
        if not math.isfinite(value):
            raise ValueError("time must be a finite number")
        if value < 0:
            raise ValueError("time before 1970 (negative epoch)")
        millis = round(value * 1000) if value < SECONDS_MILLIS_BOUNDARY else round(value)
    elif isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            raise ValueError(f"not an ISO 8601 time: {value[:60]!r}") from None
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ValueError(f"ISO 8601 time without a zone (naive): {value[:60]!r}; add 'Z' or '+hh:mm'")
        millis = (moment - _EPOCH) // _MILLISECOND
        if millis < 0:
            raise ValueError("time before 1970")
    else:
        raise ValueError(
            f"expected an ISO 8601 time with zone or an epoch number, got {type(value).__name__}"
        )
    if millis > MAX_EPOCH_MILLIS:
        raise ValueError("time after the year 3000")
    return millis


INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
"""The integers both stores keep exactly; FalkorDB silently clamps a larger one to the nearest bound."""


def check_int64(value: int) -> int:
    """``value`` if it fits a signed 64-bit integer, else ``ValueError`` (never clamped)."""
    if not INT64_MIN <= value <= INT64_MAX:
        raise ValueError(
            f"integer {str(value)[:30]} is outside the 64-bit range the store keeps (-2**63 .. 2**63-1)"
        )
    return value


def _attribute_value(value: Any) -> str | int | float | bool:
    if isinstance(value, str):
        return check_characters(value)
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return check_int64(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError("NaN and Infinity are not allowed")
        return value
    raise ValueError(f"attribute values must be strings, numbers or booleans, got {type(value).__name__}")


def _attribute_key(value: Any) -> str:
    if not isinstance(value, str) or _ATTRIBUTE_KEY.fullmatch(value) is None:
        raise ValueError(f"attribute keys must match [A-Za-z_][A-Za-z0-9_]{{0,63}}, got {str(value)[:70]!r}")
    return value


def _checked_if_string(value: Any) -> Any:
    # Runs before pydantic's own str validation, whose message for lone surrogates is vague.
    return check_characters(value) if isinstance(value, str) else value


_PLAIN_ASCII_ID = re.compile(r"[!-~](?:[ -~]*[!-~])?")
"""Printable ASCII without outer spaces: an id that matches needs no further check."""


def _checked_id(value: Any) -> Any:
    # The characters as for any text, and no outer whitespace: the pinned FalkorDB crashes on a MERGE
    # of an id with leading/trailing whitespace (graph.model.check_id). One validator call per id,
    # and for the usual plain ASCII id one regex match.
    if isinstance(value, str):
        if _PLAIN_ASCII_ID.fullmatch(value) is not None:
            return value
        if value != value.strip():
            raise ValueError("ids must not start or end with whitespace")
        return check_characters(value)
    return value


_Checked = BeforeValidator(_checked_if_string)
Id = Annotated[str, StringConstraints(min_length=1, max_length=MAX_ID_LENGTH), BeforeValidator(_checked_id)]
Text = Annotated[str, StringConstraints(max_length=MAX_TEXT_LENGTH), _Checked]


def _bounded_text(max_length: int, min_length: int = 0) -> Any:
    return Annotated[str, StringConstraints(min_length=min_length, max_length=max_length), _Checked]


EpochTime = Annotated[int, BeforeValidator(epoch_millis)]
IdList = Annotated[list[Id], Field(max_length=MAX_LIST_LENGTH)]
AttributeKey = Annotated[str, PlainValidator(_attribute_key)]
AttributeValue = Annotated[str | int | float | bool, PlainValidator(_attribute_value)]


class _Event(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, allow_inf_nan=False)


AnyEvent = TypeVar("AnyEvent", bound=_Event)


class CustomerEvent(_Event):
    """A person or company known to the CRM. Only *verified* email/phone count as identity evidence."""

    kind: Literal["customer"] = "customer"
    id: Id
    name: _bounded_text(1000) | None = None
    email: _bounded_text(320) | None = None
    email_verified: bool | None = None
    phone: _bounded_text(64) | None = None
    phone_verified: bool | None = None
    attributes: Annotated[dict[AttributeKey, AttributeValue], Field(max_length=200)] | None = None


class ProfileEvent(_Event):
    """One social account; ``customer_id`` is explicit evidence that the account belongs to that customer.

    ``role`` declares what the account is (a brand's own account, a brand's staff member, a customer);
    a declared role wins over the analysis' detection (:mod:`algorithms.roles`).
    """

    kind: Literal["profile"] = "profile"
    id: Id
    platform: _bounded_text(64, 1)
    handle: _bounded_text(256, 1)
    customer_id: Id | None = None
    followers: Annotated[int, Field(ge=0), AfterValidator(check_int64)] | None = None
    role: Literal["customer", "brand_owned", "staff"] | None = None
    role_reason: _bounded_text(500) | None = None


class BrandEvent(_Event):
    kind: Literal["brand"] = "brand"
    id: Id
    name: _bounded_text(1000, 1)
    profile_ids: IdList | None = None


class PostEvent(_Event):
    """A message. ``synthetic`` marks posts invented by interaction-only sources (no sentiment, no thread)."""

    kind: Literal["post"] = "post"
    id: Id
    author: Id
    text: Text
    created_at: EpochTime
    reply_to: Id | None = None
    conversation_id: Id | None = None
    mentions: IdList | None = None
    brands: IdList | None = None
    synthetic: bool = False

    @field_validator("reply_to")
    @classmethod
    def _not_a_reply_to_itself(cls, reply_to: str | None, info: ValidationInfo) -> str | None:
        if reply_to is not None and reply_to == info.data.get("id"):
            raise ValueError(f"post {reply_to[:80]!r} replies to itself (a REPLY_TO loop)")
        return reply_to


class FollowEvent(_Event):
    kind: Literal["follow"] = "follow"
    source: Id
    target: Id
    at: EpochTime | None = None


class ShareEvent(_Event):
    kind: Literal["share"] = "share"
    profile: Id
    post: Id
    at: EpochTime


class LikeEvent(_Event):
    kind: Literal["like"] = "like"
    profile: Id
    post: Id
    at: EpochTime


class PurchaseEvent(_Event):
    kind: Literal["purchase"] = "purchase"
    customer: Id
    brand: Id
    amount: Annotated[float, Field(ge=0)] | None = None
    at: EpochTime


class RatingEvent(_Event):
    """Explicit trust (rating > 0) or distrust (rating < 0) of one profile by another, as in SNAP OTC."""

    kind: Literal["rating"] = "rating"
    source: Id
    target: Id
    rating: Annotated[float, Field(ge=-10, le=10)]
    at: EpochTime


Event = Annotated[
    CustomerEvent
    | ProfileEvent
    | BrandEvent
    | PostEvent
    | FollowEvent
    | ShareEvent
    | LikeEvent
    | PurchaseEvent
    | RatingEvent,
    Field(discriminator="kind"),
]
"""Any canonical event (a pydantic discriminated union, usable as an API body type)."""

EVENT_MODELS: dict[str, type[_Event]] = {
    model.model_fields["kind"].default: model
    for model in (
        CustomerEvent,
        ProfileEvent,
        BrandEvent,
        PostEvent,
        FollowEvent,
        ShareEvent,
        LikeEvent,
        PurchaseEvent,
        RatingEvent,
    )
}


class InvalidEvent(ValueError):
    """An event that failed validation; ``reason`` starts with the offending field (``rating: ...``)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def describe_validation_error(error: ValidationError, limit: int = 3) -> str:
    """A one-line reason: ``field.path: message`` for the first ``limit`` errors, joined by ``; ``."""
    parts = []
    for detail in error.errors(include_url=False)[:limit]:
        field = ".".join(str(part) for part in detail["loc"]) or "$"
        message = detail["msg"].removeprefix("Value error, ")
        if detail["type"].endswith("_type") or detail["type"] == "literal_error":
            message += f" (got {type(detail['input']).__name__})"
        parts.append(f"{field}: {message}")
    more = error.error_count() - limit
    if more > 0:
        parts.append(f"and {more} more error(s)")
    return "; ".join(parts)


def parse_event(obj: Any) -> Event:
    """Validate one decoded JSON value as a canonical event, or raise :class:`InvalidEvent`."""
    if not isinstance(obj, dict):
        raise InvalidEvent(f"$: expected a JSON object, got {type(obj).__name__}")
    kind = obj.get("kind")
    if kind is None:
        raise InvalidEvent("kind: missing required field")
    model = EVENT_MODELS.get(kind) if isinstance(kind, str) else None
    if model is None:
        raise InvalidEvent(
            f"kind: unknown kind {str(kind)[:40]!r} (expected one of {', '.join(EVENT_MODELS)})"
        )
    try:
        return _validate(model, obj)
    except ValidationError as error:
        raise InvalidEvent(describe_validation_error(error)) from None


def _validate(model: type[AnyEvent], value: Any) -> AnyEvent:
    # model_validate(value) without its Python wrapper (seven keyword arguments passed on), a
    # noticeable share of validating a small event; the same validator, the same default settings.
    return model.__pydantic_validator__.validate_python(value)  # type: ignore[return-value]


def build_event(model: type[AnyEvent], **fields: Any) -> AnyEvent:
    """Validate ``fields`` as one event of type ``model`` (for sources), or raise :class:`InvalidEvent`."""
    try:
        return _validate(model, fields)
    except ValidationError as error:
        raise InvalidEvent(describe_validation_error(error)) from None
