"""Field types of the API's request bodies (django-ninja schemas)."""

from typing import Annotated

from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError


def _not_a_bool(value):
    """JSON's true and false are no numbers, though Python counts a bool as
    an int: pydantic's lax mode would read ``{"user_id": true}`` as the id
    1. Digits in a string ("5") are still read, as before."""
    if isinstance(value, bool):
        raise PydanticCustomError("int_type", "Input should be a valid integer")
    return value


# A number (an id, a revision, a message id) in a JSON body.
Number = Annotated[int, BeforeValidator(_not_a_bool)]
