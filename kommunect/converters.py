"""``<id:…>`` in URLs: a database id. Django's ``<int:…>`` passes any number
of digits to the view, and a lookup by a larger number than a bigint holds
fails in the database (a 500) where the key is a link to another table (a
wiki page's key, a member's user). ``<id:…>`` passes such a number as 0,
which no row has: the view answers 404 as for any id it does not find."""

from django.urls import register_converter

from .validation import parse_id


class IdConverter:
    regex = "[0-9]+"

    def to_python(self, value: str) -> int:
        # Not a ValueError (no match): the address would then go on to the
        # page tree's catch-all, where a page with such a path could answer.
        return parse_id(value) or 0

    def to_url(self, value) -> str:
        return str(value)


register_converter(IdConverter, "id")
