"""Signals of the communities app for the apps that build on it (search,
notifications): communities never import them (DESIGN.md)."""

from django.dispatch import Signal

# Sent when objects changed without ``save()`` (queryset updates), with
# ``model`` (the class) and ``ids`` (their primary keys): listeners that keep
# copies (the search index) refresh them.
content_changed = Signal()
