"""`manage.py rotate_field_keys`: under A, then keys "B,A", rotate; B alone reads all, A none."""

from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from tests import factories
from tremplin.privacy.crypto import FieldDecryptionError, generate_key, key_id
from tremplin.privacy.enums import ConsentPurpose
from tremplin.privacy.models import SensitiveProfile
from tremplin.privacy.services import consent_give, sensitive_profile_update


def _profiles(world: Any, count: int) -> list[Any]:
    coordinator = world.user("coordinator")
    people = []
    for n in range(count):
        person = factories.referral(world).person
        consent_give(by=coordinator, person=person, purpose=ConsentPurpose.SENSITIVE)
        sensitive_profile_update(coordinator, person, notes=f"Suivi social n° {n}", rqth=True)
        people.append(person)
    return people


def _rotate(batch_size: int = 2) -> str:
    out = StringIO()
    call_command("rotate_field_keys", batch_size=batch_size, stdout=out)
    return out.getvalue()


def test_rotation_moves_every_row_to_the_new_key(world: Any, settings: Any) -> None:
    a, b = generate_key(), generate_key()
    settings.FIELD_ENCRYPTION_KEYS = [a]
    people = _profiles(world, 3)
    before = {p.pk: p.ciphertext for p in SensitiveProfile.objects.all()}
    assert all(c.startswith(f"fk1:{key_id(a)}:") for c in before.values())

    settings.FIELD_ENCRYPTION_KEYS = [b, a]
    # Batches of 2: the third row is in a second batch.
    report = _rotate()
    assert "3 ligne(s) lue(s), 3 rechiffrée(s), 0 déjà à la clé courante" in report
    assert "Rotation terminée : 3 rechiffrée(s) sur 3 ligne(s)." in report
    # Run again: nothing left to do.
    assert "3 ligne(s) lue(s), 0 rechiffrée(s), 3 déjà à la clé courante" in _rotate()

    settings.FIELD_ENCRYPTION_KEYS = [b]
    for profile in SensitiveProfile.objects.all():
        assert profile.ciphertext.startswith(f"fk1:{key_id(b)}:")
        assert profile.ciphertext != before[profile.pk]
        assert profile.data["notes"].startswith("Suivi social n° ")
    assert sorted(SensitiveProfile.objects.get(person=p).data["notes"] for p in people) == [
        "Suivi social n° 0",
        "Suivi social n° 1",
        "Suivi social n° 2",
    ]

    settings.FIELD_ENCRYPTION_KEYS = [a]
    for profile in SensitiveProfile.objects.all():
        with pytest.raises(FieldDecryptionError):
            profile.data  # noqa: B018


def test_rotation_stops_on_a_value_no_key_decrypts(world: Any, settings: Any) -> None:
    a, b, lost = generate_key(), generate_key(), generate_key()
    settings.FIELD_ENCRYPTION_KEYS = [lost]
    _profiles(world, 1)
    settings.FIELD_ENCRYPTION_KEYS = [a]
    _profiles(world, 1)
    settings.FIELD_ENCRYPTION_KEYS = [b, a]
    err = StringIO()
    with pytest.raises(CommandError, match="1 valeur"):
        call_command("rotate_field_keys", stdout=StringIO(), stderr=err)
    assert key_id(lost) in err.getvalue()
    # The readable row was rotated all the same; the other is left as it was.
    kids = sorted(p.ciphertext.split(":")[1] for p in SensitiveProfile.objects.all())
    assert kids == sorted([key_id(b), key_id(lost)])
