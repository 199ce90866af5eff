"""Writes of people and their profiles (API tokens: ``members.tokens``)."""

from django.db import transaction
from django.utils.translation import gettext as _

from kommunect.validation import clean_tag_names

from .models import Organisation, User

MAX_EXPERTISE_TAGS = 10
MAX_TAG_LENGTH = 50


def validate_expertise(tags: list[str]) -> list[str]:
    """Clean a list of expertise tags; raise ``ValidationError`` in German."""
    return clean_tag_names(
        tags,
        max_tags=MAX_EXPERTISE_TAGS,
        max_length=MAX_TAG_LENGTH,
        too_long=_("Ein Fachgebiet darf höchstens %(n)d Zeichen lang sein."),
        too_many=_("Höchstens %(n)d Fachgebiete sind möglich."),
    )


@transaction.atomic
def user_profile_update(
    *,
    user: User,
    display_name: str,
    organisation: Organisation | None,
    position: str = "",
    bio: str = "",
    expertise: list[str] | None = None,
    avatar=None,
) -> User:
    """Change a person's profile; nothing is saved if anything is invalid."""
    user.display_name = " ".join(display_name.split())
    user.organisation = organisation
    user.position = position.strip()
    user.bio = bio.strip()
    if avatar is not None:
        user.avatar = avatar or None
    tags = validate_expertise(expertise or [])
    user.full_clean(exclude=["password"])
    user.save()
    user.expertise.set(tags, clear=True)
    return user
