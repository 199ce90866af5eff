"""The project's URLs plus the floor views of the benchmarks
(``ROOT_URLCONF`` while a benchmark runs, never in the project's settings)."""

from django.urls import include, path

from bench.discussions import floor_thread, floor_thread_list
from bench.wiki import floor_wiki_index, floor_wiki_page
from kommunect.urls import handler400, handler403, handler404, handler500
from kommunect.urls import urlpatterns as kommunect_urlpatterns

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]

floor_patterns = [
    path("<slug:slug>/diskussionen/", floor_thread_list, name="threads"),
    path("<slug:slug>/diskussionen/<id:thread_id>/", floor_thread, name="thread"),
    path("<slug:slug>/wiki/", floor_wiki_index, name="wiki"),
    path("wiki/<id:page_id>/", floor_wiki_page, name="wiki_page"),
]

urlpatterns = [
    path("bench/boden/", include((floor_patterns, "bench"))),
    *kommunect_urlpatterns,
]
