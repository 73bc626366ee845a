"""Proof files: the type is read from the content; programs, big and odd files are refused."""

import pytest

from tremplin.demo.documents import minimal_pdf
from tremplin.eligibility.proofs import MAX_PROOF_BYTES, ProofRejected, check_proof

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40


@pytest.mark.parametrize(
    ("content", "content_type", "extension"),
    [
        (minimal_pdf("Attestation CAF"), "application/pdf", "pdf"),
        (JPEG, "image/jpeg", "jpg"),
        (PNG, "image/png", "png"),
    ],
)
def test_accepted_types_are_told_from_the_bytes(content, content_type, extension):
    # The name says nothing: a PNG called « .pdf » is a PNG.
    checked = check_proof("attestation.pdf", content)
    assert (checked.content_type, checked.extension) == (content_type, extension)


@pytest.mark.parametrize(
    "content",
    [
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 100,  # Windows PE
        b"\x7fELF\x02\x01\x01" + b"\x00" * 100,  # Linux ELF
        b"\xcf\xfa\xed\xfe\x07\x00\x00\x01" + b"\x00" * 100,  # Mach-O 64
        b"\xca\xfe\xba\xbe" + b"\x00" * 100,  # Mach-O universal
        b"#!/bin/sh\nrm -rf ~\n",  # script
    ],
)
def test_a_program_named_pdf_is_refused_as_a_program(content):
    with pytest.raises(ProofRejected) as error:
        check_proof("attestation-caf.pdf", content)
    assert error.value.message == (
        "Le fichier « attestation-caf.pdf » est un programme, pas un document : seuls les PDF, "
        "JPEG et PNG sont acceptés."
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"GIF89a" + b"\x00" * 50, "n'est ni un PDF, ni un JPEG, ni un PNG."),
        (b"PK\x03\x04" + b"\x00" * 50, "n'est ni un PDF, ni un JPEG, ni un PNG."),
        (b"<html><script>alert(1)</script>", "n'est ni un PDF, ni un JPEG, ni un PNG."),
        (b" %PDF-1.4 hidden after a space", "n'est ni un PDF, ni un JPEG, ni un PNG."),
        (b"%PDF-1.4\n1 0 obj\n", "est un PDF incomplet ou abîmé."),
        (b"", "est vide."),
    ],
)
def test_other_content_is_refused_with_a_clear_message(content, message):
    with pytest.raises(ProofRejected, match=message):
        check_proof("piece.pdf", content)


def test_six_megabytes_are_refused_five_are_taken():
    pdf = minimal_pdf("Attestation")
    five = pdf[:-6] + b" " * (MAX_PROOF_BYTES - len(pdf)) + pdf[-6:]
    assert len(five) == MAX_PROOF_BYTES
    assert check_proof("cinq.pdf", five).extension == "pdf"
    with pytest.raises(ProofRejected) as error:
        check_proof("six.pdf", b"%PDF-1.4\n" + b"0" * (6 * 1024 * 1024))
    assert error.value.message == "Le fichier « six.pdf » pèse 6,0 Mo : 5 Mo au plus."
