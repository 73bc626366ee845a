"""Importing the QPV file: all or nothing, versioned, and every bad input explained."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from tests.geo.helpers import (
    INSIDE,
    OUTSIDE,
    collection,
    feature,
    polygon,
    square,
    two_neighbourhoods,
)
from tremplin.core.models import AuditEntry
from tremplin.engine.geo import area_from_wkb
from tremplin.geo.models import PriorityNeighbourhood, QpvImport
from tremplin.geo.qpv_file import read_qpv_file
from tremplin.geo.selectors import qpv_index
from tremplin.geo.services import QpvFileRejected, locate_point, qpv_import

pytestmark = pytest.mark.django_db


def snapshot():
    return (
        list(QpvImport.objects.values_list("pk", "is_current", "neighbourhood_count")),
        list(PriorityNeighbourhood.objects.values_list("pk", "code")),
        AuditEntry.objects.filter(action="qpv.import").count(),
    )


def test_import_writes_the_batch_its_outlines_and_an_audit_entry(world):
    admin = world.user("network_admin")
    batch = qpv_import(content=two_neighbourhoods(), source_name="QP2024.geojson", by=admin)
    assert (batch.neighbourhood_count, batch.commune_count) == (2, 2)
    assert batch.is_current and batch.replaced_at is None
    assert batch.imported_by == admin
    assert batch.imported_at == timezone.now()
    north, south = PriorityNeighbourhood.objects.order_by("code")
    assert (north.code, north.name, north.commune_codes) == (
        "QN01391T",
        "Quartier d'essai Nord",
        "13213",
    )
    assert area_from_wkb(bytes(south.geometry_wkb)).geom_type == "Polygon"
    entry = AuditEntry.objects.get(action="qpv.import")
    assert entry.actor == admin
    assert entry.details["neighbourhoods"] == "2"
    assert qpv_index().locate(*INSIDE).code == "QN01391T"


def test_a_new_import_replaces_the_set_and_keeps_the_history(qpv_batch):
    moved = collection(feature(code="QN01393T", name="Autre", geometry=polygon(square(*OUTSIDE))))
    new = qpv_import(content=moved, source_name="QP2025.geojson", by=None)
    qpv_batch.refresh_from_db()
    assert not qpv_batch.is_current and qpv_batch.replaced_at == new.imported_at
    assert list(PriorityNeighbourhood.objects.values_list("code", "batch")) == [
        ("QN01393T", new.pk)
    ]
    # The process's index follows the current batch.
    assert locate_point(longitude=INSIDE[0], latitude=INSIDE[1]).qpv is None
    assert locate_point(longitude=OUTSIDE[0], latitude=OUTSIDE[1]).qpv_code == "QN01393T"
    assert QpvImport.objects.count() == 2


def test_only_one_batch_can_be_current(qpv_batch):
    with pytest.raises(IntegrityError), transaction.atomic():
        QpvImport.objects.create(
            imported_at=timezone.now(), source_name="x", neighbourhood_count=0, commune_count=0
        )


def ring_3d():
    return [[x, y, 0] for x, y in square(*INSIDE)]


BOW_TIE = [[5.42, 43.34], [5.44, 43.36], [5.44, 43.34], [5.42, 43.36], [5.42, 43.34]]
UNCLOSED = square(*INSIDE)[:-1]
LAMBERT = [[893000, 6247000], [894000, 6247000], [894000, 6248000], [893000, 6247000]]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xff\xfe\x00garbage", "n'est pas un texte UTF-8"),
        (b'{"type": "FeatureCollection", "features": [', "n'est pas un JSON valide (ligne 1"),
        (b'{"type": "Feature"}', "doit être une FeatureCollection"),
        (b'{"type": "FeatureCollection"}', "pas de liste « features »"),
        (collection(), "ne contient aucun quartier"),
        (
            collection(feature(), crs={"type": "name", "properties": {"name": "EPSG:2154"}}),
            "système projeté",
        ),
        (collection(feature(geometry={"type": "Point", "coordinates": list(INSIDE)})), "Polygon"),
        (collection(feature(geometry=polygon(UNCLOSED))), "n'est pas fermé"),
        (collection(feature(geometry=polygon(BOW_TIE))), "se recoupe lui-même"),
        (collection(feature(geometry=polygon(LAMBERT))), "Lambert-93"),
        (collection(feature(geometry=None) | {"geometry": None}), "géométrie absente"),
        (
            collection({"type": "Feature", "geometry": polygon(square(*INSIDE))}),
            "pas de propriétés",
        ),
        (collection(feature(code="")), "code du quartier (code_qp)"),
        (collection(feature(name=None)), "nom du quartier (lib_qp)"),
        (collection(feature(communes=None)), "code INSEE de la commune (insee_com)"),
        (collection(feature(communes="Marseille")), "code(s) INSEE de commune invalide(s)"),
        (collection(feature(code="13-XYZ")), "Code de quartier invalide"),
        (collection(feature(), feature(name="Doublon")), "déjà présent (quartier n° 1)"),
        (collection(feature(), ["not a feature"]), "n'est pas une Feature"),
    ],
)
def test_bad_files_are_refused_and_write_nothing(qpv_batch, content, message):
    before = snapshot()
    with pytest.raises(QpvFileRejected) as caught:
        qpv_import(content=content, source_name="bad.geojson", by=None)
    assert "rien n'a été importé" in caught.value.message
    assert any(message in e.message for e in caught.value.report.errors), [
        e.message for e in caught.value.report.errors
    ]
    assert snapshot() == before
    assert qpv_index().locate(*INSIDE).code == "QN01391T"  # the set in force is kept


def test_one_bad_outline_among_good_ones_refuses_the_whole_file(db):
    features = [
        feature(code=f"QN0139{n}T", geometry=polygon(square(5.3 + n / 100, 43.3))) for n in range(5)
    ]
    features.append(feature(code="QN01399T", geometry=polygon(BOW_TIE)))
    with pytest.raises(QpvFileRejected) as caught:
        qpv_import(content=collection(*features), source_name="x.geojson", by=None)
    (error,) = caught.value.report.errors
    assert error.feature == 6
    assert error.message.startswith("QN01399T : le contour se recoupe lui-même")
    assert not QpvImport.objects.exists() and not PriorityNeighbourhood.objects.exists()


def test_property_names_are_matched_liberally(db):
    upper = feature()
    upper["properties"] = {
        "CODE_QP": "qn01391t",
        "NOM_QP": "  Les   Essais ",
        "CODE_INSEE": "13213",
    }
    listed = feature(code="QN01392T", geometry=polygon(square(*OUTSIDE)))
    listed["properties"] = {
        "code_quartier": "QN01392T",
        "quartier_prioritaire": "Deux communes",
        "codes_insee": ["13213", "13214"],
    }
    report = read_qpv_file(collection(upper, listed))
    assert report.ok, report.errors
    assert [(r.code, r.name, r.commune_codes) for r in report.rows] == [
        ("QN01391T", "Les Essais", ("13213",)),
        ("QN01392T", "Deux communes", ("13213", "13214")),
    ]
    assert report.commune_count == 2


def test_a_byte_order_mark_and_wgs84_crs_are_accepted(db):
    crs = {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}
    content = b"\xef\xbb\xbf" + collection(feature(), crs=crs)
    assert read_qpv_file(content).ok


def test_errors_are_counted_beyond_the_listed_ones(db):
    features = [feature(code=f"QN{n:06d}", geometry=polygon(BOW_TIE)) for n in range(250)]
    report = read_qpv_file(collection(*features))
    assert len(report.errors) == 200 and report.more_errors == 50


def test_import_qpv_command(db, tmp_path):
    path = tmp_path / "QP2024_France_Hexagonale_Outre_Mer_WGS84.geojson"
    path.write_bytes(two_neighbourhoods())
    out = StringIO()
    call_command("import_qpv", str(path), stdout=out)
    assert "2 quartiers prioritaires importés (2 communes)" in out.getvalue()
    assert QpvImport.objects.get().source_name == path.name


def test_import_qpv_command_refuses_a_bad_file(qpv_batch, tmp_path):
    path = tmp_path / "bad.geojson"
    path.write_text(json.dumps(json.loads(collection(feature(geometry=polygon(BOW_TIE))))))
    before = snapshot()
    with pytest.raises(CommandError) as caught:
        call_command("import_qpv", str(path), stdout=StringIO())
    assert "quartier n° 1 : QN01391T : le contour se recoupe lui-même" in str(caught.value)
    assert snapshot() == before
    with pytest.raises(CommandError, match="Lecture impossible"):
        call_command("import_qpv", str(tmp_path / "absent.geojson"), stdout=StringIO())
