"""Forms of the plateau pages."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tremplin.accounts.enums import Role
from tremplin.accounts.models import User
from tremplin.organisations.models import Site
from tremplin.plateau.enums import EquipmentStatus, EquipmentType, HalfDay
from tremplin.plateau.models import Equipment, Lab
from tremplin.plateau.workflow import equipment_workflow
from tremplin.programmes.models import Module
from tremplin.www.forms import DateInput, StyledForm


class InventoryFilterForm(StyledForm):
    type = forms.ChoiceField(
        label=_("Type"), choices=[("", _("Tous"))] + EquipmentType.choices, required=False
    )
    status = forms.ChoiceField(
        label=_("Statut"), choices=[("", _("Tous"))] + EquipmentStatus.choices, required=False
    )
    lab = forms.ModelChoiceField(
        label=_("Laboratoire"), queryset=Lab.objects.none(), required=False, empty_label=_("Tous")
    )

    def __init__(self, *args: Any, labs: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lab"].queryset = labs  # type: ignore[attr-defined]


class LabChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A lab shown with its kind, so a module's session finds a lab that fits."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.get_kind_display()})" if obj.kind else str(obj.name)


class SessionForm(StyledForm):
    date = forms.DateField(label=_("Date"), widget=DateInput())
    half_day = forms.ChoiceField(label=_("Demi-journée"), choices=HalfDay.choices)
    module = forms.ModelChoiceField(
        label=_("Module"),
        queryset=Module.objects.none(),
        required=False,
        empty_label=_("— Hors module —"),
        help_text=_(
            "Le laboratoire doit être du type demandé par le module, et ses équipements réservés."
        ),
    )
    trainer = forms.ModelChoiceField(
        label=_("Formateur"), queryset=User.objects.none(), empty_label=_("— Choisir —")
    )
    lab = LabChoiceField(
        label=_("Laboratoire"), queryset=Lab.objects.none(), empty_label=_("— Choisir —")
    )
    equipment = forms.ModelMultipleChoiceField(
        label=_("Équipements réservés"),
        queryset=Equipment.objects.none(),
        required=False,
        help_text=_("Seuls les équipements en service du site sont proposés."),
    )
    title = forms.CharField(
        label=_("Intitulé"),
        max_length=200,
        required=False,
        help_text=_("Facultatif avec un module : une précision (« TP en aérien »)."),
    )

    def __init__(self, *args: Any, site: Any, programme: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["module"].queryset = Module.objects.filter(  # type: ignore[attr-defined]
            programme=programme
        ).order_by("position", "id")
        self.fields["trainer"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            role=Role.TRAINER, site=site, is_active=True
        ).order_by("last_name", "first_name", "id")
        self.fields["lab"].queryset = Lab.objects.filter(site=site)  # type: ignore[attr-defined]
        self.fields["equipment"].queryset = (  # type: ignore[attr-defined]
            Equipment.objects.filter(lab__site=site, status=EquipmentStatus.IN_SERVICE)
            .select_related("lab")
            .order_by("lab__name", "type", "serial_number", "id")
        )


class EquipmentStatusForm(StyledForm):
    transition = forms.ChoiceField(label=_("Changement"), choices=[])
    comment = forms.CharField(label=_("Notes de maintenance"), max_length=2000, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["transition"].choices = [  # type: ignore[attr-defined]
            (t.name, t.label) for t in equipment_workflow.transitions.values()
        ]


class ClosureForm(StyledForm):
    site = forms.ModelChoiceField(
        label=_("Site"), queryset=Site.objects.none(), empty_label=_("— Choisir —")
    )
    start = forms.DateField(label=_("Du"), widget=DateInput())
    end = forms.DateField(label=_("Au (inclus)"), widget=DateInput())
    reason = forms.CharField(label=_("Motif"), max_length=200)

    def __init__(self, *args: Any, sites: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites  # type: ignore[attr-defined]
        if len(sites) == 1:
            self.fields["site"].initial = sites[0]
