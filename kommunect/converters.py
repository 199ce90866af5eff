"""``<id:…>`` in URLs: a database id, 1 to ``MAX_ID``. Django's ``<int:…>``
takes any number of digits, and a lookup by a larger number than a bigint
holds fails in the database (a 500) where the key is a link to another
table (a wiki page's key, a member's user); with ``<id:…>`` such an address
is not found (404) like any other."""

from django.urls import register_converter

from .validation import MAX_ID


class IdConverter:
    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if not 0 < number <= MAX_ID:
            raise ValueError(value)  # no match: 404
        return number

    def to_url(self, value) -> str:
        return str(value)


register_converter(IdConverter, "id")
