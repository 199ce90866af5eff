"""The Markdown editor's preview, and the JSON manners of the editor's helpers.

The editor (static/js/editor.js) asks small JSON endpoints while a person
writes: this preview, and the mention and tag suggestions of the communities.
They answer with the API's German error shape ``{"detail", "code"}`` instead
of a redirect or an HTML error page, which a script could not show.
"""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kommunect.markdown import render_markdown
from kommunect.ratelimit import RateLimited, check_rate

PREVIEW_MAX_CHARS = 200_000
PREVIEW_RATE = "120/m"


def json_error(status: int, detail: str, code: str) -> JsonResponse:
    return JsonResponse({"detail": str(detail), "code": code}, status=status)


def json_endpoint(view):
    """Signed-in people only (401 otherwise, not a redirect to the login page);
    404, 403 and rate limits come back as German JSON errors."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return json_error(
                401,
                _("Ihre Sitzung ist abgelaufen. Bitte melden Sie sich erneut an."),
                "not_authenticated",
            )
        try:
            return view(request, *args, **kwargs)
        except Http404:
            # The same words for "unknown" and "hidden": a private community
            # must not tell outsiders that it exists.
            return json_error(404, _("Nicht gefunden."), "not_found")
        except PermissionDenied as denied:
            return json_error(
                403,
                str(denied) or _("Dafür fehlt Ihnen die Berechtigung."),
                "permission_denied",
            )
        except RateLimited as limited:
            response = json_error(429, limited.detail, "rate_limited")
            response["Retry-After"] = str(limited.retry_after)
            return response

    return wrapper


@require_POST
@json_endpoint
def markdown_preview(request):
    """The HTML that ``render_markdown`` makes of the posted ``text``: the
    preview shows exactly what saving would store."""
    check_rate(
        request,
        group="markdown-preview",
        rate=PREVIEW_RATE,
        detail=_(
            "Sie haben die Vorschau sehr oft in kurzer Zeit angefordert. "
            "Bitte warten Sie einen Moment."
        ),
    )
    text = request.POST.get("text", "")
    if len(text) > PREVIEW_MAX_CHARS:
        return json_error(
            400,
            _("Der Text ist zu lang für die Vorschau (höchstens %(max)s Zeichen).")
            % {"max": number_format(PREVIEW_MAX_CHARS, force_grouping=True)},
            "too_long",
        )
    return JsonResponse({"html": render_markdown(text)})
