"""Snippets: a window of an article's text around the query's words, HTML-escaped, with the
matches in ``<mark>``. Safe to render: every character of the text goes through
``html.escape``; the only markup is ours.

Engine-neutral: the caller says which words match (``is_match``, e.g. "its stem is one of
the query's stems") and gives prefixes that every matching word starts with (a stem minus
its last letter covers Snowball's stems); candidate words are found by one regular
expression over the text and then confirmed by ``is_match``, so a short prefix never
highlights an unrelated word.

Speed (this runs for each of a page's hits): the regex has no look-behind and no
IGNORECASE, and runs over the lowercased text, which lets ``re`` skip ahead to the
prefixes' first letters; that a candidate starts a word is checked in Python, and only
for the few candidates found. A text whose lowercase has another length (a handful of
characters, such as ``İ``, lowercase to two) is scanned case-insensitively instead.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable

SNIPPET_CHARS = 220
MAX_CANDIDATES = 80  # words looked at per text
MAX_SPANS = 12  # matches enough to choose a window
SCAN_CHARS = 2500  # the window is chosen from the text's beginning
_LEAD_BEFORE = 40  # characters of context before the first match of the window


def prefix_pattern(prefixes: Iterable[str]) -> re.Pattern[str] | None:
    """One regex finding, in a lowercased text, every run of letters and digits from one of
    ``prefixes`` to the end of its word (None: no prefix). The run may begin inside a word:
    :func:`highlight` keeps only those that begin one."""
    uniq: list[str] = []
    for p in sorted({p.lower() for p in prefixes if p}, key=len):
        if not any(p.startswith(u) for u in uniq):  # "митинг" already covers "митинго"
            uniq.append(p)
    if not uniq:
        return None
    return re.compile(r"(?:" + "|".join(re.escape(p) for p in uniq) + r")[^\W_]*")


def _word_starts(
    text: str, pattern: re.Pattern[str], is_match: Callable[[str], bool]
) -> list[tuple[int, int]]:
    """Spans of the matching words of ``text`` (at most ``MAX_SPANS``, from the first
    ``MAX_CANDIDATES`` candidates that begin a word)."""
    low = text.lower()
    if len(low) != len(text):  # positions in ``low`` would not be positions in ``text``
        low = text
        pattern = re.compile(pattern.pattern, re.IGNORECASE)
    spans: list[tuple[int, int]] = []
    seen = 0
    for m in pattern.finditer(low):
        a = m.start()
        if a and text[a - 1].isalnum():  # inside a word ([^\W_] is exactly isalnum)
            continue
        seen += 1
        if seen > MAX_CANDIDATES:
            break
        b = m.end()
        if is_match(text[a:b]):
            spans.append((a, b))
            if len(spans) >= MAX_SPANS:
                break
    return spans


def lead_html(text: str, n: int = SNIPPET_CHARS) -> str:
    """The beginning of the text, escaped, cut at a word boundary."""
    return _lead(" ".join(text.split()), n)


def _lead(text: str, n: int) -> str:
    """:func:`lead_html` of a text whose whitespace is already one space at a time."""
    if len(text) <= n:
        return html.escape(text)
    cut = text[:n]
    if " " in cut[n // 2 :]:
        cut = cut[: cut.rfind(" ")]
    return html.escape(cut) + "…"


def highlight(
    text: str, pattern: re.Pattern[str] | None, is_match: Callable[[str], bool], n: int = SNIPPET_CHARS
) -> str:
    """The best window of ``text`` (the most matches, the earliest on a tie), escaped, with
    matches in ``<mark>``; the text's beginning when nothing matches."""
    cut_short = len(text) > SCAN_CHARS
    text = " ".join(text[:SCAN_CHARS].split())
    if pattern is None:
        return _lead(text, n)
    spans = _word_starts(text, pattern, is_match)
    if not spans:
        return _lead(text, n)
    best_start, best_count = 0, 0
    j = 0
    for i, (s, _) in enumerate(spans):  # spans are in order: a sliding window
        start = max(0, s - _LEAD_BEFORE)
        j = max(j, i)
        while j + 1 < len(spans) and spans[j + 1][1] <= start + n:
            j += 1
        count = j - i + 1
        if count > best_count:
            best_start, best_count = start, count
    start = best_start
    if start > 0:  # begin at a word
        nxt = next(a for a, _ in spans if a >= start)
        sp = text.find(" ", start, nxt)
        if sp >= 0:
            start = sp + 1
    end = min(len(text), start + n)
    more = end < len(text) or cut_short
    if more:
        sp = text.rfind(" ", start, end)
        last_in = max((b for a, b in spans if a >= start and b <= end), default=start)
        if sp > last_in:
            end = sp
    out: list[str] = ["…"] if start > 0 else []
    pos = start
    for a, b in spans:
        if a < pos or b > end:
            continue
        out.append(html.escape(text[pos:a]))
        out.append("<mark>" + html.escape(text[a:b]) + "</mark>")
        pos = b
    out.append(html.escape(text[pos:end]))
    if more:
        out.append("…")
    return "".join(out)
