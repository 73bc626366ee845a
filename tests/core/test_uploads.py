"""The shared byte sniffing of uploads: PDF, JPEG, PNG from their first bytes; programs spotted."""

import pytest

from tremplin.core.uploads import (
    JPEG,
    PDF,
    PNG,
    looks_like_a_program,
    megabytes,
    random_name,
    sniff,
)


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (b"%PDF-1.7\n...", PDF),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", JPEG),
        (b"\x89PNG\r\n\x1a\n\x00\x00", PNG),
        (b"GIF89a", None),
        (b" %PDF-1.4 after a space", None),
        (b"", None),
    ],
)
def test_the_kind_comes_from_the_first_bytes(content, kind):
    assert sniff(content) == kind


def test_programs_are_spotted_whatever_their_name():
    assert looks_like_a_program(b"MZ\x90\x00")
    assert looks_like_a_program(b"  #!/bin/sh\n")
    assert not looks_like_a_program(b"%PDF-1.7")


def test_sizes_are_written_the_french_way():
    assert megabytes(6 * 1024 * 1024 + 200 * 1024) == "6,2"


def test_random_names_keep_only_the_extension():
    first, second = random_name("evaluations", "Karim soudure.png"), random_name("x", "a.png")
    assert first.startswith("evaluations/") and first.endswith(".png") and "Karim" not in first
    assert first.split("/")[1] != second.split("/")[1]
