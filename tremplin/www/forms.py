"""Form plumbing shared by every area: Bootstrap classes, French date inputs, and the signed
confirmation step of the upload → preview → import pages."""

from typing import Any

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

from tremplin.organisations.models import Site


def error_summary(form: forms.BaseForm) -> str:
    """All of a form's errors in one sentence, for a flash message after a small POST form."""
    return " ".join(str(error) for errors in form.errors.values() for error in errors)


def site_filter_field() -> forms.ModelChoiceField:  # type: ignore[type-arg]
    """A list's optional « Site » filter; the form gives it the sites its user sees."""
    return forms.ModelChoiceField(
        label=_("Site"),
        required=False,
        queryset=Site.objects.none(),
        empty_label=_("Tous les sites"),
    )


def offer_sites(form: forms.BaseForm, sites: Any) -> bool:
    """Give ``form``'s site filter the ``sites`` its user sees; with one site or none there is
    nothing to choose, and the filter is removed. Whether it is kept."""
    if len(sites) <= 1:
        del form.fields["site"]
        return False
    form.fields["site"].queryset = sites  # type: ignore[attr-defined]
    return True


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


# The largest id a database's integer column holds: a larger one is an invalid choice, not a
# database overflow (a 500 on SQLite when a multiple choice looks its ids up with IN).
ID_MAX = 2**63 - 1


def _bounded_ids(field: forms.ModelMultipleChoiceField, check: Any) -> Any:  # type: ignore[type-arg]
    def checked(value: Any) -> Any:
        for pk in value if isinstance(value, list | tuple) else []:
            text = str(pk).strip()
            # Length first: int() refuses strings of more than 4300 digits.
            if text.lstrip("-").isdigit() and (len(text) > 20 or abs(int(text)) > ID_MAX):
                raise forms.ValidationError(
                    field.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": text[:20]},
                )
        return check(value)

    return checked


class StyledFormMixin:
    """Give widgets Bootstrap classes, and mark invalid fields for assistive technology."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # type: ignore[attr-defined]
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.RadioSelect):
                # RadioSelect covers CheckboxSelectMultiple: one box per choice.
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = css
            if isinstance(field, forms.ModelMultipleChoiceField):
                field._check_values = _bounded_ids(field, field._check_values)  # type: ignore[attr-defined]

    def full_clean(self) -> None:
        # After validation, not in __init__: subclasses finish setting up fields (querysets)
        # after this mixin's __init__, and touching .errors there would validate too early.
        super().full_clean()  # type: ignore[misc]
        for name in self.errors:  # type: ignore[attr-defined]
            if name in self.fields:  # type: ignore[attr-defined]
                attrs = self.fields[name].widget.attrs  # type: ignore[attr-defined]
                attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()
                attrs["aria-invalid"] = "true"


class StyledForm(StyledFormMixin, forms.Form):
    pass


class StyledModelForm(StyledFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    pass


class SignedConfirmForm(forms.Form):
    """The confirmation of a previewed upload. What was previewed travels in a signed token,
    bound to the user and valid ``max_age`` seconds, so the server keeps no state between
    the preview and the import; subclasses name their ``salt``, turn the data back into
    what they need in ``clean_token``, and ``sign`` makes the token."""

    salt: str
    max_age = 3600
    compress = False
    token = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, user_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user_id = user_id

    @classmethod
    def sign(cls, data: dict[str, Any], *, user_id: int) -> str:
        return signing.dumps({**data, "user": user_id}, salt=cls.salt, compress=cls.compress)

    def signed_data(self) -> dict[str, Any]:
        """The previewed data, or a ValidationError telling the user to upload again."""
        try:
            data = signing.loads(self.cleaned_data["token"], salt=self.salt, max_age=self.max_age)
        except signing.SignatureExpired:
            raise forms.ValidationError(
                _("L'aperçu date de plus d'une heure : déposez le fichier à nouveau.")
            ) from None
        except signing.BadSignature:
            raise forms.ValidationError(
                _("Confirmation invalide : déposez le fichier à nouveau.")
            ) from None
        if not isinstance(data, dict) or data.get("user") != self.user_id:
            raise forms.ValidationError(_("Confirmation invalide : déposez le fichier à nouveau."))
        return data
