"""German error pages without debug information.

API paths answer with the JSON error shape instead of HTML.
"""

from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt


def _error(request, status, title, text, code):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": text, "code": code}, status=status)
    return render(
        request,
        "error.html",
        {"status": status, "title": title, "text": text},
        status=status,
    )


def bad_request(request, exception=None):
    return _error(
        request,
        400,
        _("Ungültige Anfrage"),
        _(
            "Die Anfrage konnte nicht verarbeitet werden. Bitte prüfen Sie Ihre Eingabe."
        ),
        "bad_request",
    )


def permission_denied(request, exception=None):
    return _error(
        request,
        403,
        _("Kein Zugriff"),
        _(
            "Für diese Seite fehlt Ihnen die Berechtigung. Melden Sie sich gegebenenfalls "
            "mit einem anderen Konto an."
        ),
        "permission_denied",
    )


def csrf_failure(request, reason=""):
    return _error(
        request,
        403,
        _("Kein Zugriff"),
        _(
            "Die Sicherheitsprüfung des Formulars ist fehlgeschlagen. Bitte laden Sie die "
            "Seite neu und senden Sie das Formular noch einmal. Erlauben Sie dafür "
            "Cookies für diese Seite."
        ),
        "csrf_failed",
    )


def page_not_found(request, exception=None):
    return _error(
        request,
        404,
        _("Seite nicht gefunden"),
        _("Diese Seite gibt es nicht (mehr), oder Sie dürfen sie nicht sehen."),
        "not_found",
    )


# Token callers send no CSRF token: an unknown path is a 404 to them too.
@csrf_exempt
def api_not_found(request):
    return JsonResponse(
        {"detail": _("Nicht gefunden."), "code": "not_found"}, status=404
    )


def server_error(request):
    # Rendered without the request context: the failure may lie there.
    if request.path.startswith("/api/"):
        return JsonResponse(
            {
                "detail": _("Ein interner Fehler ist aufgetreten."),
                "code": "server_error",
            },
            status=500,
        )
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render())
