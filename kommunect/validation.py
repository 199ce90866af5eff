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
