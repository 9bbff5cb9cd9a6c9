"""Index ``news_article.story_id`` and ``duplicate_of_id`` only where they are set (partial
indexes): an article is stored with neither, so storing it writes two index entries fewer.
Lookups by a story or an original (``story_id = …``) imply ``IS NOT NULL``, so SQLite and
PostgreSQL use the partial indexes for them.

As in 0005, the old full indexes are found by introspection and dropped in place: letting
Django alter the fields would rebuild the whole article table on SQLite.
"""

import django.db.models.deletion
from django.db import migrations, models


FIELDS = ("story", "duplicate_of")


def drop_full_indexes(apps, schema_editor):  # type: ignore[no-untyped-def]
    model = apps.get_model("news", "Article")
    for field_name in FIELDS:
        column = model._meta.get_field(field_name).column
        with schema_editor.connection.cursor() as cursor:
            constraints = schema_editor.connection.introspection.get_constraints(cursor, model._meta.db_table)
        for name, info in constraints.items():
            if info["index"] and not info["unique"] and not info["primary_key"] and info["columns"] == [column]:
                schema_editor.execute(schema_editor._delete_index_sql(model, name))


def create_full_indexes(apps, schema_editor):  # type: ignore[no-untyped-def]
    model = apps.get_model("news", "Article")
    for field_name in FIELDS:
        schema_editor.execute(schema_editor._create_index_sql(model, fields=[model._meta.get_field(field_name)]))


class Migration(migrations.Migration):
    dependencies = [("news", "0005_fewer_ingest_indexes")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(drop_full_indexes, create_full_indexes)],
            state_operations=[
                migrations.AlterField(
                    model_name="article",
                    name="duplicate_of",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        help_text="the original this article reprints (near-duplicate)",
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="copies",
                        to="news.article",
                    ),
                ),
                migrations.AlterField(
                    model_name="article",
                    name="story",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="article_set",
                        to="news.story",
                    ),
                ),
            ],
        ),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                condition=models.Q(("story__isnull", False)), fields=["story"], name="news_article_story_set"
            ),
        ),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                condition=models.Q(("duplicate_of__isnull", False)),
                fields=["duplicate_of"],
                name="news_article_copy_of",
            ),
        ),
    ]
