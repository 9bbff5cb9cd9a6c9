"""Places as readers write them: "москва", "Moscow", "moskva", "kiev", "Париж",
"novosibirskaya-oblast" → gazetteer places, most prominent first (svodka.understand.geo's
``Gazetteer.search``: population, kind, the reader's language's home countries).

Used by the place pages (/city/<name>/ redirects to the canonical slug), the search filter
``place=`` and the city picker.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import islice, product

from django.utils.translation import get_language

from svodka.understand.geo import Place as GeoPlace
from svodka.understand.geo import gazetteer

from .models import Place, PlaceKind

MAX_NAME = 100

# Latin → Cyrillic, for transliterated Russian names the gazetteer does not list
# ("rossiya", "novosibirskaya oblast"). Longest first; alternatives where a letter is ambiguous.
_LAT_CYR: tuple[tuple[str, tuple[str, ...]], ...] = tuple(
    sorted(
        {
            "shch": ("щ",), "sch": ("щ",), "zh": ("ж",), "kh": ("х",), "ts": ("ц",), "tz": ("ц",),
            "ch": ("ч",), "sh": ("ш",), "yu": ("ю",), "ju": ("ю",), "ya": ("я",), "ja": ("я",),
            "yo": ("ё", "йо"), "ye": ("е", "ье"), "iy": ("ий", "ый"), "yy": ("ый",), "yi": ("ый", "ий"),
            "a": ("а",), "b": ("б",), "v": ("в",), "w": ("в",), "g": ("г",), "d": ("д",),
            "e": ("е", "э"), "z": ("з",), "i": ("и",), "y": ("ы", "й"), "j": ("й",), "k": ("к",),
            "l": ("л",), "m": ("м",), "n": ("н",), "o": ("о",), "p": ("п",), "r": ("р",),
            "s": ("с",), "t": ("т",), "u": ("у",), "f": ("ф",), "h": ("х",), "c": ("к", "ц"),
            "x": ("кс",), "q": ("к",), "'": ("ь",),
            # a vowel before ya/yu/ye/yo: "rossiya" is "россия", not "россий-а"
            **{v + y: (c + cy,) for v, c in zip("aeiou", "аеиоу", strict=True)
               for y, cy in (("ya", "я"), ("yu", "ю"), ("ye", "е"), ("yo", "ё"))},
        }.items(),
        key=lambda kv: -len(kv[0]),
    )
)  # fmt: skip
_MAX_VARIANTS = 48
_MAX_WORD = 40  # letters of a word tried as a transliteration (no place name has a longer word)


def _cyrillic_variants(word: str, limit: int = 8) -> list[str]:
    """Cyrillic spellings a transliterated word may come from, likeliest first."""
    parts: list[tuple[str, ...]] = []
    i = 0
    while i < len(word):
        for lat, cyr in _LAT_CYR:
            if word.startswith(lat, i):
                parts.append(cyr)
                i += len(lat)
                break
        else:
            return []
    out = ["".join(p) for p in islice(product(*parts), limit)]  # never the whole product: 2^n
    # a final soft sign is rarely written ("oblast" = "область", "Kazan" = "Казань")
    if word[-1:] in "tdlnszr":
        out += [v + "ь" for v in out[:2]]
    return out


def _words(name: str) -> list[str]:
    return [w for w in re.split(r"[\s_\-.,]+", name.lower()) if w]


def _prominence(p: GeoPlace) -> tuple[int, int]:
    return ({"country": 2, "region": 1}.get(p.kind, 0), p.population)


def candidates(
    name: str, *, kinds: Iterable[str] = ("city", "region", "country"), lang: str | None = None
) -> list[GeoPlace]:
    """Places a name can mean, most prominent first. Tries the name as written, as a slug
    ("saint-petersburg", "moscow-us") and as a transliteration of a Russian name."""
    name = (name or "").strip()[:MAX_NAME]
    if not name:
        return []
    kinds = tuple(kinds)
    lang = lang or get_language() or "ru"
    g = gazetteer()
    found: list[GeoPlace] = []
    seen: set[int] = set()

    def add(places: Iterable[GeoPlace | None]) -> None:
        for p in places:
            if p is not None and p.kind in kinds and p.geonameid not in seen:
                seen.add(p.geonameid)
                found.append(p)

    add(g.search(name, lang))
    words = _words(name)
    if " ".join(words) != name.lower():
        add(g.search(" ".join(words), lang))
    add(g.by_slug(name.lower(), k) for k in kinds)
    if not found and words and all(w.isascii() and w.isalpha() and len(w) <= _MAX_WORD for w in words):
        per_word = [_cyrillic_variants(w) for w in words[:4]]
        if all(per_word):
            for combo in islice(product(*per_word), _MAX_VARIANTS):
                add(g.search(" ".join(combo), lang))
            found.sort(key=_prominence, reverse=True)
    return found


def ensure(p: GeoPlace) -> Place | None:
    """The Place row of a gazetteer place (created, with its region and country, if new)."""
    from .storage import _ensure_place

    _ensure_place(p.geonameid)
    return Place.objects.filter(pk=p.geonameid).first()


def resolve(name: str, kind: str | None = None, *, lang: str | None = None) -> Place | None:
    """The place a name means: a canonical slug, then the most prominent place of ``kind`` the
    name can mean, then the most prominent of any kind. None: nothing is called that."""
    slug = (name or "").strip().lower()
    if not slug:
        return None
    qs = Place.objects.filter(slug=slug)
    found = qs.filter(kind=kind).first() if kind else None
    if found is None and not kind:
        rows = {p.kind: p for p in qs}
        found = rows.get(PlaceKind.COUNTRY) or rows.get(PlaceKind.REGION) or rows.get(PlaceKind.CITY)
    if found is not None:
        return found
    if kind == PlaceKind.COUNTRY and re.fullmatch(r"[a-z]{2}", slug):
        # "/country/ru/": an ISO code. (As a name, "ru" or "us" is some village.) Not a code
        # ("uk"): read as a name below, among countries only.
        g = gazetteer()
        i = g._country_idx.get({"UK": "GB"}.get(slug.upper(), slug.upper()))
        if i is not None:
            return ensure(g._place(i))
    cands = candidates(name, lang=lang)
    if kind == PlaceKind.COUNTRY:  # a country page never turns into a town's
        cands = [p for p in cands if p.kind == PlaceKind.COUNTRY]
    if not cands:
        return None
    best = next((p for p in cands if p.kind == kind), cands[0]) if kind else cands[0]
    return ensure(best)


@dataclass(frozen=True, slots=True)
class Choice:
    """One candidate of the city picker."""

    id: int
    kind: str
    name: str
    region: str
    country: str
    population: int


def choices(name: str, *, lang: str, limit: int = 6) -> list[Choice]:
    """Cities and regions a reader's answer can mean, most prominent first."""
    g = gazetteer()
    out = []
    for p in candidates(name, kinds=("city", "region"), lang=lang)[:limit]:
        names = g.names(p.geonameid)
        region = ""
        if p.region_id is not None:
            region = g.names(p.region_id).get(lang, "")
        country = g.display_country(p.geonameid, lang) or p.country
        if region == country:  # "Сухум, Абхазия", not "Сухум, Абхазия, Абхазия"
            region = ""
        out.append(
            Choice(
                id=p.geonameid,
                kind=p.kind,
                name=names.get(lang) or p.name,
                region=region,
                country=country,
                population=p.population,
            )
        )
    return out


def breadcrumbs(place: Place, lang: str) -> list[tuple[str, str]]:
    """[(name, url)] from the country down to the place itself: country › region › city. A
    city the gazetteer files under no region (Moscow, Minsk, Kyiv) links its country. Places in
    Abkhazia show the region "Abkhazia" as their country (``Gazetteer.display_country``)."""
    chain: list[Place] = [place]
    if place.kind == PlaceKind.CITY and place.region_id:
        region = Place.objects.filter(pk=place.region_id).first()
        if region is not None:
            chain.append(region)
    if place.kind != PlaceKind.COUNTRY and place.country:
        country = Place.objects.filter(kind=PlaceKind.COUNTRY, country=place.country).first()
        if country is None:  # rows made before their country was: fill it in from the gazetteer
            g = gazetteer()
            top = g.hierarchy(place.pk)[-1:] if g.get(place.pk) is not None else []
            if top and top[0].kind == "country":
                country = ensure(top[0])
        shown = gazetteer().display_country(place.pk, "en")
        if country is not None and (shown is None or shown == country.name_en):
            chain.append(country)
    return [(p.name(lang), p.get_absolute_url()) for p in reversed(chain)]
