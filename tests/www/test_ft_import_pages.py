"""« Importer des offres France Travail »: upload, per-offer problems, preview, import."""

import json

import pytest
from django.contrib.messages import get_messages
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.employers.test_ft_import import offer, offers_file
from tremplin.employers.models import Opening
from tremplin.www.employers.ft_import import CONFIRM_SALT

pytestmark = pytest.mark.django_db

UPLOAD = reverse("opening_import")
CONFIRM = reverse("opening_import_confirm")


def upload(client, data, name="offres.json"):
    return client.post(UPLOAD, {"file": SimpleUploadedFile(name, json.dumps(data).encode())})


def token_of(page):
    return page.context["token"]


def test_preview_then_import(client_for, world):
    client = client_for("coordinator")
    assert "Vérifier le fichier" in client.get(UPLOAD).content.decode()

    page = upload(client, offers_file())

    html = page.content.decode()
    assert "3 offres valides : 3 à créer, 0 à mettre à jour." in html
    assert "Interxion France, Sécurité Réunion" in html
    assert not Opening.objects.exists()

    done = client.post(CONFIRM, {"token": token_of(page)})

    assert done.status_code == 302 and done["Location"] == reverse("opening_list")
    assert [str(m) for m in get_messages(done.wsgi_request)] == [
        "3 offre(s) créée(s), 0 mise(s) à jour depuis « offres.json »."
    ]
    assert Opening.objects.filter(external_id__startswith="201ABC").count() == 3
    again = upload(client, offers_file())
    assert "0 à créer, 3 à mettre à jour" in again.content.decode()


def test_bad_offers_are_listed_one_by_one_and_nothing_is_written(client_for, world):
    data = offers_file()
    data["resultats"][1]["romeCode"] = "Z9999"
    data["resultats"].append(offer("201ABCD"))

    page = upload(client_for("network_admin"), data)

    html = page.content.decode()
    assert "Fichier refusé : 2 problèmes. Rien n'a été importé." in html
    assert "Code ROME inconnu : Z9999." in html
    assert "Identifiant 201ABCD déjà présent (offre n° 1)." in html
    assert "token" not in page.context
    assert not Opening.objects.exists()


def test_forged_or_foreign_token_is_refused(client_for, world):
    coordinator = client_for("coordinator")
    token = token_of(upload(coordinator, offers_file()))
    other = client_for("outsider_coordinator")  # same client, another user now
    refused = other.post(CONFIRM, {"token": token})
    assert refused["Location"] == UPLOAD
    assert "Confirmation invalide" in str(next(iter(get_messages(refused.wsgi_request))))
    forged = signing.dumps(
        {"name": "x.json", "content": "[]", "user": world.user("coordinator").pk},
        salt="another",
    )
    refused = client_for("coordinator").post(CONFIRM, {"token": forged})
    assert refused["Location"] == UPLOAD
    assert not Opening.objects.exists()


def test_confirmation_rechecks_the_file(client_for, world):
    # A token signed by the server but holding a bad file (it cannot happen through the
    # preview): the import refuses it with its problems, nothing written.
    token = signing.dumps(
        {
            "name": "x.json",
            "content": json.dumps([offer(romeCode="Z9999")]),
            "user": world.user("coordinator").pk,
        },
        salt=CONFIRM_SALT,
        compress=True,
    )
    page = client_for("coordinator").post(CONFIRM, {"token": token})
    assert page.status_code == 200
    assert "Code ROME inconnu : Z9999." in page.content.decode()
    assert not Opening.objects.exists()


@pytest.mark.parametrize("role", ["trainer", "prescriber", "employer", "funder", "learner"])
def test_other_roles_may_not_import(client_for, world, role):
    client = client_for(role)
    assert client.get(UPLOAD).status_code == 403
    assert upload(client, offers_file()).status_code == 403
    assert client.post(CONFIRM, {"token": "x"}).status_code == 403
