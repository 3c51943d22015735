"""Loads the six regions of DESIGN.md from ``core.regions`` (and keeps them current)."""

from django.db import migrations


def load_regions(apps, schema_editor):
    from core.regions import REGIONS

    Region = apps.get_model("events", "Region")
    for position, data in enumerate(REGIONS):
        Region.objects.update_or_create(
            code=data.code,
            defaults={
                "name": str(data.name),
                "countries": list(data.countries),
                "zones": list(data.zones),
                "languages": list(data.languages),
                "position": position,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("events", "0001_initial")]

    operations = [migrations.RunPython(load_regions, migrations.RunPython.noop)]
