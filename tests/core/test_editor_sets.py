"""The editor's sets (benchmarks/data/editor_sets): well-formed, every item answered, and the
scorer counts what it says on a tiny made-up set."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks import eval_editor

DATA = Path(eval_editor.__file__).resolve().parent / "data" / "editor_sets"
CATEGORIES = {"society", "economy", "technology", "sports", "entertainment", "science", "other", "not_news"}


@pytest.mark.parametrize("n", [1, 2, 3])
def test_every_item_has_an_answer(n: int) -> None:
    items = [json.loads(x) for x in (DATA / f"set{n}.jsonl").read_text(encoding="utf-8").splitlines()]
    answers = [json.loads(x) for x in (DATA / f"set{n}_expected.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [str(i["id"]) for i in items] == [a["id"] for a in answers]
    for a in answers:
        assert a["category"] in CATEGORIES and a["lang"]
        assert all(len(p) == 2 and p[0] for p in a["places"] + a["places_also_ok"])


def test_the_scorer_counts_categories_places_and_story_pairs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    items = [
        {"id": "a", "title": "В Новосибирске сгорел склад", "text": "Пожар тушили 60 спасателей МЧС.",
         "published": "2026-12-01T10:00:00+00:00"},
        {"id": "b", "title": "Склад сгорел в Новосибирске", "text": "Пожар тушили 60 спасателей МЧС.",
         "published": "2026-12-01T10:30:00+00:00"},  # a reprint: one story whatever the scores
        {"id": "c", "title": "Гороскоп на 14 мая", "text": "Овнам звёзды советуют отдохнуть.",
         "published": "2026-12-01T11:00:00+00:00"},
    ]  # fmt: skip
    answers = [
        {"id": "a", "lang": "ru", "category": "society", "category_also_ok": None,
         "places": [["Novosibirsk", "RU"]], "places_also_ok": [], "story": "fire", "duplicate_of": None},
        {"id": "b", "lang": "ru", "category": "society", "category_also_ok": None,
         "places": [["Novosibirsk", "RU"]], "places_also_ok": [], "story": "fire", "duplicate_of": None},
        {"id": "c", "lang": "ru", "category": "not_news", "category_also_ok": None,
         "places": [["Paris", "FR"]], "places_also_ok": [], "story": None, "duplicate_of": None},
    ]  # fmt: skip
    (tmp_path / "set1.jsonl").write_text("\n".join(json.dumps(i, ensure_ascii=False) for i in items))
    (tmp_path / "set1_expected.jsonl").write_text("\n".join(json.dumps(a, ensure_ascii=False) for a in answers))
    monkeypatch.setattr(eval_editor, "DATA", tmp_path)
    r = eval_editor.evaluate(1)
    assert r["items"] == 3 and r["language_accuracy"] == 1.0 and r["not_news_caught"] == "1/1"
    assert r["places"]["tp"] == 2 and r["places"]["fn"] == 1  # Paris was never in the text
    assert r["story_pairs"] == {"expected": 1, "joined": 1, "false_joins": 0}
