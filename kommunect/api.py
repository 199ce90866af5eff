"""The JSON API v1 (contract: shared/API.md), served by django-ninja.

Apps contribute routers; this module owns authentication and the error
shape ``{"detail": "<German message>", "code": "<machine_code>"}``.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser

from kommunect.api_auth import BearerTokenAuth, BrowserSessionAuth
from kommunect.ratelimit import RateLimited


class ObjectBodyParser(Parser):
    """Request bodies of this API are JSON objects; anything else is refused
    like malformed JSON (ninja turns the error into a 400, see below)."""

    def parse_body(self, request):
        if not request.body.strip():
            return {}
        data = super().parse_body(request)
        if not isinstance(data, dict):
            raise ValueError("The request body must be a JSON object.")
        return data


api = NinjaAPI(
    parser=ObjectBodyParser(),
    title="Kommunect API",
    version="1",
    description="JSON-API von Kommunect. Vertrag: shared/API.md.",
    urls_namespace="api_v1",
    auth=[BearerTokenAuth(), BrowserSessionAuth()],
    docs_url="/docs",
    openapi_url="/openapi.json",
)


def error(request, status: int, detail: str, code: str, **extra):
    return api.create_response(
        request, {"detail": str(detail), "code": code, **extra}, status=status
    )


# pydantic's messages are English; users get these German ones.
PYDANTIC_MESSAGES = {
    "missing": _lazy("Dieses Feld ist erforderlich."),
    "string_too_long": _lazy("Höchstens %(max_length)s Zeichen."),
    "string_too_short": _lazy("Mindestens %(min_length)s Zeichen."),
    "too_long": _lazy("Höchstens %(max_length)s Einträge."),
    "too_short": _lazy("Mindestens %(min_length)s Einträge."),
    "string_type": _lazy("Bitte einen Text angeben."),
    "int_parsing": _lazy("Bitte eine ganze Zahl angeben."),
    "int_type": _lazy("Bitte eine ganze Zahl angeben."),
    "bool_parsing": _lazy("Bitte true oder false angeben."),
    "bool_type": _lazy("Bitte true oder false angeben."),
    "list_type": _lazy("Bitte eine Liste angeben."),
    "greater_than_equal": _lazy("Der Wert muss mindestens %(ge)s sein."),
    "less_than_equal": _lazy("Der Wert darf höchstens %(le)s sein."),
    "greater_than": _lazy("Der Wert muss größer als %(gt)s sein."),
    "less_than": _lazy("Der Wert muss kleiner als %(lt)s sein."),
    "json_invalid": _lazy("Der Inhalt ist kein gültiges JSON."),
    "model_attributes_type": _lazy("Der Inhalt muss ein JSON-Objekt sein."),
    "dict_type": _lazy("Der Inhalt muss ein JSON-Objekt sein."),
    "extra_forbidden": _lazy("Dieses Feld ist hier nicht vorgesehen."),
}


def _german_message(item: dict) -> str:
    template = PYDANTIC_MESSAGES.get(item.get("type", ""))
    if template is None:
        return str(_lazy("Ungültiger Wert."))
    try:
        return str(template) % (item.get("ctx") or {})
    except (KeyError, TypeError, ValueError):
        return str(_lazy("Ungültiger Wert."))


@api.exception_handler(NinjaValidationError)
def on_validation_error(request, exc):
    errors = {}
    for item in exc.errors:
        # ("body", "payload", "title") → "title": where ninja found the
        # field, and the view's parameter (payload, params) that holds it.
        loc = [str(part) for part in item.get("loc", ())]
        if loc[:1] and loc[0] in (
            "body",
            "query",
            "path",
            "header",
            "cookie",
            "form",
            "file",
        ):
            loc = loc[1:]
        if loc[:1] and loc[0] in ("payload", "params"):
            loc = loc[1:]
        errors.setdefault(".".join(loc) or "__all__", []).append(_german_message(item))
    return error(request, 400, _("Die Eingabe ist ungültig."), "invalid", errors=errors)


# Service refusals that conflict with the current state (API.md: 409).
CONFLICT_CODES = {
    "already_member",
    "already_invited",
    "already_decided",
    "last_owner",
    "invitation_closed",
    "invitee_banned",
    "already_reacted",
    "duplicate_submission",
}


@api.exception_handler(ValidationError)
def on_django_validation_error(request, exc):
    if hasattr(exc, "error_dict"):
        errors = {
            k: [str(m) for e in v for m in e.messages]
            for k, v in exc.error_dict.items()
        }
    else:
        errors = {"__all__": [str(m) for m in exc.messages]}
    first = next(iter(errors.values()))[0] if errors else _("Die Eingabe ist ungültig.")
    code = getattr(exc, "code", None)
    if code == "not_found":
        return error(request, 404, first, code)
    if code == "banned":
        return error(request, 403, first, code)
    if code in CONFLICT_CODES:
        return error(request, 409, first, code, errors=errors)
    return error(request, 400, first, "invalid", errors=errors)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request, exc):
    return error(
        request,
        401,
        _("Bitte melden Sie sich an oder senden Sie ein gültiges Token."),
        "not_authenticated",
    )


@api.exception_handler(PermissionDenied)
def on_permission_denied(request, exc):
    detail = str(exc) or _("Dafür fehlt Ihnen die Berechtigung.")
    return error(request, 403, detail, "permission_denied")


@api.exception_handler(RateLimited)
def on_rate_limited(request, exc):
    response = error(request, 429, exc.detail, "rate_limited")
    response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return error(request, 404, _("Nicht gefunden."), "not_found")


@api.exception_handler(HttpError)
def on_http_error(request, exc):
    codes = {
        400: "bad_request",
        401: "not_authenticated",
        403: "permission_denied",
        404: "not_found",
        405: "method_not_allowed",
        409: "conflict",
        413: "too_large",
        429: "rate_limited",
    }
    messages = {
        400: _("Die Anfrage ist ungültig (z. B. kein gültiges JSON)."),
        403: _("Dafür fehlt Ihnen die Berechtigung."),
        404: _("Nicht gefunden."),
        405: _("Diese Methode ist hier nicht erlaubt."),
    }
    status = exc.status_code
    if status == 400 and str(exc).startswith("Cannot parse request body"):
        detail = _("Der Inhalt ist kein gültiges JSON-Objekt.")
        return error(request, 400, detail, "invalid", errors={"__all__": [detail]})
    detail = messages.get(status, str(exc)) if _looks_english(str(exc)) else str(exc)
    return error(request, status, detail, codes.get(status, "error"))


def _looks_english(message: str) -> bool:
    """ninja's own messages (``Cannot parse request body``…) are English."""
    return message.startswith(("Cannot", "Method", "Not", "CSRF", "Forbidden"))


api.add_router("/", "members.api.router")
api.add_router("/", "communities.api.router")
api.add_router("/", "communities.discussions.api.router")
api.add_router("/", "communities.discussions.api_attachments.router")
api.add_router("/", "communities.wiki.api.router")
api.add_router("/", "chat.api.router")
api.add_router("/", "search.api.router")
