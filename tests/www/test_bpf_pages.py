"""The BPF page per role: a coordinator's site, a network admin's sites one by one or all
together, others refused; the balance shown; bad input explained; CSV and XLSX downloads."""

import io
import re
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from tests import factories
from tests.reports.test_bpf import year_2026  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

URL = "/tableau-de-bord/bpf/"


def table(html, frame):
    match = re.search(rf'<table class="table table-sm" id="bpf-{frame}">(.*?)</table>', html, re.S)
    assert match, frame
    return match.group(1)


def total(html, frame):
    found = re.search(r'data-total="trainees">(\d+)</td><td [^>]*>([\d,]+)<', table(html, frame))
    assert found, frame
    return found.groups()


def test_coordinator_sees_the_three_tables_of_the_year_balanced(client_for, world, year_2026):  # noqa: F811
    response = client_for("coordinator").get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "2026 — Marseille" in html
    # 600 minutes: 10 hours, the same in the three tables.
    for frame in ("F-1", "F-3", "F-4"):
        assert total(html, frame) == ("3", "10,00")
    assert 'data-balanced="yes"' in html and "Équilibré" in html
    assert "Personnes en recherche d&#x27;emploi formées par votre organisme" in table(html, "F-1")
    assert "dont de niveau 3" in table(html, "F-3")
    f4 = table(html, "F-4")
    assert "255" in f4 and "326" in f4 and "Spécialité non renseignée" in f4
    # A coordinator has one site: no « all sites » choice.
    assert "Tous les sites du réseau" not in html


def test_coordinator_cannot_ask_for_another_site(client_for, world, year_2026):  # noqa: F811
    response = client_for("coordinator").get(URL, {"site": world.other_site.pk})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Site inconnu ou hors de votre périmètre." in html
    assert 'id="bpf-F-1"' not in html


def test_network_admin_sees_all_sites_or_one(client_for, world, year_2026):  # noqa: F811
    factories.enrolled(world, world.other_cohort, first_name="Dina", last_name="Diallo")
    client = client_for("network_admin")
    html = client.get(URL).content.decode()
    assert "Tous les sites du réseau" in html
    assert total(html, "F-1") == ("4", "10,00")
    lyon = client.get(URL, {"site": world.other_site.pk, "year": 2026}).content.decode()
    assert total(lyon, "F-1") == ("1", "0,00") and 'data-balanced="yes"' in lyon
    assert "2026 — Lyon" in lyon


@pytest.mark.parametrize("role", ["trainer", "prescriber", "employer", "funder", "learner"])
def test_other_roles_are_refused(client_for, world, role):
    assert client_for(role).get(URL).status_code == 403


@pytest.mark.parametrize(
    ("year", "message"),
    [
        ("deux-mille", "Année non valide : donnez une année en chiffres"),
        ("1850", "Année non valide : choisissez une année de 2020 à 2026."),
        ("2031", "Année non valide : choisissez une année de 2020 à 2026."),
    ],
)
def test_a_bad_year_is_explained_and_nothing_is_shown(client_for, world, year, message):
    client = client_for("coordinator")
    response = client.get(URL, {"year": year})
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html and 'id="bpf-F-1"' not in html
    # Nor downloaded: the page, with the message, instead of a file.
    response = client.get(URL, {"year": year, "format": "csv"})
    assert response["Content-Type"].startswith("text/html") and message in response.content.decode()


def test_csv_download(client_for, world, year_2026):  # noqa: F811
    response = client_for("coordinator").get(URL, {"year": 2026, "format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="bpf-2026-marseille' in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0] == "Cadre;Ligne;Intitulé;Nombre de stagiaires;Nombre total d'heures"
    assert "F-1;c;Personnes en recherche d'emploi formées par votre organisme;2;10,00" in lines
    assert "F-1;e;Autres stagiaires;1;0,00" in lines
    assert sum(line.startswith(("F-1;;Total;3;10,00", "F-3;;Total;3;10,00")) for line in lines) == 2
    assert "F-4;;Total;3;10,00" in lines
    assert lines[-1] == "Contrôle;;Équilibré : oui;;"


def test_xlsx_download_has_typed_numbers(client_for, world, year_2026):  # noqa: F811
    response = client_for("network_admin").get(URL, {"year": 2026, "format": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == (
        "Cadre",
        "Ligne",
        "Intitulé",
        "Nombre de stagiaires",
        "Nombre total d'heures",
    )
    c_line = next(row for row in rows if row[:2] == ("F-1", "c"))
    assert c_line[3] == 2 and isinstance(c_line[3], int)
    assert isinstance(c_line[4], int | float) and Decimal(str(c_line[4])) == Decimal("10")
    assert rows[-1][2] == "Équilibré : oui"


def test_unknown_format_is_refused(client_for, world):
    response = client_for("coordinator").get(URL, {"format": "pdf"})
    assert response.status_code == 400


def test_dashboards_link_to_the_bpf(client_for, world):
    html = client_for("coordinator").get(f"/tableau-de-bord/sites/{world.site.pk}/").content
    assert b'href="/tableau-de-bord/bpf/"' in html
    html = client_for("network_admin").get("/tableau-de-bord/").content
    assert b'href="/tableau-de-bord/bpf/"' in html
