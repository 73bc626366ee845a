"""File storage that never leaves a partial file, and the message for a failed write.

Django's ``FileSystemStorage`` writes an upload straight under its final name: a write that
fails midway (disk full) leaves a truncated file behind, which no row points to. Here the file
is written under a temporary name first and linked under its final name once complete; on any
failure the temporary file is removed, so a file is either all there or not there at all.
"""

import contextlib
import errno
import os
from pathlib import Path

from django.core.files.storage import FileSystemStorage
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _


class AtomicFileSystemStorage(FileSystemStorage):
    def _save(self, name: str, content: object) -> str:
        part = f"{name}.{get_random_string(12)}.part"
        try:
            written = super()._save(part, content)  # type: ignore[misc]
        except BaseException:
            with contextlib.suppress(OSError):
                Path(self.path(part)).unlink()
            raise
        source = self.path(written)
        try:
            while True:
                try:
                    # A link never replaces an existing file (rename would): a name taken
                    # meanwhile gets another, as FileSystemStorage does.
                    os.link(source, self.path(name))
                except FileExistsError:
                    name = self.get_available_name(name)
                else:
                    break
        finally:
            with contextlib.suppress(OSError):
                Path(source).unlink()
        return str(os.path.relpath(self.path(name), self.location)).replace("\\", "/")


def storage_error_message(error: OSError) -> str:
    """What to tell the user when a file could not be written."""
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return _(
            "Le fichier n'a pas pu être enregistré : l'espace disque du serveur est plein. "
            "Rien n'a été enregistré ; réessayez plus tard et prévenez l'administrateur du site."
        )
    return _(
        "Le fichier n'a pas pu être enregistré (erreur d'écriture sur le serveur). "
        "Rien n'a été enregistré ; réessayez plus tard."
    )
