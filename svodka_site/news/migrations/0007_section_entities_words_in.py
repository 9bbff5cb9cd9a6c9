"""Sections: entity rules, where the words must appear, sections defined in settings.

Words now match whole words in any inflected form (a trailing ``*`` asks for a stem). Sections
still holding 0002's default stems get whole-word lists and look in the title and lead; any
other section keeps its old meaning: every word becomes a stem (``word*``), looked for anywhere
in the text. Stored memberships are not recomputed here: ``svodka manage sections --recompute``.
"""

from django.db import migrations, models

# 0002's stems, by slug: a section that still has them was not edited in the admin
OLD_WORDS = {
    "incidents": "пожар\nдтп\nавари\nвзрыв\nпогиб\nпострадав\nзадержа\nубийств\nкраж\nмчс\nспасател\nfire\ncrash\n"
    "explosion\nkilled\ninjured\narrested\nrescue\nпожеж\nзагин\nрятувальник\nвибух",
    "elections": "выбор\nизбират\nголосован\nкандидат\nбюллетен\nвибор\nголосуван\nelection\nvoter\nballot\ncandidate\npolls",
    "ecology": "эколог\nвыброс\nзагрязн\nмусор\nотход\nклимат\nлесн\nзаповедн\nекологі\nзабрудн\nсміття\nпаводок\nнаводнен\n"
    "pollution\nclimate\nemission\nwildlife\nrecycling\nenvironment",
    "music": "музык\nконцерт\nпесн\nальбом\nпевиц\nпевец\nгруппа\nфестивал\nмузик\nпісн\nmusic\nconcert\nalbum\nsinger\nband\nfestival",
}

# Whole words (each matches its inflected forms); ru, uk, en.
NEW_WORDS = {
    "incidents": [
        "пожар", "пожарный", "пожарные", "дтп", "авария", "взрыв", "погибнуть", "пострадать",
        "пострадавший", "задержать", "убийство", "кража", "мчс", "спасатель", "спасатели",
        "пожежа", "загинути", "рятувальник", "рятувальники", "вибух", "аварія",
        "fire", "wildfire", "blaze", "crash", "explosion", "killed", "injured", "arrested",
        "firefighters", "rescuers",
    ],
    "elections": [
        "выборы", "избирательный", "избиратель", "голосование", "голосовать", "кандидат",
        "бюллетень", "цик", "референдум", "вибори", "виборчий", "виборець", "голосування",
        "election", "voter", "ballot", "candidate", "polls", "referendum",
    ],
    "ecology": [
        "экология", "экологический", "эколог", "выброс", "загрязнение", "мусор", "отходы",
        "климат", "климатический", "заповедник", "паводок", "наводнение", "лесной пожар",
        "екологія", "екологічний", "забруднення", "сміття", "повінь",
        "pollution", "climate", "emissions", "wildlife", "recycling", "environment", "environmental",
    ],
    "music": [
        "музыка", "музыкальный", "музыкант", "концерт", "песня", "альбом", "певица", "певец",
        "группа", "фестиваль", "музика", "музичний", "пісня", "співак", "співачка",
        "music", "musician", "concert", "album", "singer", "band", "festival", "song",
    ],
}  # fmt: skip


def forwards(apps, schema_editor):
    Section = apps.get_model("news", "Section")
    for s in Section.objects.all():
        if s.slug in NEW_WORDS and s.words.strip() == OLD_WORDS[s.slug]:
            s.words = "\n".join(NEW_WORDS[s.slug])
            s.words_in = "lead"
        else:  # edited in the admin: keep its meaning (stems, anywhere)
            s.words = "\n".join(w.strip() + "*" for w in s.words.splitlines() if w.strip())
            s.exclude_words = "\n".join(w.strip() + "*" for w in s.exclude_words.splitlines() if w.strip())
            s.words_in = "text"
        s.save(update_fields=["words", "exclude_words", "words_in"])


def backwards(apps, schema_editor):
    Section = apps.get_model("news", "Section")
    for s in Section.objects.all():
        if s.slug in NEW_WORDS and s.words == "\n".join(NEW_WORDS[s.slug]):
            s.words = OLD_WORDS[s.slug]
        else:
            s.words = "\n".join(w.rstrip("*") for w in s.words.splitlines())
            s.exclude_words = "\n".join(w.rstrip("*") for w in s.exclude_words.splitlines())
        s.save(update_fields=["words", "exclude_words"])


class Migration(migrations.Migration):
    dependencies = [("news", "0006_partial_story_copy_indexes")]

    operations = [
        migrations.AddField(
            model_name="section",
            name="entities",
            field=models.TextField(
                blank=True,
                help_text="one name per line (Роскосмос, NASA, Алла Пугачёва): the article must mention one; "
                "matches inflected and Latin spellings",
            ),
        ),
        migrations.AddField(
            model_name="section",
            name="from_settings",
            field=models.BooleanField(
                default=False,
                editable=False,
                help_text="defined in SVODKA_SECTIONS: edits here are overwritten",
            ),
        ),
        migrations.AddField(
            model_name="section",
            name="words_in",
            field=models.CharField(
                choices=[("title", "title"), ("lead", "title and lead"), ("text", "anywhere in the text")],
                default="lead",
                help_text="where words and entities must appear; the lead is the text's first 500 characters",
                max_length=8,
            ),
        ),
        migrations.AlterField(
            model_name="section",
            name="exclude_words",
            field=models.TextField(blank=True, help_text="as words; looked for in the whole text"),
        ),
        migrations.AlterField(
            model_name="section",
            name="words",
            field=models.TextField(
                blank=True,
                help_text="one word or phrase per line; matches whole words in any inflected form "
                "(выборы: выборах, выборов; vote: votes, voted); a trailing * matches a stem (эколог*)",
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
