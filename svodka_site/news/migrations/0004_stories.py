import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("news", "0003_search")]

    operations = [
        migrations.CreateModel(
            name="Story",
            fields=[
                ("id", models.BigIntegerField(primary_key=True, serialize=False)),
                ("title", models.TextField(blank=True)),
                ("lead", models.TextField(blank=True)),
                ("lang", models.CharField(blank=True, max_length=16)),
                ("category", models.CharField(blank=True, max_length=16)),
                ("first_at", models.DateTimeField()),
                ("last_at", models.DateTimeField()),
                ("articles", models.PositiveIntegerField(default=0)),
                ("sources", models.PositiveIntegerField(default=0, help_text="distinct outlets")),
                ("centroid", models.BinaryField(blank=True, default=b"", help_text="float32 vector (512)")),
                ("terms", models.TextField(blank=True, help_text="salient entity and number tokens, space-separated")),
                ("places", models.TextField(blank=True, help_text="place ids, comma-separated")),
                ("source_ids", models.TextField(blank=True, help_text="outlet ids, comma-separated")),
                (
                    "representatives",
                    models.JSONField(
                        blank=True, default=dict, help_text="{language: [article id, similarity to the centroid]}"
                    ),
                ),
                ("score", models.FloatField(default=0.0)),
                ("score_parts", models.JSONField(blank=True, default=dict)),
                ("updated_at", models.DateTimeField(default=django.utils.timezone.now)),
            ],
            options={
                "ordering": ["-score", "-last_at"],
                "verbose_name_plural": "stories",
                "indexes": [
                    models.Index(fields=["-score", "last_at"], name="story_active_score"),
                    models.Index(fields=["-last_at"], name="story_last_at"),
                ],
            },
        ),
        migrations.AddField(
            model_name="article",
            name="story",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="article_set",
                to="news.story",
            ),
        ),
    ]
