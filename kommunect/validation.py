"""Small input checks shared by forms, selectors and the API."""

# The largest id a database integer column holds (bigint).
MAX_ID = 2**63 - 1


def parse_id(value) -> int | None:
    """An id from user input (``"42"`` or 42), or None when it is not one."""
    text = str(value).strip()
    if not text.isdigit() or len(text) > 19:
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


def clean_tag_names(
    tags, *, max_tags: int, max_length: int, too_long: str, too_many: str, field=None
) -> list[str]:
    """Tag names from user input: whitespace folded, empty ones dropped, the
    same name in another case kept once; ``too_long`` / ``too_many`` are the
    German messages (with ``%(n)d``), raised as ``ValidationError`` (for
    ``field`` when given)."""
    from django.core.exceptions import ValidationError

    def refuse(message: str, limit: int, code: str):
        text = message % {"n": limit}
        raise ValidationError({field: text} if field else text, code=code)

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
