"""Answers of the JSON API that Django or django-ninja produce without our
error handlers still get the API's German JSON error shape."""

from django.http import JsonResponse
from django.utils.translation import gettext as _

API_PREFIX = "/api/"


class ApiErrorShapeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.path.startswith(API_PREFIX)
            and response.status_code == 405
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            json_response = JsonResponse(
                {
                    "detail": _("Diese Methode ist hier nicht erlaubt."),
                    "code": "method_not_allowed",
                },
                status=405,
            )
            if response.has_header("Allow"):
                json_response["Allow"] = response["Allow"]
            return json_response
        return response


class GermanFirstLocaleMiddleware:
    """German first: the browser's Accept-Language does not switch the UI.

    Municipal PCs often run English browsers; staff still expect the German
    platform. English is chosen explicitly (language switcher, stored in the
    language cookie), which Django's LocaleMiddleware after this one honours.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class RejectNulBytesMiddleware:
    """A NUL byte is never meaningful in text a person sends, and PostgreSQL
    cannot store one: such requests get a German 400 in one place, before any
    view, form or query sees them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._has_nul(request):
            from kommunect.errors import bad_request

            return bad_request(request)
        return self.get_response(request)

    @staticmethod
    def _has_nul(request) -> bool:
        if "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", ""):
            return True
        if request.method in ("POST", "PUT", "PATCH"):
            content_type = request.META.get("CONTENT_TYPE", "")
            if content_type.startswith("application/json"):
                return b"\\u0000" in request.body or b"\x00" in request.body
            if content_type.startswith(
                ("application/x-www-form-urlencoded", "multipart/form-data")
            ):
                return any("\x00" in v for vs in request.POST.lists() for v in vs[1])
        return False
