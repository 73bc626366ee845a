"""The survey form, built from the questionnaire the invitation was sent with."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from tremplin.accounts.models import User
from tremplin.cohorts.models import Cohort
from tremplin.organisations.models import Site
from tremplin.quality.enums import ComplainantKind, ComplaintChannel, ComplaintStatus, SurveyKind
from tremplin.quality.questionnaires import Question
from tremplin.quality.services import TEXT_MAX_LENGTH
from tremplin.www.forms import DateInput, StyledForm

SCALE_CHOICES = [
    (1, _("1 — pas du tout")),
    (2, "2"),
    (3, "3"),
    (4, "4"),
    (5, _("5 — tout à fait")),
]


class SurveyForm(StyledForm):
    def __init__(self, *args: Any, questions: tuple[Question, ...], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for q in questions:
            if q.is_scale:
                self.fields[q.code] = forms.TypedChoiceField(
                    label=q.text,
                    choices=SCALE_CHOICES,
                    coerce=int,
                    widget=forms.RadioSelect,
                    error_messages={"required": _("Choisissez une note de 1 à 5.")},
                )
            else:
                self.fields[q.code] = forms.CharField(
                    label=q.text,
                    required=False,
                    max_length=TEXT_MAX_LENGTH,
                    widget=forms.Textarea(attrs={"rows": 4}),
                )
        for field in self.fields.values():
            if isinstance(field.widget, forms.RadioSelect):
                field.widget.attrs["class"] = "form-check-input"


class SendSurveyForm(StyledForm):
    kind = forms.ChoiceField(
        label=_("Enquête"),
        choices=SurveyKind.choices,
        error_messages={"required": _("Choisissez l'enquête à envoyer.")},
    )


class ComplaintForm(StyledForm):
    site = forms.ModelChoiceField(label=_("Site"), queryset=Site.objects.none())
    received_on = forms.DateField(label=_("Reçue le"), widget=DateInput())
    channel = forms.ChoiceField(label=_("Canal"), choices=ComplaintChannel.choices)
    complainant_kind = forms.ChoiceField(label=_("Émise par"), choices=ComplainantKind.choices)
    complainant = forms.CharField(label=_("Nom ou organisation"), max_length=150, required=False)
    cohort = forms.ModelChoiceField(
        label=_("Promotion concernée"), queryset=Cohort.objects.none(), required=False
    )
    subject = forms.CharField(label=_("Objet"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args: Any, sites: QuerySet[Site], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        site_field = self.fields["site"]
        assert isinstance(site_field, forms.ModelChoiceField)
        site_field.queryset = sites
        cohort_field = self.fields["cohort"]
        assert isinstance(cohort_field, forms.ModelChoiceField)
        cohort_field.queryset = Cohort.objects.filter(site__in=sites).order_by("-start_date", "id")


class ComplaintStepForm(StyledForm):
    transition = forms.CharField()
    text = forms.CharField(required=False, max_length=5000)
    comment = forms.CharField(required=False, max_length=500)


class ComplaintFilterForm(StyledForm):
    status = forms.ChoiceField(
        label=_("État"), choices=[("", _("Tous"))] + ComplaintStatus.choices, required=False
    )
    site = forms.ModelChoiceField(
        label=_("Site"), queryset=Site.objects.none(), required=False, empty_label=_("Tous")
    )

    def __init__(self, *args: Any, sites: QuerySet[Site], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        site_field = self.fields["site"]
        assert isinstance(site_field, forms.ModelChoiceField)
        site_field.queryset = sites


class OwnerChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.email)


class ActionForm(StyledForm):
    description = forms.CharField(label=_("Action"), widget=forms.Textarea(attrs={"rows": 4}))
    owner = OwnerChoiceField(label=_("Responsable"), queryset=User.objects.none())
    due_on = forms.DateField(label=_("Échéance"), widget=DateInput())

    def __init__(self, *args: Any, owners: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner_field = self.fields["owner"]
        assert isinstance(owner_field, forms.ModelChoiceField)
        owner_field.queryset = owners


class ActionStepForm(StyledForm):
    transition = forms.CharField()
    text = forms.CharField(required=False, max_length=5000)
    comment = forms.CharField(required=False, max_length=500)
