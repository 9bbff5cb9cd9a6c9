"""The pure newsroom: outlets, stories and the timeline of articles. No I/O.

Time model: the live timeline is measured in simulated seconds from ``config.start``; an
item at simulated offset ``t`` appears (and is dated) at real time ``start + t / speed``.
Backfill items are dated in the real past, spread over ``backfill_hours`` before ``start``.
Live stories are generated lazily, one simulated hour at a time, each hour from its own
``random.Random(f"{seed}:live:{hour}")``, so the result depends only on ``(seed, start)``.
"""

from __future__ import annotations

import bisect
import dataclasses
import itertools
import math
import random
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from . import _lexicon as lx
from . import render, textgen
from .places import PLACES, Place
from .textgen import Facts, compose, make_facts, random_person, slots

HOSTILE_CODES: tuple[str, ...] = (
    "malformed",
    "xxe",
    "entity_bomb",
    "gzip_bomb",
    "endless",
    "huge",
    "slow",
    "redirect_loop",
    "html_error",
    "wrong_encoding",
    "dup_guid",
    "future_dates",
    "disappears",
    "gone",
    "rate_limited",
    "unavailable",
)
FEED_KINDS = ("rss20", "atom10", "rss10", "jsonfeed11", "rss091")
_KIND_WEIGHTS = (50, 20, 10, 15, 5)
_FEED_PATHS = {
    "rss20": ("/rss.xml", "/feed/", "/rss", "/export/rss2/index.xml"),
    "atom10": ("/atom.xml", "/feed/atom"),
    "rss10": ("/index.rdf", "/rss10.rdf"),
    "jsonfeed11": ("/feed.json",),
    "rss091": ("/rss091.xml",),
}
_LANG_COUNTRIES = {
    "ru": (("RU", 75), ("BY", 10), ("GE-AB", 6), ("KZ", 5), ("LV", 4)),
    "uk": (("UA", 100),),
    "en": (("GB", 45), ("US", 55)),
}
_TZ_MINUTES = {"RU": 180, "BY": 180, "GE-AB": 180, "KZ": 300, "LV": 120, "UA": 120, "GB": 0, "US": -300}
_STORY_COUNTRIES = (
    ("RU", 30), ("UA", 20), ("BY", 8), ("GE-AB", 6), ("GB", 8), ("US", 10), ("*", 18),
)  # fmt: skip
_CATEGORY_WEIGHTS = (25, 18, 12, 13, 10, 8, 14)
_CATEGORY_CUM = list(itertools.accumulate(_CATEGORY_WEIGHTS))
_STORY_COUNTRY_KEYS = [c for c, _ in _STORY_COUNTRIES]
_STORY_COUNTRY_CUM = list(itertools.accumulate(w for _, w in _STORY_COUNTRIES))
_CITIES = [p for p in PLACES if p.kind == "city"]
_ITEMS_PER_OUTLET_HOUR = 1.5  # live publishing rate of an average outlet, per simulated hour
_MEAN_REPORTERS = 2.7
_SYNDICATION_P = 0.1


def _by_time(item: Item) -> float:
    return item.published


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


@dataclass(slots=True)
class SimConfig:
    """Knobs of the simulated newsroom. Everything is deterministic given ``(seed, start)``.

    ``outlets`` counts normal outlets; with ``hostile`` one more outlet per hostile code is
    added. ``static`` (benchmark mode): every normal feed shows exactly ``items_per_feed``
    backfilled items and nothing new ever appears.
    """

    outlets: int = 40
    seed: int = 1
    speed: float = 60.0  # simulated seconds per real second
    hostile: bool = True
    items_per_feed: int = 50
    static: bool = False
    backfill_hours: float = 6.0
    start: datetime = field(default_factory=_now)

    def __post_init__(self) -> None:
        if self.start.tzinfo is None:
            raise ValueError("SimConfig.start must be an aware datetime")
        self.start = self.start.astimezone(UTC)
        if self.outlets < 1 or self.items_per_feed < 1 or self.speed <= 0:
            raise ValueError("outlets, items_per_feed and speed must be positive")


@dataclass(slots=True, eq=False)
class Story:
    """A happening. Its detailed facts are drawn lazily (from ``seed``) when text is first needed."""

    id: str
    category: str
    places: tuple[Place, ...]
    when: float  # real time of the first report
    seed: int
    developing: bool = False
    like: Story | None = None  # a twin: same topic and angle as this story, different place
    _facts: Facts | None = None

    @property
    def facts(self) -> Facts:
        if self._facts is None:
            d = datetime.fromtimestamp(self.when, UTC)
            f = make_facts(random.Random(self.seed), self.category, self.places, d.weekday(), d.year)
            if self.like is not None:
                f = dataclasses.replace(f, topic=self.like.facts.topic, angle=self.like.facts.angle)
            self._facts = f
        return self._facts


@dataclass(slots=True, eq=False)
class Item:
    """One article of one outlet. ``published`` is real POSIX time (it is also the visibility time)."""

    outlet: Outlet
    story: Story
    published: float
    variant: int
    serial: int = 0
    update: int = 0  # 0: first version of the story at this outlet; n: n-th development
    duplicate_of: Item | None = None
    dup_mode: str | None = None  # "exact" | "headline" | "trim" for syndicated copies

    def __post_init__(self) -> None:
        self.published = float(math.floor(self.published))  # whole seconds, as feeds show them

    @property
    def id(self) -> str:
        return f"{self.outlet.slug}-{self.serial}"

    @property
    def published_dt(self) -> datetime:
        return datetime.fromtimestamp(self.published, UTC)

    @property
    def lang(self) -> str:
        return self.outlet.lang

    @property
    def path(self) -> str:
        style = self.outlet.url_style
        if style == 0:
            d = self.published_dt
            return f"/news/{d:%Y/%m/%d}/{self.serial}.html"
        if style == 1:
            return f"/a/{self.serial}"
        return f"/article.php?id={self.serial}"

    @property
    def image_path(self) -> str:
        return f"/img/{self.serial}.png"


@dataclass(slots=True, eq=False)
class Outlet:
    """A simulated news site. ``origin`` is set by the server once its port is known."""

    index: int
    name: str
    slug: str
    lang: str
    country: str
    rating: float
    kind: str
    encoding: str
    conditional: bool  # answers 304 to If-None-Match / If-Modified-Since
    gzip: bool
    full_content: bool  # feed carries the whole body (content:encoded / content)
    feed_path: str
    url_style: int
    tz_minutes: int
    home: Place
    staff: tuple[str, ...]
    hostile: str | None = None
    syndicator: bool = False
    robots_blocks_articles: bool = False
    origin: str = ""
    items: list[Item] = field(default_factory=list)  # sorted by publication time
    times: list[float] = field(default_factory=list)  # parallel to items, for bisect
    by_serial: dict[int, Item] = field(default_factory=dict)
    next_serial: int = 0

    @property
    def home_url(self) -> str:
        return self.origin + "/"

    @property
    def feed_url(self) -> str:
        return self.origin + self.feed_path

    def add(self, item: Item) -> None:
        i = bisect.bisect_right(self.times, item.published)
        self.times.insert(i, item.published)
        self.items.insert(i, item)


@dataclass(frozen=True, slots=True)
class Headline:
    title: str
    summary: str
    author: str


@dataclass(slots=True)
class Article:
    title: str
    summary: str
    paragraphs: list[str]
    author: str


_TRANSLIT_PAIRS = (
    "а=a б=b в=v г=g ґ=g д=d е=e ё=e є=ye ж=zh з=z и=i і=i ї=yi й=y к=k л=l м=m н=n о=o п=p р=r "
    "с=s т=t у=u ф=f х=kh ц=ts ч=ch ш=sh щ=shch ъ= ы=y ь= э=e ю=yu я=ya ’="
)
_TRANSLIT = dict(pair.split("=") for pair in _TRANSLIT_PAIRS.split(" "))


def slugify(text: str) -> str:
    out = []
    for ch in text.lower():
        if ch in _TRANSLIT:
            out.append(_TRANSLIT[ch])
        elif ch.isascii() and ch.isalnum():
            out.append(ch)
        else:
            out.append("-")
    return "-".join(filter(None, "".join(out).split("-")))


def _weighted(rng: random.Random, pairs: tuple[tuple[Any, int], ...]) -> Any:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


class _Pool:
    """Outlets to draw reporters from, weighted by rating (O(log n) per draw)."""

    __slots__ = ("cum", "outlets")

    def __init__(self, outlets: list[Outlet]) -> None:
        self.outlets = outlets
        self.cum = list(itertools.accumulate(o.rating for o in outlets))

    def draw(self, rng: random.Random) -> Outlet:
        return self.outlets[bisect.bisect(self.cum, rng.random() * self.cum[-1])]


class Newsroom:
    """Outlets plus the article timeline. Thread-safe for concurrent readers (one lock)."""

    def __init__(self, config: SimConfig) -> None:
        self.config = config
        self.start_ts = config.start.timestamp()
        self._lock = threading.RLock()
        self._story_seq = 0
        self.backfill_topped_up = 0
        self._next_chunk = 0
        self._article_cache: dict[int, Article] = {}
        self._head_cache: dict[int, Headline] = {}
        self._slot_cache: dict[tuple[str, str, int], dict[str, str]] = {}
        self._feeds: dict[int, render.RenderedFeed] = {}
        rng = random.Random(f"{config.seed}:outlets")
        self.outlets: list[Outlet] = [self._make_outlet(rng, i) for i in range(config.outlets)]
        self.normal: list[Outlet] = list(self.outlets)
        self._choose_roles(rng)
        if config.hostile:
            for code in HOSTILE_CODES:
                self.outlets.append(self._make_hostile(rng, code))
        self._pools_by_country: dict[str, _Pool] = {}
        by_country: dict[str, list[Outlet]] = {}
        for o in self.normal:
            by_country.setdefault(o.country, []).append(o)
        self._pools_by_country = {c: _Pool(v) for c, v in by_country.items()}
        self._pool_all = _Pool(self.normal)
        self._syndicators: dict[str, list[Outlet]] = {}
        for o in self.normal:
            if o.syndicator:
                self._syndicators.setdefault(o.lang, []).append(o)
        self._places_by_country: dict[str, list[Place]] = {}
        for p in PLACES:
            self._places_by_country.setdefault(p.country, []).append(p)
        self._other_places = [p for p in PLACES if p.country not in {c for c, _ in _STORY_COUNTRIES}]
        self._backfill()

    # --- outlets ---------------------------------------------------------------------------
    def _make_outlet(self, rng: random.Random, index: int) -> Outlet:
        lang = _weighted(rng, (("ru", 50), ("en", 35), ("uk", 15)))
        country = _weighted(rng, _LANG_COUNTRIES[lang])
        cities = [p for p in PLACES if p.country == country and p.kind == "city"]
        home = rng.choice(cities)
        pattern = rng.choice(lx.OUTLET_PATTERNS[lang])
        brand = rng.choice(lx.BRANDS)[{"ru": 0, "uk": 1, "en": 2}[lang]]
        forms = home.slots(lang)
        name = pattern.format(gen=forms["gen"], nom=forms["nom"], brand=brand)
        kind = rng.choices(FEED_KINDS, weights=_KIND_WEIGHTS)[0]
        encoding = "utf-8"
        if kind not in ("jsonfeed11",) and lang != "en":
            r = rng.random()
            if r < 0.15:
                encoding = "windows-1251"
            elif r < 0.2 and lang == "ru":
                encoding = "koi8-r"
        staff = tuple(random_person(rng, country).name(lang) for _ in range(rng.randint(3, 6)))
        return Outlet(
            index=index,
            name=name if index < 200 else f"{name} {index}",
            slug=f"{slugify(name)[:40]}-{index}",
            lang=lang,
            country=country,
            rating=round(1 + 4 * rng.random() ** 2, 2),
            kind=kind,
            encoding=encoding,
            conditional=rng.random() < 0.5,
            gzip=rng.random() < 0.5,
            full_content=kind != "rss091" and rng.random() < 0.5,
            feed_path=rng.choice(_FEED_PATHS[kind]),
            url_style=rng.randrange(3),
            tz_minutes=_TZ_MINUTES.get(country, 0),
            home=home,
            staff=staff,
            next_serial=rng.randint(1, 90) * 1000,
            origin=f"http://{slugify(name)[:40]}-{index}.sim.test",
        )

    def _choose_roles(self, rng: random.Random) -> None:
        by_lang: dict[str, list[Outlet]] = {}
        for o in self.normal:
            by_lang.setdefault(o.lang, []).append(o)
        for group in by_lang.values():
            if len(group) >= 3:
                for o in rng.sample(group, max(1, round(len(group) * 0.1))):
                    o.syndicator = True
        n = len(self.normal)
        candidates = [o for o in self.normal if not o.syndicator]
        blocked = 0 if n < 3 else (1 if n < 20 else 2)
        for o in rng.sample(candidates, min(blocked, len(candidates))):
            o.robots_blocks_articles = True

    def _make_hostile(self, rng: random.Random, code: str) -> Outlet:
        lang = "en" if code in ("html_error",) else "ru"
        home = PLACES[0]
        kind = "rss20"
        return Outlet(
            index=len(self.outlets),
            name=f"Hostile test outlet ({code})",
            slug=f"hostile-{code.replace('_', '-')}",
            lang=lang,
            country="RU",
            rating=1.0,
            kind=kind,
            encoding="utf-8",
            conditional=False,
            gzip=False,
            full_content=False,
            feed_path="/feed.xml",
            url_style=1,
            tz_minutes=180,
            home=home,
            staff=(random_person(rng, "RU").name(lang),),
            hostile=code,
            origin=f"http://hostile-{code.replace('_', '-')}.sim.test",
            next_serial=1000,
        )

    # --- stories ---------------------------------------------------------------------------
    def _story(self, rng: random.Random, when: float, country: str | None = None) -> Story:
        if country is None:
            country = _STORY_COUNTRY_KEYS[
                bisect.bisect(_STORY_COUNTRY_CUM, rng.random() * _STORY_COUNTRY_CUM[-1])
            ]
        pool = (self._places_by_country.get(country) if country != "*" else self._other_places) or PLACES
        place = pool[int(rng.random() * len(pool))]
        places: tuple[Place, ...] = (place,)
        if rng.random() < 0.3:
            other = PLACES[int(rng.random() * len(PLACES))]
            if other is not place:
                places = (place, other)
        category = lx.CATEGORIES[bisect.bisect(_CATEGORY_CUM, rng.random() * _CATEGORY_CUM[-1])]
        self._story_seq += 1
        return Story(
            id=f"s{self.config.seed}-{self._story_seq}",
            category=category,
            places=places,
            when=when,
            seed=rng.getrandbits(48),
            developing=rng.random() < 0.08,
        )

    def _twin(self, rng: random.Random, story: Story, when: float) -> Story:
        """A different happening with the same topic elsewhere (two fires in two cities)."""
        place = _CITIES[int(rng.random() * len(_CITIES))]
        if place is story.places[0]:
            place = _CITIES[(_CITIES.index(place) + 1) % len(_CITIES)]
        self._story_seq += 1
        return Story(
            id=f"s{self.config.seed}-{self._story_seq}",
            category=story.category,
            places=(place,),
            when=when,
            seed=rng.getrandbits(48),
            like=story,
        )

    def _reporters(self, rng: random.Random, story: Story) -> list[Outlet]:
        k = min(15, int(rng.paretovariate(1.2)), len(self.normal))
        local = self._pools_by_country.get(story.places[0].country)
        first = (local if local is not None and rng.random() < 0.7 else self._pool_all).draw(rng)
        if k == 1:
            return [first]
        chosen = {first.index: first}
        for _ in range(4 * k):
            o = (local if local is not None and rng.random() < 0.5 else self._pool_all).draw(rng)
            chosen.setdefault(o.index, o)
            if len(chosen) >= k:
                break
        return list(chosen.values())

    def _emit(
        self, rng: random.Random, story: Story, when: float, scale: float, limit: float | None, live: bool
    ) -> list[Item]:
        """Create the reports of ``story`` starting at real time ``when``.

        ``scale`` converts simulated delays to real seconds; reports later than ``limit`` are dropped.
        """
        out: list[Item] = []
        for n, outlet in enumerate(self._reporters(rng, story)):
            if n == 0:
                delay = 0.0
            elif story.developing:
                delay = rng.uniform(0, 24 * 3600)
            else:
                delay = min(rng.expovariate(1 / 1500), 4 * 3600)
            t = when + delay / scale
            if limit is not None and t >= limit:
                continue
            update = int(delay // (6 * 3600)) if story.developing else 0
            out.append(Item(outlet, story, t, rng.getrandbits(32), update=update))
        for item in list(out):
            synd = self._syndicators.get(item.outlet.lang)
            if synd and rng.random() < _SYNDICATION_P:
                target = rng.choice(synd)
                if target is item.outlet:
                    continue
                t = item.published + rng.uniform(300, 5400) / scale
                if limit is not None and t >= limit:
                    continue
                mode = rng.choices(("exact", "headline", "trim"), weights=(4, 3, 3))[0]
                out.append(
                    Item(
                        target,
                        story,
                        t,
                        rng.getrandbits(32),
                        update=item.update,
                        duplicate_of=item,
                        dup_mode=mode,
                    )
                )
        for item in out:
            o = item.outlet
            if live:
                item.serial = o.next_serial
                o.next_serial += 1
                o.by_serial[item.serial] = item
                o.add(item)
            else:  # backfill: sorted and numbered once at the end
                o.items.append(item)
        return out

    def _backfill(self) -> None:
        cfg = self.config
        span = max(cfg.backfill_hours, 1 / 60 if cfg.static else 0.0) * 3600
        if span <= 0:
            return
        rng = random.Random(f"{cfg.seed}:backfill")
        lo = self.start_ts - span
        n_stories = math.ceil(len(self.normal) * cfg.items_per_feed / _MEAN_REPORTERS)
        for _ in range(n_stories):
            when = rng.uniform(lo, self.start_ts)
            story = self._story(rng, when)
            self._emit(rng, story, when, 1.0, self.start_ts, live=False)
            if rng.random() < 0.05:
                when2 = rng.uniform(when, self.start_ts)
                self._emit(rng, self._twin(rng, story, when2), when2, 1.0, self.start_ts, live=False)
        topped = 0
        for outlet in self.normal:  # top up so every feed is full from the start
            local = outlet.country if rng.random() < 0.7 else None
            while len(outlet.items) < cfg.items_per_feed:
                when = rng.uniform(lo, self.start_ts)
                outlet.items.append(
                    Item(outlet, self._story(rng, when, country=local), when, rng.getrandbits(32))
                )
                topped += 1
        self.backfill_topped_up = topped
        hrng = random.Random(f"{cfg.seed}:hostile")
        for outlet in self.outlets:
            if outlet.hostile:
                for _ in range(10):
                    when = hrng.uniform(lo, self.start_ts)
                    outlet.items.append(Item(outlet, self._story(hrng, when), when, hrng.getrandbits(32)))
            outlet.items.sort(key=_by_time)
            outlet.times = [it.published for it in outlet.items]
            serial = outlet.next_serial
            for item in outlet.items:  # ids grow with time, like a real CMS
                item.serial = serial
                outlet.by_serial[serial] = item
                serial += 1 + int(rng.random() * 3)
            outlet.next_serial = serial

    def _ensure(self, now_ts: float) -> None:
        """Generate live simulated hours up to real time ``now_ts``."""
        cfg = self.config
        if cfg.static:
            return
        need = math.floor((now_ts - self.start_ts) * cfg.speed / 3600)
        if need < self._next_chunk:
            return
        with self._lock:
            lam = len(self.normal) * _ITEMS_PER_OUTLET_HOUR / _MEAN_REPORTERS
            while self._next_chunk <= need:
                h = self._next_chunk
                rng = random.Random(f"{cfg.seed}:live:{h}")
                count = max(0, round(rng.gauss(lam, math.sqrt(lam))))
                offsets = sorted(rng.uniform(h * 3600, (h + 1) * 3600) for _ in range(count))
                for off in offsets:
                    when = self.start_ts + off / cfg.speed
                    story = self._story(rng, when)
                    self._emit(rng, story, when, cfg.speed, None, live=True)
                    if rng.random() < 0.05:
                        when2 = when + rng.uniform(0, 3 * 3600) / cfg.speed
                        self._emit(rng, self._twin(rng, story, when2), when2, cfg.speed, None, live=True)
                self._next_chunk += 1

    # --- queries ---------------------------------------------------------------------------
    def visible_count(self, outlet: Outlet, now: datetime) -> int:
        ts = now.timestamp()
        self._ensure(ts)
        with self._lock:
            return bisect.bisect_right(outlet.times, ts)

    def visible_items(self, outlet: Outlet | int, now: datetime) -> list[Item]:
        """The newest ``items_per_feed`` items of ``outlet`` published at or before ``now``, newest first."""
        if isinstance(outlet, int):
            outlet = self.outlets[outlet]
        n = self.visible_count(outlet, now)
        with self._lock:
            return outlet.items[max(0, n - self.config.items_per_feed) : n][::-1]

    def items_until(self, until: datetime) -> list[Item]:
        """All items of normal outlets published at or before ``until``, oldest first."""
        ts = until.timestamp()
        self._ensure(ts)
        with self._lock:
            out = [it for o in self.normal for it in o.items[: bisect.bisect_right(o.times, ts)]]
        out.sort(key=lambda it: (it.published, it.outlet.index, it.serial))
        return out

    def find_item(self, outlet: Outlet, serial: int, now: datetime) -> Item | None:
        self._ensure(now.timestamp())
        with self._lock:
            item = outlet.by_serial.get(serial)
        if item is None or item.published > now.timestamp():
            return None
        return item

    def _slot_values(self, story: Story, lang: str, update: int) -> dict[str, str]:
        key = (story.id, lang, update)
        v = self._slot_cache.get(key)
        if v is None:
            if len(self._slot_cache) > 4096:  # small: the reports of one story come close together
                self._slot_cache.clear()
            v = self._slot_cache[key] = slots(story.facts, lang, update)
        return v

    def headline(self, item: Item) -> Headline:
        """Title, summary and author of ``item``: cheap, enough for feeds without full text."""
        key = id(item)
        head = self._head_cache.get(key)
        if head is not None:
            return head
        orig = item.duplicate_of
        story = item.story
        lang = item.lang
        author = item.outlet.staff[item.variant % len(item.outlet.staff)]
        if orig is not None:
            base = self.headline(orig)
            head = base
            if item.dup_mode == "headline":
                rng = random.Random(story.seed ^ item.variant ^ 0x5EED)
                s = self._slot_values(story, lang, item.update)
                title = textgen.headline(story.facts, lang, rng, item.update, 1 + item.variant % 3, s)
                if title == base.title:
                    title = f"{title}{lx.TITLE_SUFFIXES[lang][item.variant % 3]}"
                head = Headline(title, base.summary, author)
        else:
            s = self._slot_values(story, lang, item.update)
            rng = random.Random(story.seed ^ item.variant)  # as in ``article``: same lead wording
            title = textgen.headline(story.facts, lang, rng, item.update, None, s)
            summary = textgen.lead(story.facts, lang, s, rng)
            if item.outlet.index % 3 == 0 and len(summary) > 200:
                summary = summary[:200].rsplit(" ", 1)[0] + "…"
            head = Headline(title, summary, author)
        if len(self._head_cache) > 100_000:
            self._head_cache.clear()
        self._head_cache[key] = head
        return head

    def article(self, item: Item) -> Article:
        """Title, summary, paragraphs and author of ``item`` (deterministic, cached)."""
        key = id(item)
        art = self._article_cache.get(key)
        if art is not None:
            return art
        head = self.headline(item)
        orig = item.duplicate_of
        if orig is not None:
            paras = self.article(orig).paragraphs
            if item.dup_mode == "trim":
                paras = paras[: max(2, len(paras) // 2)]
        else:
            story = item.story
            rng = random.Random(story.seed ^ item.variant)
            s = self._slot_values(story, item.lang, item.update)
            _, paras = compose(story.facts, item.lang, rng, item.update, slot_values=s)
        art = Article(head.title, head.summary, paras, head.author)
        if len(self._article_cache) > 20_000:
            self._article_cache.clear()
        self._article_cache[key] = art
        return art

    def url_for(self, item: Item) -> str:
        return item.outlet.origin + item.path

    def ground_truth(self, until: datetime | None = None) -> Iterator[dict[str, Any]]:
        """One record per article of a normal outlet published at or before ``until`` (default: now)."""
        for item in self.items_until(until or datetime.now(UTC)):
            yield {
                "id": item.id,
                "url": self.url_for(item),
                "outlet": item.outlet.slug,
                "lang": item.lang,
                "story": item.story.id,
                "category": item.story.category,
                "places": [
                    {"name": p.name(item.lang), "geonameid": p.geonameid, "country": p.country}
                    for p in item.story.places
                ],
                "published": item.published_dt.isoformat(),
                "duplicate_of": item.duplicate_of.id if item.duplicate_of else None,
                "duplicate_mode": item.dup_mode,
                "title": self.headline(item).title,
                "robots_allowed": not item.outlet.robots_blocks_articles,
            }

    # --- rendering -------------------------------------------------------------------------
    def feed(self, outlet: Outlet, now: datetime) -> render.RenderedFeed:
        """The outlet's feed as visible at ``now``; cached until a new item appears."""
        n = self.visible_count(outlet, now)
        old = self._feeds.get(outlet.index)
        if old is not None and old.count == n and old.origin == outlet.origin:
            return old
        items = self.visible_items(outlet, now)
        with self._lock:
            rendered = render.feed(self, outlet, items, old=old)
            rendered.count = n
            if self.config.static:
                rendered.frags = {}  # nothing will change: per-item fragments would only cost memory
            self._feeds[outlet.index] = rendered
        return rendered

    def render_feed(self, outlet: Outlet, now: datetime) -> tuple[bytes, str]:
        """``(body, content_type)`` of the outlet's feed at ``now``, in its format and encoding."""
        f = self.feed(outlet, now)
        return f.body, f.content_type

    def render_article(self, item: Item, now: datetime) -> bytes:
        related = [it for it in self.visible_items(item.outlet, now)[:6] if it is not item][:5]
        return render.article_page(self, item, related)

    def render_home(self, outlet: Outlet, now: datetime) -> bytes:
        return render.home_page(self, outlet, self.visible_items(outlet, now))

    def sim_time(self, now: datetime) -> timedelta:
        """Simulated time elapsed since start at real time ``now``."""
        return timedelta(seconds=(now.timestamp() - self.start_ts) * self.config.speed)
