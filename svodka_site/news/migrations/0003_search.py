# PostgreSQL full-text search indexes (GIN); a no-op on SQLite, whose default index is tantivy.
#
# Two IMMUTABLE SQL functions keep the index expression and the search query in step:
#   svodka_regconfig(lang)                -> the text search configuration for a language code
#   svodka_search_vector(lang, title, body) -> title (weight A) + body (weight B)
# The search code (svodka_site/news/search_pg.py) calls the same function, so the planner
# matches the GIN expression index.
from django.db import migrations

FORWARD = [
    r"""
    CREATE OR REPLACE FUNCTION svodka_regconfig(lang text) RETURNS regconfig
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
      SELECT CASE lower(split_part(coalesce(lang, ''), '-', 1))
        WHEN 'ru' THEN 'pg_catalog.russian'::regconfig
        WHEN 'en' THEN 'pg_catalog.english'::regconfig
        ELSE 'pg_catalog.simple'::regconfig
      END
    $$
    """,
    r"""
    CREATE OR REPLACE FUNCTION svodka_search_vector(lang text, title text, body text) RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
      SELECT setweight(to_tsvector(svodka_regconfig(lang), coalesce(title, '')), 'A')
          || setweight(to_tsvector(svodka_regconfig(lang), left(coalesce(body, ''), 20000)), 'B')
    $$
    """,
    r"""
    CREATE INDEX IF NOT EXISTS news_article_search_gin ON news_article USING GIN (
      svodka_search_vector(language, title, coalesce(nullif(text, ''), summary))
    )
    """,
]

BACKWARD = [
    "DROP INDEX IF EXISTS news_article_search_gin",
    "DROP FUNCTION IF EXISTS svodka_search_vector(text, text, text)",
    "DROP FUNCTION IF EXISTS svodka_regconfig(text)",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for sql in statements:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("news", "0002_default_sections")]

    operations: list = [migrations.RunPython(_run(FORWARD), _run(BACKWARD), elidable=False)]
