"""Default sections (editable in the admin): rules over category and words, ru/uk/en stems."""

from django.db import migrations

SECTIONS = [
    ("incidents", "Incidents", "Происшествия", "society", 10,
     "пожар\nдтп\nавари\nвзрыв\nпогиб\nпострадав\nзадержа\nубийств\nкраж\nмчс\nспасател\nfire\ncrash\n"
     "explosion\nkilled\ninjured\narrested\nrescue\nпожеж\nзагин\nрятувальник\nвибух"),
    ("elections", "Elections", "Выборы", "society", 20,
     "выбор\nизбират\nголосован\nкандидат\nбюллетен\nвибор\nголосуван\nelection\nvoter\nballot\ncandidate\npolls"),
    ("ecology", "Ecology", "Экология", "", 30,
     "эколог\nвыброс\nзагрязн\nмусор\nотход\nклимат\nлесн\nзаповедн\nекологі\nзабрудн\nсміття\nпаводок\nнаводнен\n"
     "pollution\nclimate\nemission\nwildlife\nrecycling\nenvironment"),
    ("music", "Music", "Музыка", "entertainment", 40,
     "музык\nконцерт\nпесн\nальбом\nпевиц\nпевец\nгруппа\nфестивал\nмузик\nпісн\nmusic\nconcert\nalbum\nsinger\nband\nfestival"),
]


def create(apps, schema_editor):
    Section = apps.get_model("news", "Section")
    for slug, en, ru, categories, position, words in SECTIONS:
        Section.objects.get_or_create(
            slug=slug,
            defaults={"name_en": en, "name_ru": ru, "categories": categories, "position": position, "words": words},
        )


def remove(apps, schema_editor):
    apps.get_model("news", "Section").objects.filter(slug__in=[s[0] for s in SECTIONS]).delete()


class Migration(migrations.Migration):
    dependencies = [("news", "0001_initial")]
    operations = [migrations.RunPython(create, remove)]
