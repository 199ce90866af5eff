"""Forms of the wiki pages; the rules (lengths, titles, tags) live in the
services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import MAX_BODY, MAX_SUMMARY, MAX_TITLE


class WikiPageForm(forms.Form):
    title = forms.CharField(
        label=_("Titel"),
        error_messages={"required": _("Bitte geben Sie einen Titel ein.")},
        widget=forms.TextInput(attrs={"maxlength": MAX_TITLE, "autocomplete": "off"}),
    )
    body = forms.CharField(
        label=_("Text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 16, "maxlength": MAX_BODY}),
        help_text=_(
            "Markdown. [[Seitenname]] verlinkt eine Seite dieses Wikis, "
            "[[Seitenname|Linktext]] mit eigenem Text."
        ),
    )
    summary = forms.CharField(
        label=_("Änderungszusammenfassung"),
        required=False,
        max_length=MAX_SUMMARY,
        help_text=_("Was haben Sie geändert? Erscheint in der Versionsgeschichte."),
    )
    tags = forms.CharField(
        label=_("Schlagwörter"),
        required=False,
        max_length=1000,
        help_text=_("Durch Kommas getrennt, höchstens 10."),
    )


class WikiEditForm(WikiPageForm):
    # The revision the edit started from: a save in between is merged.
    base_revision = forms.IntegerField(widget=forms.HiddenInput)
