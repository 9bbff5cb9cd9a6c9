"""Text normalisation, tokenising and rule-based inflection of place names (ru / uk / be).

Place names are matched by surface form: at build time every Cyrillic name word is expanded
into the case forms Russian, Ukrainian and Belarusian grammar gives it ("Гомель" → "Гомеля",
"Гомелем", "Гомеле", "Гомелі"...). The rules over-generate on purpose: an extra form that is
not a real word costs a dictionary slot and never matches anything. At run time a text token is
then one dictionary lookup, far cheaper than a morphological analyser.
"""

from __future__ import annotations

import re
import unicodedata

# A word: letters, with inner hyphens/apostrophes ("Ростове-на-Дону", "Кам'янське", "O'Hare").
TOKEN_RE = re.compile(r"[^\W\d_]+(?:[-'’ʼ][^\W\d_]+)*")
_CYR_RE = re.compile(r"[а-яёіїєґў]")
_APOS = str.maketrans({"’": "'", "ʼ": "'", "ё": "е", "`": "'"})


def norm(word: str) -> str:
    """Lower-case, ё→е, one kind of apostrophe."""
    return word.lower().translate(_APOS)


# Latin letters that are not a base letter plus a combining mark, so NFKD leaves them: "Wrocław" is
# written "Wroclaw" in English, "Diyarbakır" "Diyarbakir", "Tromsø" "Tromso".
_FOLD_EXTRA = str.maketrans(
    {"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ı": "i", "ß": "ss", "æ": "ae",
     "Æ": "Ae", "œ": "oe", "Œ": "Oe", "þ": "th", "Þ": "Th", "ð": "d", "Ð": "D", "ħ": "h", "Ħ": "H"}
)  # fmt: skip


def fold(text: str) -> str:
    """ASCII-ish fold for Latin names: strip diacritics ("São" → "Sao", "Łódź" → "Lodz")."""
    t = unicodedata.normalize("NFKD", text)
    return "".join(c for c in t if not unicodedata.combining(c)).translate(_FOLD_EXTRA)


def is_cyrillic(word: str) -> bool:
    return bool(_CYR_RE.search(word.lower()))


def tokens(text: str) -> list[str]:
    return TOKEN_RE.findall(text)


_HARD = "бвгджзклмнпрстфхцчшщ"
_SIBILANT_OR_VELAR = "гкхжшчщц"
_UK_ALT = {"г": "з", "к": "ц", "х": "с"}  # Ukrainian dative/locative: Рига → Ризі

_ADJ_MASC = ("ий", "ый", "ой", "ого", "ому", "им", "ым", "ом", "ем", "ім", "ього", "ьому", "ае", "ага")
_ADJ_FEM = ("ая", "яя", "ой", "ую", "ей", "ою", "юю", "ая", "а", "ої", "ій", "у", "ою", "ай", "ую")
_ADJ_NEUT = ("ое", "ее", "ого", "ому", "ым", "им", "ом", "ем", "е", "є")
_NOUN_CONS = ("", "а", "у", "ом", "е", "і", "ові", "ам", "ы", "ах")
_NOUN_SOFT = ("ь", "я", "ю", "ем", "ём", "е", "і", "и", "ью", "ю", "ям", "ях", "ем", "ей")
_NOUN_J = ("й", "я", "ю", "ем", "е", "і", "ї", "єм", "ей", "ям")
_NOUN_A = ("а", "ы", "и", "е", "у", "ой", "ою", "ей", "ею", "і", "ам", "ах", "ій", "ої")
_NOUN_JA = ("я", "и", "е", "ю", "ей", "ею", "і", "ї", "єю", "ю", "й", "ям", "ях", "ї")
_NOUN_O = ("о", "а", "у", "ом", "е", "і", "ам")
_NOUN_E = ("е", "я", "ю", "ем", "і", "ям", "ях")
_PLURAL = ("ы", "и", "", "ам", "ах", "ами", "ов", "ей", "ів", "ях", "ям", "ями")


def _word_forms(w: str, fleeting: bool = False, foreign: bool = False) -> set[str]:
    """Case forms of one lower-case Cyrillic word (over-complete).

    ``fleeting``: the last vowel drops in the other cases ("Орёл" → "Орла", "Орле").
    ``foreign``: a foreign town's name; Russian does not inflect foreign names that end in a vowel
    other than -а/-я ("Мири", "Осло", "Баку"), so none are made: "Мир" is not a case of "Мири".
    """
    out = {w}
    if len(w) < 3:
        return out
    if foreign and w[-1] in "иыоеуюэі":
        return out
    last, stem = w[-1], w[:-1]
    two, stem2 = w[-2:], w[:-2]
    if two in ("ий", "ый", "ой", "ій"):
        out.update(stem2 + e for e in _ADJ_MASC)
        out.update(stem + e for e in _NOUN_J)  # Уренгой, Дубай-like nouns
    elif two in ("ая", "яя"):
        out.update(stem2 + e for e in _ADJ_FEM)
    elif two in ("ое", "ее") and len(w) > 4:
        out.update(stem2 + e for e in _ADJ_NEUT)
    if w.endswith(("ська", "цька", "зька", "ская", "цкая")):
        base = w[:-1] if w.endswith("а") else w[:-2]
        out.update(base + e for e in ("а", "ої", "ій", "у", "ою", "ай", "ую", "ой"))
    if last in _HARD:
        out.update(w + e for e in _NOUN_CONS)
        if fleeting and len(w) > 3 and w[-2] in "еоё":
            out.update(w[:-2] + w[-1] + e for e in ("а", "у", "ом", "е", "і", "ові"))
        if two in ("ец",):  # Елец → Ельца; Кременець-like fleeting vowel
            out.update(w[:-2] + "ц" + e for e in ("а", "у", "ом", "е", "і"))
        if two == "ів":
            out.update(stem2 + "ов" + e for e in ("а", "у", "і", "ом", "ові"))
        if two == "їв":
            out.update(stem2 + "єв" + e for e in ("а", "у", "і", "ом", "ові"))
        # Belarusian locative: the stem's last consonant softens ("Брэст" → "у Брэсце", "горад" →
        # "у горадзе"); only for names of the region, never a foreign town's ("Лід", Lead US)
        if not foreign:
            if two == "ст":
                out.add(stem2 + "сце")
            elif last == "т":
                out.add(stem + "це")
            elif last == "д":
                out.add(stem + "дзе")
        if w.endswith(("ід", "іг", "ір")):
            alt = w[:-2] + "о" + w[-1]
            out.update(alt + e for e in ("а", "у", "і", "ом", "ові"))
    elif last == "ь":
        out.update(stem + e for e in _NOUN_SOFT)
        if w.endswith("іль"):
            out.update(w[:-3] + "ол" + e for e in ("я", "ю", "і", "ем", "ь"))
        if w.endswith("ць"):
            out.update(w[:-2] + "ц" + e for e in ("і", "ю", "ці"))
    elif last == "й":
        out.update(stem + e for e in _NOUN_J)
    elif last == "ў" and not foreign:  # Belarusian "Магілёў" → "Магілёва", "у Магілёве"
        out.update(stem + "в" + e for e in ("а", "у", "ам", "е"))
    elif last == "а":
        out.update(stem + e for e in _NOUN_A)
        if stem and stem[-1] in _SIBILANT_OR_VELAR:
            out.add(stem + "и")
        if stem and stem[-1] in _UK_ALT:
            out.add(stem[:-1] + _UK_ALT[stem[-1]] + "і")
        if not foreign and stem.endswith(("д", "т")):  # Belarusian "Ліда" → "у Лідзе"
            out.add(stem[:-1] + ("дзе" if stem[-1] == "д" else "це"))
    elif last == "я":
        out.update(stem + e for e in _NOUN_JA)
        if w.endswith("ия"):
            out.update(w[:-1] + e for e in ("и", "ей", "ю", "ею"))
    elif last == "о":
        out.update(stem + e for e in _NOUN_O)
    elif last == "е" and len(w) > 4:
        out.update(stem + e for e in _NOUN_E)
    elif last == "і":  # Ukrainian plurals: Чернівці → Чернівців, Чернівцях
        out.update(stem + e for e in ("і", "ів", "ях", "ям", "ями", "ах", "ам", "ами"))
    elif last in "ыи":
        out.update(stem + e for e in _PLURAL)
        if stem.endswith("ц"):
            out.add(stem[:-1] + "ець")
    return {f for f in out if len(f) >= 2}


def name_forms(name: str, foreign: bool = False) -> set[str]:
    """All case forms of a one-token name (may be hyphenated: "ростов-на-дону", "санкт-петербург").

    ``foreign``: the name of a town outside the countries whose names decline as Russian nouns.
    """
    w = norm(name)
    if not is_cyrillic(w):
        return {w}
    if "-" not in w:
        low = name.lower()
        # A fleeting vowel: "ё" before the last consonant ("Орёл"), or "-ок"/"-ек" ("Городок").
        fleeting = (len(low) > 3 and low[-2] == "ё") or low.endswith(("ок", "ек"))
        return _word_forms(w, fleeting, foreign)
    parts = w.split("-")
    out = {w}
    # Inflect the last part ("Санкт-Петербурге"), and the part before a lower-case
    # preposition ("Ростове-на-Дону", "Комсомольске-на-Амуре").
    for f in _word_forms(parts[-1]):
        out.add("-".join([*parts[:-1], f]))
    for i, p in enumerate(parts[1:], 1):
        if p in ("на", "над", "под", "в", "у", "пад", "над"):
            for f in _word_forms(parts[i - 1]):
                out.add("-".join([*parts[: i - 1], f, *parts[i:]]))
            break
    return out
