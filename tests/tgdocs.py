"""Contest-format documents and a stand-in story clusterer for the contest tests.

The stand-in joins an article to the story whose centroid is nearest when the cosine is at
least 0.6 (else it starts one), and follows the StoryClusterer interface
(svodka.stories): the store's mechanics are tested against it, independent of the real
clusterer's tuning.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from html import escape

import numpy as np

from svodka.stories import Assignment, StoryArticle, StorySnapshot

DOCS = {
    "quake1": ("Strong earthquake hits southern Turkey, dozens killed",
               "A magnitude 7.1 earthquake struck southern Turkey on Monday, killing at least 40 people and destroying "
               "buildings in several cities, officials said. Rescue teams are searching the rubble."),
    "quake2": ("Earthquake in southern Turkey kills dozens",
               "At least 40 people died when a powerful 7.1 magnitude earthquake hit southern Turkey on Monday, the "
               "disaster agency said. Buildings collapsed in several cities."),
    "match": ("Manchester United beat Chelsea 3-1",
              "Manchester United beat Chelsea 3-1 at Old Trafford on Sunday. The striker scored twice in the second "
              "half and the coach praised the defence after the Premier League match."),
    "fire1": ("В Новосибирске сгорел склад",
              "В Новосибирске сгорел склад на улице Станционной. Пожар площадью 1200 квадратных метров тушили 60 "
              "спасателей, сообщили в ГУ МЧС по Новосибирской области. Пострадавших нет."),
    "fire2": ("Пожар на складе в Новосибирске потушен",
              "Спасатели потушили пожар на складе на улице Станционной в Новосибирске, площадь возгорания составила "
              "1200 квадратных метров, сообщает МЧС. Никто не пострадал."),
    "bank": ("ЦБ сохранил ключевую ставку",
             "Банк России сохранил ключевую ставку на уровне 16 процентов годовых, сообщил регулятор в пятницу. "
             "Аналитики ожидали такого решения, инфляция замедляется."),
}
T0 = datetime.fromisoformat("2020-05-11T10:00:00+00:00")


def contest_html(key: str, *, site: str, minutes: float = 0, title: str | None = None) -> bytes:
    """A document as the contest's crawler wrote them (og: meta, unclosed <p>)."""
    head, text = DOCS[key]
    head = title or head
    when = (T0 + timedelta(minutes=minutes)).isoformat()
    paras = "".join(f"<p>{escape(p)}" for p in text.split(". "))
    return (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"/><meta property="og:url" content="https://{site}/{key}"/>'
        f'<meta property="og:site_name" content="{site}"/><meta property="article:published_time" content="{when}"/>'
        f'<meta property="og:title" content="{escape(head)}"/></head><body><article><h1>{escape(head)}</h1>'
        f'<address><time datetime="{when}">x</time></address>{paras}</article></body></html>'
    ).encode()


class StandInClusterer:
    def __init__(self, *, window: timedelta = timedelta(days=3)) -> None:
        self.window = window
        self.stories: dict[int, StorySnapshot] = {}
        self.sums: dict[int, np.ndarray] = {}

    def load(self, snapshots: Iterable[StorySnapshot]) -> None:
        for s in snapshots:
            self.stories[s.id] = s
            self.sums[s.id] = s.centroid * s.size

    def add(self, articles: Sequence[StoryArticle]) -> list[Assignment]:
        from svodka.stories.embed import embed_articles

        todo = [a for a in articles if a.embedding is None]
        if todo:
            for a, v in zip(todo, embed_articles([(a.title, a.text) for a in todo]), strict=True):
                a.embedding = v
        out = []
        for a in articles:
            assert a.embedding is not None
            best, score = None, 0.6
            for sid, s in self.stories.items():
                sim = float(s.centroid @ a.embedding)
                if sim >= score:
                    best, score = sid, sim
            if best is None:
                self.stories[a.id] = StorySnapshot(a.id, a.embedding.copy(), 1, a.published, a.published)
                self.sums[a.id] = a.embedding.copy()
                out.append(Assignment(a.id, a.id, True, 1.0))
                continue
            s = self.stories[best]
            self.sums[best] = self.sums[best] + a.embedding
            s.centroid = self.sums[best] / np.linalg.norm(self.sums[best])
            s.size += 1
            s.last_at = max(s.last_at, a.published)
            out.append(Assignment(a.id, best, False, score))
        return out

    def snapshots(self, story_ids: Iterable[int]) -> list[StorySnapshot]:
        return [self.stories[i] for i in story_ids if i in self.stories]

    def evict(self, now: datetime) -> int:
        old = [i for i, s in self.stories.items() if s.last_at < now - self.window]
        for i in old:
            del self.stories[i], self.sums[i]
        return len(old)

    def __len__(self) -> int:
        return len(self.stories)
