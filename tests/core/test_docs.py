"""Every setting the code reads is documented in docs/settings.md (datasette's rule)."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
# any quoted name: settings are read through os.environ and through small helpers (_env_bool …)
_READ = re.compile(r"""["']((?:SVODKA_[A-Z_]+|DATABASE_URL|REDIS_URL))["']""")


def _variables_read() -> set[str]:
    found: set[str] = set()
    for package in ("svodka", "svodka_site"):
        for path in (REPO / package).rglob("*.py"):
            found.update(_READ.findall(path.read_text(encoding="utf-8")))
    return found


def test_every_environment_variable_the_code_reads_is_documented() -> None:
    read = _variables_read()
    assert {"SVODKA_DATA", "DATABASE_URL", "SVODKA_EMBED_CACHE_IDS", "SVODKA_DEBUG"} <= read  # the scan works
    documented = set(re.findall(r"^\| `([A-Z_]+)` \|", (REPO / "docs" / "settings.md").read_text(), re.M))
    assert read - documented == set(), "undocumented settings (add them to docs/settings.md)"
