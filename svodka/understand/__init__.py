"""The understand stage: language, near-duplicate fingerprint, category, places, sections.

Each part lives in its own module (``lang``, ``dedupe``, ``category``, ``geo``); this module
puts them together behind one call. Models load lazily on first use. Every input — empty,
emoji, 5 MB, HTML soup — gets a defined result, never an exception.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the parts import lazily: importing one of them must not load the others
    import numpy as np

    from svodka.understand.dedupe import Fingerprint
    from svodka.understand.geo import PlaceMention
    from svodka.understand.lang import LangResult

TEXT_CHARS = 1000  # what the throughput target reads: title + the first 1,000 characters
GEO_CHARS = 3000
_TAGS = re.compile(r"<[^<>]{0,2000}>")  # [^<>]: a failed match stops at the next "<" (linear)
# What a browser never shows: scripts, styles, comments (an unclosed one runs to the end, as in
# a browser). Removed before the tags, or their contents would be read as the article's text.
_HIDDEN = re.compile(
    r"<(script|style|template|noscript)\b[^<>]{0,2000}>.*?(?:</\1\s*>|\Z)|<!--.*?(?:-->|\Z)", re.I | re.S
)
_ENTITY = re.compile(r"&(?:#\d{1,7}|#x[0-9a-f]{1,6}|[a-z]{2,8});", re.I)


@dataclass(slots=True)
class Understanding:
    lang: LangResult
    category: str
    category_confidence: float
    places: list[PlaceMention]
    fingerprint: Fingerprint
    category_scores: dict[str, float] = field(default_factory=dict)
    # USE multilingual v3 vector of title + lead (svodka.stories.embed), (512,) float32; computed
    # once here for the category model and story clustering. None when the embedder cannot run.
    embedding: np.ndarray | None = field(default=None, compare=False, repr=False)


def _plain(text: str) -> str:
    """Plain text of what a caller passed. Feed text is already plain; this guards direct
    callers (``analyze``, the contest server) against HTML soup and against strings that are
    not valid Unicode text (lone surrogates, which JSON can carry, break the language models).
    Regexes, not :func:`svodka.sanitize.html_to_text` (lxml, for stored page bodies): this runs on
    every article, and on 5 MB of soup it is 4–10× cheaper."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-8", "replace").decode("utf-8")
    if "<" in text:
        text = _TAGS.sub(" ", _HIDDEN.sub(" ", text))
        if "&" in text:
            text = _ENTITY.sub(lambda m: html.unescape(m.group(0)), text)
    return text


def understand(
    title: str, text: str, *, lang_hint: str | None = None, embedding: np.ndarray | None = None
) -> Understanding:
    """Everything the later stages need to know about one article.

    ``embedding``: the article's precomputed ``embed_articles`` vector (batch callers: see
    ``understand_many``); computed here when not given."""
    from svodka.understand.category import article_embeddings, classify
    from svodka.understand.dedupe import fingerprint
    from svodka.understand.geo import find_places
    from svodka.understand.lang import detect_language

    title = _plain(title or "")[:2000]
    body = _plain(text or "")
    head = body[:TEXT_CHARS]
    if embedding is None:
        vecs = article_embeddings([(title, head)])
        embedding = None if vecs is None else vecs[0]
    lang = detect_language(title, head, hint=lang_hint)
    code = lang.code if lang.code != "und" else None
    cat = classify(title, head, code, embedding=embedding)
    places = find_places(title, body[:GEO_CHARS], code)
    return Understanding(
        lang=lang,
        category=cat.category,
        category_confidence=float(cat.confidence),
        places=places,
        fingerprint=fingerprint(title, body),
        category_scores=dict(getattr(cat, "scores", {}) or {}),
        embedding=embedding,
    )


def understand_many(
    items: Sequence[tuple[str, str]], lang_hints: Sequence[str | None] | None = None
) -> list[Understanding]:
    """``understand`` over ``(title, text)`` pairs, embedding the whole batch in one call (several
    times faster than one by one). ``lang_hints``: one per item, or None."""
    from svodka.understand.category import article_embeddings

    if lang_hints is not None and len(lang_hints) != len(items):
        raise ValueError(f"{len(lang_hints)} language hints for {len(items)} articles")
    cleaned = [(_plain(t or "")[:2000], _plain(x or "")) for t, x in items]
    vecs = article_embeddings([(t, x[:TEXT_CHARS]) for t, x in cleaned]) if cleaned else None
    return [
        understand(
            t,
            x,
            lang_hint=None if lang_hints is None else lang_hints[i],
            embedding=None if vecs is None else vecs[i],
        )
        for i, (t, x) in enumerate(cleaned)
    ]


# Sections (rules over category, places, entities and words): svodka.understand.sections.

__all__ = ["Understanding", "understand", "understand_many"]
