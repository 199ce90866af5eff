"""Small input checks shared by forms, selectors, services and the API."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# The largest id a database integer column holds (bigint).
MAX_ID = 2**63 - 1
# Dates after this year are typing errors (and near the end of what Python
# and the databases hold: 9999-12-31 in another time zone overflows).
MAX_YEAR = 2999


def is_digits(text: str) -> bool:
    """Whether ``text`` is written in the digits 0–9 only. ``str.isdigit``
    also takes "²" and "①" (which ``int`` refuses) and other scripts'
    digits (which ``int`` reads)."""
    return text.isascii() and text.isdigit()


def parse_id(value, *, minimum: int = 1) -> int | None:
    """An id from user input (``"42"`` or 42), or None when it is not one
    (below ``minimum``, beyond a bigint, or not in the digits 0–9)."""
    text = str(value).strip()
    if not is_digits(text) or len(text) > 19:
        return None
    number = int(text)
    return number if minimum <= number <= MAX_ID else None


def field_error(field: str | None, message: str, code: str) -> ValidationError:
    """A ``ValidationError`` for ``field`` that keeps its ``code`` (Django
    drops the ``code`` argument of a dict of messages)."""
    error = ValidationError(message, code=code)
    return ValidationError({field: error}) if field else error


def clean_tag_names(
    tags, *, max_tags: int, max_length: int, too_long: str, too_many: str, field=None
) -> list[str]:
    """Tag names from user input: whitespace folded, empty ones dropped, the
    same name in another case kept once; ``too_long`` / ``too_many`` are the
    German messages (with ``%(n)d``), raised as ``ValidationError`` (for
    ``field`` when given)."""

    def refuse(message: str, limit: int, code: str):
        raise field_error(field, message % {"n": limit}, code)

    cleaned: list[str] = []
    for tag in tags or []:
        tag = " ".join(str(tag).split())
        if not tag:
            continue
        if len(tag) > max_length:
            refuse(too_long, max_length, "tag_too_long")
        if tag.casefold() not in {t.casefold() for t in cleaned}:
            cleaned.append(tag)
    if len(cleaned) > max_tags:
        refuse(too_many, max_tags, "too_many_tags")
    return cleaned


def limit_length(value: str, *, field: str, limit: int, message: str) -> str:
    """``value``, or a ``ValidationError`` for ``field`` with ``message``
    (German, with ``%(n)d`` for the limit) when it is longer than ``limit``."""
    if len(value) > limit:
        raise field_error(field, message % {"n": limit}, "max_length")
    return value


def clean_title(title: str, *, limit: int) -> str:
    """A title: whitespace folded, required, at most ``limit`` characters."""
    title = " ".join((title or "").split())
    if not title:
        raise field_error("title", _("Bitte geben Sie einen Titel ein."), "required")
    return limit_length(
        title,
        field="title",
        limit=limit,
        message=_("Der Titel darf höchstens %(n)d Zeichen lang sein."),
    )


def clean_text(body: str, *, limit: int, required: bool = True) -> str:
    """A Markdown text (``body``): Windows line ends made Unix ones, and
    when ``required``, surrounding whitespace removed and something left."""
    body = (body or "").replace("\r\n", "\n")
    if required:
        body = body.strip()
        if not body:
            raise field_error("body", _("Bitte schreiben Sie einen Text."), "required")
    return limit_length(
        body,
        field="body",
        limit=limit,
        message=_("Der Text darf höchstens %(n)d Zeichen lang sein."),
    )


def clean_tags(tags, *, max_tags: int = 10, max_length: int = 50) -> list[str]:
    """Tags of a thread or a wiki page (see ``clean_tag_names``)."""
    return clean_tag_names(
        tags,
        max_tags=max_tags,
        max_length=max_length,
        too_long=_("Ein Schlagwort darf höchstens %(n)d Zeichen lang sein."),
        too_many=_("Höchstens %(n)d Schlagwörter sind möglich."),
        field="tags",
    )
