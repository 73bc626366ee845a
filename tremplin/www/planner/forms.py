"""Forms of the planner pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tremplin.www.forms import StyledForm


class CapacityForm(StyledForm):
    year = forms.IntegerField(label=_("Année étudiée"), min_value=2000, max_value=2100)
