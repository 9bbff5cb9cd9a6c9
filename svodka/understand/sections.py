"""Sections beyond categories (music, ecology, incidents, elections, a city …): rules over an
article's category, language, places, the named entities it mentions and its words.

Every rule that is set must match: category, language, places, and what the article is about
— one of its ``words`` or one of its ``entities`` (either list may be empty; with both, either
kind of match is enough). No ``exclude_words`` may appear.

Words match whole words and their inflected forms, not arbitrary substrings:

- Russian and Ukrainian words are expanded with pymorphy3 into every form of their lemma
  ("выборы" → "выборах", "выборов" …; "погибнуть" → "погиб", "погибших" …), so "выборы" does
  not match "выборке";
- English words get the regular suffixes (-s, -es, -'s, -ed, -ing, -ies …);
- a trailing ``*`` asks for a stem (prefix) instead: ``эколог*`` matches "экологи",
  "экологический" …;
- several words are a phrase: consecutive words, each in any form ("rescue service").

``where`` says which part of the article the words must appear in: ``title``, ``lead`` (the
title and the first ``LEAD_CHARS`` characters of the text: what the article is about, not a
quote deep in the text) or ``text`` (the title and the first ``TEXT_CHARS`` characters).
Exclusions are looked for in the whole text read.

Entities are names as the article writes them ("Алла Пугачёва", "NASA", "Роскосмос"), matched
with :func:`svodka.stories.features.extract_terms`' keys: capitalised words, transliterated and
cut to five letters, so inflected and Latin spellings of a name match ("Пугачёвой",
"Pugacheva"). A name of several words needs all of them.

Pure Python; pymorphy3 is loaded on the first rule that has Cyrillic words.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from svodka.stories.features import KEY_LEN, entity_key, extract_terms

WHERE = ("title", "lead", "text")
LEAD_CHARS = 500
TEXT_CHARS = 5000

_TOKEN = re.compile(r"[^\W\d_]+(?:['’ʼ][^\W\d_]+)*|\d+")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_UK_ONLY = re.compile(r"[іїєґ]")
_VOWELS = frozenset("aeiou")


def _norm(word: str) -> str:
    return word.lower().replace("ё", "е").replace("’", "'").replace("ʼ", "'")


def tokens(text: str) -> list[str]:
    """Lower-case words of a text (hyphenated words are several words; "ё" reads as "е")."""
    return [_norm(t) for t in _TOKEN.findall(text or "")]


# --- word forms ----------------------------------------------------------------------------------
_MORPH_LOCK = threading.Lock()
_MORPH: dict[str, object] = {}


def _analyzer(lang: str):  # type: ignore[no-untyped-def]
    with _MORPH_LOCK:
        m = _MORPH.get(lang)
        if m is None:
            import pymorphy3

            m = _MORPH[lang] = pymorphy3.MorphAnalyzer(lang=lang)
    return m


def _lexemes(morph, word: str, *, known: bool) -> set[str]:  # type: ignore[no-untyped-def]
    parses = morph.parse(word)
    if not parses:
        return set()
    if not known:  # a guessed paradigm: only the likeliest one
        parses = parses[:1]
    top = parses[0].score or 1.0
    out: set[str] = set()
    for p in parses:
        if p.score < 0.3 * top:  # "выборы" (elections) must not bring "выбор" (a choice)
            continue
        out.update(_norm(f.word) for f in p.lexeme)
    return out


def _cyrillic_forms(word: str) -> set[str]:
    ru, uk = _analyzer("ru"), _analyzer("uk")
    if _UK_ONLY.search(word):
        return _lexemes(uk, word, known=uk.word_is_known(word))
    in_ru, in_uk = ru.word_is_known(word), uk.word_is_known(word)
    out: set[str] = set()
    if in_ru or not in_uk:
        out |= _lexemes(ru, word, known=in_ru)
    if in_uk:
        out |= _lexemes(uk, word, known=True)
    return out


def _english_forms(w: str) -> set[str]:
    bases = {w}
    if len(w) > 4 and w.endswith("ies"):
        bases = {w[:-3] + "y"}
    elif len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        bases = {w[:-1]}  # "elections" → "election" (and its forms, "elections" among them)
        if w.endswith(("ches", "shes", "xes", "ses", "zes")):
            bases.add(w[:-2])
    out: set[str] = set()
    for b in bases:
        out |= {w, b, b + "s", b + "'s"}
        if b.endswith(("s", "x", "z", "ch", "sh")):
            out.add(b + "es")
        if len(b) > 2 and b.endswith("y") and b[-2] not in _VOWELS:
            out |= {b[:-1] + "ies", b[:-1] + "ied"}
        if b.endswith("e"):
            out |= {b + "d", b[:-1] + "ing"}
        else:
            out |= {b + "ed", b + "ing"}
        # one short vowel before a final consonant doubles it: stop → stopped, stopping
        if len(b) >= 3 and b[-1] in "bdgklmnprt" and b[-2] in _VOWELS and b[-3] not in _VOWELS:
            out |= {b + b[-1] + "ed", b + b[-1] + "ing"}
    return out


@lru_cache(maxsize=4096)
def word_forms(word: str) -> frozenset[str]:
    """Every form of a word a rule names (the word itself included), lower-case."""
    w = _norm(word)
    if _CYRILLIC.search(w):
        try:
            return frozenset(_cyrillic_forms(w) | {w})
        except Exception:  # no dictionaries: the word itself still matches
            return frozenset({w})
    if w.isascii() and w.isalpha():
        return frozenset(_english_forms(w))
    return frozenset({w})


# --- terms: words, stems, phrases -----------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _Slot:
    forms: frozenset[str] = frozenset()
    prefix: str = ""

    def ok(self, token: str) -> bool:
        return token.startswith(self.prefix) if self.prefix else token in self.forms


def _compile_term(term: str) -> tuple[_Slot, ...]:
    raw = term.strip()
    if not raw:
        return ()
    slots = []
    for part in raw.split():
        words = tokens(part)
        for j, w in enumerate(words):
            stem = part.endswith("*") and j == len(words) - 1
            slots.append(_Slot(prefix=w) if stem else _Slot(forms=word_forms(w)))
    return tuple(slots)


class _Terms:
    """Any of several terms; single words answer with one set lookup per token."""

    def __init__(self, terms: Iterable[str]) -> None:
        self.forms: frozenset[str] = frozenset()
        self.prefixes: tuple[str, ...] = ()
        self.phrases: tuple[tuple[_Slot, ...], ...] = ()
        forms: set[str] = set()
        prefixes: list[str] = []
        phrases: list[tuple[_Slot, ...]] = []
        for t in terms:
            slots = _compile_term(t)
            if len(slots) == 1:
                if slots[0].prefix:
                    prefixes.append(slots[0].prefix)
                else:
                    forms |= slots[0].forms
            elif slots:
                phrases.append(slots)
        self.forms, self.prefixes, self.phrases = frozenset(forms), tuple(prefixes), tuple(phrases)

    def __bool__(self) -> bool:
        return bool(self.forms or self.prefixes or self.phrases)

    def search(self, toks: Sequence[str]) -> bool:
        forms, prefixes = self.forms, self.prefixes
        for i, t in enumerate(toks):
            if t in forms or (prefixes and t.startswith(prefixes)):
                return True
            for ph in self.phrases:
                if (
                    ph[0].ok(t)
                    and len(toks) - i >= len(ph)
                    and all(s.ok(toks[i + k]) for k, s in enumerate(ph[1:], 1))
                ):
                    return True
        return False


def _entity_keys(name: str) -> tuple[str, ...]:
    """Keys of a name's words. A short word ("Алла", "Ким") is cut before its last letter, which
    may be an ending ("Аллы"); an acronym ("NASA", "ЦИК") is kept whole."""
    keys = []
    for w in _TOKEN.findall(name or ""):
        k = entity_key(w)
        if len(k) < 3:
            continue
        if len(k) < KEY_LEN and not (len(w) >= 2 and w.isupper()):
            k = k[:-1] + "~"  # a stem: see _has_entity
        keys.append(k)
    return tuple(dict.fromkeys(keys))


def _has_entity(keys: tuple[str, ...], found: frozenset[str]) -> bool:
    for k in keys:
        if k.endswith("~"):
            stem = k[:-1]
            if not any(f.startswith(stem) and len(f) <= len(stem) + 2 for f in found):
                return False
        elif k not in found:
            return False
    return True


def article_entities(title: str, text: str, *, chars: int) -> frozenset[str]:
    """Entity keys of an article (``extract_terms``), plus the first word of the title and of
    the text when capitalised (``extract_terms`` skips sentence-initial words, but a headline
    often starts with the name: "Greenpeace warns …")."""
    found = set(extract_terms(title, text, lead_chars=chars).entities)
    for part in (title, text[:200]):
        m = _TOKEN.search(part or "")
        if m and m.group(0)[0].isupper() and len(m.group(0)) >= 3:
            found.add(entity_key(m.group(0)))
    return frozenset(found)


# --- the rule -------------------------------------------------------------------------------------
@dataclass(slots=True)
class SectionRule:
    """Rules of one section; see the module's docstring."""

    slug: str
    categories: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    places: frozenset[int] = frozenset()  # place ids; callers pass an article's places with their ancestors
    words: tuple[str, ...] = ()
    exclude_words: tuple[str, ...] = ()
    entities: tuple[str, ...] = ()
    where: str = "lead"  # title | lead | text: where words and entities must appear
    _words: _Terms = field(init=False, repr=False)
    _exclude: _Terms = field(init=False, repr=False)
    _entities: tuple[tuple[str, ...], ...] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if self.where not in WHERE:
            raise ValueError(
                f"section {self.slug}: where must be one of {', '.join(WHERE)}, not {self.where!r}"
            )
        self._words = _Terms(self.words)
        self._exclude = _Terms(self.exclude_words)
        self._entities = tuple(k for k in (_entity_keys(e) for e in self.entities) if k)

    def _scope(self, title: str, text: str) -> tuple[str, str]:
        if self.where == "title":
            return title, ""
        return title, text[: LEAD_CHARS if self.where == "lead" else TEXT_CHARS]

    def _about(self, head: str, body: str) -> bool:
        """One of the words, or one of the entities, in the part of the article read."""
        if self._words and self._words.search(tokens(f"{head}\n{body}")):
            return True
        if self._entities:
            found = article_entities(head, body, chars=len(body))
            return any(_has_entity(keys, found) for keys in self._entities)
        return False

    def matches(self, *, category: str, lang: str, place_ids: Iterable[int], title: str, text: str) -> bool:
        if self.categories and category not in self.categories:
            return False
        if self.languages and lang not in self.languages:
            return False
        if self.places and not (self.places & set(place_ids)):
            return False
        title, text = title or "", text or ""
        head, body = self._scope(title, text)
        if (self._words or self._entities) and not self._about(head, body):
            return False
        return not (self._exclude and self._exclude.search(tokens(f"{title}\n{text[:TEXT_CHARS]}")))


__all__ = ["LEAD_CHARS", "TEXT_CHARS", "WHERE", "SectionRule", "article_entities", "tokens", "word_forms"]
