"""The communes table: the shipped file, its loading (idempotent), finding a commune."""

import csv
import gzip
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tremplin.geo.communes import (
    find_commune,
    load_communes,
    normalise_commune_name,
    read_communes_file,
)
from tremplin.geo.models import Commune, CommunePostalCode

pytestmark = pytest.mark.django_db


def test_shipped_file_covers_france_with_the_arrondissements():
    rows = read_communes_file()
    codes = {r["insee_code"]: r for r in rows}
    assert 34_000 < len(rows) < 36_000
    arrondissements = [r for r in rows if r["kind"] == "arrondissement"]
    assert len(arrondissements) == 45  # Paris 20, Lyon 9, Marseille 16
    assert {r["parent_insee"] for r in arrondissements} == {"75056", "69123", "13055"}
    assert codes["13213"]["name"] == "Marseille 13e Arrondissement"
    assert codes["13213"]["postal_codes"] == "13013"
    located = [r for r in rows if r["longitude"]]
    assert len(located) / len(rows) > 0.99
    # Metropolitan points fall inside metropolitan France's box.
    for r in located:
        if r["department"] < "97":
            assert -5.3 < float(r["longitude"]) < 9.7, r
            assert 41.3 < float(r["latitude"]) < 51.2, r


def test_marseille_arrondissements_are_units_of_their_own(communes_13):
    arrondissements = Commune.objects.filter(parent_insee="13055").order_by("insee_code")
    assert [c.insee_code for c in arrondissements] == [f"132{n:02d}" for n in range(1, 17)]
    thirteenth = Commune.objects.get(insee_code="13213")
    assert thirteenth.kind == "arrondissement"
    assert thirteenth.department == "13"
    assert thirteenth.population > 50_000
    assert 5.3 < thirteenth.longitude < 5.6 and 43.2 < thirteenth.latitude < 43.5
    assert list(thirteenth.postal_codes.values_list("postal_code", flat=True)) == ["13013"]
    assert Commune.objects.exclude(department="13").count() == 0


def test_loading_twice_changes_nothing(communes_13):
    before = (Commune.objects.count(), CommunePostalCode.objects.count())
    again = load_communes(departments=["13"])
    assert (again.communes, again.postal_codes) == before
    assert (Commune.objects.count(), CommunePostalCode.objects.count()) == before
    assert again.removed == 0


def write_file(path, rows):
    buffer = StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    path.write_bytes(gzip.compress(buffer.getvalue().encode()))
    return path


def test_a_full_load_removes_the_communes_that_left_the_file(communes_13, tmp_path):
    kept = [r for r in read_communes_file(departments=["13"]) if r["insee_code"] == "13005"]
    kept[0] = kept[0] | {"name": "Aubagne (renommée)", "population": "1"}
    loaded = load_communes(path=write_file(tmp_path / "c.csv.gz", kept))
    assert loaded.communes == 1
    assert loaded.removed > 100
    commune = Commune.objects.get()
    assert (commune.name, commune.population) == ("Aubagne (renommée)", 1)
    assert commune.postal_codes.count() == 1


def test_load_communes_command(db):
    out = StringIO()
    call_command("load_communes", "--department", "2A", stdout=out)
    assert "communes et arrondissements" in out.getvalue()
    assert Commune.objects.filter(insee_code="2A004", name="Ajaccio").exists()
    # Corsican postal codes start with 20, its departments are 2A and 2B.
    assert find_commune(postal_code="20999", name="Ajaccio").insee_code == "2A004"
    with pytest.raises(CommandError, match="Aucune commune"):
        call_command("load_communes", "--department", "00", stdout=StringIO())


def test_names_are_compared_without_case_accents_or_abbreviations():
    assert normalise_commune_name("Saint-Étienne-du-Rouvray") == "saint etienne du rouvray"
    assert normalise_commune_name("ST ETIENNE  DU ROUVRAY") == "saint etienne du rouvray"
    assert normalise_commune_name("Ste-Marie") == "sainte marie"
    assert normalise_commune_name("L'Île-Rousse") == "l ile rousse"


@pytest.mark.parametrize(
    ("postal_code", "name", "expected"),
    [
        ("13013", "Marseille", "13213"),  # the arrondissement, not the city
        ("13013", "MARSEILLE 13", "13213"),
        ("13013", "", "13213"),
        ("13001", "marseille", "13201"),
        ("13100", "Aix en Provence", "13001"),
        ("13400", "Aubagne", "13005"),
        ("13999", "Aubagne", "13005"),  # a mistyped postal code: the name in its department
        ("", "Aubagne", "13005"),
        ("13400", "Paris", "13005"),  # a lone commune for the postal code: taken
        ("99999", "Nulle-Part", None),
        ("", "", None),
    ],
)
def test_find_commune(communes_13, postal_code, name, expected):
    found = find_commune(postal_code=postal_code, name=name)
    assert (found.insee_code if found else None) == expected


def test_a_postal_code_shared_by_communes_needs_the_name(communes_13):
    shared = (
        CommunePostalCode.objects.filter(commune__kind="commune", commune__department="13")
        .exclude(commune__insee_code="13055")
        .values("postal_code")
        .annotate(n=__import__("django.db.models").db.models.Count("commune"))
        .filter(n__gt=1)
        .order_by("postal_code")
        .first()
    )
    assert shared is not None
    communes = Commune.objects.filter(postal_codes__postal_code=shared["postal_code"])
    assert find_commune(postal_code=shared["postal_code"], name="") is None
    second = communes.order_by("-insee_code").first()
    assert find_commune(postal_code=shared["postal_code"], name=second.name) == second
