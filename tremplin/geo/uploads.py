"""QPV files waiting between their preview and their import, kept outside the web root."""

import re
import secrets
import time
from pathlib import Path

from django.conf import settings

_NAME = re.compile(r"^[0-9a-f]{32}\.geojson$")
# A preview's confirmation lasts an hour (www.geo.forms.CONFIRM_MAX_AGE): files older than a
# day were never confirmed and are removed when the next file arrives.
KEEP_SECONDS = 24 * 3600


def _folder() -> Path:
    return Path(settings.MEDIA_ROOT) / "geo" / "qpv-uploads"


def store_upload(content: bytes) -> str:
    """Keep the uploaded file under a random name; the name alone gives no access to it."""
    folder = _folder()
    folder.mkdir(parents=True, exist_ok=True)
    cutoff = time.time() - KEEP_SECONDS
    for old in folder.glob("*.geojson"):
        if old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)
    name = f"{secrets.token_hex(16)}.geojson"
    (folder / name).write_bytes(content)
    return name


def upload_path(name: str) -> Path | None:
    """The stored file's path, or None for a name we did not give or a file now gone."""
    if not _NAME.match(name):
        return None
    path = _folder() / name
    return path if path.is_file() else None


def delete_upload(name: str) -> None:
    path = upload_path(name)
    if path is not None:
        path.unlink(missing_ok=True)
