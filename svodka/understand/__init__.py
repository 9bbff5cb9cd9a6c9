"""The understand stage: language, near-duplicate fingerprint, category, places, sections.

Each part lives in its own module (``lang``, ``dedupe``, ``category``, ``geo``); this module
puts them together behind one call. Models load lazily on first use. Every input — empty,
emoji, 5 MB, HTML soup — gets a defined result, never an exception.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the parts import lazily: importing one of them must not load the others
    from svodka.understand.dedupe import Fingerprint
    from svodka.understand.geo import PlaceMention
    from svodka.understand.lang import LangResult

TEXT_CHARS = 1000  # what the throughput target reads: title + the first 1,000 characters
GEO_CHARS = 3000
_TAGS = re.compile(r"<[^>]{0,2000}>")


@dataclass(slots=True)
class Understanding:
    lang: LangResult
    category: str
    category_confidence: float
    places: list[PlaceMention]
    fingerprint: Fingerprint
    category_scores: dict[str, float] = field(default_factory=dict)


def _plain(text: str) -> str:
    # Feed text is already plain; this guards direct callers (analyze) against HTML soup.
    return _TAGS.sub(" ", text) if "<" in text else text


def understand(title: str, text: str, *, lang_hint: str | None = None) -> Understanding:
    """Everything the later stages need to know about one article."""
    from svodka.understand.category import classify
    from svodka.understand.dedupe import fingerprint
    from svodka.understand.geo import find_places
    from svodka.understand.lang import detect_language

    title = _plain(title or "")[:2000]
    body = _plain(text or "")
    head = body[:TEXT_CHARS]
    lang = detect_language(title, head, hint=lang_hint)
    code = lang.code if lang.code != "und" else None
    cat = classify(title, head, code)
    places = find_places(title, body[:GEO_CHARS], code)
    return Understanding(
        lang=lang,
        category=cat.category,
        category_confidence=float(cat.confidence),
        places=places,
        fingerprint=fingerprint(title, body),
        category_scores=dict(getattr(cat, "scores", {}) or {}),
    )


# --- sections ------------------------------------------------------------------------------
@dataclass(slots=True)
class SectionRule:
    """Rules of a section (music, ecology, incidents, a city …). Every rule that is set must
    match; within ``words`` any word matches (as the start of a word, case-insensitive)."""

    slug: str
    categories: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    places: frozenset[int] = frozenset()  # place ids; regions/countries match their cities via ``within``
    words: tuple[str, ...] = ()
    exclude_words: tuple[str, ...] = ()
    _words_re: re.Pattern[str] | None = None
    _exclude_re: re.Pattern[str] | None = None

    def __post_init__(self) -> None:
        self._words_re = _words_regex(self.words)
        self._exclude_re = _words_regex(self.exclude_words)

    def matches(self, *, category: str, lang: str, place_ids: Iterable[int], text: str) -> bool:
        if self.categories and category not in self.categories:
            return False
        if self.languages and lang not in self.languages:
            return False
        if self.places and not (self.places & set(place_ids)):
            return False
        if self._words_re is not None and not self._words_re.search(text):
            return False
        return not (self._exclude_re is not None and self._exclude_re.search(text))


def _words_regex(words: Sequence[str]) -> re.Pattern[str] | None:
    clean = [w.strip().lower() for w in words if w.strip()]
    if not clean:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in clean) + ")", re.IGNORECASE)


__all__ = ["SectionRule", "Understanding", "understand"]
