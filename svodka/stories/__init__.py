"""The story stage: every outlet's article about the same happening, in any language, together.

Online and incremental: :class:`svodka.stories.cluster.StoryClusterer` takes articles as they
arrive (after the understand stage) and says which story each joins, or that it starts one,
or that two stories merge. Its memory is a bounded time window of recent stories (centroid
vectors in a numpy matrix + an inverted index of places/entities), so the cost per article
stays flat however large the archive grows. It is rebuilt at start from the stories the
database holds for the window (``StorySnapshot``), exactly like the near-duplicate index.

Ranking ("top news this hour") lives in ``svodka.rank``; the site layer stores stories
(``svodka_site.news.models.Story``) and renders them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import numpy as np


@dataclass(slots=True)
class StoryArticle:
    """What clustering needs to know about one understood article."""

    id: int
    title: str
    text: str  # plain text; the clusterer reads the lead only
    lang: str
    source_id: int
    published: datetime  # aware UTC; clamped by the caller to first_seen when in the future
    category: str = ""
    place_ids: tuple[int, ...] = ()  # as found in the article (not ancestors)
    duplicate_of: int | None = None  # near-duplicate original (joins the original's story)
    embedding: np.ndarray | None = None  # float32 (512,), L2-normalised; computed when None


@dataclass(slots=True)
class StorySnapshot:
    """A stored story as the clusterer needs it to resume (rebuilt from the database)."""

    id: int
    centroid: np.ndarray  # float32 (512,), L2-normalised
    size: int  # articles, copies included
    first_at: datetime
    last_at: datetime
    source_ids: tuple[int, ...] = ()
    place_ids: tuple[int, ...] = ()
    terms: tuple[str, ...] = ()  # salient entity/number tokens, for the inverted index
    category: str = ""


@dataclass(slots=True)
class Assignment:
    article_id: int
    story_id: int
    new_story: bool
    score: float  # similarity to the story it joined (1.0 for a new story)
    merged: list[int] = field(default_factory=list)  # story ids folded into story_id now
    reason: str = ""  # plain words, e.g. "same places + cosine 0.81", for the story page


# The clusterer's interface (implemented in svodka.stories.cluster; the site, the contest
# server and the benchmarks rely on exactly this):
#
#   StoryClusterer(*, window: timedelta = timedelta(days=3))
#     .load(snapshots: Iterable[StorySnapshot]) -> None       # resume from the database
#     .add(articles: Sequence[StoryArticle]) -> list[Assignment]
#         in the order given (callers pass them oldest first); embeds those whose
#         ``embedding`` is None in one batch; a new story's id is its first article's id;
#         when stories merge, the smaller id survives and ``Assignment.merged`` lists the
#         others; an article with ``duplicate_of`` joins its original's story.
#     .snapshots(story_ids: Iterable[int]) -> list[StorySnapshot]   # to store centroids
#     .evict(now: datetime) -> int        # forget stories quiet for longer than the window
#     len(clusterer)                      # stories held in memory
#
#   same_story(a: StoryArticle, b: StoryArticle) -> tuple[bool, float]
#     the pairwise decision the clusterer makes (used by the pair evaluation)
