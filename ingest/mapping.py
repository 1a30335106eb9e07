"""Canonical events -> :class:`graph.writes.GraphWrites` (nodes and relationships keyed on ids).

Every event maps on its own, from its own fields only — never from what earlier lines said — so the
merged writes of a file are the same whatever the order of its lines (the only exception is conflicting
duplicates: two lines giving the same node or relationship key different property values; then the
last one wins, in a batch as in the store).

=============  ===========================================================================================
event          writes
=============  ===========================================================================================
``customer``   ``Customer`` node (``attributes`` flattened to ``attr_<key>`` properties)
``profile``    ``Profile`` node (a ``role`` sets ``role``, ``role_reason``, ``declared_role*``); with ``customer_id``:
               ``(:Customer)-[:HAS_PROFILE {evidence: "customer_id", source: <format>}]->(:Profile)``
``brand``      ``Brand`` node; ``(:Brand)-[:HAS_PROFILE {source}]->(:Profile)`` per ``profile_ids`` (the
               analysis reads the link as role ``brand_owned``)
``post``       ``Post`` node ``{text, created_at, lang, sentiment}`` (``synthetic: true`` and neither lang
               nor sentiment for synthetic posts; no sentiment where the scorer leaves the language
               unscored, see docs/sentiment.md); ``(:Profile)-[:POSTED]->(:Post)``; ``(:Post)-[:REPLY_TO]->(:Post)``;
               ``(:Post)-[:MENTIONS {sentiment, at}]->(:Profile)``;
               ``(:Post)-[:ABOUT {sentiment, at}]->(:Brand)`` (``sentiment`` toward that brand: the post's,
               or, where the text moves to the brand, "switched to @brand", that reading's score);
               ``(:Post)-[:IN_CONVERSATION]->(:Conversation)`` — see the conversation rule below
``follow``     ``(:Profile)-[:FOLLOWS {at?}]->(:Profile)``
``share``      ``(:Profile)-[:SHARED {at}]->(:Post)``
``like``       ``(:Profile)-[:LIKED {at}]->(:Post)``
``purchase``   ``(:Customer)-[:PURCHASED {at, amount?}]->(:Brand)`` (one per customer, brand and ``at``)
``rating``     ``(:Profile)-[:RATED {rating, at}]->(:Profile)``
=============  ===========================================================================================

Conversation rule (order independent by construction): a post with ``conversation_id`` is linked to that
Conversation; a non-synthetic post with neither ``conversation_id`` nor ``reply_to`` is a thread root and
is linked to the Conversation whose id is its own post id; a reply without ``conversation_id`` is not
linked (finding its root would need the whole thread — sources that can, like ``twcs``, fill in
``conversation_id``). A post that starts a conversation (no ``reply_to``) also sets the Conversation's
``root_post_id`` and ``started_at``.

Relationship endpoints are written by id only; the store creates missing endpoints as placeholders.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from graph import model
from graph.model import Label
from graph.writes import GraphWrites
from ingest.events import (
    BrandEvent,
    CustomerEvent,
    Event,
    FollowEvent,
    LikeEvent,
    PostEvent,
    ProfileEvent,
    PurchaseEvent,
    RatingEvent,
    ShareEvent,
)
from ingest.language import detect_language
from ingest.sentiment import SentimentScorer, as_read_by_brand
from ingest.sentiment_scorers import default_sentiment_scorer


def _without_none(**properties: Any) -> dict[str, Any]:
    return {key: value for key, value in properties.items() if value is not None}


def _declared_role(role: str, reason: str) -> dict[str, str]:
    """A role stated by the input: the current ``role`` until an analysis run, and ``declared_role``,
    which the analysis keeps over anything it detects (``algorithms.roles``)."""
    return {"role": role, "role_reason": reason, "declared_role": role, "declared_role_reason": reason}


def add_event(writes: GraphWrites, event: Event, *, source: str, sentiment: SentimentScorer) -> None:
    """Add the nodes and relationships of one validated event to ``writes``.

    ``source`` is the input format name, recorded as ``source`` on HAS_PROFILE relationships.
    """
    match event:
        case PostEvent():
            _add_post(writes, event, sentiment)
        case FollowEvent():
            if event.at is None:
                writes.add_relationship(model.FOLLOWS, event.source, event.target)
            else:
                writes.add_relationship(model.FOLLOWS, event.source, event.target, at=event.at)
        case ProfileEvent():
            profile = {"id": event.id, "platform": event.platform, "handle": event.handle}
            if event.followers is not None:
                profile["followers"] = event.followers
            if event.role is not None:
                profile.update(
                    _declared_role(event.role, event.role_reason or f"declared {event.role} by {source}")
                )
            writes.add_node_properties(Label.PROFILE, profile)
            if event.customer_id is not None:
                writes.add_relationship(
                    model.CUSTOMER_HAS_PROFILE,
                    event.customer_id,
                    event.id,
                    evidence="customer_id",
                    source=source,
                )
        case CustomerEvent():
            properties = _without_none(
                id=event.id,
                name=event.name,
                email=event.email,
                email_verified=event.email_verified,
                phone=event.phone,
                phone_verified=event.phone_verified,
            )
            for key, value in (event.attributes or {}).items():
                properties[f"attr_{key}"] = value
            writes.add_node_properties(Label.CUSTOMER, properties)
        case BrandEvent():
            writes.add_node_properties(Label.BRAND, {"id": event.id, "name": event.name})
            for profile_id in event.profile_ids or ():
                writes.add_relationship(model.BRAND_HAS_PROFILE, event.id, profile_id, source=source)
        case ShareEvent():
            writes.add_relationship(model.SHARED, event.profile, event.post, at=event.at)
        case LikeEvent():
            writes.add_relationship(model.LIKED, event.profile, event.post, at=event.at)
        case PurchaseEvent():
            writes.add_relationship(
                model.PURCHASED,
                event.customer,
                event.brand,
                **_without_none(at=event.at, amount=event.amount),
            )
        case RatingEvent():
            writes.add_relationship(model.RATED, event.source, event.target, rating=event.rating, at=event.at)
        case _:
            raise TypeError(f"not a canonical event: {type(event).__name__}")


def _add_post(writes: GraphWrites, post: PostEvent, scorer: SentimentScorer) -> None:
    properties = {"id": post.id, "text": post.text, "created_at": post.created_at}
    sentiment = None
    lang: str | None = None
    if post.synthetic:
        properties["synthetic"] = True
    else:
        lang = properties["lang"] = detect_language(post.text)
        sentiment = scorer.score(post.text, lang).score
        if sentiment is not None:
            properties["sentiment"] = sentiment
    writes.add_node_properties(Label.POST, properties)
    writes.add_relationship(model.POSTED, post.author, post.id)
    if post.reply_to is not None:
        writes.add_relationship(model.REPLY_TO, post.id, post.reply_to)
    conversation_id = post.conversation_id
    if conversation_id is None and post.reply_to is None and not post.synthetic:
        conversation_id = post.id
    if conversation_id is not None:
        if post.reply_to is None:
            writes.add_node_properties(
                Label.CONVERSATION,
                {"id": conversation_id, "root_post_id": post.id, "started_at": post.created_at},
            )
        else:
            writes.add_node_properties(Label.CONVERSATION, {"id": conversation_id})
        writes.add_relationship(model.IN_CONVERSATION, post.id, conversation_id)
    tone = {"at": post.created_at} if sentiment is None else {"sentiment": sentiment, "at": post.created_at}
    for profile_id in post.mentions or ():
        writes.add_relationship(model.MENTIONS, post.id, profile_id, **tone)
    for brand_id in post.brands or ():
        brand_tone = _tone_toward(post.text, lang, brand_id, tone, scorer)
        writes.add_relationship(model.ABOUT, post.id, brand_id, **brand_tone)


def _tone_toward(
    text: str, lang: str | None, brand_id: str, tone: dict[str, Any], scorer: SentimentScorer
) -> dict[str, Any]:
    """The ``ABOUT`` properties of a post for brand ``brand_id``: the post's ``tone``, unless the post
    moves *to* the brand ("switched to @brand"), which reads as the brand winning a customer
    (:func:`ingest.sentiment.as_read_by_brand`; the brand's handle is taken to be its id, as the
    twcs source and the demo name brands)."""
    if "sentiment" not in tone or lang is None:
        return tone
    as_read = as_read_by_brand(text, brand_id)
    if as_read is None:
        return tone
    toward = scorer.score(as_read, lang).score
    return tone if toward is None else {**tone, "sentiment": toward}


def graph_writes(
    events: Iterable[Event], *, source: str = "events", sentiment: SentimentScorer | None = None
) -> GraphWrites:
    """The merged writes of ``events`` (``sentiment`` defaults to the configured scorer)."""
    writes = GraphWrites()
    scorer = sentiment or default_sentiment_scorer()
    for event in events:
        add_event(writes, event, source=source, sentiment=scorer)
    return writes
