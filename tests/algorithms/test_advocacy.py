import math

import pytest

from algorithms.advocacy import BrandPost, brand_advocacy, influence_percentiles

DAY = 86_400_000
AS_OF = 60 * DAY

POSTS = [
    BrandPost("p1", "acme", "x1", sentiment=0.8, created_at_ms=AS_OF, engagement=0),
    BrandPost("p1", "acme", "x2", sentiment=0.5, created_at_ms=AS_OF - 30 * DAY, engagement=3),
    BrandPost("p1", "acme", "x3", sentiment=0.03, created_at_ms=AS_OF, engagement=100),  # neutral
    BrandPost("p2", "acme", "y1", sentiment=-0.6, created_at_ms=0, engagement=0),
    BrandPost("p2", "acme", "y2", sentiment=0.4, created_at_ms=AS_OF, engagement=0),
    BrandPost("p5", "bolt", "z1", sentiment=-1.0, created_at_ms=AS_OF + DAY, engagement=10),  # future: age 0
]
INFLUENCE = {"p1": 0.5, "p2": 0.1, "p3": 0.1, "p4": 0.0}


def test_influence_percentiles_rank_against_other_profiles():
    assert influence_percentiles(INFLUENCE) == {"p1": 1.0, "p2": 1 / 3, "p3": 1 / 3, "p4": 0.0}
    assert influence_percentiles({"only": 3.0}) == {"only": 0.0}
    assert influence_percentiles({}) == {}


def test_hand_computed_advocacy_and_detraction():
    result = brand_advocacy(POSTS, INFLUENCE, as_of_ms=AS_OF, half_life_days=30)
    assert list(result) == ["acme", "bolt"]
    acme = result["acme"]
    assert [(s.profile_id, s.kind) for s in acme] == [
        ("p1", "advocate"),
        ("p2", "advocate"),
        ("p2", "detractor"),
    ]

    p1 = acme[0]
    x2_contribution = 0.5 * (1 + math.log(4)) * 0.5  # sentiment x (1 + log1p(3)) x one half-life
    assert p1.influence_factor == 2.0  # top influencer: 1 + percentile 1.0
    assert p1.score == pytest.approx(2.0 * (0.8 + x2_contribution), rel=1e-12)
    assert [e.post_id for e in p1.evidence] == ["x1", "x2"]  # neutral x3 is ignored
    x1, x2 = p1.evidence
    assert (x1.contribution, x1.recency, x1.engagement_factor) == (0.8, 1.0, 1.0)
    assert x2.recency == pytest.approx(0.5) and x2.engagement_factor == pytest.approx(1 + math.log(4))
    assert x2.contribution == pytest.approx(x2_contribution)

    p2_advocate, p2_detractor = acme[1], acme[2]
    assert p2_advocate.score == pytest.approx(0.4 * 4 / 3)
    assert p2_detractor.score == pytest.approx(0.6 * 0.25 * 4 / 3)  # two half-lives old
    assert p2_detractor.evidence[0].sentiment == -0.6

    (p5,) = result["bolt"]
    assert (p5.kind, p5.influence_factor) == ("detractor", 1.0)  # absent from the influence map
    assert p5.score == pytest.approx(1.0 * (1 + math.log(11)))


def test_longer_half_life_weighs_old_posts_more_and_neutral_band_is_configurable():
    short = brand_advocacy(POSTS, INFLUENCE, as_of_ms=AS_OF, half_life_days=15)["acme"][2]
    long = brand_advocacy(POSTS, INFLUENCE, as_of_ms=AS_OF, half_life_days=60)["acme"][2]
    assert short.score == pytest.approx(0.6 * 0.0625 * 4 / 3)
    assert long.score == pytest.approx(0.6 * 0.5 * 4 / 3)
    strict = brand_advocacy(POSTS, INFLUENCE, as_of_ms=AS_OF, neutral_band=0.7)
    assert [(s.profile_id, s.kind) for s in strict["acme"]] == [("p1", "advocate")]
    assert [e.post_id for e in strict["acme"][0].evidence] == ["x1"]


def test_invalid_posts_are_rejected():
    with pytest.raises(ValueError):
        BrandPost("p", "b", "x", sentiment=1.5, created_at_ms=0)
    with pytest.raises(ValueError):
        BrandPost("p", "b", "x", sentiment=0.5, created_at_ms=0, engagement=-1)
    with pytest.raises(ValueError):
        brand_advocacy(POSTS, INFLUENCE, as_of_ms=AS_OF, half_life_days=0)
