"""A generated demo world, free to ship: canonical events for ``make demo`` and the tests.

Four fictional brands, a few hundred customers with social profiles on three platforms, five
interest communities (profiles follow and engage mostly inside their own), a handful of
influencers per community, posts whose tone about each brand depends on the community's
attitude, brand replies to some complaints, shares, likes, purchases and explicit trust
ratings. Everything is drawn from one seeded generator with fixed timestamps, so the same
``seed`` always gives the same events in the same order.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

BRANDS = (
    ("northwind", "Northwind Coffee"),
    ("acme-outdoors", "Acme Outdoors"),
    ("globex-mobile", "Globex Mobile"),
    ("initech-bank", "Initech Bank"),
)
PLATFORMS = ("twitter", "instagram", "mastodon")
FIRST = (
    "Ada",
    "Ben",
    "Chloe",
    "Dev",
    "Elif",
    "Femi",
    "Gia",
    "Hugo",
    "Ines",
    "Jun",
    "Kai",
    "Lena",
    "Mo",
    "Nia",
    "Omar",
    "Pia",
    "Quinn",
    "Rui",
    "Sana",
    "Tom",
    "Uma",
    "Vik",
    "Wen",
    "Xavi",
    "Yara",
    "Zoe",
)
LAST = (
    "Adams",
    "Baker",
    "Costa",
    "Diaz",
    "Evans",
    "Fischer",
    "Garcia",
    "Haddad",
    "Ito",
    "Jensen",
    "Kowalski",
    "Lopez",
    "Murphy",
    "Novak",
    "Okafor",
    "Patel",
    "Rossi",
    "Silva",
    "Tanaka",
    "Weber",
)

POSITIVE = (
    "Absolutely love {brand}! Best purchase this year :)",
    "{brand} customer service was amazing, fixed everything in minutes. Thank you!",
    "Big fan of {brand}, great quality and friendly people.",
    "Highly recommend {brand} to everyone, so good!",
)
NEGATIVE = (
    "{brand} is terrible, my order is late again. Really disappointed.",
    "Worst experience ever with {brand}. Nobody answers and I want a refund!",
    "{brand} broke after two days. Awful quality, never again.",
    "So angry at {brand}, charged twice and support is useless.",
)
NEUTRAL = (
    "Ordered something from {brand} today.",
    "Does anyone know when {brand} opens on Sundays?",
    "Looking at the new {brand} catalogue.",
)
BRAND_REPLY = "Hi {handle}, we're sorry to hear that. Please DM us your order number and we'll fix it."

# Each community's attitude towards each brand: +1 advocates, -1 detractors, 0 mixed.
ATTITUDES = (
    (1, 0, -1, 0),
    (0, 1, 0, -1),
    (-1, 0, 1, 0),
    (0, -1, 0, 1),
    (1, 1, -1, -1),
)

EPOCH = datetime(2026, 9, 1, tzinfo=UTC)


@dataclass(frozen=True)
class DemoSize:
    customers: int = 400
    communities: int = 5
    days: int = 60
    coordinated_ring: int = 12  # accounts of the planted coordinated ring (0: none)
    brand_endorsements: int = 8  # praise posts each brand account likes and shares (implicit trust)


RING_PREFIX = "twitter:ring"
"""Profile ids of the planted coordinated accounts start with this (the screening test's ground truth)."""
RING_TEXTS = (
    "Just switched to {brand} and honestly it's the best decision ever!!! Everyone should try it",
    "Honestly {brand} is so good, life changing, everyone should get it!!!",
    "{brand} deals today are amazing, best brand out there, trust me!!!",
)
RING_DECORATIONS = ("", " 🔥", " 💯", "!!", " #musthave", " 👍👍")


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def demo_events(seed: int = 7, size: DemoSize = DemoSize()) -> Iterator[dict[str, Any]]:
    """Yield the demo world's canonical events (JSON-ready dicts), deterministically."""
    rng = random.Random(seed)

    def at(day_low: float = 0.0) -> datetime:
        return EPOCH + timedelta(seconds=int(rng.uniform(day_low, size.days) * 86400))

    posted_at: dict[str, datetime] = {}

    def after(post_id: str) -> datetime:
        """A moment between post ``post_id`` and the end of the demo's window (a reply, a like)."""
        return at((posted_at[post_id] - EPOCH).total_seconds() / 86400)

    brand_profiles: dict[str, str] = {}
    for brand_id, name in BRANDS:
        profile_id = f"twitter:{brand_id}"
        brand_profiles[brand_id] = profile_id
        yield {
            "kind": "profile",
            "id": profile_id,
            "platform": "twitter",
            "handle": brand_id,
            "followers": rng.randint(20_000, 90_000),
            "role": "brand_owned",
        }
        yield {"kind": "brand", "id": brand_id, "name": name, "profile_ids": [profile_id]}

    profiles: list[tuple[str, int, str]] = []  # (profile id, community, handle)
    for number in range(size.customers):
        customer_id = f"cust-{number:04d}"
        first, last = rng.choice(FIRST), rng.choice(LAST)
        community = number % size.communities
        customer: dict[str, Any] = {"kind": "customer", "id": customer_id, "name": f"{first} {last}"}
        if rng.random() < 0.7:
            customer["email"] = f"{first}.{last}.{number}@example.com".lower()
            customer["email_verified"] = rng.random() < 0.8
        if rng.random() < 0.3:
            customer["phone"] = f"+1555{number:07d}"
        customer["attributes"] = {
            "tier": rng.choice(("bronze", "silver", "gold")),
            "newsletter": rng.random() < 0.5,
        }
        yield customer
        for platform in rng.sample(PLATFORMS, k=rng.choice((1, 1, 2))):
            handle = f"{first}{last[0]}{number}".lower()
            profile_id = f"{platform}:{handle}"
            influencer = number % 37 == 0
            followers = rng.randint(5_000, 50_000) if influencer else rng.randint(10, 900)
            yield {
                "kind": "profile",
                "id": profile_id,
                "platform": platform,
                "handle": handle,
                "customer_id": customer_id,
                "followers": followers,
            }
            profiles.append((profile_id, community, handle))

    by_community: dict[int, list[str]] = {}
    for profile_id, community, _ in profiles:
        by_community.setdefault(community, []).append(profile_id)
    influencers = {c: members[: max(2, len(members) // 25)] for c, members in by_community.items()}

    for profile_id, community, _ in profiles:
        members = by_community[community]
        targets = set(rng.sample(members, k=min(len(members), rng.randint(3, 10))))
        targets.update(influencers[community])
        if rng.random() < 0.15:
            targets.add(rng.choice(profiles)[0])
        targets.discard(profile_id)
        for target in sorted(targets):
            yield {"kind": "follow", "source": profile_id, "target": target, "at": _iso(at())}

    post_number = 0
    posts_by_community: dict[int, list[tuple[str, str]]] = {}
    praise: dict[str, list[tuple[str, str, datetime]]] = {}  # brand -> its positive posts (id, author, time)
    for profile_id, community, handle in profiles:
        is_influencer = profile_id in influencers[community]
        for _ in range(rng.randint(3, 8) if is_influencer else rng.randint(0, 3)):
            brand_index = rng.randrange(len(BRANDS))
            brand_id, _ = BRANDS[brand_index]
            attitude = ATTITUDES[community % len(ATTITUDES)][brand_index]
            roll = rng.random()
            tone = (
                (POSITIVE if roll < 0.75 else NEUTRAL)
                if attitude > 0
                else (NEGATIVE if roll < 0.75 else NEUTRAL)
                if attitude < 0
                else rng.choice((POSITIVE, NEGATIVE, NEUTRAL))
            )
            text = rng.choice(tone).format(brand=f"@{brand_id}")
            post_id = f"post-{post_number:05d}"
            post_number += 1
            created = posted_at[post_id] = at()
            yield {
                "kind": "post",
                "id": post_id,
                "author": profile_id,
                "text": text,
                "created_at": _iso(created),
                "conversation_id": post_id,
                "mentions": [brand_profiles[brand_id]],
                "brands": [brand_id],
            }
            posts_by_community.setdefault(community, []).append((post_id, profile_id))
            if tone is POSITIVE:
                praise.setdefault(brand_id, []).append((post_id, profile_id, created))
            if tone is NEGATIVE and rng.random() < 0.5:
                reply_id = f"post-{post_number:05d}"
                post_number += 1
                yield {
                    "kind": "post",
                    "id": reply_id,
                    "author": brand_profiles[brand_id],
                    "text": BRAND_REPLY.format(handle=f"@{handle}"),
                    "created_at": _iso(created + timedelta(hours=rng.randint(1, 20))),
                    "reply_to": post_id,
                    "conversation_id": post_id,
                    "mentions": [profile_id],
                    "brands": [brand_id],
                }

    for profile_id, community, _ in profiles:
        pool = posts_by_community.get(community, [])
        for post_id, author in rng.sample(pool, k=min(len(pool), rng.randint(0, 6))):
            if author == profile_id:
                continue
            kind = rng.choice(("like", "like", "share"))
            yield {"kind": kind, "profile": profile_id, "post": post_id, "at": _iso(after(post_id))}
        if pool and rng.random() < 0.3:
            parent, parent_author = rng.choice(pool)
            if parent_author != profile_id:
                reply_id = f"post-{post_number:05d}"
                post_number += 1
                yield {
                    "kind": "post",
                    "id": reply_id,
                    "author": profile_id,
                    "text": "Totally agree with this!",
                    "created_at": _iso(after(parent)),
                    "reply_to": parent,
                    "conversation_id": parent,
                    "mentions": [parent_author],
                }

    for number in range(size.customers):
        customer_id = f"cust-{number:04d}"
        community = number % size.communities
        for brand_index, (brand_id, _) in enumerate(BRANDS):
            attitude = ATTITUDES[community % len(ATTITUDES)][brand_index]
            if rng.random() < (0.6 if attitude > 0 else 0.25):
                yield {
                    "kind": "purchase",
                    "customer": customer_id,
                    "brand": brand_id,
                    "amount": round(rng.uniform(5, 250), 2),
                    "at": _iso(at()),
                }

    for profile_id, community, _ in profiles:
        members = by_community[community]
        for target in rng.sample(members, k=min(len(members), rng.randint(0, 4))):
            if target != profile_id:
                yield {
                    "kind": "rating",
                    "source": profile_id,
                    "target": target,
                    "rating": rng.randint(3, 10),
                    "at": _iso(at()),
                }
        if rng.random() < 0.1:
            target = rng.choice(profiles)[0]
            if target != profile_id:
                yield {
                    "kind": "rating",
                    "source": profile_id,
                    "target": target,
                    "rating": -rng.randint(3, 10),
                    "at": _iso(at()),
                }

    # Appended after everything else, from a separate generator: the events above do not change.
    extra = random.Random(seed * 7919 + 1)
    yield from _brand_endorsements(extra, size, brand_profiles, praise)
    yield from _coordinated_ring(extra, size, brand_profiles, [p for p, _, _ in profiles])


def _brand_endorsements(
    rng: random.Random,
    size: DemoSize,
    brand_profiles: dict[str, str],
    praise: dict[str, list[tuple[str, str, datetime]]],
) -> Iterator[dict[str, Any]]:
    """Each brand account likes and shares a few praise posts about it (repeated positive engagement)."""
    for brand_id, _ in BRANDS:
        pool = praise.get(brand_id, [])
        for post_id, _author, written in rng.sample(pool, k=min(len(pool), size.brand_endorsements)):
            late = EPOCH + timedelta(days=size.days) - timedelta(hours=rng.randint(1, 48))
            moment = max(late, written + timedelta(hours=1))  # never before the post
            for kind in ("like", "share"):
                yield {"kind": kind, "profile": brand_profiles[brand_id], "post": post_id, "at": _iso(moment)}


def _coordinated_ring(
    rng: random.Random, size: DemoSize, brand_profiles: dict[str, str], customers: list[str]
) -> Iterator[dict[str, Any]]:
    """A planted ring of coordinated accounts (ids start with :data:`RING_PREFIX`).

    In each of five campaigns every ring account posts a near-copy of the same promotional text
    about one brand within twenty minutes of the others; in the first campaign each also posts a
    burst of five within half an hour; members like each other's campaign posts (a reciprocal
    engagement ring). Ordinary customers never do any of this.
    """
    if size.coordinated_ring <= 0:
        return
    members = [f"{RING_PREFIX}{number:02d}" for number in range(size.coordinated_ring)]
    for profile_id in members:
        yield {
            "kind": "profile",
            "id": profile_id,
            "platform": "twitter",
            "handle": profile_id.split(":", 1)[1],
            "followers": rng.randint(5, 60),
        }
    for number, profile_id in enumerate(members):
        for target in rng.sample(customers, k=min(len(customers), 3)):
            yield {"kind": "follow", "source": profile_id, "target": target, "at": _iso(EPOCH)}
        yield {"kind": "follow", "source": profile_id, "target": members[(number + 1) % len(members)]}
    for campaign in range(5):
        brand_id, _ = BRANDS[campaign % len(BRANDS)]
        text = RING_TEXTS[campaign % len(RING_TEXTS)].format(brand=f"@{brand_id}")
        start = EPOCH + timedelta(days=5 + campaign * 11, hours=rng.randint(8, 20))
        campaign_posts: list[tuple[str, str, datetime]] = []
        for profile_id in members:
            repeats = 5 if campaign == 0 else 1
            for repeat in range(repeats):
                moment = start + timedelta(minutes=rng.randint(0, 20) + 2 * repeat)
                post_id = f"ring-{campaign}-{profile_id.rsplit(':', 1)[1]}-{repeat}"
                variant = text + rng.choice(RING_DECORATIONS)
                if rng.random() < 0.5:
                    variant = variant.replace("!!!", "!!")
                yield {
                    "kind": "post",
                    "id": post_id,
                    "author": profile_id,
                    "text": variant,
                    "created_at": _iso(moment),
                    "conversation_id": post_id,
                    "mentions": [brand_profiles[brand_id]],
                    "brands": [brand_id],
                }
                campaign_posts.append((post_id, profile_id, moment))
        for profile_id in members:
            for post_id, author, moment in campaign_posts:
                if author != profile_id and post_id.endswith("-0") and rng.random() < 0.5:
                    like_at = moment + timedelta(minutes=rng.randint(1, 30))
                    yield {"kind": "like", "profile": profile_id, "post": post_id, "at": _iso(like_at)}
