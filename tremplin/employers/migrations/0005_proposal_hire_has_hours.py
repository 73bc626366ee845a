"""A hire records its weekly hours (the backfill ran in its own transaction first)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("employers", "0004_placement_backfill")]

    operations = [
        migrations.AddConstraint(
            model_name="proposal",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "hired"), _negated=True),
                    models.Q(
                        ("hired_start_date__isnull", False),
                        ("hired_weekly_hours__isnull", False),
                        models.Q(("hired_contract_type", ""), _negated=True),
                    ),
                    _connector="OR",
                ),
                name="proposal_hire_has_contract",
            ),
        ),
    ]
