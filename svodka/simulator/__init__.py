"""Built-in newsroom simulator: fake news outlets served over real HTTP on 127.0.0.1.

Public API::

    SimConfig(outlets=40, seed=1, speed=60.0, hostile=True, items_per_feed=50,
              static=False, backfill_hours=6, start=<now, aware UTC>)
    Newsroom(config)                      # pure generator: outlets + article timeline, no I/O
        .outlets / .normal                # all outlets / those that are not hostile
        .visible_items(outlet, now)       # newest items_per_feed items visible at ``now``
        .render_feed(outlet, now)         # (bytes, content_type) in the outlet's format/encoding
        .article(item) / .url_for(item) / .ground_truth(until)
    SimulatorServer(config, host="127.0.0.1", *, base_port=None, clock=None)
        .start() / .stop() / context manager
        .outlets / .feed_urls() / .url_for(item)
        .write_opml(path) / .write_ground_truth(path, until=None)
    serve_forever(config, out_dir=None)   # for `svodka simulate` / `svodka demo`

Every outlet listens on its own port (its own origin). Hostile outlets (``outlet.hostile``
set to one of ``HOSTILE_CODES``) misbehave on purpose and are left out of ground truth.
"""

from .newsroom import HOSTILE_CODES, Article, Item, Newsroom, Outlet, SimConfig, Story
from .places import PLACES, Place
from .server import SimulatorServer, serve_forever

__all__ = [
    "HOSTILE_CODES",
    "PLACES",
    "Article",
    "Item",
    "Newsroom",
    "Outlet",
    "Place",
    "SimConfig",
    "SimulatorServer",
    "Story",
    "serve_forever",
]
