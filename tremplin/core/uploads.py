"""Telling an uploaded file's type from its bytes, for every upload the project accepts.

The type is read from the first bytes of the content (its « magic number »), never from the
file name or the browser's announced type, which the sender controls. We check the few
signatures we accept ourselves rather than with a detection library (``filetype``,
``python-magic``): an allow-list of fixed prefixes is a dozen lines, and a library that
recognises hundreds of formats would still leave us writing the allow-list, plus the sharper
message for executables (Windows PE « MZ », ELF, Mach-O, scripts « #! ») that people deserve
when they picked the wrong file. Each caller (eligibility proofs, evaluation photos) decides
which kinds it allows and words its own messages.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass


@dataclass(frozen=True)
class FileKind:
    content_type: str
    extension: str


PDF = FileKind("application/pdf", "pdf")
JPEG = FileKind("image/jpeg", "jpg")
PNG = FileKind("image/png", "png")

_SIGNATURES: tuple[tuple[bytes, FileKind], ...] = (
    (b"%PDF-", PDF),
    (b"\xff\xd8\xff", JPEG),
    (b"\x89PNG\r\n\x1a\n", PNG),
)

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


class UploadRejected(ValueError):
    """The file is not acceptable; ``message`` says why, for the person."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def sniff(content: bytes) -> FileKind | None:
    """The kind the content starts with, among PDF, JPEG and PNG; None for anything else."""
    for signature, kind in _SIGNATURES:
        if content.startswith(signature):
            return kind
    return None


def looks_like_a_program(content: bytes) -> bool:
    return content.lstrip().startswith(_EXECUTABLES)


def megabytes(size: int) -> str:
    """``size`` bytes in megabytes, the French way: « 6,2 »."""
    return f"{size / 1024 / 1024:.1f}".replace(".", ",")


def random_name(folder: str, filename: str) -> str:
    """A name under ``folder`` nobody can guess, keeping only ``filename``'s extension.

    Callers name the file after the detected kind (``proof.pdf``), so the extension is ours.
    """
    extension = filename.rsplit(".", 1)[-1] if "." in filename else "bin"
    return f"{folder}/{secrets.token_hex(16)}.{extension}"
