"""Eligibility pages: the pre-filled diagnostic form, uploads good and bad, the proof door,
confirmation, the candidacy page's verdict and override, and who sees nothing."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests import factories
from tests.eligibility.helpers import ml_referral, snapshot, to_positioning
from tremplin.eligibility.models import Acceptance, Diagnostic, Proof
from tremplin.people.models import Person

pytestmark = pytest.mark.django_db


def pdf(name="attestation-caf.pdf", content=None):
    return SimpleUploadedFile(name, content or factories.proof_pdf(), "application/pdf")


def post_diagnostic(client, candidacy, **fields):
    data = {"registered_with_france_travail": "on"} | fields
    return client.post(f"/candidatures/{candidacy.pk}/diagnostic/", data)


def test_the_form_is_prefilled_from_the_profile(client_for, world):
    candidacy = factories.referral(world, birth_date=datetime.date(1970, 1, 5))
    Person.objects.filter(pk=candidacy.person_id).update(
        qpv_code="QN01304M", qpv_name="Frais Vallon"
    )
    html = (
        client_for("prescriber").get(f"/candidatures/{candidacy.pk}/diagnostic/").content.decode()
    )
    # RSA, 34 months registered, detected QPV, 56 years old, CAP: ticked and explained.
    for code in ("rsa", "detld", "deld", "qpv", "over_50", "low_qualification"):
        assert f'name="c_{code}" class="form-check-input" id="id_c_{code}" checked' in html, code
    assert 'name="c_under_26" class="form-check-input" id="id_c_under_26">' in html
    assert "quartier « Frais Vallon » (adresse géocodée) — justificatif non exigé" in html
    assert "56 ans (date de naissance) — justificatif non exigé" in html
    assert "inscrit·e à France Travail depuis 34 mois — déclaratif" in html
    assert (
        'name="registered_with_france_travail" class="form-check-input" '
        'id="id_registered_with_france_travail" checked' in html
    )
    assert "Règle du parcours : 1 critère(s) de niveau 1 ou 2 critère(s) de niveau 2" in html


def test_declared_qpv_is_labelled_declarative(client_for, world):
    candidacy = factories.referral(world, qpv_declared=True)
    html = (
        client_for("coordinator").get(f"/candidatures/{candidacy.pk}/diagnostic/").content.decode()
    )
    assert "quartier prioritaire déclaré — déclaratif" in html


def test_prescriber_uploads_a_proof_and_the_candidacy_page_shows_the_verdict(client_for, world):
    candidacy = factories.referral(world)
    client = client_for("prescriber")
    response = post_diagnostic(
        client, candidacy, c_rsa="on", proof_rsa=pdf(), issued_rsa="2026-11-20", notes="Vu en RDV"
    )
    assert response.status_code == 302
    assert response["Location"] == f"/candidatures/{candidacy.pk}/"
    diagnostic = Diagnostic.objects.get()
    proof = Proof.objects.get()
    assert proof.original_name == "attestation-caf.pdf"
    html = client.get(f"/candidatures/{candidacy.pk}/").content.decode()
    assert "Diagnostic d&#x27;éligibilité de" in html
    assert "Règle remplie : diagnostic de France Travail Marseille 13e du 30/11/2026" in html
    detail = client.get(f"/diagnostics/{diagnostic.pk}/").content.decode()
    assert f'href="/justificatifs/{proof.pk}/"' in detail
    assert "Vu en RDV" in detail


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({}, "Cochez au moins un critère d&#x27;éligibilité."),
        ({"c_rsa": "on"}, "Joignez le justificatif du critère « Bénéficiaire du RSA »"),
        (
            {"c_rsa": "on", "proof_rsa": "exe", "issued_rsa": "2026-11-20"},
            "« attestation-caf.pdf » est un programme, pas un document",
        ),
        (
            {"c_rsa": "on", "proof_rsa": "big", "issued_rsa": "2026-11-20"},
            "pèse 6,0 Mo : 5 Mo au plus",
        ),
        (
            {"c_rsa": "on", "proof_rsa": "gif", "issued_rsa": "2026-11-20"},
            "n&#x27;est ni un PDF, ni un JPEG, ni un PNG.",
        ),
        (
            {"c_rsa": "on", "proof_rsa": "pdf", "issued_rsa": "2026-06-01"},
            "du 01/06/2026 a expiré le 30/08/2026",
        ),
        ({"c_rsa": "on", "proof_rsa": "pdf"}, "Indiquez la date du justificatif."),
    ],
)
def test_bad_uploads_say_why_and_write_nothing(client_for, world, fields, message):
    contents = {
        "exe": b"MZ\x90\x00\x03" + b"\x00" * 200,
        "big": b"%PDF-1.4\n" + b"0" * (6 * 1024 * 1024),
        "gif": b"GIF89a" + b"\x00" * 100,
        "pdf": factories.proof_pdf(),
    }
    if "proof_rsa" in fields:
        fields["proof_rsa"] = pdf(content=contents[fields["proof_rsa"]])
    candidacy = factories.referral(world)
    before = snapshot()
    response = post_diagnostic(client_for("prescriber"), candidacy, **fields)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert snapshot() == before


def test_forged_post_for_another_sites_candidacy_is_hidden(client_for, world):
    lyon = factories.referral(world, target=world.other_cohort)
    before = snapshot()
    for role in ("coordinator", "outsider_prescriber", "trainer", "employer"):
        response = post_diagnostic(
            client_for(role), lyon, c_rsa="on", proof_rsa=pdf(), issued_rsa="2026-11-20"
        )
        assert response.status_code == 404, role
    assert snapshot() == before


def test_network_admin_and_learner_may_not_make_one(client_for, world):
    candidacy = factories.referral(world)
    factories.link_account(candidacy.person, world.user("learner"))
    for role in ("network_admin", "learner"):
        response = post_diagnostic(
            client_for(role), candidacy, c_rsa="on", proof_rsa=pdf(), issued_rsa="2026-11-20"
        )
        assert response.status_code == 403, role
    assert not Diagnostic.objects.exists()


def test_proof_download_is_an_attachment_with_its_type(client_for, world):
    candidacy = factories.referral(world)
    factories.diagnostic(candidacy, world.user("prescriber"))
    proof = Proof.objects.get()
    for role in ("prescriber", "coordinator", "network_admin"):
        response = client_for(role).get(f"/justificatifs/{proof.pk}/")
        assert response.status_code == 200, role
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == (
            f'attachment; filename="justificatif-rsa-{proof.pk}.pdf"'
        )
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response.content == factories.proof_pdf()


def test_another_organisations_proof_is_hidden_even_about_a_shared_person(client_for, world):
    # The same person referred by France Travail and by the Mission locale: the Mission locale
    # sees France Travail's diagnostic (so as not to redo it) but not its papers.
    candidacy = factories.referral(world)
    factories.diagnostic(candidacy, world.user("prescriber"))
    person = candidacy.person
    ml_referral(
        world,
        target=world.other_cohort,
        first_name=person.first_name,
        last_name=person.last_name,
        birth_date=person.birth_date,
    )
    proof = Proof.objects.get()
    client = client_for("outsider_prescriber")
    assert client.get(f"/justificatifs/{proof.pk}/").status_code == 404
    detail = client.get(f"/diagnostics/{proof.diagnostic_criterion.diagnostic_id}/")
    assert detail.status_code == 200
    assert f"/justificatifs/{proof.pk}/" not in detail.content.decode()


@pytest.mark.parametrize(
    "role", ["trainer", "employer", "funder", "outsider_coordinator", "learner"]
)
def test_others_never_see_diagnostics_or_proofs(client_for, world, role):
    enrolment = factories.enrolled(world, world.running)
    factories.link_account(enrolment.candidacy.person, world.user("learner"))
    diagnostic = Diagnostic.objects.get()
    proof = Proof.objects.get()
    client = client_for(role)
    assert client.get(f"/diagnostics/{diagnostic.pk}/").status_code == 404
    assert client.get(f"/justificatifs/{proof.pk}/").status_code == 404


def test_learner_reads_a_summary_without_proofs_or_staff_notes(client_for, world):
    candidacy = factories.referral(world, first_name="Inès", last_name="Benali")
    factories.link_account(candidacy.person, world.user("learner"))
    factories.diagnostic(candidacy, world.user("prescriber"))
    html = client_for("learner").get(f"/candidatures/{candidacy.pk}/").content.decode()
    assert "Bénéficiaire du RSA" in html
    assert "France Travail Marseille 13e" in html
    assert "/justificatifs/" not in html and "/diagnostics/" not in html
    assert "Règle remplie" not in html


def test_coordinator_confirms_a_mission_locale_diagnostic_through_its_page(client_for, world):
    candidacy = ml_referral(world)
    diagnostic = factories.diagnostic(candidacy, world.user("outsider_prescriber"))
    client = client_for("coordinator")
    page = client.get(f"/candidatures/{candidacy.pk}/").content.decode()
    assert "attend la confirmation du coordinateur du site" in page
    detail = client.get(f"/diagnostics/{diagnostic.pk}/").content.decode()
    assert "Confirmer le diagnostic</button>" in detail
    response = client.post(
        f"/diagnostics/{diagnostic.pk}/decision/", {"transition": "confirm"}, follow=True
    )
    assert "Diagnostic : Confirmé par le site." in response.content.decode()
    diagnostic.refresh_from_db()
    assert diagnostic.status == "confirmed"
    # The Mission locale advisor cannot decide on their own diagnostic.
    other = ml_referral(world)
    pending = factories.diagnostic(other, world.user("outsider_prescriber"))
    forged = client_for("outsider_prescriber").post(
        f"/diagnostics/{pending.pk}/decision/", {"transition": "confirm"}
    )
    assert forged.status_code == 403
    pending.refresh_from_db()
    assert pending.status == "to_confirm"


def test_accept_without_diagnostic_asks_for_an_override_reason(client_for, world):
    candidacy = factories.referral(world)
    to_positioning(candidacy, world)
    client = client_for("coordinator")
    html = client.get(f"/candidatures/{candidacy.pk}/").content.decode()
    assert 'name="override_reason"' in html
    assert "Aucun diagnostic d&#x27;éligibilité valable sur ce site" in html
    url = f"/candidatures/{candidacy.pk}/decision/"
    response = client.post(url, {"transition": "accept"}, follow=True)
    assert "Impossible d&#x27;accepter sans diagnostic" in response.content.decode()
    assert not Acceptance.objects.exists()
    reason = "Reconnue travailleuse handicapée, notification MDPH attendue."
    response = client.post(url, {"transition": "accept", "override_reason": reason}, follow=True)
    html = response.content.decode()
    assert "Candidature : Acceptée." in html
    assert "Acceptée par dérogation" in html and reason.replace("'", "&#x27;") in html
    assert f"Dérogation à la règle d&#x27;éligibilité : {reason}" in html  # the history


def test_accept_with_a_valid_diagnostic_has_no_override_field(client_for, world):
    candidacy = factories.referral(world)
    factories.diagnostic(candidacy, world.user("prescriber"))
    to_positioning(candidacy, world)
    client = client_for("coordinator")
    assert (
        'name="override_reason"'
        not in client.get(f"/candidatures/{candidacy.pk}/").content.decode()
    )
    html = client.post(
        f"/candidatures/{candidacy.pk}/decision/", {"transition": "accept"}, follow=True
    ).content.decode()
    assert "Candidature : Acceptée." in html
    assert "Acceptée sur diagnostic" in html


def test_rules_page_lists_criteria_and_the_programmes_rule(client_for, world):
    html = client_for("prescriber").get("/eligibilite/").content.decode()
    assert "Techniciens des infrastructures numériques" in html
    assert (
        "1 critère(s) de niveau 1 ou 2 critère(s) de niveau 2, inscription à France Travail, "
        "de 18 à 64 ans" in html
    )
    assert "Attestation de paiement du RSA (CAF ou MSA) de moins de 3 mois" in html
    assert "90 jours" in html
