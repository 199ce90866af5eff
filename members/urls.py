from django.urls import path

from . import views

app_name = "members"

urlpatterns = [
    path("mitglieder/", views.directory, name="directory"),
    path("mitglieder/<id:user_id>/", views.profile_detail, name="profile"),
    path("profil/bearbeiten/", views.profile_edit, name="profile_edit"),
    path("profil/tokens/", views.tokens, name="tokens"),
    path(
        "profil/tokens/<id:token_id>/widerrufen/",
        views.token_revoke,
        name="token_revoke",
    ),
    path(
        "konto/organisation-vorschlag/",
        views.organisation_suggestion,
        name="organisation_suggestion",
    ),
]
