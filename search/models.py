"""The database backend's index: one ``SearchEntry`` per searchable thing.

The text to search lives in a tsvector column (PostgreSQL, GIN-indexed) or in
the FTS5 table ``search_entry_fts`` (SQLite); both are written by
``search.backends.database``, not by these models, because they depend on the
database. ``SearchWord`` is the vocabulary for "Meinten Sie …?".
"""

import json

from django.db import models


class SearchEntry(models.Model):
    key = models.CharField(max_length=64, unique=True)
    kind = models.CharField(max_length=16)
    audience = models.CharField(max_length=16)
    group_key = models.CharField(max_length=64, db_index=True)
    community_id = models.BigIntegerField(null=True)
    room_id = models.BigIntegerField(null=True)
    title = models.CharField(max_length=300)
    # False: the title is shown, not searched (a reply shows its thread's).
    title_searchable = models.BooleanField(default=True)
    body = models.TextField()
    url = models.CharField(max_length=500)
    date = models.DateTimeField()
    author_id = models.BigIntegerField(null=True)
    author_name = models.CharField(max_length=200, blank=True)
    organisation_id = models.BigIntegerField(null=True)
    organisation_name = models.CharField(max_length=200, blank=True)
    # Tags as a JSON list, for the tag facet and filter.
    tags = models.TextField(blank=True)
    # The normalised title for suggestions ("beginnt mit").
    title_prefix = models.CharField(max_length=300, db_index=True)

    class Meta:
        # No index on the access columns: the text index finds the entries,
        # and PostgreSQL would otherwise AND it with a bitmap of every entry
        # the reader may read. By author: what someone wrote follows their
        # new name or organisation (``indexing``).
        indexes = [
            models.Index(fields=["date"], name="search_entry_date"),
            models.Index(fields=["author_id"], name="search_entry_author"),
        ]

    def __str__(self):
        return self.key

    @staticmethod
    def joined_tags(tags) -> str:
        """``tags`` as the ``tags`` field holds them."""
        return json.dumps(list(tags), ensure_ascii=False)

    def tag_list(self) -> list[str]:
        return json.loads(self.tags or "[]")


class SearchWord(models.Model):
    """A word seen in the index, for spelling suggestions."""

    word = models.CharField(max_length=64, primary_key=True)
    count = models.PositiveIntegerField(default=1)

    def __str__(self):
        return self.word
