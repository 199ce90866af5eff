"""Every community that exists already gets its room "Allgemein"."""

from django.db import migrations


def add_default_rooms(apps, schema_editor):
    CommunityPage = apps.get_model("communities", "CommunityPage")
    Room = apps.get_model("chat", "Room")
    have = set(
        Room.objects.filter(kind="community", name="Allgemein").values_list(
            "community_id", flat=True
        )
    )
    Room.objects.bulk_create(
        Room(kind="community", community_id=pk, name="Allgemein")
        for pk in CommunityPage.objects.values_list("pk", flat=True)
        if pk not in have
    )


class Migration(migrations.Migration):
    dependencies = [("chat", "0001_chat")]

    operations = [migrations.RunPython(add_default_rooms, migrations.RunPython.noop)]
