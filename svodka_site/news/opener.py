"""Opens the store in a process of its own (the crawler's feed processes).

Apart from ``storage`` so that unpickling the opener imports nothing of Django's models: the
process sets Django up first.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .storage import DjangoStorage


def open_storage(
    *, settings_module: str, env: dict[str, str | None], database: str, fetch_pages: bool | None
) -> DjangoStorage:
    """Set Django up in this process as the opener's process had it, and open the store."""
    import django

    for key, value in env.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    os.environ["DJANGO_SETTINGS_MODULE"] = settings_module
    django.setup()
    from django.db import connections

    from .storage import DjangoStorage

    # the database the opener's connection used (a test run renames it, as Django's runner does)
    connections["default"].settings_dict["NAME"] = database
    return DjangoStorage(fetch_pages=fetch_pages)
