"""Hires recorded before weekly hours existed; openings closed by their last hire."""

from django.db import migrations


def backfill_pipeline(apps, schema_editor):
    """Hires recorded before weekly hours existed were full time; openings closed by their
    last hire become « filled », the status that now says so."""
    Proposal = apps.get_model("employers", "Proposal")
    Opening = apps.get_model("employers", "Opening")
    Proposal.objects.filter(status="hired", hired_weekly_hours__isnull=True).update(
        hired_weekly_hours=35
    )
    for opening in Opening.objects.filter(status="closed"):
        hired = Proposal.objects.filter(opening=opening, status="hired").count()
        if hired >= opening.positions:
            opening.status = "filled"
            opening.save(update_fields=["status"])


class Migration(migrations.Migration):
    dependencies = [("employers", "0003_placement_pipeline")]

    operations = [migrations.RunPython(backfill_pipeline, migrations.RunPython.noop)]
