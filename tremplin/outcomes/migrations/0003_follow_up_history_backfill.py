"""Existing follow-ups become the first answer of their history (own transaction: data
before the constraints of 0004, which PostgreSQL would not alter with rows pending)."""

import datetime

from django.db import migrations

EMPLOYED = ("cdi", "cdd_long", "cdd_short", "interim", "apprenticeship")


def existing_rows_as_history(apps, schema_editor):
    """Rows recorded before history: answered on their recorded day, by staff; an employer
    named on a situation that is not work moves into the note (the new rule refuses it, the
    text is kept)."""
    FollowUp = apps.get_model("outcomes", "FollowUp")
    for row in FollowUp.objects.all().iterator():
        row.answered_at = datetime.datetime.combine(
            row.recorded_on, datetime.time(12), tzinfo=datetime.UTC
        )
        fields = ["answered_at"]
        if row.situation not in EMPLOYED and row.employer_name:
            row.note = (row.note + "\n" if row.note else "") + f"Employeur : {row.employer_name}"
            row.employer_name = ""
            fields += ["note", "employer_name"]
        row.save(update_fields=fields)


class Migration(migrations.Migration):
    dependencies = [("outcomes", "0002_follow_up_history_and_requests")]

    operations = [migrations.RunPython(existing_rows_as_history, migrations.RunPython.noop)]
