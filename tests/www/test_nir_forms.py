"""Free-text fields about a person refuse a social security number (NIR), in French."""

from html import unescape

import pytest

from tremplin.candidacies.models import Candidacy
from tremplin.core.validators import refuse_nir
from tremplin.people.models import Person
from tremplin.www.assessments.forms import EvaluationForm, PositioningForm
from tremplin.www.attendance.forms import AbsenceForm, AlertHandleForm, CorrectionForm
from tremplin.www.candidacies.forms import PublicApplicationForm, ReferralForm, TransitionForm
from tremplin.www.eligibility.forms import DiagnosticDecisionForm, DiagnosticForm, OverrideForm
from tremplin.www.outcomes.forms import FollowUpForm

pytestmark = pytest.mark.django_db

NIR = "2 69 05 49 588 157 " + f"{97 - 2690549588157 % 97:02d}"
MESSAGE = "Ne saisissez pas de numéro de sécurité sociale : Tremplin n'en a pas besoin."


def referral(world, **overrides):
    return {
        "cohort": world.upcoming.pk,
        "first_name": "Samira",
        "last_name": "Haddad",
        "birth_date": "1980-05-04",
        "phone": "06 12 34 56 78",
        "commune": "Marseille",
        "postal_code": "13013",
        "highest_diploma": "cap_bep",
        "mobility": "public_transport",
        "consent_programme": "on",
        "motivation": "Envie de travailler sur la fibre.",
        **overrides,
    }


def test_a_referral_with_a_nir_in_its_motivation_is_refused_and_nothing_written(client_for, world):
    client = client_for("prescriber")
    response = client.post("/orienter/", referral(world, motivation=f"Son NIR : {NIR}"))
    assert response.status_code == 200
    assert MESSAGE in unescape(response.content.decode())
    assert not Candidacy.objects.exists() and not Person.objects.exists()
    # The same person, with a phone number and a SIRET in the text, is referred.
    motivation = "Ancien employeur SIRET 732 829 320 00074, joignable au 06 12 34 56 78."
    response = client.post("/orienter/", referral(world, motivation=motivation))
    assert response.status_code == 302
    assert Candidacy.objects.get().person.last_name == "Haddad"


def test_a_nir_in_the_phone_field_is_refused(client_for, world):
    response = client_for("prescriber").post(
        "/orienter/", referral(world, phone=NIR.replace(" ", ""))
    )
    assert MESSAGE in unescape(response.content.decode())
    assert not Person.objects.exists()


@pytest.mark.parametrize(
    ("form_class", "data", "field"),
    [
        (TransitionForm, {"transition": "reject", "comment": NIR}, "comment"),
        (DiagnosticDecisionForm, {"transition": "validate", "comment": NIR}, "comment"),
        (
            FollowUpForm,
            {"situation": "unknown", "recorded_on": "2026-11-02", "note": f"NIR {NIR}"},
            "note",
        ),
    ],
)
def test_notes_and_comments_refuse_a_nir(world, form_class, data, field):
    form = form_class(data)
    assert not form.is_valid()
    assert form.errors[field] == [MESSAGE]


@pytest.mark.parametrize(
    ("form_class", "fields"),
    [
        (ReferralForm, ["motivation", "address", "phone"]),
        (PublicApplicationForm, ["motivation", "address", "phone"]),
        (TransitionForm, ["comment"]),
        (DiagnosticForm, ["notes"]),
        (DiagnosticDecisionForm, ["comment"]),
        (OverrideForm, ["override_reason"]),
        (FollowUpForm, ["note"]),
        (PositioningForm, ["result", "decision_note"]),
        (EvaluationForm, ["evidence"]),
        (AbsenceForm, ["justification"]),
        (CorrectionForm, ["justification"]),
        (AlertHandleForm, ["note"]),
    ],
)
def test_the_free_text_fields_about_a_person_carry_the_validator(form_class, fields):
    for name in fields:
        assert refuse_nir in form_class.base_fields[name].validators, name
