from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.i18n import JavaScriptCatalog
from django.views.static import serve
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from kommunect import (
    converters,  # noqa: F401  (registers <id:…> for every app's URLs)
    errors,
)
from kommunect.api import api
from kommunect.health import healthz
from kommunect.preview import markdown_preview

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("django-admin/", admin.site.urls),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/", include("allauth.urls")),
    path("api/v1/", api.urls),
    # Unknown API paths answer in JSON, not with a redirect or an HTML page.
    re_path(r"^api/", errors.api_not_found),
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("markdown/vorschau/", markdown_preview, name="markdown_preview"),
    path("", include("members.urls")),
    path("", include("communities.urls")),
    path("", include("chat.urls")),
    path("", include("search.urls")),
]

if settings.DEBUG:
    # Uploaded images in development. Documents never: attachments of private
    # communities go through Wagtail's document view and its permission hook.
    urlpatterns.append(
        re_path(
            r"^media/(?!documents/)(?P<path>.*)$",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        )
    )

urlpatterns.append(path("", include(wagtail_urls)))

handler400 = "kommunect.errors.bad_request"
handler403 = "kommunect.errors.permission_denied"
handler404 = "kommunect.errors.page_not_found"
handler500 = "kommunect.errors.server_error"
