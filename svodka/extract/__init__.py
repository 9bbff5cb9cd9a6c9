"""Article pages: the body text and safe HTML, and what the page declares about itself."""

from svodka.errors import ExtractError
from svodka.extract.article import DEFAULT_FAVOR, Favor, extract_article

__all__ = ["DEFAULT_FAVOR", "ExtractError", "Favor", "extract_article"]
