# PostgreSQL full-text search indexes (GIN); a no-op on SQLite, whose default index is tantivy.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("news", "0002_default_sections")]

    operations: list = []
