"""Personal access tokens: the one place that turns a bearer token into a user.

The tokens are Wagtail's ``APIToken`` (HMAC-SHA-256 digest stored, the
plaintext shown once, revocable, surviving a SECRET_KEY rotation through
SECRET_KEY_FALLBACKS); the API and the websocket both ask here.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import APIToken

from .models import User

# Writing last_used_at on every request would turn each API read into a write.
LAST_USED_RESOLUTION_SECONDS = 300


def user_for_token(raw: str) -> User | None:
    """The active user an unrevoked token belongs to, or None."""
    if not raw or not APIToken.validate_token_format(raw):
        return None
    token = (
        APIToken.objects.select_related("user", "user__organisation")
        .filter(
            key_hash__in=APIToken.candidate_key_hashes(raw), revoked_at__isnull=True
        )
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if (
        token.last_used_at is None
        or (now - token.last_used_at).total_seconds() >= LAST_USED_RESOLUTION_SECONDS
    ):
        APIToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def bearer_from_header(value: str | bytes | None) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header value."""
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    if not value:
        return None
    scheme, _sep, token = value.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


@transaction.atomic
def api_token_create(*, user: User, name: str) -> tuple[APIToken, str]:
    """Create a token and return it with its plaintext, which is shown once."""
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError(
            {"name": _("Bitte geben Sie dem Token eine Bezeichnung.")}, code="required"
        )
    if len(name) > 100:
        raise ValidationError(
            {"name": _("Die Bezeichnung darf höchstens 100 Zeichen lang sein.")},
            code="max_length",
        )
    return APIToken.create_token(user=user, name=name)


@transaction.atomic
def api_token_revoke(*, user: User, token_id: int) -> APIToken:
    """Revoke one of the user's own tokens; anyone else's is not found."""
    token = APIToken.objects.filter(
        pk=token_id, user=user, revoked_at__isnull=True
    ).first()
    if token is None:
        raise Http404(_("Dieses Token gibt es nicht."))
    token.revoke()
    return token


def api_tokens_of(user: User):
    """The user's active tokens, newest first."""
    return APIToken.objects.filter(user=user, revoked_at__isnull=True).order_by(
        "-created"
    )
