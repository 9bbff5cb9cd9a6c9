"""Story ranking: breadth of coverage, speed, age, and the hard tier rule."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from svodka.rank import explain, importance, rescore, score_terms

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def ago(minutes: float) -> datetime:
    return NOW - timedelta(minutes=minutes)


def test_more_outlets_rank_higher() -> None:
    two = importance([(1, ago(10), 1.0, False), (2, ago(20), 1.0, False)], NOW)
    five = importance([(i, ago(10 + i), 1.0, False) for i in range(5)], NOW)
    assert five.score > two.score
    assert five.parts["outlets"] == 5 and two.parts["outlets"] == 2


def test_outlet_rating_weighs() -> None:
    low = importance([(1, ago(10), 0.5, False), (2, ago(10), 0.5, False)], NOW)
    high = importance([(1, ago(10), 3.0, False), (2, ago(10), 3.0, False)], NOW)
    assert high.score > low.score


def test_one_outlets_rewrites_and_reprints_count_once() -> None:
    base = [(1, ago(30), 1.0, False), (2, ago(25), 1.0, False)]
    rewrites = base + [(1, ago(m), 1.0, False) for m in range(1, 20)]
    assert (
        importance(rewrites, NOW).parts["weighted_outlets"] == importance(base, NOW).parts["weighted_outlets"]
    )
    # an outlet that only reprinted counts, but for less than an independent report
    reprint = importance([*base, (3, ago(20), 1.0, True)], NOW)
    own = importance([*base, (3, ago(20), 1.0, False)], NOW)
    assert importance(base, NOW).score < reprint.score < own.score
    assert reprint.parts["copies"] == 1 and reprint.parts["copy_only_outlets"] == 1


def test_speed_counts() -> None:
    slow = importance([(1, ago(170), 1.0, False), (2, ago(160), 1.0, False), (3, ago(120), 1.0, False)], NOW)
    fast = importance([(1, ago(170), 1.0, False), (2, ago(50), 1.0, False), (3, ago(5), 1.0, False)], NOW)
    assert fast.parts["recent_outlets"] == 2 and slow.parts["recent_outlets"] == 0
    assert fast.score > slow.score


def test_decays_with_age() -> None:
    cov = [(1, ago(0), 1.0, False), (2, ago(5), 1.0, False)]
    scores = [importance(cov, NOW + timedelta(hours=h)).score for h in (0, 2, 12, 48, 24 * 365)]
    assert scores == sorted(scores, reverse=True) and len(set(scores)) == len(scores)
    assert scores[-1] >= 1.0  # the tier holds however old


def test_single_outlet_never_outranks_several() -> None:
    rng = random.Random(5)
    for _ in range(200):
        # the loudest single-outlet story: top rating, a flood of articles, all this minute
        single = importance([(9, ago(rng.random()), 5.0, False) for _ in range(rng.randint(1, 500))], NOW)
        # the weakest multi-outlet story: low ratings, reprints only, a year old
        old = NOW - timedelta(days=rng.randint(1, 365))
        several = importance([(1, old, 0.01, True), (2, old - timedelta(hours=1), 0.01, True)], NOW)
        assert several.score > single.score
        assert single.parts["tier"] == 0 and several.parts["tier"] == 1


def test_bad_input() -> None:
    assert importance([], NOW).score == 0.0
    future = importance([(1, NOW + timedelta(days=3), 1.0, False)], NOW)
    assert future.parts["fresh_h"] == 0.0  # a future date counts as now, never as a bonus
    naive = importance([(1, datetime(2026, 11, 25, 11, 0), float("nan"), False)], NOW)  # noqa: DTZ001
    assert 0 < naive.score < 1
    big = importance([(i % 300, ago(i % 600), 1.0, i % 3 == 0) for i in range(5000)], NOW)
    assert big.parts["articles"] == 5000 and big.parts["outlets"] == 300


def test_explanation_in_plain_words() -> None:
    r = importance([(1, ago(10), 1.0, False), (2, ago(90), 1.0, True), (1, ago(5), 1.0, False)], NOW)
    assert "Covered by 2 outlets" in r.explanation
    assert "1 outlet reported it in the last hour" in r.explanation
    assert "ranks above every story from a single outlet" in r.explanation
    assert "reprint" in r.explanation
    one = importance([(1, ago(10), 1.0, False)], NOW)
    assert "Only one outlet" in one.explanation and explain(one.parts) == one.explanation


def test_rescore_follows_importance() -> None:
    cov = [(1, ago(10), 1.0, False), (2, ago(40), 2.0, False), (3, ago(200), 1.0, False)]
    r = importance(cov, NOW)
    assert rescore(r.parts, NOW) == r.score
    later = NOW + timedelta(hours=3)
    # hours later nothing new arrived: the stored parts give the same score as a recount
    assert abs(rescore(r.parts, later) - importance(cov, later).score) < 1e-3
    assert rescore({}, NOW) == 0.0


def test_per_outlet_facts_rank_exactly_as_the_articles_do() -> None:
    from svodka.rank import importance_by_outlet

    now = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
    rng = random.Random(7)
    for _ in range(50):
        cov = [
            (rng.randrange(6), now - timedelta(minutes=rng.randrange(-30, 600)), rng.choice([None, 0.5, 1.0, 3.0]),
             rng.random() < 0.3)
            for _ in range(rng.randrange(1, 30))
        ]  # fmt: skip
        per: dict[int, list] = {}
        for src, when, rating, copy in cov:
            o = per.setdefault(src, [rating, when, when, 0, 0])
            o[0] = rating if (1.0 if rating is None else rating) > (1.0 if o[0] is None else o[0]) else o[0]
            o[1], o[2] = min(o[1], when), max(o[2], when)
            o[3] += 1
            o[4] += copy
        by_outlet = importance_by_outlet([(src, *o) for src, o in per.items()], now)
        assert by_outlet.parts == importance(cov, now).parts


def test_score_terms_add_up_to_the_score() -> None:
    cov = [(1, ago(10), 1.0, False), (2, ago(40), 2.0, False), (3, ago(200), 1.0, False)]
    r = importance(cov, NOW)
    for when in (NOW, NOW + timedelta(minutes=30), NOW + timedelta(hours=5)):
        t = score_terms(r.parts, when)
        assert t is not None and t["score"] == rescore(r.parts, when)
        raw = (t["breadth"] + t["speed"]) * t["decay"]
        assert abs(t["tier"] + raw / (1 + raw) - t["score"]) < 2e-3  # the shown terms give the sum
    assert score_terms(r.parts, NOW + timedelta(hours=2))["speed"] == 0.0  # type: ignore[index]
    assert score_terms({}, NOW) is None
