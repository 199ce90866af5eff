from django.urls import path

from . import views

app_name = "search"

urlpatterns = [
    path("suche/", views.search_page, name="search"),
    path("suche/vorschlaege/", views.suggest_view, name="suggest"),
    path("opensearch.xml", views.opensearch_description, name="opensearch"),
]
