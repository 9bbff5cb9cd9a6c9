"""svodka: the framework-free core of the news aggregator.

Pipeline stages, each a function over plain dataclasses (see ``svodka.types``):
source → fetch → parse → article → understand → story → rank → pages.
Nothing in this package imports Django; the thin web/storage layer lives in ``svodka_site``.
"""

__version__ = "0.1.0"
