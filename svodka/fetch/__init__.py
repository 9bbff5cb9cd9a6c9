"""Polite async HTTP fetching: caps, timeouts, robots.txt, per-host limits, Retry-After.

``Fetcher`` never raises for network or HTTP trouble; it returns a ``FetchResult``
(``svodka.types``) whose ``error_code``/``error`` explain what happened.
"""

from .fetcher import Fetcher
from .policy import FEED_ACCEPT, FetchPolicy, FetchRequest
from .robots import RobotsRules

__all__ = ["FEED_ACCEPT", "FetchPolicy", "FetchRequest", "Fetcher", "RobotsRules"]
