"""The user's own preferences."""

from tremplin.accounts.models import User
from tremplin.www.forms import StyledModelForm


class PreferencesForm(StyledModelForm):
    class Meta:
        model = User
        fields = ["notify_candidacy_updates"]
