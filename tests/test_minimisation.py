"""No social security number (NIR) is collected anywhere: no model field, no form field.

Tremplin has no use for a NIR (docs/security.md, « Minimisation »). This walks every model of
the project's apps and every form class of ``tremplin.www`` and fails on a field whose name,
verbose name or label looks like one. Free text is guarded separately (``refuse_nir``,
tests/engine/test_nir.py). Forms that build fields in ``__init__`` are instantiated only when
they take no argument; their declared fields are checked in every case.
"""

import contextlib
import importlib
import pkgutil
import re
import unicodedata
from typing import Any

import pytest
from django import forms
from django.apps import apps
from django.db import models
from django.test.utils import isolate_apps

import tremplin.www

# Words, after accents are stripped and the text is cut into lower-case tokens, that name a
# social security number on their own, or in sequence.
_ALONE = {"nir", "nirpp", "ssn", "nss", "secu"}
_SEQUENCES = (
    ("securite", "sociale"),
    ("social", "security"),
    ("numero", "ss"),
    ("num", "ss"),
    ("no", "ss"),
    ("n", "ss"),
    ("insee", "number"),
    ("numero", "insee"),
    ("num", "insee"),
    ("insee", "numero"),
    ("matricule", "insee"),
    ("immatriculation", "securite"),
    ("carte", "vitale"),
)


def _tokens(text: str) -> list[str]:
    # camelCase and snake_case alike: « socialSecurity », « numero_ss ».
    bare = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", unicodedata.normalize("NFKD", text))
    bare = "".join(c for c in bare if not unicodedata.combining(c)).casefold()
    return [t for t in re.split(r"[^0-9a-z]+", bare) if t]


def suggests_nir(*texts: Any) -> bool:
    for text in texts:
        if not text:
            continue
        tokens = _tokens(str(text))
        if _ALONE & set(tokens):
            return True
        for first, second in _SEQUENCES:
            if any(a == first and b == second for a, b in zip(tokens, tokens[1:], strict=False)):
                return True
    return False


def nir_fields_of_model(model: type[models.Model]) -> list[str]:
    found = []
    for field in model._meta.get_fields(include_hidden=True):
        texts = [field.name, getattr(field, "verbose_name", ""), getattr(field, "db_column", "")]
        if suggests_nir(*texts):
            found.append(f"{model._meta.label}.{field.name}")
    return found


def nir_fields_of_form(form_class: type[forms.BaseForm]) -> list[str]:
    fields = dict(form_class.base_fields)
    # The fields built in __init__ too, when it needs nothing; a form that needs arguments
    # keeps its declared fields.
    with contextlib.suppress(Exception):
        fields |= form_class().fields
    return [
        f"{form_class.__module__}.{form_class.__qualname__}.{name}"
        for name, field in fields.items()
        if suggests_nir(name, field.label, field.help_text)
    ]


def project_models() -> list[type[models.Model]]:
    return [m for m in apps.get_models() if m.__module__.startswith("tremplin.")]


def www_form_classes() -> list[type[forms.BaseForm]]:
    found: dict[str, type[forms.BaseForm]] = {}
    for info in pkgutil.walk_packages(tremplin.www.__path__, "tremplin.www."):
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, forms.BaseForm)
                and value.__module__ == module.__name__
            ):
                found[f"{value.__module__}.{value.__qualname__}"] = value
    return list(found.values())


def test_the_walk_covers_the_project():
    labels = {m._meta.label for m in project_models()}
    assert {"people.Person", "candidacies.Candidacy", "intake.ImportBatch"} <= labels
    names = {f.__name__ for f in www_form_classes()}
    assert {"ReferralForm", "PublicApplicationForm", "FollowUpForm", "TransitionForm"} <= names


def test_no_model_field_is_a_social_security_number():
    assert [f for m in project_models() for f in nir_fields_of_model(m)] == []


@pytest.mark.django_db
def test_no_form_field_is_a_social_security_number():
    assert [f for c in www_form_classes() for f in nir_fields_of_form(c)] == []


@pytest.mark.parametrize(
    "text",
    [
        "nir",
        "NIR de la personne",
        "numero_securite_sociale",
        "Numéro de sécurité sociale",
        "numero_ss",
        "N° SS",
        "insee_number",
        "Numéro INSEE",
        "socialSecurityNumber",
        "ssn",
    ],
)
def test_the_detector_sees_a_nir_name(text):
    assert suggests_nir(text)


@pytest.mark.parametrize(
    "text",
    ["insee_code", "Code INSEE de la commune", "siret", "phone", "Numéro de téléphone", "nirvana"],
)
def test_the_detector_leaves_other_names_alone(text):
    assert not suggests_nir(text)


@isolate_apps("tremplin.people")
def test_negative_control_a_model_with_a_nir_is_caught():
    class Leaky(models.Model):
        first_name = models.CharField(max_length=80)
        social_number = models.CharField("numéro de sécurité sociale", max_length=15)
        nir = models.CharField(max_length=15)

        class Meta:
            app_label = "people"

        def __str__(self) -> str:
            return self.first_name

    assert nir_fields_of_model(Leaky) == ["people.Leaky.social_number", "people.Leaky.nir"]


def test_negative_control_a_form_with_a_nir_is_caught():
    class LeakyForm(forms.Form):
        first_name = forms.CharField(label="Prénom")
        numero = forms.CharField(label="Numéro de sécurité sociale")
        numero_ss = forms.CharField()

    found = nir_fields_of_form(LeakyForm)
    assert [f.rsplit(".", 1)[1] for f in found] == ["numero", "numero_ss"]
