"""Photos joined to practical evaluations: JPEG or PNG, 5 MB at most, and really an image.

The type comes from the bytes (``core.uploads``); then Pillow opens the photo and checks its
structure (``verify``), so a file that only starts like a JPEG is refused too. Pillow's
decompression-bomb guard refuses images of absurd dimensions. Photos are stored under
``MEDIA_ROOT/evaluations/`` with a random name and served only by a permission-checked view.
"""

from __future__ import annotations

import io
import warnings
from typing import Any

from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from tremplin.core.uploads import (
    JPEG,
    PNG,
    FileKind,
    UploadRejected,
    looks_like_a_program,
    megabytes,
    random_name,
    sniff,
)

MAX_PHOTO_BYTES = 5 * 1024 * 1024
PHOTO_KINDS = {JPEG: "JPEG", PNG: "PNG"}
CONTENT_TYPES = {kind.extension: kind.content_type for kind in PHOTO_KINDS}


def check_photo(name: str, content: bytes) -> FileKind:
    """The photo's kind (JPEG or PNG), or ``UploadRejected`` saying why it is refused."""
    if not content:
        raise UploadRejected(_("Le fichier « %(name)s » est vide.") % {"name": name})
    if len(content) > MAX_PHOTO_BYTES:
        raise UploadRejected(
            _("La photo « %(name)s » pèse %(size)s Mo : 5 Mo au plus.")
            % {"name": name, "size": megabytes(len(content))}
        )
    kind = sniff(content)
    if kind not in PHOTO_KINDS:
        if looks_like_a_program(content):
            raise UploadRejected(
                _(
                    "Le fichier « %(name)s » est un programme, pas une photo : seules les "
                    "images JPEG et PNG sont acceptées."
                )
                % {"name": name}
            )
        raise UploadRejected(
            _(
                "Le fichier « %(name)s » n'est pas une photo : seules les images JPEG et PNG "
                "sont acceptées."
            )
            % {"name": name}
        )
    try:
        with warnings.catch_warnings():
            # Pillow only warns between its two bomb thresholds: refuse those too.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content)) as image:
                opened_as = image.format
                image.verify()
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise UploadRejected(
            _("La photo « %(name)s » est illisible ou trop grande en pixels.") % {"name": name}
        ) from None
    except (OSError, SyntaxError, ValueError):
        # Pillow reports a truncated or corrupt file with one of these.
        raise UploadRejected(
            _("La photo « %(name)s » est incomplète ou abîmée.") % {"name": name}
        ) from None
    if opened_as != PHOTO_KINDS[kind]:
        raise UploadRejected(_("La photo « %(name)s » est incomplète ou abîmée.") % {"name": name})
    return kind


def photo_upload_to(instance: Any, filename: str) -> str:
    """A random name under ``evaluations/``, keeping only the extension of the detected type."""
    return random_name("evaluations", filename)
