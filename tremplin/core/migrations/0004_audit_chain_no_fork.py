"""No two audit entries chain to the same predecessor (after 0003 has chained them all)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_audit_chain"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="auditentry",
            constraint=models.UniqueConstraint(
                fields=("previous_hash",), name="audit_chain_no_fork"
            ),
        ),
    ]
