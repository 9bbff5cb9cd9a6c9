"""Turn the facts of a story into an article in one outlet's language and words.

``make_facts`` draws what happened (numbers, people, organisations) once per story, so all
outlets agree on the facts; ``compose`` writes one outlet's version with its own choice of
headline, lead, paragraphs and order.

Templates in ``_lexicon`` mark alternative wordings as ``[a|b|c]``; every report picks its own
(from the report's random stream), so two outlets' own reports of one story share the facts but
few word sequences, while syndicated copies (which reuse a report's paragraphs) stay copies.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from . import _lexicon as lx
from .places import Place

_LANG_IX = {"ru": 0, "uk": 1, "en": 2}


@dataclass(frozen=True, slots=True)
class Person:
    first: tuple[str, str, str, str]  # ru, uk, en, gender
    last: tuple[str, ...]  # ru m, ru f, uk m, uk f, en m, en f

    @property
    def female(self) -> bool:
        return self.first[3] == "f"

    def name(self, lang: str) -> str:
        i = _LANG_IX[lang]
        return f"{self.first[i]} {self.last[2 * i + self.female]}"


@dataclass(frozen=True, slots=True)
class Facts:
    category: str
    topic: str
    angle: int  # index into _lexicon.ANGLES[topic]
    places: tuple[Place, ...]
    weekday: int
    hour: str
    n1: int  # people affected (inflected via n1p)
    n2: int  # millions of money
    n3: int  # multiple of 100
    n4: int  # small number
    pct: int
    s1: int
    s2: int
    oldyear: int
    year2: int
    street: int
    brand: int
    brand2: int
    org_kind: str
    work: int
    person: Person
    person2: Person
    role: int
    role2: int
    said: int


def _ix(rng: random.Random, n: int) -> int:
    return int(rng.random() * n)  # much cheaper than randrange, same determinism


def random_person(rng: random.Random, country: str) -> Person:
    if country in ("GB", "US", "FR", "DE", "IT", "ES", "AT", "CH", "BE", "SE", "FI", "CN", "JP", "AE", "TR"):
        firsts, lasts = lx.FIRST_WESTERN, lx.SURNAMES_WESTERN
    elif country == "GE-AB":
        firsts, lasts = lx.FIRST_ABKHAZ, lx.SURNAMES_ABKHAZ
    else:
        firsts, lasts = lx.FIRST_SLAVIC, lx.SURNAMES_SLAVIC
    return Person(firsts[_ix(rng, len(firsts))], lasts[_ix(rng, len(lasts))])


def make_facts(
    rng: random.Random, category: str, places: tuple[Place, ...], weekday: int, year: int
) -> Facts:
    country = places[0].country
    nb = len(lx.BRANDS)
    b1 = _ix(rng, nb)
    b2 = (b1 + 1 + _ix(rng, nb - 1)) % nb
    topics = lx.TOPICS[category]
    topic = topics[_ix(rng, len(topics))]
    kinds = lx.ORG_FOR[category]
    return Facts(
        category=category,
        topic=topic,
        angle=_ix(rng, len(lx.ANGLES[topic])),
        places=places,
        weekday=weekday,
        hour=f"{6 + _ix(rng, 17):02d}:{(0, 10, 15, 20, 30, 40, 45, 50)[_ix(rng, 8)]:02d}",
        n1=3 + _ix(rng, 178),
        n2=5 + _ix(rng, 946),
        n3=100 * (1 + _ix(rng, 50)),
        n4=2 + _ix(rng, 27),
        pct=2 + _ix(rng, 44),
        s1=_ix(rng, 5),
        s2=_ix(rng, 5),
        oldyear=1930 + _ix(rng, 70),
        year2=year + 1 + _ix(rng, 3),
        street=_ix(rng, len(lx.STREETS)),
        brand=b1,
        brand2=b2,
        org_kind=kinds[_ix(rng, len(kinds))],
        work=_ix(rng, len(lx.WORKS)),
        person=random_person(rng, country),
        person2=random_person(rng, country),
        role=_ix(rng, 2),
        role2=_ix(rng, 2),
        said=_ix(rng, 4),
    )


def _people(n: int, lang: str) -> str:
    if lang == "en":
        return f"{n} {'person' if n == 1 else 'people'}"
    one, few, many = lx.PEOPLE_WORDS[lang]
    if n % 10 == 1 and n % 100 != 11:
        word = one
    elif 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        word = few
    else:
        word = many
    return f"{n} {word}"


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def slots(f: Facts, lang: str, update: int = 0) -> dict[str, str]:
    i = _LANG_IX[lang]
    out = f.places[0].slots(lang)
    out.update(f.places[-1].slots(lang, "2"))
    n1 = f.n1 + update * (3 + f.n1 // 4)
    brand, brand2 = lx.BRANDS[f.brand][i], lx.BRANDS[f.brand2][i]
    kind = lx.ORG_KINDS[f.org_kind]
    if lang == "en":
        org = org_gen = f"{brand} {kind[2]}"
        team, team2 = brand, brand2
        money = f"{f.n2} million {lx.CURRENCY.get(f.places[0].country, lx.CURRENCY_DEFAULT)[2]}"
    else:
        nom, gen = kind[i]
        org, org_gen = f"{nom} «{brand}»", f"{gen} «{brand}»"
        team, team2 = f"«{brand}»", f"«{brand2}»"
        money = f"{f.n2} млн {lx.CURRENCY.get(f.places[0].country, lx.CURRENCY_DEFAULT)[i]}"
    said = lx.SAID[lang][f.said]
    said2 = lx.SAID[lang][(f.said + 1) % 4]
    roles = lx.ROLES[f.category]
    day = lx.DAYS[lang][f.weekday]
    out.update(
        Near=_cap(out["near"]),
        Nom=_cap(out["nom"]),
        n1=str(n1),
        n1p=_people(n1, lang),
        n2=str(f.n2),
        n3=str(f.n3),
        n4=str(f.n4),
        pct=str(f.pct),
        s1=str(f.s1),
        s2=str(f.s2),
        oldyear=str(f.oldyear),
        year2=str(f.year2),
        money=money,
        hour=f.hour,
        day=day,
        Day=_cap(day),
        street=lx.STREETS[f.street][i],
        org=org,
        Org=_cap(org),
        org_gen=org_gen,
        team=team,
        team2=team2,
        work=lx.WORKS[f.work][i],
        person=f.person.name(lang),
        Person=f.person.name(lang),
        role=roles[f.role][i],
        said=said[f.person.female],
        person2=f.person2.name(lang),
        role2=roles[f.role2][i],
        said2=said2[f.person2.female],
    )
    return out


def _second(template: str) -> str:
    """The same quote template, spoken by the second person."""
    for a, b in (
        ("{person}", "{person2}"),
        ("{Person}", "{person2}"),
        ("{role}", "{role2}"),
        ("{said}", "{said2}"),
    ):
        template = template.replace(a, b)
    return template


_SECOND = {q: _second(q) for lang in lx.CAT.values() for _, quotes in lang.values() for q in quotes}

_Parts = tuple[str | tuple[str, ...], ...]
_ALT = re.compile(r"\[([^\[\]]*)\]")
_COMPILED: dict[str, _Parts] = {}


def _compile(template: str) -> _Parts:
    parts: list[str | tuple[str, ...]] = []
    pos = 0
    for m in _ALT.finditer(template):
        if m.start() > pos:
            parts.append(template[pos : m.start()])
        parts.append(tuple(m.group(1).split("|")))
        pos = m.end()
    if pos < len(template):
        parts.append(template[pos:])
    return tuple(parts)


def wording(template: str, rng: random.Random | None) -> str:
    """``template`` with one alternative of each ``[a|b|c]`` (the first ones when ``rng`` is None)."""
    parts = _COMPILED.get(template)
    if parts is None:
        parts = _COMPILED[template] = _compile(template)
    if rng is None:
        return "".join(p if p.__class__ is str else p[0] for p in parts)
    r = rng.random
    return "".join([p if p.__class__ is str else p[int(r() * len(p))] for p in parts])  # type: ignore[misc]


def _fill(template: str, rng: random.Random | None, s: dict[str, str]) -> str:
    return wording(template, rng).format_map(s)


def _opener_ok(template: str) -> bool:
    """Whether a connective may precede the paragraph (it starts with a plain capitalised word)."""
    parts = _COMPILED.get(template) or _compile(template)
    first = parts[0] if parts[0].__class__ is str else parts[0][0]  # type: ignore[index]
    return bool(first) and first[0].isupper() and first[0] not in "«\"'"


def _shuffled(rng: random.Random, seq: tuple[str, ...]) -> list[str]:
    out = list(seq)
    for i in range(len(out) - 1, 0, -1):
        j = int(rng.random() * (i + 1))
        out[i], out[j] = out[j], out[i]
    return out


def lead(f: Facts, lang: str, s: dict[str, str], rng: random.Random | None = None) -> str:
    """The first paragraph: its content is fixed by the story's angle, its wording by ``rng``.

    ``compose`` draws it right after the headline, so a caller that wants the same lead as
    ``compose`` passes the ``rng`` it just gave to ``headline``.
    """
    return _fill(lx.TOPIC[lang][f.topic][1][lx.ANGLES[f.topic][f.angle][0]], rng, s)


def headline(
    f: Facts, lang: str, rng: random.Random, update: int, title_ix: int | None, s: dict[str, str]
) -> str:
    """The headline; it uses the first draws of ``rng``, exactly as ``compose`` does."""
    titles = lx.TOPIC[lang][f.topic][0]
    title_ixs = lx.ANGLES[f.topic][f.angle][1]
    pick = _ix(rng, len(title_ixs)) if title_ix is None else title_ix
    title = titles[title_ixs[pick % len(title_ixs)]].format_map(s)
    suffixes = lx.TITLE_SUFFIXES[lang]
    if title_ix is not None and len(title_ixs) == 1:
        title += suffixes[title_ix % 3]  # an edited headline needs a visible change
    elif rng.random() < 0.2:
        title += suffixes[_ix(rng, 3)]
    if update:
        title = lx.GENERIC[lang]["update_title"][_ix(rng, 2)].format(title=title)
    return title


def compose(
    f: Facts,
    lang: str,
    rng: random.Random,
    update: int = 0,
    title_ix: int | None = None,
    slot_values: dict[str, str] | None = None,
) -> tuple[str, list[str]]:
    """One outlet's headline and paragraphs (3–8, about 1–3 kB of UTF-8).

    ``slot_values``: ``slots(f, lang, update)`` if the caller already has it (it is per story).
    """
    s = slot_values if slot_values is not None else slots(f, lang, update)
    title = headline(f, lang, rng, update, title_ix, s)
    first = lead(f, lang, s, rng)
    details, quotes = lx.CAT[lang][f.category]
    generic = lx.GENERIC[lang]
    pools = {
        "d": iter(_shuffled(rng, details)),
        "b": iter(_shuffled(rng, generic["background"])),
    }
    quo = _shuffled(rng, quotes)
    pools["q"] = iter((quo[0],))
    pools["Q"] = iter((_SECOND[quo[1]],))
    context = generic["context"]
    pools["c"] = iter(
        (context[_ix(rng, len(context))],) if len(f.places) > 1 and f.places[1] is not f.places[0] else ()
    )
    order: list[str] = []
    if update:
        order.append(generic["update_lead"][_ix(rng, len(generic["update_lead"]))])
    openers = lx.OPENERS[lang]
    want = 3 + _ix(rng, 6)
    body = [first]
    size = len(first.encode())
    for kind in _PLANS[_ix(rng, len(_PLANS))]:
        template = next(pools[kind], None)
        if template is not None:
            order.append(template)
    for template in order:
        if len(body) >= want and size >= 1000:
            break
        p = _fill(template, rng, s)
        if template in _OPENER_OK and rng.random() < 0.35:
            p = openers[_ix(rng, len(openers))] + p[:1].lower() + p[1:]
        n = len(p.encode())
        if size + n > 3000 and len(body) >= 3:
            break
        body.append(p)
        size += n
    if len(body) < 8 and rng.random() < 0.5:
        closing = _fill(generic["closing"][_ix(rng, len(generic["closing"]))], rng, s)
        if size + len(closing.encode()) <= 3000:
            body.append(closing)
    return title, body


# The sequence of paragraph kinds after the lead: d detail, q quote, Q second speaker's quote,
# b background, c the other place (if any). Each report takes one plan.
# The other place comes early, so that short reports still name it.
_PLANS = (
    "dqcdbQdbdbdb",
    "dcqdbQbdbdbd",
    "qdcdbdQbdbdb",
    "dcdqbdQbdbdb",
    "cdqbdQdbdbdb",
    "bdcqdQdbdbdb",
)
# Detail paragraphs only: several background ones already open with a connective.
_OPENER_OK = frozenset(
    t for lang in lx.LANGS for details, _ in lx.CAT[lang].values() for t in details if _opener_ok(t)
)
