"""Drop single-column indexes that a composite index already covers, so that storing an
article writes fewer index entries (the ingest path):

- ``news_article.source_id``: covered by the (source, -published_at) index;
- ``news_article.category`` (and its ``varchar_pattern_ops`` twin on PostgreSQL): covered by
  the (category, -published_at) index;
- ``news_provenance.feed_id``: covered by the unique (feed, guid_key) constraint.

The indexes are found by introspection (their names are hashes Django made up), so the
migration drops exactly the non-unique indexes on that one column, on SQLite and PostgreSQL
alike, without rebuilding the table. Reversing creates them again.
"""

import django.db.models.deletion
from django.db import migrations, models

DROPPED = (("Article", "source"), ("Article", "category"), ("Provenance", "feed"))


def _single_column_indexes(schema_editor, table: str, column: str) -> list[str]:
    with schema_editor.connection.cursor() as cursor:
        constraints = schema_editor.connection.introspection.get_constraints(cursor, table)
    return [
        name
        for name, info in constraints.items()
        if info["index"] and not info["unique"] and not info["primary_key"] and info["columns"] == [column]
    ]


def drop_indexes(apps, schema_editor):  # type: ignore[no-untyped-def]
    for model_name, field_name in DROPPED:
        model = apps.get_model("news", model_name)
        column = model._meta.get_field(field_name).column
        for name in _single_column_indexes(schema_editor, model._meta.db_table, column):
            schema_editor.execute(schema_editor._delete_index_sql(model, name))


def create_indexes(apps, schema_editor):  # type: ignore[no-untyped-def]
    for model_name, field_name in DROPPED:
        model = apps.get_model("news", model_name)
        field = model._meta.get_field(field_name)
        if _single_column_indexes(schema_editor, model._meta.db_table, field.column):
            continue
        schema_editor.execute(schema_editor._create_index_sql(model, fields=[field]))
        like = getattr(schema_editor, "_create_like_index_sql", lambda *_: None)(model, field)
        if like is not None:
            schema_editor.execute(like)


class Migration(migrations.Migration):
    dependencies = [("news", "0004_stories")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(drop_indexes, create_indexes)],
            state_operations=[
                migrations.AlterField(
                    model_name="article",
                    name="source",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="articles",
                        to="news.source",
                    ),
                ),
                migrations.AlterField(
                    model_name="article",
                    name="category",
                    field=models.CharField(blank=True, max_length=16),
                ),
                migrations.AlterField(
                    model_name="provenance",
                    name="feed",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="provenances",
                        to="news.feed",
                    ),
                ),
            ],
        )
    ]
