"""RFC 9309 evaluation of robots.txt (pure; the network side is in test_fetch.py)."""

from __future__ import annotations

import pytest

from svodka.fetch import RobotsRules


def rules(text: str, token: str = "svodka") -> RobotsRules:
    return RobotsRules.parse(text, token)


def test_longest_match_wins_not_the_first() -> None:
    r = rules("User-agent: *\nDisallow: /\nAllow: /news/\n")
    assert r.allowed("/news/today")
    assert not r.allowed("/about")


def test_allow_wins_a_tie() -> None:
    r = rules("User-agent: *\nDisallow: /page\nAllow: /page\n")
    assert r.allowed("/page")


def test_wildcards_and_end_anchor() -> None:
    r = rules("User-agent: *\nDisallow: /*.pdf$\nDisallow: /search*q=\n")
    assert not r.allowed("/files/report.pdf")
    assert r.allowed("/files/report.pdf?download=1")
    assert not r.allowed("/search?q=news")
    assert r.allowed("/search")


def test_our_groups_are_merged_and_star_ignored_when_we_are_named() -> None:
    text = (
        "User-agent: *\nDisallow: /\n\n"
        "User-agent: Svodka/2.0\nDisallow: /a\n\n"
        "User-agent: otherbot\nUser-agent: svodka\nDisallow: /b\n"
    )
    r = rules(text)
    assert not r.allowed("/a/1") and not r.allowed("/b/1")
    assert r.allowed("/c")  # "*" does not apply: a group names us
    assert not rules(text, "somebot").allowed("/c")


def test_no_matching_group_and_empty_disallow_allow_everything() -> None:
    assert rules("User-agent: otherbot\nDisallow: /\n").allowed("/x")
    assert rules("User-agent: *\nDisallow:\n").allowed("/x")
    assert rules("").allowed("/x")
    assert RobotsRules.allow_all().allowed("/anything")


def test_robots_txt_itself_is_always_allowed() -> None:
    assert rules("User-agent: *\nDisallow: /\n").allowed("/robots.txt")


@pytest.mark.parametrize(
    ("pattern", "path", "blocked"),
    [
        ("/%7Ejoe/", "/~joe/index.html", True),  # unreserved escapes are decoded
        ("/~joe/", "/%7Ejoe/index.html", True),
        ("/caf%C3%A9", "/café", True),  # non-ASCII paths compare as UTF-8 escapes
        ("/a%2Fb", "/a/b", False),  # an escaped slash is not a slash
        ("/Private", "/private", False),  # paths are case-sensitive
    ],
)
def test_percent_encoding(pattern: str, path: str, blocked: bool) -> None:
    r = rules(f"User-agent: *\nDisallow: {pattern}\n")
    assert r.allowed(path) is not blocked


def test_comments_and_unknown_lines_are_ignored() -> None:
    text = "# hi\nUser-agent: svodka # us\nCrawl-delay: 10\nSitemap: https://x/s.xml\nDisallow: /tmp # no\n"
    r = rules(text)
    assert not r.allowed("/tmp/x")
    assert r.allowed("/tmpfoo") is False  # prefix match, as the RFC says
    assert r.allowed("/other")
