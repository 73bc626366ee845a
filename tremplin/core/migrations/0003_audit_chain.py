"""The audit journal becomes a hash chain (core/audit_chain.py, docs/security.md).

The two hash columns are added empty, then the chain of the existing entries is computed in id
order (keyset pages of 2,000: memory stays flat; works on SQLite and PostgreSQL). The unique
constraint that forbids forks comes in 0004, in its own transaction: on PostgreSQL a table
altered after rows were updated in the same transaction may refuse the change.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

from tremplin.core.audit_chain import rechain


def backfill(apps, schema_editor):
    rechain(apps.get_model("core", "AuditEntry"), using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_scheduledrun"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditentry",
            name="at",
            field=models.DateTimeField(
                db_index=True,
                default=django.utils.timezone.now,
                editable=False,
                verbose_name="date",
            ),
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="actor",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="auditentry",
            name="previous_hash",
            field=models.CharField(default="", editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditentry",
            name="entry_hash",
            field=models.CharField(default="", editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=False),
    ]
