"""Forms of the community pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from members.forms import ExpertiseField

from .models import CommunityPage, JoinPolicy, Membership, Visibility


class JoinRequestForm(forms.Form):
    message = forms.CharField(
        label=_("Nachricht an die Moderation"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Warum möchten Sie beitreten? (freiwillig)"),
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", _("Annehmen")), ("decline", _("Ablehnen"))],
        widget=forms.HiddenInput,
    )
    reason = forms.CharField(
        label=_("Begründung"),
        required=False,
        max_length=1000,
        help_text=_("Die anfragende Person sieht die Begründung."),
    )


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("E-Mail-Adresse"),
        required=False,
        help_text=_(
            "Auch Personen ohne Konto: sie erhalten einen Link zur Registrierung."
        ),
    )
    user_id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    message = forms.CharField(
        label=_("Persönliche Nachricht"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        data = super().clean()
        if not data.get("email") and not data.get("user_id"):
            raise forms.ValidationError(
                _("Bitte geben Sie eine E-Mail-Adresse an oder wählen Sie eine Person.")
            )
        return data


class MemberActionForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Aktion"),
        choices=[
            ("role", _("Rolle ändern")),
            ("remove", _("Aus der Community entfernen")),
            ("ban", _("Sperren")),
        ],
        widget=forms.RadioSelect,
    )
    role = forms.ChoiceField(
        label=_("Neue Rolle"), choices=Membership.Role.choices, required=False
    )
    reason = forms.CharField(
        label=_("Begründung"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    banned_until = forms.DateTimeField(
        label=_("Gesperrt bis"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_("Leer lassen für eine Sperre ohne Ende."),
    )


class CommunityEditForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=255)
    description = forms.CharField(
        label=_("Kurzbeschreibung"),
        max_length=300,
        help_text=_("Ein bis zwei Sätze für das Community-Verzeichnis."),
    )
    intro = forms.CharField(
        label=_("Einführung"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "Markdown: **fett**, *kursiv*, Listen mit „-“, Links als [Text](https://…)"
        ),
    )
    image_upload = forms.ImageField(
        label=_("Bild"),
        required=False,
        help_text=_("PNG, JPEG oder WebP, höchstens 5 MB. Ersetzt das bisherige Bild."),
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/png,image/jpeg,image/webp"}
        ),
    )
    topics = ExpertiseField(
        label=_("Themen"),
        required=False,
        max_length=600,
        help_text=_("Durch Kommas getrennt, höchstens 10"),
    )
    visibility = forms.ChoiceField(
        label=_("Sichtbarkeit"),
        choices=Visibility.choices,
        widget=forms.RadioSelect,
        help_text=CommunityPage._meta.get_field("visibility").help_text,
    )
    join_policy = forms.ChoiceField(
        label=_("Beitritt"),
        choices=JoinPolicy.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Private Communities sind für Nicht-Mitglieder unsichtbar: "
            "dort treten Personen nur auf Einladung bei."
        ),
    )

    def clean_image_upload(self):
        upload = self.cleaned_data.get("image_upload")
        if upload and upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("Das Bild darf höchstens 5 MB groß sein."))
        return upload


class MemberFilterForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=None,
        required=False,
        empty_label=_("Alle Organisationen"),
    )
    role = forms.ChoiceField(
        label=_("Rolle"),
        required=False,
        choices=[("", _("Alle Rollen")), *Membership.Role.choices],
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
