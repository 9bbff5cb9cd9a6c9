"""The reader's query language, parsed once for every engine.

    митинг                 a word (each engine applies its own morphology)
    "пожар в Гомеле"       a phrase (also «…», “…”, „…“); an unclosed quote closes at the end
    -погода   -"в Гомеле"  exclude a word or a phrase (also ``NOT погода``)
    Гомель OR Брест        either (also ``Гомель | Брест``); OR binds tighter than the
                           implicit AND: ``пожар Гомель OR Брест`` = пожар AND (Гомель OR Брест)

Everything else is text: there is no field syntax, no wildcards, no engine operators. A
token such as ``title:foo`` or ``'; DROP TABLE`` is only ever split into words
(``title`` ``foo``; ``drop`` ``table``), and the engines build their queries from these
words — never from the reader's string — so nothing the reader types reaches an engine's
parser. Words joined by ``-``, ``'`` or ``.`` (``Ростов-на-Дону``, ``covid-19``) are kept
together as a phrase, as the engines index them as neighbouring words.

Lenient where a reader's intent is clear: a lone or doubled ``OR``, a ``-`` on its own and
a dangling ``NOT`` are ignored. A query with nothing left to look for is refused with a
:class:`~svodka.search.QueryError` whose code says why (``empty``, ``too_long``,
``no_terms``, ``syntax``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from svodka.search import MAX_QUERY_CHARS, QueryError

MAX_WORDS = 32  # words (phrase words included) in one query
MAX_WORD_CHARS = 40  # longer "words" are not words (the engines drop them from documents too)

_QUOTES = frozenset('"“”„«»‟〝〞＂')
_WORD = re.compile(r"[^\W_]+")
# inside a bare token, these keep neighbouring words together as a phrase
_JOINED = re.compile(r"[^\W_]+(?:['’.\-‐‑–][^\W_]+)*")


@dataclass(frozen=True, slots=True)
class Term:
    """A word (``words`` has one item) or a phrase (several, in order), lowercased."""

    words: tuple[str, ...]

    @property
    def is_phrase(self) -> bool:
        return len(self.words) > 1

    def __str__(self) -> str:
        return f'"{" ".join(self.words)}"' if self.is_phrase else self.words[0]


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    """``clauses`` are ANDed; the terms of one clause are ORed; ``excluded`` terms must not
    occur. There is always at least one clause."""

    clauses: tuple[tuple[Term, ...], ...]
    excluded: tuple[Term, ...] = ()

    @property
    def terms(self) -> list[str]:
        """The words looked for (for highlighting), each once, in query order."""
        seen: dict[str, None] = {}
        for clause in self.clauses:
            for term in clause:
                for w in term.words:
                    seen.setdefault(w, None)
        return list(seen)

    def __str__(self) -> str:
        parts = [" OR ".join(str(t) for t in c) if len(c) > 1 else str(c[0]) for c in self.clauses]
        parts += [f"-{t}" for t in self.excluded]
        return " ".join(parts)


def _words(text: str) -> list[str]:
    return [w for w in _WORD.findall(text) if len(w) <= MAX_WORD_CHARS]


def _terms_of_bare(token: str) -> list[Term]:
    """A token typed without quotes: words joined by - ' . stay together as a phrase, any
    other punctuation separates words."""
    out: list[Term] = []
    for chunk in _JOINED.findall(token):
        words = _words(chunk)
        if words:
            out.append(Term(tuple(words)))
    return out


# scanner items: ("phrase", text, negated) | ("bare", text, negated) | ("or", "", False)
def _scan(q: str) -> list[tuple[str, str, bool]]:
    items: list[tuple[str, str, bool]] = []
    i, n = 0, len(q)
    while i < n:
        c = q[i]
        if c.isspace():
            i += 1
            continue
        if c == "|":
            items.append(("or", "", False))
            i += 1
            continue
        negated = False
        if c == "-" and i + 1 < n and q[i + 1] in _QUOTES:
            negated = True
            i += 1
            c = q[i]
        if c in _QUOTES:
            j = i + 1
            while j < n and q[j] not in _QUOTES:
                j += 1
            items.append(("phrase", q[i + 1 : j], negated))
            i = j + 1  # past the closing quote (or the end: an unclosed quote closes there)
            continue
        j = i
        while j < n and not q[j].isspace() and q[j] not in _QUOTES and q[j] != "|":
            j += 1
        token = q[i:j]
        i = j
        if token == "OR":
            items.append(("or", "", False))
        elif token == "AND":
            items.append(("noop", "", False))  # the default anyway
        elif token == "NOT":
            items.append(("not", "", False))
        elif token.startswith("-"):
            stripped = token.lstrip("-")
            if stripped:
                items.append(("bare", stripped, True))
            elif i < n and q[i] in _QUOTES:  # "--" right before a quote
                items.append(("not", "", False))
            else:
                items.append(("noop", "", False))  # a lone "-": ignored
        else:
            items.append(("bare", token, False))
    return items


def parse_query(q: str) -> ParsedQuery:
    """Parse the reader's query; raises :class:`QueryError` when there is nothing to run."""
    if not isinstance(q, str):
        raise QueryError("The query must be text.", code="syntax")
    if len(q) > MAX_QUERY_CHARS:
        raise QueryError(
            f"The query is too long ({len(q):,} characters); keep it under {MAX_QUERY_CHARS}.",
            code="too_long",
        )
    q = unicodedata.normalize("NFC", q)
    if not q.strip():
        raise QueryError("Type a word or a phrase to search for.", code="empty")

    clauses: list[list[Term]] = []
    excluded: list[Term] = []
    pending_or = False
    pending_not = False
    saw_operator = False
    saw_text = False
    for kind, text, negated in _scan(q):
        if kind == "or":
            saw_operator = True
            pending_or = bool(clauses)  # a leading OR has nothing to join: ignored
            continue
        if kind == "noop":
            saw_operator = True
            continue
        if kind == "not":
            saw_operator = True
            pending_not = True
            continue
        negated = negated or pending_not
        pending_not = False
        if text.strip():
            saw_text = True
        if kind == "phrase":
            words = _words(text.lower())
            terms = [Term(tuple(words))] if words else []
        else:
            terms = _terms_of_bare(text.lower())
        if not terms:  # emoji, punctuation: nothing to look for, the operators around stay
            continue
        if negated:
            excluded.extend(terms)
            pending_or = False
            continue
        first, rest = terms[0], terms[1:]
        if pending_or and clauses:
            if first not in clauses[-1]:
                clauses[-1].append(first)
        else:
            clauses.append([first])
        clauses.extend([t] for t in rest)
        pending_or = False

    if not clauses:
        if excluded:
            raise QueryError(
                "The query only excludes words; add at least one word to look for.", code="syntax"
            )
        if saw_operator and not saw_text:
            raise QueryError(
                "The query has only operators (OR, NOT, -) and no words to look for.", code="syntax"
            )
        raise QueryError(
            "The query has no letters or digits to look for (emoji and punctuation are not searched).",
            code="no_terms",
        )
    n_words = sum(len(t.words) for c in clauses for t in c) + sum(len(t.words) for t in excluded)
    if n_words > MAX_WORDS:
        raise QueryError(
            f"The query has too many words ({n_words}); use at most {MAX_WORDS}.", code="too_long"
        )
    return ParsedQuery(tuple(tuple(c) for c in clauses), tuple(excluded))
