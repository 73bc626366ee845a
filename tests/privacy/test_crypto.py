"""The field-encryption keyring: tokens name their key, rotation, the keys' configuration."""

import os
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured

from tremplin.privacy import crypto
from tremplin.privacy.crypto import FieldDecryptionError, Keyring, generate_key, key_id

ROOT = Path(__file__).resolve().parent.parent.parent


def test_a_value_is_encrypted_under_the_newest_key_and_names_it() -> None:
    new, old = generate_key(), generate_key()
    ring = Keyring([new, old])
    stored = ring.encrypt("Reconnaissance travailleur handicapé".encode())
    prefix, kid, token = stored.split(":", 2)
    assert (prefix, kid) == ("fk1", key_id(new))
    assert "handicap" not in stored
    assert ring.decrypt(stored) == "Reconnaissance travailleur handicapé".encode()
    # The id names the key without revealing it.
    assert kid not in new


def test_rotation_moves_a_value_to_the_newest_key() -> None:
    a, b = generate_key(), generate_key()
    under_a = Keyring([a]).encrypt(b"RSA")
    ring = Keyring([b, a])
    assert not ring.is_current(under_a)
    rotated = ring.rotate(under_a)
    assert ring.is_current(rotated)
    assert ring.rotate(rotated) == rotated
    assert Keyring([b]).decrypt(rotated) == b"RSA"
    with pytest.raises(FieldDecryptionError, match=key_id(b)):
        Keyring([a]).decrypt(rotated)


def test_a_value_no_key_knows_is_refused_with_its_key_id() -> None:
    a, c = generate_key(), generate_key()
    stored = Keyring([c]).encrypt(b"AAH")
    with pytest.raises(FieldDecryptionError, match=key_id(c)):
        Keyring([a]).decrypt(stored)
    with pytest.raises(FieldDecryptionError):
        Keyring([a]).decrypt("texte en clair")


def test_keys_come_from_the_settings_newest_first(settings: Any) -> None:
    a, b = generate_key(), generate_key()
    settings.FIELD_ENCRYPTION_KEYS = [b, a]
    assert crypto.keyring().current_id == key_id(b)
    assert crypto.decrypt_json(crypto.encrypt_json({"rqth": True})) == {"rqth": True}


def test_development_key_is_derived_from_the_secret_key(settings: Any) -> None:
    settings.FIELD_ENCRYPTION_KEYS = []
    settings.PRODUCTION = False
    first = crypto.keyring().current_id
    assert first == key_id(crypto.development_key(settings.SECRET_KEY))
    settings.SECRET_KEY = "une-autre-cle-secrete-de-developpement"
    assert crypto.keyring().current_id != first


def test_production_without_a_key_is_refused(settings: Any) -> None:
    settings.FIELD_ENCRYPTION_KEYS = []
    settings.PRODUCTION = True
    with pytest.raises(ImproperlyConfigured, match="TREMPLIN_FIELD_KEYS"):
        crypto.keyring()


def test_a_malformed_key_is_refused(settings: Any) -> None:
    settings.FIELD_ENCRYPTION_KEYS = ["pas-une-cle-fernet"]
    with pytest.raises(ImproperlyConfigured, match="not a Fernet key"):
        crypto.keyring()


def _settings_in(tmp_path: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG", "VIRTUAL_ENV"}}
    env.update(
        TREMPLIN_VAR_DIR=str(tmp_path),
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        TREMPLIN_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="tremplin.example.org",
        **extra,
    )
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('ok')"],
        cwd=ROOT,
        env=env | {"DJANGO_SETTINGS_MODULE": "tremplin.settings"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_settings_refuse_to_start_without_keys(tmp_path: Path) -> None:
    missing = _settings_in(tmp_path)
    assert missing.returncode != 0
    assert "ImproperlyConfigured: TREMPLIN_FIELD_KEYS must be set in production" in missing.stderr
    present = _settings_in(tmp_path, TREMPLIN_FIELD_KEYS=f"{generate_key()},{generate_key()}")
    assert present.returncode == 0, present.stderr
    assert present.stdout.strip() == "ok"
