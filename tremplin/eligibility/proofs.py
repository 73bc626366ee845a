"""Proof files: what may be uploaded, told from the bytes, and where it is kept.

Only three kinds of documents are proofs: PDF, JPEG and PNG, at most ``MAX_PROOF_BYTES``. The
kind is read from the first bytes of the content (its « magic number »), never from the file
name or the browser's announced type, which the sender controls. We check the three
signatures ourselves rather than with a detection library (``filetype``, ``python-magic``):
an allow-list of three fixed prefixes is a dozen lines, and a library that recognises hundreds
of formats would still leave us writing the allow-list, plus the sharper message for
executables (Windows PE « MZ », ELF, Mach-O, scripts « #! ») that people deserve when they
picked the wrong file.

Files are stored under ``MEDIA_ROOT/proofs/`` (outside the web root; no URL serves it) with a
random name and the extension of the detected type; the original name is kept for display
only. They are read back only through the permission-checked download view.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from .enums import ProofType

MAX_PROOF_BYTES = 5 * 1024 * 1024

_SIGNATURES: tuple[tuple[bytes, ProofType], ...] = (
    (b"%PDF-", ProofType.PDF),
    (b"\xff\xd8\xff", ProofType.JPEG),
    (b"\x89PNG\r\n\x1a\n", ProofType.PNG),
)
EXTENSIONS = {ProofType.PDF: "pdf", ProofType.JPEG: "jpg", ProofType.PNG: "png"}

# Programs, whatever their name says: Windows PE, ELF, Mach-O (32/64 bits, both byte orders,
# universal), Java classes share Mach-O's universal magic, and scripts with a shebang.
_EXECUTABLES: tuple[bytes, ...] = (
    b"MZ",
    b"\x7fELF",
    b"\xfe\xed\xfa\xce",
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",
    b"#!",
)


class ProofRejected(ValueError):
    """The file is not an acceptable proof; ``message`` says why, for the person."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class CheckedProof:
    content_type: ProofType
    extension: str


def check_proof(name: str, content: bytes) -> CheckedProof:
    """The type of a proof from its content, or ``ProofRejected`` with a clear message."""
    if not content:
        raise ProofRejected(_("Le fichier « %(name)s » est vide.") % {"name": name})
    if len(content) > MAX_PROOF_BYTES:
        raise ProofRejected(
            _("Le fichier « %(name)s » pèse %(size)s Mo : 5 Mo au plus.")
            % {"name": name, "size": f"{len(content) / 1024 / 1024:.1f}".replace(".", ",")}
        )
    for signature, kind in _SIGNATURES:
        if content.startswith(signature):
            if kind == ProofType.PDF and b"%%EOF" not in content[-1024:]:
                raise ProofRejected(
                    _("Le fichier « %(name)s » est un PDF incomplet ou abîmé.") % {"name": name}
                )
            return CheckedProof(kind, EXTENSIONS[kind])
    if content.lstrip().startswith(_EXECUTABLES):
        raise ProofRejected(
            _(
                "Le fichier « %(name)s » est un programme, pas un document : seuls les PDF, "
                "JPEG et PNG sont acceptés."
            )
            % {"name": name}
        )
    raise ProofRejected(
        _("Le fichier « %(name)s » n'est ni un PDF, ni un JPEG, ni un PNG.") % {"name": name}
    )


def proof_upload_to(instance: Any, filename: str) -> str:
    """A random name under ``proofs/``, keeping only the extension of the detected type."""
    extension = filename.rsplit(".", 1)[-1] if "." in filename else "bin"
    return f"proofs/{secrets.token_hex(16)}.{extension}"
