"""Hostile HTML shared by the sanitiser and extractor tests."""

from __future__ import annotations

import random

_PARTS = (
    "<div><p class=x onclick=y>text &amp; more words in this fragment",
    '<a href="/x?y=1">link</a>',
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "</div>",
    "<table><tr><td>",
    "<<<>>>",
    "<b><i>",
    "</p>",
    "&nbsp;",
    "\"'",
    " word ",
)


def tag_soup(seed: int, size: int = 5_000_000) -> str:
    """About ``size`` characters of unbalanced markup with scripts and event handlers in it."""
    rng = random.Random(seed)
    return "".join(rng.choice(_PARTS) for _ in range(size // 10))[:size]
