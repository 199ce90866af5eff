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
