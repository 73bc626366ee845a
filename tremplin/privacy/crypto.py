"""Field-level encryption of sensitive data at rest: a keyring of Fernet keys, newest first.

The keys come from ``settings.FIELD_ENCRYPTION_KEYS``, read from the environment variable
``TREMPLIN_FIELD_KEYS`` (comma-separated Fernet keys, newest first). The newest key encrypts;
every key decrypts, so a key is retired by putting a new one in front, running
``manage.py rotate_field_keys``, then removing the old one (docs/security.md).

A stored value is ``fk1:<key id>:<Fernet token>``. The key id (the first 12 hex digits of the
SHA-256 of the key) names the key that encrypted it: rotation re-encrypts only what is stale
without trying every key, and a value no key of the ring knows says which key is missing.
It identifies a key without revealing it (a hash of 256 random bits).

Without ``TREMPLIN_FIELD_KEYS``, development and tests derive one key from ``SECRET_KEY``:
DEVELOPMENT ONLY. In production (``TREMPLIN_ENV=production``) a missing key is refused by the
settings (ImproperlyConfigured), and again here should settings be built another way.
"""

import base64
import functools
import hashlib
import json
from collections.abc import Sequence
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.serializers.json import DjangoJSONEncoder

PREFIX = "fk1"


class FieldDecryptionError(Exception):
    """No key of the ring decrypts a stored value (a key removed too early, or tampering)."""


def key_id(key: str | bytes) -> str:
    raw = key.encode() if isinstance(key, str) else key
    return hashlib.sha256(raw.strip()).hexdigest()[:12]


def development_key(secret_key: str) -> str:
    """A Fernet key derived from SECRET_KEY, for development and tests only: whoever knows
    SECRET_KEY (often committed for development) can read the data."""
    digest = hashlib.sha256(b"tremplin.privacy.field-key:" + secret_key.encode()).digest()
    return base64.urlsafe_b64encode(digest).decode()


def generate_key() -> str:
    """A new random key, to put in front of TREMPLIN_FIELD_KEYS."""
    return Fernet.generate_key().decode()


class Keyring:
    """The keys, newest first: the first encrypts, all decrypt."""

    def __init__(self, keys: Sequence[str]) -> None:
        if not keys:
            raise ImproperlyConfigured("A field-encryption keyring needs at least one key.")
        try:
            self._fernets = {key_id(k): Fernet(k.strip().encode()) for k in keys}
        except ValueError as error:
            raise ImproperlyConfigured(
                "TREMPLIN_FIELD_KEYS holds a value that is not a Fernet key "
                "(32 bytes in URL-safe base64)."
            ) from error
        self.key_ids = [key_id(k) for k in keys]
        self.current_id = self.key_ids[0]
        self._multi = MultiFernet([self._fernets[kid] for kid in self.key_ids])

    def encrypt(self, plaintext: bytes) -> str:
        token = self._fernets[self.current_id].encrypt(plaintext).decode()
        return f"{PREFIX}:{self.current_id}:{token}"

    @staticmethod
    def _split(stored: str) -> tuple[str, str]:
        prefix, kid, token = (stored.split(":", 2) + ["", ""])[:3]
        if prefix != PREFIX or not token:
            raise FieldDecryptionError("Not an encrypted field value.")
        return kid, token

    def stored_key_id(self, stored: str) -> str:
        return self._split(stored)[0]

    def is_current(self, stored: str) -> bool:
        return self.stored_key_id(stored) == self.current_id

    def decrypt(self, stored: str) -> bytes:
        kid, token = self._split(stored)
        # The named key first; then every key, in case the id was computed otherwise.
        fernet = self._fernets.get(kid)
        try:
            if fernet is not None:
                return fernet.decrypt(token.encode())
            return self._multi.decrypt(token.encode())
        except InvalidToken:
            raise FieldDecryptionError(
                f"No key of TREMPLIN_FIELD_KEYS decrypts this value (encrypted with key {kid})."
            ) from None

    def rotate(self, stored: str) -> str:
        """The value re-encrypted with the newest key (unchanged if it already is)."""
        kid, token = self._split(stored)
        if kid == self.current_id:
            return stored
        try:
            rotated = self._multi.rotate(token.encode()).decode()
        except InvalidToken:
            raise FieldDecryptionError(
                f"No key of TREMPLIN_FIELD_KEYS decrypts this value (encrypted with key {kid})."
            ) from None
        return f"{PREFIX}:{self.current_id}:{rotated}"


def configured_keys() -> list[str]:
    keys = [k.strip() for k in getattr(settings, "FIELD_ENCRYPTION_KEYS", []) if k.strip()]
    if keys:
        return keys
    if getattr(settings, "PRODUCTION", False):
        raise ImproperlyConfigured("TREMPLIN_FIELD_KEYS must be set in production.")
    return [development_key(settings.SECRET_KEY)]


@functools.lru_cache(maxsize=8)
def _keyring_for(keys: tuple[str, ...]) -> Keyring:
    return Keyring(keys)


def keyring() -> Keyring:
    """The keyring of the current settings (read on each call: tests and rotation change it)."""
    return _keyring_for(tuple(configured_keys()))


def encrypt_json(value: Any) -> str:
    return keyring().encrypt(json.dumps(value, cls=DjangoJSONEncoder, sort_keys=True).encode())


def decrypt_json(stored: str) -> Any:
    return json.loads(keyring().decrypt(stored))
