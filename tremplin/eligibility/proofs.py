"""Proof files: what may be uploaded, told from the bytes, and where it is kept.

Only three kinds of documents are proofs: PDF, JPEG and PNG, at most ``MAX_PROOF_BYTES``. The
kind is read from the content by ``core.uploads`` (which says why we sniff bytes ourselves);
this module holds the proofs' policy: the allowed kinds, the size, the messages.

Files are stored under ``MEDIA_ROOT/proofs/`` (outside the web root; no URL serves it) with a
random name and the extension of the detected type; the original name is kept for display
only. They are read back only through the permission-checked download view.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from tremplin.core.uploads import (
    PDF,
    UploadRejected,
    looks_like_a_program,
    megabytes,
    random_name,
    sniff,
)

from .enums import ProofType

MAX_PROOF_BYTES = 5 * 1024 * 1024

EXTENSIONS = {ProofType.PDF: "pdf", ProofType.JPEG: "jpg", ProofType.PNG: "png"}

# The proofs' refusals are the core's: one exception for every rejected upload.
ProofRejected = UploadRejected


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
            % {"name": name, "size": megabytes(len(content))}
        )
    kind = sniff(content)
    if kind is not None:
        if kind == PDF and b"%%EOF" not in content[-1024:]:
            raise ProofRejected(
                _("Le fichier « %(name)s » est un PDF incomplet ou abîmé.") % {"name": name}
            )
        return CheckedProof(ProofType(kind.content_type), kind.extension)
    if looks_like_a_program(content):
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
    return random_name("proofs", filename)
