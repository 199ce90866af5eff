"""Forms of the sign-up, profile and token pages."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import Organisation, User
from .selectors import organisation_suggest_for_email
from .services import validate_expertise


class SignupProfileForm(forms.Form):
    """Extra sign-up fields, used by allauth's sign-up form.

    The organisation is suggested from the e-mail domain (live in the page,
    and as the default when the field is left empty).
    """

    display_name = forms.CharField(
        label=_("Anzeigename"),
        max_length=100,
        help_text=_("So sehen andere Sie, z. B. „Dr. Anna Schmidt“."),
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.order_by("name"),
        required=False,
        empty_label=_("– bitte wählen –"),
        help_text=_("Wird anhand Ihrer E-Mail-Domain vorgeschlagen."),
    )
    position = forms.CharField(label=_("Funktion"), max_length=150, required=False)

    field_order = ["email", "display_name", "organisation", "position"]

    def clean_display_name(self):
        name = " ".join(self.cleaned_data["display_name"].split())
        if not name:
            raise ValidationError(_("Bitte geben Sie einen Anzeigenamen an."))
        return name

    def signup(self, request, user):
        data = self.cleaned_data
        user.display_name = data["display_name"]
        user.position = data.get("position", "").strip()
        user.organisation = data.get("organisation") or organisation_suggest_for_email(
            user.email
        )
        user.save()


class ExpertiseField(forms.CharField):
    """Comma-separated expertise tags, validated by the members service."""

    def to_python(self, value):
        value = super().to_python(value)
        return validate_expertise(value.split(",")) if value else []

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(str(v) for v in value)
        return value


class ProfileForm(forms.ModelForm):
    expertise = ExpertiseField(
        label=_("Fachgebiete"),
        required=False,
        max_length=600,
        help_text=_("Durch Kommas getrennt, höchstens 10, z. B. E-Akte, Vergaberecht"),
    )

    class Meta:
        model = User
        fields = ["display_name", "organisation", "position", "bio", "avatar"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["expertise"] = [t.name for t in self.instance.expertise.all()]
        self.fields["avatar"].widget = forms.ClearableFileInput(
            attrs={"accept": "image/png,image/jpeg,image/webp"}
        )

    def clean_avatar(self):
        avatar = self.cleaned_data.get("avatar")
        if avatar and getattr(avatar, "size", 0) > 2 * 1024 * 1024:
            raise ValidationError(_("Das Profilbild darf höchstens 2 MB groß sein."))
        return avatar


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Bezeichnung"),
        max_length=100,
        help_text=_("Wofür ist das Token? z. B. „Auswertungsskript Klimaschutz“"),
    )


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Name, Funktion oder Stichwort"), required=False, max_length=200
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.order_by("name"),
        required=False,
        empty_label=_("Alle Organisationen"),
    )
    tag = forms.CharField(label=_("Fachgebiet"), required=False, max_length=50)
