"""A consent record for each consent already given before records existed.

The wording people saw then is not known: version « avant-2026-12 », no text hash. The date is
the person's consent date (or their record's creation); nobody is named as having collected it.
A withdrawn consent to employers left no trace before: nothing to record for it.
"""

from django.db import migrations

UNKNOWN_VERSION = "avant-2026-12"


def forwards(apps, schema_editor):
    Person = apps.get_model("people", "Person")
    ConsentRecord = apps.get_model("privacy", "ConsentRecord")
    records = []
    people = Person.objects.only(
        "pk", "consent_programme", "consent_employers", "consent_at", "created_at"
    )
    for person in people.order_by("pk").iterator(chunk_size=2000):
        at = person.consent_at or person.created_at
        for purpose, given in (
            ("programme", person.consent_programme),
            ("employers", person.consent_employers),
        ):
            if given:
                records.append(
                    ConsentRecord(
                        person_id=person.pk,
                        purpose=purpose,
                        text_version=UNKNOWN_VERSION,
                        text_sha256="",
                        given_at=at,
                    )
                )
        if len(records) >= 2000:
            ConsentRecord.objects.bulk_create(records)
            records = []
    ConsentRecord.objects.bulk_create(records)


def backwards(apps, schema_editor):
    apps.get_model("privacy", "ConsentRecord").objects.filter(
        text_version=UNKNOWN_VERSION
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("privacy", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
