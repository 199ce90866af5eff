"""Forms of the discussion pages. The rules (lengths, tags, permissions) live
in the services; a form carries the fields and the token that makes a form
sent twice post once."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from .services import MAX_BODY, MAX_TITLE


class FormTokenMixin(forms.Form):
    form_token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("form_token", uuid.uuid4())
        super().__init__(*args, **kwargs)


def body_field(label=None):
    return forms.CharField(
        label=label or _("Text"),
        error_messages={"required": _("Bitte schreiben Sie einen Text.")},
        widget=forms.Textarea(attrs={"rows": 8, "maxlength": MAX_BODY}),
        help_text=_(
            "Markdown: **fett**, *kursiv*, Listen, Tabellen, Links. "
            "@Name erwähnt ein Mitglied."
        ),
    )


class ThreadForm(FormTokenMixin):
    title = forms.CharField(
        label=_("Titel"),
        error_messages={"required": _("Bitte geben Sie einen Titel ein.")},
        widget=forms.TextInput(attrs={"maxlength": MAX_TITLE, "autocomplete": "off"}),
        help_text=_("Eine Frage oder ein Thema in einem Satz."),
    )
    body = body_field(_("Ihr Beitrag"))
    tags = forms.CharField(
        label=_("Schlagwörter"),
        required=False,
        max_length=1000,
        help_text=_("Durch Kommas getrennt, höchstens 10."),
    )


class ThreadEditForm(forms.Form):
    title = ThreadForm.base_fields["title"]
    tags = ThreadForm.base_fields["tags"]


class ReplyForm(FormTokenMixin):
    body = body_field(_("Ihre Antwort"))
    reply_to = forms.IntegerField(widget=forms.HiddenInput, required=False)


class PostEditForm(forms.Form):
    body = body_field()
    reason = forms.CharField(
        label=_("Grund der Änderung"),
        required=False,
        max_length=1000,
        help_text=_("Bei Änderungen durch die Moderation sieht die Person den Grund."),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Begründung"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def split_tags(text: str) -> list[str]:
    return [t for t in (text or "").split(",") if t.strip()]
