"""What the community views share: turning service errors into messages."""

from contextlib import contextmanager

from django.contrib import messages
from django.core.exceptions import ValidationError


def validation_messages(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [
            str(m)
            for errors in error.error_dict.values()
            for e in errors
            for m in e.messages
        ]
    return [str(m) for m in error.messages]


@contextmanager
def service_errors_as_messages(request):
    """Run a service; a ValidationError becomes a German error message."""
    try:
        yield
    except ValidationError as error:
        for message in validation_messages(error):
            messages.error(request, message)
