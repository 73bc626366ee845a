"""Importing France Travail offers: a clean file, a second import, every kind of bad input."""

from __future__ import annotations

import copy
import json
import tomllib
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from tremplin.core.models import AuditEntry
from tremplin.employers.enums import ContractType, OpeningSource, OpeningStatus, WorkingTime
from tremplin.employers.francetravail import in_france, read_offer_file, read_offers
from tremplin.employers.imports import (
    OffersImportRejected,
    offers_import,
    offers_preview,
)
from tremplin.employers.models import Opening
from tremplin.employers.perms import can_import_offers
from tremplin.employers.rome import rome_label
from tremplin.employers.rome_map import ROME_COMPETENCIES_PATH, rome_competencies
from tremplin.organisations.models import Organisation
from tremplin.programmes.frameworks import available_frameworks


def offer(offer_id: str = "201ABCD", **fields: Any) -> dict[str, Any]:
    """One offer as the API writes it (Marseille, fibre)."""
    data: dict[str, Any] = {
        "id": offer_id,
        "intitule": "Monteur raccordeur fibre optique H/F",
        "description": "Raccordement d'abonnés FttH dans les Bouches-du-Rhône.",
        "dateCreation": "2026-11-24T09:12:45.000Z",
        "romeCode": "I1315",
        "lieuTravail": {
            "libelle": "13 - Marseille 14e Arrondissement",
            "latitude": 43.3449,
            "longitude": 5.3903,
            "codePostal": "13014",
            "commune": "13214",
        },
        "entreprise": {"nom": "FREE PRO"},
        "typeContrat": "CDI",
        "natureContrat": "Contrat travail",
        "dureeTravailLibelle": "35H Travail en journée",
        "nombrePostes": 2,
    }
    data.update(fields)
    return data


def offers_file() -> dict[str, Any]:
    return {
        "resultats": [
            offer("201ABCD"),
            offer(
                "201ABCE",
                intitule="Technicien datacenter (H/F)",
                romeCode="I1403",
                entreprise={"nom": "Interxion France"},
                typeContrat="MIS",
                nombrePostes=1,
                lieuTravail={
                    "libelle": "13 - Marseille 2e Arrondissement",
                    "latitude": 43.31,
                    "longitude": 5.36,
                    "commune": "13202",
                },
            ),
            offer(
                "201ABCF",
                intitule="Installateur alarme et vidéoprotection",
                romeCode="I1305",
                entreprise={"nom": "Sécurité Réunion"},
                lieuTravail={
                    "libelle": "974 - Saint-Denis",
                    "latitude": -20.88,
                    "longitude": 55.45,
                    "commune": "97411",
                },
                typeContrat="CDD",
                natureContrat="Contrat apprentissage",
            ),
        ],
        "filtresPossibles": [],
    }


def as_bytes(data: Any) -> bytes:
    return json.dumps(data).encode()


def test_mapping_table_names_real_rome_codes_and_framework_competencies() -> None:
    frameworks = {
        (f.code, f.version): {c.code for c in f.competencies()} for f in available_frameworks()
    }
    raw = tomllib.loads(ROME_COMPETENCIES_PATH.read_text(encoding="utf-8"))
    assert raw["rome"]
    for code, items in rome_competencies().items():
        assert rome_label(code), code
        for item in items:
            known = frameworks[(item.framework, item.framework_version)]
            assert set(item.required + item.desired) <= known, (code, item.framework)
    for code in ("I1315", "F1605", "I1307", "I1401", "I1403", "I1309"):
        assert code in rome_competencies()


def test_france_boxes() -> None:
    assert in_france(43.30, 5.37)  # Marseille
    assert in_france(41.93, 8.74)  # Ajaccio
    assert in_france(16.24, -61.53)  # Pointe-à-Pitre
    assert in_france(4.93, -52.33)  # Cayenne
    assert in_france(-12.78, 45.23)  # Mamoudzou
    assert not in_france(5.37, 43.30)  # swapped
    assert not in_france(0.0, 0.0)
    assert not in_france(40.42, -3.70)  # Madrid


def test_valid_file_imports_openings_with_mapped_competencies(world: Any) -> None:
    report = read_offer_file(as_bytes(offers_file()))
    assert report.ok, report.errors
    preview = offers_preview(report)
    assert (preview.created, preview.updated) == (3, 0)
    # « FREE PRO » is the partner « Free Pro »: found, not duplicated.
    assert preview.employers_created == ("Interxion France", "Sécurité Réunion")

    result = offers_import(by=world.user("coordinator"), report=report)

    assert (result.created, result.updated) == (3, 0)
    fibre = Opening.objects.get(source=OpeningSource.FRANCE_TRAVAIL, external_id="201ABCD")
    assert fibre.employer == world.employer
    assert fibre.title == "Monteur raccordeur fibre optique H/F"
    assert fibre.commune == "Marseille 14e Arrondissement"
    assert fibre.commune_code == "13214"
    assert (fibre.latitude, fibre.longitude) == (43.3449, 5.3903)
    assert fibre.contract_type == ContractType.CDI
    assert fibre.hours_label == "35H Travail en journée"
    assert fibre.positions == 2
    assert str(fibre.published_on) == "2026-11-24"
    assert fibre.status == OpeningStatus.OPEN
    required = {(c.block.certification.code, c.code) for c in fibre.required_competencies.all()}
    mapped = rome_competencies()["I1315"][0]
    assert required == {("irtfo", code) for code in mapped.required}
    assert fibre.desired_competencies.count() == len(mapped.desired)

    datacenter = Opening.objects.get(external_id="201ABCE")
    assert datacenter.contract_type == ContractType.INTERIM
    assert datacenter.employer.name == "Interxion France"
    assert datacenter.employer.kind == "employer"
    assert {c.block.certification.code for c in datacenter.required_competencies.all()} == {
        "technicien-datacenter"
    }
    reunion = Opening.objects.get(external_id="201ABCF")
    assert reunion.contract_type == ContractType.APPRENTICESHIP
    assert reunion.commune == "Saint-Denis"
    assert AuditEntry.objects.filter(action="opening.import").count() == 3
    assert AuditEntry.objects.filter(action="organisation.create").count() == 2


def test_reimport_updates_instead_of_duplicating(world: Any) -> None:
    offers_import(by=None, report=read_offer_file(as_bytes(offers_file())))
    opening = Opening.objects.get(external_id="201ABCD")
    opening.status = OpeningStatus.CLOSED  # closed here: an import must not reopen it
    opening.save(update_fields=["status"])
    changed = offers_file()
    changed["resultats"][0]["intitule"] = "Raccordeur fibre (H/F) — CDI"
    changed["resultats"][0]["nombrePostes"] = 3
    changed["resultats"].append(offer("201ABCG", intitule="Monteur réseaux", romeCode="F1605"))

    report = read_offer_file(as_bytes(changed))
    assert offers_preview(report).created == 1
    result = offers_import(by=None, report=report)

    assert (result.created, result.updated) == (1, 3)
    assert result.employers_created == ()
    assert Opening.objects.filter(source=OpeningSource.FRANCE_TRAVAIL).count() == 4
    opening.refresh_from_db()
    assert opening.title == "Raccordeur fibre (H/F) — CDI"
    assert opening.positions == 3
    assert opening.status == OpeningStatus.CLOSED
    assert opening.required_competencies.count() == len(rome_competencies()["I1315"][0].required)
    assert Organisation.objects.filter(name__iexact="Interxion France").count() == 1


def test_same_id_from_another_source_is_another_opening(world: Any) -> None:
    offers_import(by=None, report=read_offer_file(as_bytes([offer("X1")])))
    Opening.objects.update(source=OpeningSource.MANUAL)
    offers_import(by=None, report=read_offer_file(as_bytes([offer("X1")])))
    assert Opening.objects.filter(external_id="X1").count() == 2


def test_working_time_from_the_converted_label(world: Any) -> None:
    """« Temps partiel » → part time; « Temps plein » or no converted label → full time."""
    offers = [
        offer("WT1", dureeTravailLibelleConverti="Temps partiel"),
        offer("WT2", dureeTravailLibelleConverti="Temps plein"),
        offer("WT3"),
    ]
    offers_import(by=None, report=read_offer_file(as_bytes(offers)))
    assert dict(Opening.objects.values_list("external_id", "working_time")) == {
        "WT1": WorkingTime.PART,
        "WT2": WorkingTime.FULL,
        "WT3": WorkingTime.FULL,
    }
    # A second import follows the offer's change of hours.
    again = [offer("WT1", dureeTravailLibelleConverti="Temps plein")]
    offers_import(by=None, report=read_offer_file(as_bytes(again)))
    assert Opening.objects.get(external_id="WT1").working_time == WorkingTime.FULL
    bad = read_offers([offer("WT4", dureeTravailLibelleConverti="Mi-temps")])
    assert [(e.offer_id, e.field) for e in bad.errors] == [("WT4", "dureeTravailLibelleConverti")]


def errors_of(data: Any) -> list[tuple[int | None, str, str]]:
    return [(e.index, e.offer_id, e.field) for e in read_offers(data).errors]


def test_missing_fields_are_named_per_offer() -> None:
    bad = offer("B2")
    del bad["intitule"]
    del bad["typeContrat"]
    bad["entreprise"] = {}
    no_place = offer("B3")
    del no_place["lieuTravail"]
    no_id = offer()
    del no_id["id"]
    no_date = offer("B5", dateCreation="")
    data = [offer("B1"), bad, no_place, no_id, no_date]
    assert errors_of(data) == [
        (2, "B2", "intitule"),
        (2, "B2", "typeContrat"),
        (2, "B2", "entreprise.nom"),
        (3, "B3", "lieuTravail"),
        (4, "", "id"),
        (5, "B5", "dateCreation"),
    ]
    messages = [e.message for e in read_offers(data).errors]
    assert messages[0] == "Intitulé manquant."
    assert "offre anonyme" in messages[2]


def test_unknown_and_unmapped_rome_codes() -> None:
    report = read_offers([offer("R1", romeCode="Z9999"), offer("R2", romeCode="G1602")])
    assert [(e.index, e.offer_id, e.field) for e in report.errors] == [
        (1, "R1", "romeCode"),
        (2, "R2", "romeCode"),
    ]
    assert report.errors[0].message == "Code ROME inconnu : Z9999."
    assert "ne fait pas partie des métiers du programme" in report.errors[1].message


def test_coordinates_outside_france_or_unreadable() -> None:
    place = {"libelle": "13 - Marseille", "commune": "13055"}
    report = read_offers(
        [
            offer("C1", lieuTravail={**place, "latitude": 5.37, "longitude": 43.3}),
            offer("C2", lieuTravail={**place, "latitude": 43.3}),
            offer("C3", lieuTravail={**place, "latitude": "nord", "longitude": 5.3}),
            offer("C4", lieuTravail=place),  # located by commune only: accepted, no point
        ]
    )
    assert [(e.index, e.offer_id, e.field) for e in report.errors] == [
        (1, "C1", "lieuTravail.latitude"),
        (2, "C2", "lieuTravail.longitude"),
        (3, "C3", "lieuTravail.latitude"),
    ]
    assert report.errors[0].message.startswith("Coordonnées hors de France")
    assert [(o.offer_id, o.latitude) for o in report.offers] == [("C4", None)]


def test_duplicate_ids_point_at_the_first() -> None:
    report = read_offers([offer("D1"), offer("D2"), offer("D1")])
    assert [(e.index, e.offer_id, e.field, e.message) for e in report.errors] == [
        (3, "D1", "id", "Identifiant D1 déjà présent (offre n° 1).")
    ]


def test_other_bad_values() -> None:
    report = read_offers(
        [
            offer("V1", nombrePostes=0),
            offer("V2", typeContrat="LIB"),
            offer("V3", dateCreation="hier"),
            offer("V4", intitule="x" * 201),
            "pas une offre",
        ]
    )
    assert [(e.index, e.field) for e in report.errors] == [
        (1, "nombrePostes"),
        (2, "typeContrat"),
        (3, "dateCreation"),
        (4, "intitule"),
        (5, ""),
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xff\xfe", "UTF-8"),
        (b"{", "JSON valide"),
        (b'{"offres": []}', "resultats"),
        (b"[]", "aucune offre"),
    ],
)
def test_unreadable_files(content: bytes, message: str) -> None:
    report = read_offer_file(content)
    assert not report.ok
    assert report.errors[0].index is None
    assert message in report.errors[0].message


def test_one_bad_offer_writes_nothing(world: Any) -> None:
    data = offers_file()
    data["resultats"].append(offer("201ABCD"))  # duplicate id, last in the file
    report = read_offer_file(as_bytes(data))
    assert len(report.offers) == 3 and len(report.errors) == 1

    with pytest.raises(OffersImportRejected) as caught:
        offers_import(by=None, report=report)

    assert "aucune offre n'a été importée" in caught.value.message
    assert not Opening.objects.exists()
    assert not Organisation.objects.filter(name="Interxion France").exists()


def test_missing_framework_rolls_everything_back(world: Any) -> None:
    from tremplin.programmes.models import Competency

    report = read_offer_file(as_bytes(offers_file()))
    # The datacenter framework is not installed: its offers cannot get their competencies.
    Competency.objects.filter(block__certification__code="technicien-datacenter").delete()
    with pytest.raises(OffersImportRejected, match="technicien-datacenter"):
        offers_import(by=None, report=report)
    assert not Opening.objects.exists()
    assert not Organisation.objects.filter(name="Interxion France").exists()


def test_only_coordinators_and_network_admins_import(world: Any) -> None:
    allowed = {r for r, u in world.users.items() if can_import_offers(u)}
    assert allowed == {"network_admin", "coordinator", "outsider_coordinator"}
    report = read_offer_file(as_bytes([offer()]))
    with pytest.raises(OffersImportRejected):
        offers_import(by=world.user("employer"), report=report)
    assert not Opening.objects.exists()


def test_command_imports_a_file_then_updates(world: Any, tmp_path: Path) -> None:
    path = tmp_path / "offres.json"
    path.write_bytes(as_bytes(offers_file()))
    out = StringIO()
    call_command("import_ft_offers", str(path), "--dry-run", stdout=out)
    assert out.getvalue() == (
        "3 offres valides dans offres.json : 3 à créer, 0 à mettre à jour (rien n'a été écrit).\n"
    )
    assert not Opening.objects.exists()

    out = StringIO()
    call_command("import_ft_offers", str(path), stdout=out)
    assert out.getvalue() == (
        "3 offre(s) créée(s), 0 mise(s) à jour depuis offres.json.\n"
        "Employeurs ajoutés : Interxion France, Sécurité Réunion.\n"
    )
    out = StringIO()
    call_command("import_ft_offers", str(path), stdout=out)
    assert out.getvalue() == "0 offre(s) créée(s), 3 mise(s) à jour depuis offres.json.\n"
    assert Opening.objects.count() == 3


def test_command_lists_every_problem_and_writes_nothing(world: Any, tmp_path: Path) -> None:
    data = offers_file()
    data["resultats"][1]["romeCode"] = "Z9999"
    data["resultats"][2] = copy.deepcopy(data["resultats"][0])
    path = tmp_path / "offres.json"
    path.write_bytes(as_bytes(data))
    with pytest.raises(CommandError) as caught:
        call_command("import_ft_offers", str(path), stdout=StringIO())
    assert str(caught.value) == (
        "2 problème(s) dans offres.json : aucune offre n'a été importée.\n"
        "  offre n° 2 (id 201ABCE) [romeCode] : Code ROME inconnu : Z9999.\n"
        "  offre n° 3 (id 201ABCD) [id] : Identifiant 201ABCD déjà présent (offre n° 1)."
    )
    assert not Opening.objects.exists()


def test_command_needs_a_file_or_the_api(world: Any, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="soit un fichier"):
        call_command("import_ft_offers", stdout=StringIO())
    with pytest.raises(CommandError, match="Lecture impossible"):
        call_command("import_ft_offers", str(tmp_path / "absent.json"), stdout=StringIO())
