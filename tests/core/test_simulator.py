"""The newsroom simulator: deterministic generation, valid feeds, time, ground truth, HTTP."""

from __future__ import annotations

import asyncio
import json
import re
import threading
import xml.etree.ElementTree as ET
import zlib
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from html import escape
from pathlib import Path

import aiohttp
import defusedxml.ElementTree as DET
import feedparser
import pytest
from defusedxml import DTDForbidden, EntitiesForbidden

from svodka.simulator import HOSTILE_CODES, PLACES, Newsroom, SimConfig, SimulatorServer
from svodka.simulator.hostile import BOMB_SIZE, HUGE_SIZE

START = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)
FEEDPARSER_VERSION = {"rss20": "rss20", "atom10": "atom10", "rss10": "rss10", "rss091": "rss091u"}


@pytest.fixture(scope="module")
def room() -> Newsroom:
    return Newsroom(SimConfig(outlets=300, start=START))


# --- generation ------------------------------------------------------------------------------
def test_config_needs_aware_start() -> None:
    with pytest.raises(ValueError):
        SimConfig(start=datetime(2025, 1, 1))  # noqa: DTZ001


def test_same_seed_same_world() -> None:
    a = Newsroom(SimConfig(outlets=30, seed=7, start=START))
    b = Newsroom(SimConfig(outlets=30, seed=7, start=START))
    c = Newsroom(SimConfig(outlets=30, seed=8, start=START))
    key = [(o.name, o.slug, o.lang, o.kind, o.encoding, o.feed_path) for o in a.outlets]
    assert key == [(o.name, o.slug, o.lang, o.kind, o.encoding, o.feed_path) for o in b.outlets]
    until = START + timedelta(minutes=5)
    gt_a, gt_b = list(a.ground_truth(until)), list(b.ground_truth(until))
    assert gt_a == gt_b and len(gt_a) > 500
    assert a.render_feed(a.outlets[3], until) == b.render_feed(b.outlets[3], until)
    assert [r["title"] for r in c.ground_truth(until)][:50] != [r["title"] for r in gt_a][:50]


def test_outlet_mix(room: Newsroom) -> None:
    normal = room.normal
    langs = defaultdict(int)
    for o in normal:
        langs[o.lang] += 1
    assert langs["ru"] > langs["en"] > langs["uk"] > 0
    assert {o.kind for o in normal} == {"rss20", "atom10", "rss10", "jsonfeed11", "rss091"}
    assert {"utf-8", "windows-1251", "koi8-r"} <= {o.encoding for o in normal}
    assert {"RU", "UA", "BY", "GE-AB", "GB", "US"} <= {o.country for o in normal}
    assert len({o.slug for o in room.outlets}) == len(room.outlets)
    assert any(o.conditional for o in normal) and any(o.gzip for o in normal)
    assert 0 < sum(o.syndicator for o in normal) < len(normal) / 5
    assert [o.hostile for o in room.outlets if o.hostile] == list(HOSTILE_CODES)


def test_gazetteer() -> None:
    assert len(PLACES) >= 80
    assert len({p.geonameid for p in PLACES}) == len(PLACES)
    by_id = {p.geonameid: p for p in PLACES}
    assert by_id[611847].country == "GE-AB" and by_id[611847].ru[1] == "Сухума"  # из Сухума
    assert by_id[627907].slots("ru")["near"] == "под Гомелем"
    assert by_id[1496747].slots("ru")["loc"] == "в Новосибирске"
    assert by_id[703448].slots("uk")["loc"] == "у Києві"


def test_feeds_parse_as_declared(room: Newsroom) -> None:
    now = START + timedelta(minutes=2)
    seen: set[tuple[str, str, bool]] = set()
    for o in room.normal:
        combo = (o.kind, o.encoding, o.full_content)
        if combo in seen:
            continue
        seen.add(combo)
        body, ctype = room.render_feed(o, now)
        assert f"charset={o.encoding}" in ctype
        items = room.visible_items(o, now)
        assert len(items) == 50
        titles = [room.article(it).title for it in items]
        if o.kind == "jsonfeed11":
            doc = json.loads(body)
            assert doc["version"] == "https://jsonfeed.org/version/1.1"
            assert [i["title"] for i in doc["items"]] == titles
            assert all(datetime.fromisoformat(i["date_published"]).tzinfo for i in doc["items"])
            continue
        d = feedparser.parse(body)
        assert not d.bozo, (combo, d.get("bozo_exception"))
        assert d.version == FEEDPARSER_VERSION[o.kind]
        assert d.encoding == o.encoding
        assert [e.title for e in d.entries] == titles
        links = [e.link for e in d.entries]
        assert links == [room.url_for(it) for it in items]
        if o.kind in ("rss20", "atom10"):
            assert all(e.get("id") for e in d.entries)
            assert all(e.published_parsed for e in d.entries)
            assert all(e.enclosures for e in d.entries)
        if o.full_content:
            assert all(
                room.article(it).paragraphs[1] in e.content[0].value
                for e, it in zip(d.entries, items, strict=True)
            )
    assert len({c[0] for c in seen}) == 5


def test_items_appear_as_time_passes() -> None:
    cfg = SimConfig(outlets=20, hostile=False, start=START, speed=60.0)
    room = Newsroom(cfg)
    o = max(room.normal, key=lambda x: x.rating)
    counts = [room.visible_count(o, START + timedelta(minutes=m)) for m in (0, 1, 5, 15, 30)]
    assert counts == sorted(counts) and counts[-1] > counts[0]
    at_start = room.visible_items(o, START)
    later = room.visible_items(o, START + timedelta(minutes=30))
    new = [it for it in later if it.published > START.timestamp()]
    assert new and len(later) == 50 and later != at_start
    for it in new:  # visible exactly from its (real-time) publication moment
        assert it not in room.visible_items(o, it.published_dt - timedelta(seconds=1))[:50]
        assert it in room.visible_items(o, it.published_dt)
    assert all(it.published <= START.timestamp() for it in at_start)
    assert all(START - timedelta(hours=6) <= it.published_dt < START for it in at_start)


def test_speed_maps_simulated_to_real_time() -> None:
    def live(speed: float) -> list[float]:
        room = Newsroom(SimConfig(outlets=20, hostile=False, start=START, speed=speed))
        horizon = START + timedelta(seconds=3600 / speed)  # one simulated hour
        return [
            it.published - START.timestamp()
            for it in room.items_until(horizon)
            if it.published >= START.timestamp()
        ]

    slow, fast = live(30.0), live(120.0)
    assert len(slow) > 10
    assert max(slow) <= 120 and max(fast) <= 30
    assert sum(slow) / len(slow) == pytest.approx(4 * sum(fast) / len(fast), rel=0.1)


def test_static_mode_is_frozen() -> None:
    room = Newsroom(SimConfig(outlets=30, static=True, items_per_feed=20, start=START))
    for o in room.normal:
        a = room.visible_items(o, START)
        assert len(a) == 20
        assert room.visible_items(o, START + timedelta(days=2)) == a
    o = room.normal[0]
    assert room.render_feed(o, START) == room.render_feed(o, START + timedelta(hours=5))


def test_syndication_ground_truth(room: Newsroom) -> None:
    now = START + timedelta(minutes=10)
    recs = {r["id"]: r for r in room.ground_truth(now)}
    items = {it.id: it for it in room.items_until(now)}
    dups = [r for r in recs.values() if r["duplicate_of"]]
    assert len(dups) > 20
    modes = set()
    for r in dups:
        orig = recs[r["duplicate_of"]]
        assert orig["story"] == r["story"] and orig["lang"] == r["lang"] and orig["outlet"] != r["outlet"]
        assert orig["published"] < r["published"] and orig["url"] != r["url"]
        a, b = room.article(items[orig["id"]]), room.article(items[r["id"]])
        modes.add(r["duplicate_mode"])
        if r["duplicate_mode"] == "exact":
            assert (a.title, a.paragraphs) == (b.title, b.paragraphs)
        elif r["duplicate_mode"] == "headline":
            assert a.title != b.title and a.paragraphs == b.paragraphs
        else:
            assert a.title == b.title and b.paragraphs == a.paragraphs[: len(b.paragraphs)]
            assert len(b.paragraphs) < len(a.paragraphs)
    assert modes == {"exact", "headline", "trim"}
    syndicators = {o.slug for o in room.normal if o.syndicator}
    assert {r["outlet"] for r in dups} <= syndicators


def test_stories_across_outlets_and_languages(room: Newsroom) -> None:
    by_story: dict[str, list[dict]] = defaultdict(list)
    for r in room.ground_truth(START + timedelta(minutes=10)):
        by_story[r["story"]].append(r)
    sizes = [len({r["outlet"] for r in rs}) for rs in by_story.values()]
    assert max(sizes) >= 8 and sizes.count(1) > len(sizes) / 3
    multilingual = [rs for rs in by_story.values() if len({r["lang"] for r in rs}) >= 2]
    assert len(multilingual) > 50
    assert any(len({r["lang"] for r in rs}) == 3 for rs in multilingual)
    # records of one story agree on category and places
    for rs in by_story.values():
        assert len({(r["category"], json.dumps([p["geonameid"] for p in r["places"]])) for r in rs}) == 1


def test_twin_stories_share_topic_not_place(room: Newsroom) -> None:
    stories = {it.story for it in room.items_until(START + timedelta(minutes=10))}
    twins = [s for s in stories if s.like is not None and s.like in stories]
    assert twins
    for s in twins[:20]:
        assert s.id != s.like.id and s.category == s.like.category
        assert s.facts.topic == s.like.facts.topic and s.places[0] is not s.like.places[0]


def test_article_text_uses_inflected_places(room: Newsroom) -> None:
    items = [it for it in room.items_until(START) if it.lang == "ru" and it.duplicate_of is None][:300]
    hits = 0
    for it in items:
        art = room.article(it)
        text = art.title + " " + " ".join(art.paragraphs)
        p = it.story.places[0]
        forms = {f.lower() for f in (*p.ru[1:], p.slots("ru")["near"])}
        hits += any(f in text.lower() for f in forms)
        assert 3 <= len(art.paragraphs) <= 9
        assert 900 <= len("".join(art.paragraphs).encode()) <= 3200
        assert re.search(r"\d", text)
    assert hits > len(items) * 0.9


def _shingles(text: str) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i : i + 5]) for i in range(len(words) - 4)}


def test_own_reports_differ_in_wording() -> None:
    """Outlets write their own words: only syndicated copies may share most of their text."""
    nr = Newsroom(SimConfig(outlets=200, items_per_feed=25, static=True, hostile=False, start=START))
    by_story: dict[tuple[str, str], list[tuple[str, set[tuple[str, ...]]]]] = defaultdict(list)
    for it in nr.items_until(START):
        if it.duplicate_of is not None:
            continue
        art = nr.article(it)
        # the feed summary is the report's own lead (cut short for every third outlet)
        assert it.outlet.index % 3 == 0 or nr.headline(it).summary == art.paragraphs[0]
        by_story[(it.story.id, it.lang)].append((it.outlet.slug, _shingles(" ".join(art.paragraphs))))
    jaccard = []
    for reports in by_story.values():
        for i, (oa, a) in enumerate(reports):
            for ob, b in reports[i + 1 :]:
                if oa != ob:
                    jaccard.append(len(a & b) / len(a | b))
    assert len(jaccard) > 1000
    assert max(jaccard) < 0.5
    assert sum(jaccard) / len(jaccard) < 0.15


# --- HTTP ------------------------------------------------------------------------------------
class _Clock:
    def __init__(self, t: datetime) -> None:
        self.t = t

    def __call__(self) -> datetime:
        return self.t


@pytest.fixture(scope="module")
def server() -> SimulatorServer:
    clock = _Clock(START + timedelta(minutes=1))
    srv = SimulatorServer(SimConfig(outlets=40, start=START), clock=clock)
    with srv:
        yield srv


_LIMIT = aiohttp.ClientTimeout(total=10, sock_read=5)


async def _get(url: str, *, cap: int = 4 << 20, **kw: object) -> tuple[int, dict[str, str], bytes]:
    async with (
        aiohttp.ClientSession(timeout=_LIMIT) as s,
        s.get(url, allow_redirects=False, **kw) as r,  # type: ignore[arg-type]
    ):
        chunks: list[bytes] = []
        got = 0
        while got < cap:
            chunk = await r.content.read(min(1 << 16, cap - got))
            if not chunk:
                break
            chunks.append(chunk)
            got += len(chunk)
        return r.status, {k.lower(): v for k, v in r.headers.items()}, b"".join(chunks)


def get(url: str, **kw: object) -> tuple[int, dict[str, str], bytes]:
    return asyncio.run(_get(url, **kw))


def _hostile(srv: SimulatorServer, code: str):  # type: ignore[no-untyped-def]
    return next(o for o in srv.outlets if o.hostile == code)


def test_each_outlet_is_its_own_origin(server: SimulatorServer, tmp_path: Path) -> None:
    origins = {o.origin for o in server.outlets}
    assert len(origins) == len(server.outlets) == 40 + len(HOSTILE_CODES)
    assert all(re.fullmatch(r"http://127\.0\.0\.1:\d+", x) for x in origins)
    opml = ET.parse(server.write_opml(tmp_path / "s.opml")).getroot()
    outlines = opml.findall("./body/outline")
    assert [x.get("xmlUrl") for x in outlines] == server.feed_urls()
    assert {x.get("language") for x in outlines} == {"ru", "uk", "en"}
    assert all(x.get("country") and x.get("htmlUrl") and x.get("title") for x in outlines)
    n = server.write_ground_truth(tmp_path / "gt.jsonl")
    lines = (tmp_path / "gt.jsonl").read_text(encoding="utf-8").splitlines()
    assert n == len(lines) > 1000
    rec = json.loads(lines[-1])
    assert set(rec) >= {
        "id",
        "url",
        "outlet",
        "lang",
        "story",
        "category",
        "places",
        "published",
        "duplicate_of",
        "title",
    }
    assert rec["places"][0]["geonameid"] and datetime.fromisoformat(rec["published"]).tzinfo
    assert not any(r.startswith("hostile") for r in (json.loads(x)["outlet"] for x in lines))


def test_feed_over_http_conditional_and_gzip(server: SimulatorServer) -> None:
    normal = [o for o in server.outlets if not o.hostile]
    cond = next(o for o in normal if o.conditional)
    status, headers, body = get(cond.feed_url)
    assert status == 200 and headers["etag"] and headers["last-modified"]
    status2, _, body2 = get(cond.feed_url, headers={"If-None-Match": headers["etag"]})
    assert status2 == 304 and body2 == b""
    status3, _, _ = get(cond.feed_url, headers={"If-Modified-Since": headers["last-modified"]})
    assert status3 == 304
    plain = next(o for o in normal if not o.conditional)
    assert "etag" not in get(plain.feed_url)[1]
    gz = next(o for o in normal if o.gzip)
    status, headers, body = get(gz.feed_url, headers={"Accept-Encoding": "gzip"}, auto_decompress=False)
    assert headers["content-encoding"] == "gzip"
    assert zlib.decompress(body, 31) == server.newsroom.render_feed(gz, server.now())[0]


def test_new_items_arrive_over_http(server: SimulatorServer) -> None:
    o = next(o for o in server.outlets if not o.hostile and o.kind == "rss20")
    before = feedparser.parse(get(o.feed_url)[2])
    clock = server._clock
    assert isinstance(clock, _Clock)
    saved = clock.t
    try:
        clock.t = saved + timedelta(minutes=20)
        after = feedparser.parse(get(o.feed_url)[2])
    finally:
        clock.t = saved
    new = {e.id for e in after.entries} - {e.id for e in before.entries}
    assert new and all(e.published_parsed for e in after.entries)


def test_article_page_and_home(server: SimulatorServer) -> None:
    o = next(o for o in server.outlets if not o.hostile)
    item = server.newsroom.visible_items(o, server.now())[0]
    art = server.newsroom.article(item)
    status, headers, body = get(server.url_for(item), headers={"Accept-Encoding": "identity"})
    html = body.decode()
    assert status == 200 and headers["content-type"].startswith("text/html")
    assert "<article" in html and f"<h1>{escape(art.title, quote=False)}</h1>" in html
    for p in art.paragraphs:
        assert escape(p, quote=False) in html
    assert f'<link rel="canonical" href="{server.url_for(item)}">' in html
    assert 'property="og:image"' in html and 'class="comments"' in html and "cookie" in html
    ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html).group(1))
    assert ld["@type"] == "NewsArticle" and ld["headline"] == art.title
    published = datetime.fromisoformat(ld["datePublished"])
    assert published.tzinfo is not None and published.timestamp() == item.published
    assert ld["author"]["name"] == art.author and ld["image"]
    home = get(o.home_url)[2].decode()
    assert re.search(
        rf'<link rel="alternate" type="application/[a-z+]+" [^>]*href="{re.escape(o.feed_url)}"', home
    )
    assert get(o.origin + "/no/such/page")[0] == 404
    assert get(server.url_for(item) + "x")[0] == 404


def test_robots(server: SimulatorServer) -> None:
    normal = [o for o in server.outlets if not o.hostile]
    blocked = [o for o in normal if o.robots_blocks_articles]
    assert 1 <= len(blocked) <= 2
    for o in normal[:5] + blocked:
        txt = get(o.origin + "/robots.txt")[2].decode()
        assert "Disallow: /private/" in txt
        item = server.newsroom.visible_items(o, server.now())[0]
        prefix = item.path.split("?")[0].rsplit("/", 1)[0] + "/" if o.url_style != 2 else "/article.php"
        article_rule = any(
            line.startswith("Disallow: ") and item.path.startswith(line[10:]) and line[10:] != "/private/"
            for line in txt.splitlines()
        )
        assert article_rule == o.robots_blocks_articles, (o.slug, prefix, txt)
    gt = list(server.newsroom.ground_truth(server.now()))
    assert {r["outlet"] for r in gt if not r["robots_allowed"]} == {o.slug for o in blocked}


# --- hostile outlets -----------------------------------------------------------------------
def test_malformed(server: SimulatorServer) -> None:
    status, _, body = get(_hostile(server, "malformed").feed_url)
    assert status == 200
    with pytest.raises(ET.ParseError):
        ET.fromstring(body)
    assert feedparser.parse(body).bozo


def test_xxe_and_entity_bomb(server: SimulatorServer) -> None:
    body = get(_hostile(server, "xxe").feed_url)[2]
    assert b'<!ENTITY xxe SYSTEM "file:///etc/passwd">' in body
    assert b'<!ENTITY % remote SYSTEM "http://127.0.0.1:1/' in body and b"%remote;" in body
    with pytest.raises((DTDForbidden, EntitiesForbidden)):
        DET.fromstring(body, forbid_dtd=True)
    bomb = get(_hostile(server, "entity_bomb").feed_url)[2]
    assert len(bomb) < 2000 and bomb.count(b"<!ENTITY lol") == 10 and b"&lol9;" in bomb
    with pytest.raises(EntitiesForbidden):
        DET.fromstring(bomb)


def test_gzip_bomb(server: SimulatorServer) -> None:
    status, headers, body = get(_hostile(server, "gzip_bomb").feed_url, auto_decompress=False)
    assert status == 200 and headers["content-encoding"] == "gzip"
    assert len(body) == int(headers["content-length"]) < 4 << 20
    assert int.from_bytes(body[-4:], "little") == BOMB_SIZE & 0xFFFFFFFF
    d = zlib.decompressobj(31)
    out = len(d.decompress(body[: 64 << 10], 256 << 20))  # 64 KB in -> tens of MB out
    assert out > 50 << 20


def test_endless_huge_slow_streams(server: SimulatorServer) -> None:
    async def endless() -> None:
        async with (
            aiohttp.ClientSession(timeout=_LIMIT) as s,
            s.get(_hostile(server, "endless").feed_url) as r,
        ):
            assert r.status == 200 and "content-length" not in {k.lower() for k in r.headers}
            got = 0
            while got < 1 << 20:
                got += len(await r.content.read(1 << 16))
            assert not r.content.at_eof()

    async def huge() -> None:
        async with aiohttp.ClientSession(timeout=_LIMIT) as s, s.get(_hostile(server, "huge").feed_url) as r:
            assert r.content_length == HUGE_SIZE
            got = 0
            while got < 256 << 10:
                got += len(await r.content.read(1 << 16))

    async def slow() -> None:
        async with aiohttp.ClientSession(timeout=_LIMIT) as s, s.get(_hostile(server, "slow").feed_url) as r:
            assert r.status == 200 and (r.content_length or 0) > 100
            first = await r.content.readexactly(1)
            assert first == b"<"
            with pytest.raises(TimeoutError):
                await asyncio.wait_for(r.content.readexactly(5), timeout=1.5)

    async def main() -> None:
        await asyncio.gather(endless(), huge(), slow())

    asyncio.run(main())


def test_redirect_loop(server: SimulatorServer) -> None:
    o = _hostile(server, "redirect_loop")
    status, headers, _ = get(o.feed_url)
    assert status == 302
    b = o.origin + headers["location"]
    status2, headers2, _ = get(b)
    assert status2 == 302 and headers2["location"] == o.feed_path


def test_html_error_and_wrong_encoding(server: SimulatorServer) -> None:
    status, headers, body = get(_hostile(server, "html_error").feed_url)
    assert status == 200 and headers["content-type"].startswith("text/html")
    assert b"Service temporarily unavailable" in body
    status, headers, body = get(_hostile(server, "wrong_encoding").feed_url)
    assert "charset=utf-8" in headers["content-type"] and body.startswith(
        b'<?xml version="1.0" encoding="utf-8"?>'
    )
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    assert re.search("[а-яА-Я]{4}", body.decode("windows-1251"))


def test_dup_guid_and_future_dates(server: SimulatorServer) -> None:
    url = _hostile(server, "dup_guid").feed_url
    a, b = feedparser.parse(get(url)[2]), feedparser.parse(get(url)[2])
    assert [e.id for e in a.entries] == [e.id for e in b.entries] and a.entries
    assert all(x.title != y.title for x, y in zip(a.entries, b.entries, strict=True))
    f = feedparser.parse(get(_hostile(server, "future_dates").feed_url)[2])
    limit = server.now() + timedelta(days=2 * 365)
    assert f.entries and all(parsedate_to_datetime(e.published) > limit for e in f.entries)


def test_disappearing_feeds(server: SimulatorServer) -> None:
    for code, later in (("disappears", 404), ("gone", 410)):
        url = _hostile(server, code).feed_url
        status, _, body = get(url)
        assert status == 200 and feedparser.parse(body).entries
        assert get(url)[0] == later and get(url)[0] == later


def test_rate_limited_and_unavailable(server: SimulatorServer) -> None:
    status, headers, _ = get(_hostile(server, "rate_limited").feed_url)
    assert status == 429 and headers["retry-after"] == "120"
    status, headers, _ = get(_hostile(server, "unavailable").feed_url)
    assert status == 503
    assert parsedate_to_datetime(headers["retry-after"]) > datetime.now(UTC)


def test_stop_ends_open_streams() -> None:
    cfg = SimConfig(outlets=2, items_per_feed=5, backfill_hours=1, start=START)
    srv = SimulatorServer(cfg, clock=_Clock(START)).start()
    streaming = threading.Event()

    async def hold(code: str) -> None:
        async with (
            aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30)) as s,
            s.get(_hostile(srv, code).feed_url) as r,
        ):
            await r.content.read(1)
            streaming.set()
            try:
                while await r.content.read(1 << 16):
                    pass
            except aiohttp.ClientError:
                pass

    async def main() -> None:
        tasks = [asyncio.create_task(hold(c)) for c in ("endless", "slow", "huge")]
        while not streaming.is_set():
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.2)
        stopper = threading.Thread(target=srv.stop)
        stopper.start()
        await asyncio.wait_for(asyncio.gather(*tasks), timeout=20)
        await asyncio.get_running_loop().run_in_executor(None, stopper.join, 20)
        assert not stopper.is_alive()

    asyncio.run(main())


def test_thousand_outlets_start_and_answer() -> None:
    cfg = SimConfig(outlets=1000, hostile=False, items_per_feed=10, backfill_hours=1, start=START)
    with SimulatorServer(cfg, clock=_Clock(START + timedelta(minutes=1))) as srv:
        assert len({o.origin for o in srv.outlets}) == 1000
        picks = srv.outlets[::37]

        async def main() -> list[int]:
            async with aiohttp.ClientSession(timeout=_LIMIT) as s:

                async def one(url: str) -> int:
                    async with s.get(url) as r:
                        await r.read()
                        return r.status

                return await asyncio.gather(*(one(o.feed_url) for o in picks))

        assert asyncio.run(main()) == [200] * len(picks)
