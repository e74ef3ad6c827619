"""Every cooperative starts with one topic of each kind and the usual days to answer (staff change them on the
topics page); a cooperative that already has topics is left as it is."""

from django.db import migrations

TOPICS = [
    ("people", "Zmiana liczby osób zamieszkałych w lokalu", 14),
    ("refund", "Zwrot nadpłaty", 14),
    ("renovation", "Zgoda na remont lub przebudowę lokalu", 30),
    ("certificate", "Zaświadczenie o niezaleganiu w opłatach", 7),
    ("access_withdrawal", "Rezygnacja z dostępu do IOK", 14),
    ("other", "Inna sprawa", 30),
]


def create_topics(apps, schema_editor):
    MatterTopic = apps.get_model("matters", "MatterTopic")
    if MatterTopic.objects.exists():
        return
    MatterTopic.objects.bulk_create([MatterTopic(kind=kind, name=name, due_days=days, sort_order=order)
                                     for order, (kind, name, days) in enumerate(TOPICS)])


class Migration(migrations.Migration):
    dependencies = [("matters", "0001_initial")]

    operations = [migrations.RunPython(create_topics, migrations.RunPython.noop)]
