"""Spotting a social security number (NIR) in free text, and the validator built on it."""

import datetime
import random

import pytest
from django.core.exceptions import ValidationError

from tremplin.core.validators import refuse_nir
from tremplin.engine.nir import find_nir
from tremplin.engine.tabular import Column, Kind, read_table


def key_of(body: str) -> str:
    """INSEE's key, computed here independently: 97 - number mod 97, 2A → 19, 2B → 18."""
    digits = body.replace("2A", "19").replace("2B", "18") if body[5:7] in ("2A", "2B") else body
    return f"{97 - int(digits) % 97:02d}"


def wrong_key(body: str) -> str:
    return f"{(int(key_of(body)) % 97) + 1:02d}"


BODIES = [
    "1850775123456",  # a man born in July 1985 in Paris
    "2690549588157",  # a woman born in May 1969 in Deux-Sèvres
    "1991299352007",  # born abroad (department 99)
    "2064097105123",  # pseudo-month 40 (INSEE's rule for an unknown month)
    "1835020123045",  # pseudo-month 50+
    "7841211456789",  # a temporary number (7)
    "8000101001001",  # a temporary number (8), month 01
    "2550897412001",  # overseas (Réunion, 974 12)
]
CORSICA = ["185052A123456", "292112B045001"]


def spaced(nir: str) -> str:
    return f"{nir[0]} {nir[1:3]} {nir[3:5]} {nir[5:7]} {nir[7:10]} {nir[10:13]} {nir[13:]}".strip()


@pytest.mark.parametrize("body", BODIES + CORSICA)
def test_a_nir_with_its_correct_key_is_found_however_written(body):
    nir = body + key_of(body)
    for written in (nir, spaced(nir), spaced(nir).replace(" ", "."), nir.lower()):
        assert find_nir(written) is not None, written
        assert find_nir(f"Son numéro de sécu : {written}, merci.") is not None


@pytest.mark.parametrize("body", BODIES + CORSICA)
def test_thirteen_characters_without_key_are_found(body):
    assert find_nir(body) is not None
    assert find_nir(f"NIR {spaced(body)} (clé inconnue)") is not None


@pytest.mark.parametrize("body", BODIES + CORSICA)
def test_a_wrong_key_is_not_a_nir(body):
    assert find_nir(body + wrong_key(body)) is None
    assert find_nir(spaced(body + wrong_key(body))) is None


def test_corsica_keys_count_2a_as_19_and_2b_as_18():
    for body in CORSICA:
        naive = f"{97 - int(body.replace('A', '0').replace('B', '0')) % 97:02d}"
        assert naive != key_of(body)
        assert find_nir(body + naive) is None
        assert find_nir(body + key_of(body)) is not None


def test_random_fifteen_digit_numbers_with_wrong_keys_are_accepted():
    rng = random.Random(8)
    for _ in range(2000):
        body = f"{rng.choice('1278')}{rng.randrange(10**12):012d}"
        assert find_nir(body + wrong_key(body)) is None


@pytest.mark.parametrize(
    "text",
    [
        "06 12 34 56 78",
        "0612345678",
        "06.12.34.56.78",
        "+33 6 12 34 56 78",
        "+33612345678",
        "06 12 34 56 78 ou 07 98 76 54 32",
        "SIREN 732 829 320",
        "732829320",
        "SIRET 732 829 320 00074",
        "73282932000074",
        "SIRET 123 456 789 01234",
        "12345678901234",
        "18507751234567",  # 14 digits: a SIRET's length, not a NIR's
        "1851375123456",  # month 13
        "1852575123456",  # month 25
        "1850700123456",  # department 00
        "3850775123456",  # sex 3
        "Promotions 2019 2020 2021 2022 2023",
        "Code postal 13015, né le 12/03/1990",
        "",
    ],
)
def test_other_numbers_are_not_taken_for_a_nir(text):
    assert find_nir(text) is None


def test_the_validator_refuses_a_nir_with_a_french_message():
    body = BODIES[0]
    with pytest.raises(ValidationError) as error:
        refuse_nir(f"Numéro {spaced(body + key_of(body))}")
    assert error.value.code == "nir"
    assert error.value.messages == [
        "Ne saisissez pas de numéro de sécurité sociale : Tremplin n'en a pas besoin."
    ]


@pytest.mark.parametrize("value", ["06 12 34 56 78", "SIRET 732 829 320 00074", "", None, 42])
def test_the_validator_lets_anything_else_through(value):
    refuse_nir(value)


COLUMNS = (
    Column("last_name", "nom", Kind.NAME, required=True, max_length=80),
    Column("phone", "téléphone", Kind.PHONE),
    Column("motivation", "motivation", Kind.TEXT, max_length=2000),
)


def test_the_file_reader_makes_a_row_holding_a_nir_invalid_without_keeping_it():
    nir = BODIES[0] + key_of(BODIES[0])
    content = (
        "nom;téléphone;motivation\n"
        "Arnaud;06 12 34 56 78;Fibre optique\n"
        f"Rossi;{nir};\n"
        f"Haddad;;Mon NIR est {spaced(nir)}\n"
        "Martin;;SIRET de mon ancien employeur : 732 829 320 00074\n"
    ).encode()
    table = read_table(content, COLUMNS, today=datetime.date(2026, 11, 30))
    assert [r.values["last_name"] for r in table.rows] == ["Arnaud", "Martin"]
    assert table.invalid_rows == [3, 4]
    assert [(p.row, p.column, p.code, p.params) for p in table.problems] == [
        (3, "phone", "nir", {}),
        (4, "motivation", "nir", {}),
    ]
    assert table.holds_nir
