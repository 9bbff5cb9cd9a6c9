"""Evaluate ``svodka.understand.geo``: precision/recall of places, speed and memory.

    python -m benchmarks.eval_geo [--articles 3000] [--seed 5] [--threshold 0.5] [--json]

Corpus: the built-in simulator (its ground truth lists each article's places by GeoNames id),
plus ``HAND_CASES`` below (hand-written sentences: inflection, ambiguity, ru/uk/be/en), which
tests/core/test_geo.py also asserts one by one. Throughput is measured on title + the first
1,000 characters of the body, one core, after the gazetteer is loaded. With ``--json`` the last
line on stdout is one JSON object:
``{"simulator_places": {"precision", "recall", "f1"}, "hand_places": {...}, "articles_per_s",
"rss_mb", "load_s", "build_s", ...}``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from benchmarks._common import rss_mb

# (title, text, lang, expected geonameids that must be found with confidence ≥ threshold,
#  geonameids that must NOT be found). Ids: GeoNames; regions outside the US use names
#  ("region:<English name>") because their ids are synthetic.
HAND_CASES: list[tuple[str, str, str | None, list[int | str], list[int | str]]] = [
    ("Пожар в Новосибирске", "Пожарные потушили склад.", "ru", [1496747], []),
    ("Рейс из Сухума отменён", "Пассажиров пересадят на автобус.", "ru", [611847], []),
    ("ДТП под Гомелем", "Пострадали два человека.", "ru", [627907], []),
    ("Концерт у Львові", "Мешканці Львова зібралися на площі.", "uk", [702550], []),
    ("Фестываль у Гомелі", "Сёння ў Гомелі адбыўся фестываль.", "be", [627907], []),
    ("Sukhumi port reopens", "Ships returned to Sukhumi on Monday.", "en", [611847], []),
    (
        "Матч в Бресте",
        "Власти Беларуси выделили средства на стадион в Бресте.",
        "ru",
        [629634, 630336],
        [3030300],
    ),
    (
        "Забастовка в Бресте",
        "Во Франции бастуют портовики Бреста, сообщает региональная пресса.",
        "ru",
        [3030300, 3017382],
        [629634],
    ),
    ("Фестиваль в Москве", "В Москве прошёл фестиваль уличной еды.", "ru", [524901], [5601538]),
    (
        "Protests in Paris",
        "Thousands marched in Paris, France, on Saturday.",
        "en",
        [2988507, 3017382],
        [4717560],
    ),
    (
        "Tornado hits Paris, Texas",
        "A tornado hit Paris, Texas, on Monday, officials said.",
        "en",
        [4717560, 4736286],
        [2988507],
    ),
    ("Storms in Texas", "Severe storms swept across Texas overnight.", "en", [4736286], []),
    ("Ливни на Кубани", "Ливни прошли в Краснодарском крае.", "ru", ["region:Krasnodar Krai"], [534701]),
    ("Паводок", "Паводок в Свердловской области затопил дороги.", "ru", ["region:Sverdlovsk Oblast"], []),
    ("Гомельская область получит субсидии", "", "ru", ["region:Gomel Region"], []),
    ("Гомельская вобласць", "Ураджай у Гомельскай вобласці павялічыўся.", "be", ["region:Gomel Region"], []),
    ("Визит в Россию", "Делегация из Украины и во Франции.", "ru", [2017370, 690791, 3017382], []),
    ("Совещание у министра", "Министр рассказал о планах на год.", "ru", [], []),
    ("Minister speaks", "The minister spoke about the budget for next year.", "en", [], []),
    ("Новини Києва", "У Києві відкрили новий міст через Дніпро.", "uk", [703448], []),
    ("В Нижнем Новгороде открыли мост", "", "ru", [520555], []),
    ("Ураган в Ростове-на-Дону", "", "ru", [501175], []),
    ("В Санкт-Петербурге выпал снег", "", "ru", [498817], []),
    (
        "Moscow talks",
        "Officials in Moscow said on Tuesday that talks would continue.",
        "en",
        [524901],
        [5601538],
    ),
    ("Андрей Орлов назначен директором", "Андрей Орлов ранее работал в банке.", "ru", [], []),
    ("Победа команды", "Победа далась непросто. Мир спорта ликует.", "ru", [], []),
    ("У Вінниці відкрили парк", "Парк у Вінниці відкрили після ремонту.", "uk", [689558], []),
    # added 2026-12-03 after a QA pass (new sentences of the same kinds as its findings)
    ("Порт Брест в Бретани", "Французский порт Брест принимает суда; мэрия Бреста сообщила о ремонте.",
     "ru", [3030300, "region:Brittany"], [629634]),
    ("Розробники з Одеси представили застосунок", "Стартап з Одеси вийшов на ринок США.", "uk", [698740, 6252001],
     [5527554]),
    ("Мост через Обь закрыли", "Движение по мосту через Обь ограничат на неделю.", "ru", [], [1496421]),
    ("В Орле прошёл парад", "", "ru", [515012], []),
    ("Laura Parker named chief executive", "Laura Parker said the company would grow.", "en", [], []),
    ("Banks raise rates", "Banks have already taken steps to protect savers.", "en", [], []),
    (
        "Abkhazia elections",
        "Voters in Abkhazia went to the polls; Gagra and Sukhumi saw queues.",
        "en",
        ["region:Abkhazia", 614622, 611847],
        [],
    ),
]


def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "tp": tp, "fp": fp, "fn": fn}


def resolve_expected(ref: int | str) -> int | None:
    """A HAND_CASES reference → geonameid ("region:<name>" looked up by English name)."""
    from svodka.understand.geo import gazetteer

    if isinstance(ref, int):
        return ref
    name = ref.split(":", 1)[1]
    for p in gazetteer().search(name, "en"):
        if p.kind == "region" and p.name == name:
            return p.geonameid
    return None


def eval_hand(threshold: float = 0.5) -> tuple[dict[str, float], list[str]]:
    from svodka.understand.geo import find_places

    tp = fp = fn = 0
    problems: list[str] = []
    for title, text, lang, want, not_want in HAND_CASES:
        got = {p.geonameid for p in find_places(title, text, lang) if p.confidence >= threshold}
        want_ids = {resolve_expected(w) for w in want}
        bad_ids = {resolve_expected(w) for w in not_want}
        tp += len(got & want_ids)
        fn += len(want_ids - got)
        fp += len(got - want_ids)
        if want_ids - got or got & bad_ids:
            problems.append(
                f"{title!r}: missing {sorted(want_ids - got, key=str)}, wrong {sorted(got & bad_ids)}"
            )
    return _prf(tp, fp, fn), problems


def simulator_corpus(n: int, seed: int) -> list[tuple[str, str, str, set[int]]]:
    from svodka.simulator import Newsroom, SimConfig

    cfg = SimConfig(outlets=40, seed=seed, hostile=False, start=datetime(2025, 3, 1, tzinfo=UTC))
    nr = Newsroom(cfg)
    items = nr.items_until(cfg.start + timedelta(hours=4))
    step = max(1, len(items) // n)
    out = []
    for it in items[::step][:n]:
        a = nr.article(it)
        text = (
            "\n\n".join([a.summary, *a.paragraphs])
            if a.summary not in a.paragraphs[:1]
            else "\n\n".join(a.paragraphs)
        )
        out.append((a.title, text, it.lang, {p.geonameid for p in it.story.places}))
    return out


def eval_simulator(
    corpus: list[tuple[str, str, str, set[int]]], threshold: float = 0.5, use_lang: bool = True
) -> dict[str, Any]:
    from svodka.understand.geo import find_places

    tp = fp = fn = 0
    for title, text, lang, truth in corpus:
        got = {
            p.geonameid
            for p in find_places(title, text, lang if use_lang else None)
            if p.confidence >= threshold
        }
        tp += len(got & truth)
        fp += len(got - truth)
        fn += len(truth - got)
    return _prf(tp, fp, fn)


def run(n: int = 3000, seed: int = 5, threshold: float = 0.5) -> dict[str, Any]:
    rss0 = rss_mb()
    t = time.perf_counter()
    from svodka.understand.geo import find_places, gazetteer

    g = gazetteer()
    load_s = time.perf_counter() - t
    rss_delta = rss_mb() - rss0
    corpus = simulator_corpus(n, seed)
    sim = eval_simulator(corpus, threshold)
    sim_nolang = eval_simulator(corpus, threshold, use_lang=False)
    hand, problems = eval_hand(threshold)
    short = [(ti, tx[:1000], lang) for ti, tx, lang, _ in corpus]
    t = time.process_time()  # CPU time of this process: fair on a shared machine
    for ti, tx, lang in short:
        find_places(ti, tx, lang)
    dt = time.process_time() - t
    return {
        "simulator_places": sim,
        "simulator_places_no_lang": sim_nolang,
        "hand_places": hand,
        "hand_problems": problems,
        "articles": len(corpus),
        "threshold": threshold,
        "articles_per_s": round(len(short) / dt, 1),
        "rss_mb": round(rss_delta, 1),
        "load_s": round(load_s, 2),
        "build_s": g.build_s,
        "gazetteer_entries": len(g),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.eval_geo", description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--threshold", type=float, default=0.5)
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args(argv)
    res = run(a.articles, a.seed, a.threshold)
    if a.json:
        print(json.dumps(res, ensure_ascii=False))
    else:
        for k, v in res.items():
            print(f"{k}: {v}", file=sys.stdout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
