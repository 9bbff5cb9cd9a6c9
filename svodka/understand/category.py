"""News category of an article: the seven Telegram Data Clustering Contest classes or ``not_news``.

Classes: society (politics and incidents included), economy, technology (cars and internet
services included), sports (e-sports included), entertainment (celebrities and video games
included), science (health and medicine included), other, not_news (recipes, ads, how-tos, top
lists and product round-ups, encyclopedic or historical explainers). Horoscopes and weather
forecasts are ``other``: that is how the contest's own gold markup (and its annotator hints) files
them.

Method (offline, pure Python, no extra dependency): a multinomial logistic regression over
(1) hashed leading-six-letter word keys of the title and the first 1,000 characters of the text and
(2) per-category hits of a hand-written cue lexicon (ru, uk, be, en; ``_category/lexicon.py``).
The weights ship in the package (``_category/weights.json``, about 1.2 MB, hashed weights only,
no text); they were trained by ``python -m svodka.understand._category.train`` on the tgcontest
gold files, so a deployment needs nothing from ``../shared``. If the weight file is missing or
unreadable the lexicon alone decides (lower accuracy, see benchmarks/eval_category.py).

Languages: the features do not depend on the language, so ``lang`` only tempers confidence:
ru/en are what the model was trained on; uk/be share most cues with ru through the lexicon and
the word keys; any other language gets its confidence halved (only names and international
words like "football" or "NASA" can match there).
"""

from __future__ import annotations

import logging
import math
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from ._category.features import CATEGORIES, N_CLASSES, TEXT_CHARS, TITLE_CHARS
from ._category.model import LinearModel, featurize
from ._category.train import WEIGHTS_PATH

__all__ = ["CATEGORIES", "CategoryResult", "classify", "classify_many", "method"]

log = logging.getLogger(__name__)

TRAINED_LANGS = frozenset({"ru", "en"})
NEAR_LANGS = frozenset({"uk", "be"})  # no training data, but the ru lexicon and word keys carry over
_NEAR_FACTOR = 0.8
_FOREIGN_FACTOR = 0.5
_MAX_INPUT = 20_000  # characters looked at per field before tokenising (the features use far fewer)


@dataclass(frozen=True, slots=True)
class CategoryResult:
    category: str  # one of CATEGORIES
    confidence: float  # 0..1: the winning class's probability, tempered for untrained languages
    scores: Mapping[str, float] = field(default_factory=dict)  # probability per class, sums to 1


_lock = threading.Lock()
_model: LinearModel | None = None
_loaded = False


def _get_model() -> LinearModel | None:
    global _model, _loaded
    if not _loaded:
        with _lock:
            if not _loaded:
                try:
                    _model = LinearModel.load(WEIGHTS_PATH)
                except (OSError, ValueError, KeyError, TypeError) as exc:
                    log.warning("category weights unusable (%s); using the lexicon alone", exc)
                    _model = None
                _loaded = True
    return _model


def method() -> str:
    """``"lexicon+lr"`` when the shipped weights load, else ``"lexicon"``."""
    return "lexicon+lr" if _get_model() is not None else "lexicon"


def _lexicon_probs(lex: list[float]) -> list[float]:
    # Society is the most common class in news, so it gets a small head start on ties and empties.
    z = [math.log1p(v) * 2.0 for v in lex]
    z[0] += 0.3
    top = max(z)
    ex = [math.exp(s - top) for s in z]
    total = sum(ex)
    return [e / total for e in ex]


def _empty_result() -> CategoryResult:
    scores = dict.fromkeys(CATEGORIES, 0.0)
    scores["not_news"] = 1.0
    return CategoryResult("not_news", 0.0, scores)


def _clean(value: object) -> str:
    return value[:_MAX_INPUT] if isinstance(value, str) else ""


def _classify_one(model: LinearModel | None, title: object, text: object, lang: object) -> CategoryResult:
    title_s = _clean(title)[: TITLE_CHARS * 2]
    text_s = _clean(text)[: TEXT_CHARS * 2]
    feats, lex = featurize(title_s, text_s)
    if len(feats) <= 1:  # only the lexicon-total feature, which is always there: no word at all
        return _empty_result()
    probs = model.scores(feats) if model is not None else _lexicon_probs(lex)
    best = max(range(N_CLASSES), key=probs.__getitem__)
    conf = probs[best]
    code = lang.lower().split("-")[0] if isinstance(lang, str) and lang else None
    if code is not None and code not in TRAINED_LANGS:
        conf *= _NEAR_FACTOR if code in NEAR_LANGS else _FOREIGN_FACTOR
    return CategoryResult(CATEGORIES[best], conf, dict(zip(CATEGORIES, probs, strict=True)))


def classify(title: str, text: str = "", lang: str | None = None) -> CategoryResult:
    """Category of one article from its title and (the start of) its text. Never raises on content."""
    return _classify_one(_get_model(), title, text, lang)


def classify_many(items: Iterable[tuple[str, str, str | None]]) -> list[CategoryResult]:
    """``classify`` over ``(title, text, lang)`` triples, loading the model once."""
    model = _get_model()
    return [_classify_one(model, t, x, lang) for t, x, lang in items]
