"""The column list: loaded from its data file, checked against the code it feeds."""

import dataclasses
import re
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from tremplin.candidacies.services import PersonData
from tremplin.engine import tabular
from tremplin.intake.columns import COLUMNS_FILE, DESCRIPTIONS, columns, load_columns
from tremplin.intake.messages import MESSAGES, problem_text


def test_the_shipped_file_loads_and_covers_every_person_fact():
    keys = [column.key for column in columns()]
    assert set(keys) == {f.name for f in dataclasses.fields(PersonData)} | {"motivation"}
    required = {column.header for column in columns() if column.required}
    assert required == {
        "nom",
        "prénom",
        "date de naissance",
        "code postal",
        "commune",
        "diplôme",
        "mobilité",
        "consentement",
    }
    assert set(DESCRIPTIONS) == set(keys)


def broken(tmp_path: Path, old: str, new: str) -> Path:
    text = COLUMNS_FILE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "columns.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "error"),
    [
        ('key = "commune"', 'key = "town"', "unknown key 'town'"),
        ('key = "email"', 'key = "phone"', "key 'phone' twice"),
        ('aliases = ["ville"', 'aliases = ["nom"', "header 'nom'"),
        ("bac2 = [", "bac_plus_2 = [", "highest_diploma: codes"),
        ('"bus", "métro"', '"bus", "voiture"', "'voiture' means two choices"),
        ("not_in_future = true\nage_bounds", "in_future = true\nage_bounds", "unknown settings"),
    ],
)
def test_a_broken_file_is_refused_at_load(tmp_path, old, new, error):
    with pytest.raises(ImproperlyConfigured, match=re.escape(error)):
        load_columns(broken(tmp_path, old, new))


def test_every_problem_the_reader_gives_has_its_sentence():
    source = Path(tabular.__file__).read_text(encoding="utf-8")
    codes = set(re.findall(r'(?:_refuse|_CellError|Problem\(None, None,)\(?\s*"(\w+)"', source))
    assert len(codes) > 20
    assert codes <= set(MESSAGES), sorted(codes - set(MESSAGES))


def test_problem_words():
    assert problem_text("bad_postal_code", {"value": "13"}) == (
        "« 13 » : le code postal compte cinq chiffres."
    )
    assert problem_text("unknown_column", {"header": "tel fixe", "suggestion": "téléphone"}) == (
        "Colonne inconnue « tel fixe » : vouliez-vous dire « téléphone » ? Renommez-la, ou "
        "supprimez-la."
    )
