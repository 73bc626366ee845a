"""Geography pages: the QPV upload (network admins), the location lookup (referrers)."""

import os
import time

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.auth import log_in
from tests.geo import fixtures as geo_fixtures
from tests.geo.helpers import (
    INSIDE,
    OUTSIDE,
    collection,
    feature,
    polygon,
    two_neighbourhoods,
)
from tremplin.core.models import TaskProgress
from tremplin.geo.models import PriorityNeighbourhood, QpvImport

pytestmark = pytest.mark.django_db
# The geography tests' fixtures, under their own names so that pytest finds them here.
communes_13 = geo_fixtures.communes_13
qpv_batch = geo_fixtures.qpv_batch
fake_ban = geo_fixtures.fake_ban

UPLOAD = reverse("qpv_import")
CONFIRM = reverse("qpv_import_confirm")
LOOKUP = reverse("location_lookup")
BOW_TIE = [[5.42, 43.34], [5.44, 43.36], [5.44, 43.34], [5.42, 43.36], [5.42, 43.34]]


def upload(client, content, name="QP2024_France_Hexagonale_Outre_Mer_WGS84.geojson"):
    return client.post(UPLOAD, {"file": SimpleUploadedFile(name, content)})


def stored_uploads(settings):
    folder = settings.MEDIA_ROOT / "geo" / "qpv-uploads"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def nothing_imported():
    return not QpvImport.objects.exists() and not PriorityNeighbourhood.objects.exists()


# Who may do what.


def test_network_admin_uploads(client_for):
    page = client_for("network_admin").get(UPLOAD)
    assert page.status_code == 200
    assert "Aucun fichier importé" in page.content.decode()


@pytest.mark.parametrize(
    "role", ["coordinator", "trainer", "prescriber", "employer", "funder", "learner"]
)
def test_other_roles_may_not_upload(client_for, role):
    client = client_for(role)
    assert client.get(UPLOAD).status_code == 403
    assert upload(client, two_neighbourhoods()).status_code == 403
    assert client.post(CONFIRM, {"token": "x"}).status_code == 403
    assert nothing_imported()


def test_anonymous_visitors_go_to_the_login(client):
    for url in (UPLOAD, LOOKUP):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    response = client.post(CONFIRM, {"token": "x"})
    assert response.status_code == 302 and nothing_imported()


@pytest.mark.parametrize("role", ["prescriber", "coordinator", "network_admin"])
def test_referrers_look_up(client_for, role):
    assert client_for(role).get(LOOKUP).status_code == 200


@pytest.mark.parametrize("role", ["trainer", "employer", "funder", "learner"])
def test_other_roles_may_not_look_up(client_for, role):
    assert (
        client_for(role).get(LOOKUP, {"latitude": "43.35", "longitude": "5.43"}).status_code == 403
    )


def test_the_menu_links_the_pages_by_role(client_for):
    admin_page = client_for("network_admin").get(reverse("home")).content.decode()
    assert f'href="{UPLOAD}"' in admin_page and f'href="{LOOKUP}"' in admin_page
    prescriber_page = client_for("prescriber").get(reverse("home")).content.decode()
    assert f'href="{LOOKUP}"' in prescriber_page and f'href="{UPLOAD}"' not in prescriber_page


# Upload: preview, then import in the background.


def test_upload_preview_then_import(client_for, settings, django_capture_on_commit_callbacks):
    client = client_for("network_admin")
    preview = upload(client, two_neighbourhoods())
    html = preview.content.decode()
    assert "2 quartiers prioritaires valides dans 2 communes." in html
    assert "Quartier d&#x27;essai Nord" in html
    assert nothing_imported()  # a preview writes nothing
    token = preview.context["token"]
    assert len(stored_uploads(settings)) == 1

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(CONFIRM, {"token": token})
    progress = TaskProgress.objects.get(kind="qpv_import")
    assert response["Location"] == reverse("task_progress", args=[progress.pk])
    assert progress.status == "done"
    assert progress.message == "2 quartiers prioritaires importés"
    batch = QpvImport.objects.get()
    assert batch.source_name == "QP2024_France_Hexagonale_Outre_Mer_WGS84.geojson"
    assert batch.imported_by.email == "admin.reseau@example.org"
    assert PriorityNeighbourhood.objects.count() == 2
    assert stored_uploads(settings) == []  # the uploaded file is not kept

    page = client.get(UPLOAD).content.decode()
    assert "2 quartiers dans 2 communes" in page
    # The same confirmation cannot import twice: its file is gone.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(CONFIRM, {"token": token})
    again = TaskProgress.objects.filter(kind="qpv_import").order_by("-pk").first()
    assert again.status == "failed" and "plus disponible" in again.message
    assert QpvImport.objects.count() == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            collection(feature(geometry=polygon(BOW_TIE))),
            "QN01391T : le contour se recoupe lui-même",
        ),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "n&#x27;est pas un texte UTF-8"),
        (b"{not json", "n&#x27;est pas un JSON valide"),
        (collection(feature(communes=None)), "code INSEE de la commune (insee_com)"),
    ],
)
def test_a_bad_file_is_explained_and_nothing_is_kept(client_for, settings, content, message):
    response = upload(client_for("network_admin"), content)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Fichier refusé : 1 problème. Rien n'a été importé." in html
    assert message in html
    assert response.context["token"] == ""
    assert CONFIRM not in html
    assert nothing_imported() and stored_uploads(settings) == []


def test_unconfirmed_uploads_do_not_pile_up(client_for, settings):
    client = client_for("network_admin")
    upload(client, two_neighbourhoods())
    (forgotten,) = stored_uploads(settings)
    day_old = time.time() - 25 * 3600
    os.utime(settings.MEDIA_ROOT / "geo" / "qpv-uploads" / forgotten, (day_old, day_old))
    upload(client, two_neighbourhoods())
    remaining = stored_uploads(settings)
    assert len(remaining) == 1 and forgotten not in remaining


def test_an_upload_without_file_is_refused(client_for):
    response = client_for("network_admin").post(UPLOAD, {})
    assert "Ce champ est obligatoire." in response.content.decode()
    assert nothing_imported()


@pytest.mark.parametrize("token", ["", "forged:token", "eyJ1cGxvYWQiOiJ4In0:1abc:sig"])
def test_a_forged_confirmation_is_refused(client_for, token):
    response = client_for("network_admin").post(CONFIRM, {"token": token})
    assert response["Location"] == UPLOAD
    assert [m.message for m in get_messages(response.wsgi_request)]
    assert nothing_imported() and not TaskProgress.objects.exists()


def test_a_confirmation_is_personal(client, world, django_capture_on_commit_callbacks):
    from tests import factories

    log_in(client, world.user("network_admin"))
    token = upload(client, two_neighbourhoods()).context["token"]
    other = factories.user("network_admin", "autre.admin@example.org", world.network)
    log_in(client, other)
    response = client.post(CONFIRM, {"token": token})
    messages = [m.message for m in get_messages(response.wsgi_request)]
    assert messages == ["Confirmation invalide : déposez le fichier à nouveau."]
    assert nothing_imported()


# Lookup.


def test_lookup_by_coordinates_inside_a_qpv(client_for, communes_13, qpv_batch):
    response = client_for("prescriber").get(
        LOOKUP, {"latitude": str(INSIDE[1]), "longitude": str(INSIDE[0])}
    )
    html = response.content.decode()
    assert "<strong>Quartier d&#x27;essai Nord</strong> (QN01391T)" in html
    assert "Marseille 13e Arrondissement (13213)" in html
    assert "43.35000, 5.43000" in html
    assert "Saisie manuelle" in html


def test_lookup_by_coordinates_outside(client_for, communes_13, qpv_batch):
    response = client_for("coordinator").get(
        LOOKUP, {"latitude": str(OUTSIDE[1]), "longitude": str(OUTSIDE[0])}
    )
    assert "Hors quartier prioritaire" in response.content.decode()


def test_lookup_by_address_through_the_ban(client_for, communes_13, qpv_batch, fake_ban):
    response = client_for("prescriber").get(
        LOOKUP, {"address": "12 rue d'Essai", "postal_code": "13013", "commune": "Marseille"}
    )
    html = response.content.decode()
    assert "12 Rue d&#x27;Essai 13013 Marseille" in html
    assert "(QN01391T)" in html
    assert "Adresse géocodée" in html


def test_lookup_falls_back_to_the_commune_and_says_so(client_for, communes_13, qpv_batch, fake_ban):
    fake_ban.mode = "slow"
    response = client_for("prescriber").get(
        LOOKUP, {"address": "12 rue d'Essai", "postal_code": "13013", "commune": "Marseille"}
    )
    html = response.content.decode()
    assert "Non déterminable" in html
    assert "n&#x27;a pas répondu à temps" in html
    assert "Centre de la commune" in html


def test_lookup_without_qpv_file_says_so(client_for, communes_13):
    response = client_for("prescriber").get(LOOKUP, {"latitude": "43.35", "longitude": "5.43"})
    html = response.content.decode()
    assert "Aucun fichier des quartiers prioritaires" in html
    assert "Non déterminable" in html


def test_lookup_unknown_commune(client_for, communes_13):
    response = client_for("prescriber").get(LOOKUP, {"postal_code": "99999", "commune": "Nulle"})
    assert "Adresse introuvable" in response.content.decode()


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"latitude": "43.35"}, "Donnez la latitude et la longitude"),
        ({"address": "12 rue d'Essai"}, "Saisissez une adresse avec son code postal ou sa commune"),
        ({"postal_code": "130", "commune": "Marseille"}, "Le code postal compte cinq chiffres."),
        ({"latitude": "143", "longitude": "5"}, "inférieure ou égale à 90"),
        ({"latitude": "abc", "longitude": "5"}, "Saisissez un nombre."),
    ],
)
def test_lookup_bad_input_is_explained_in_french(client_for, params, message):
    response = client_for("prescriber").get(LOOKUP, params)
    html = response.content.decode()
    assert message.replace("'", "&#x27;") in html
    assert response.context["location"] is None
