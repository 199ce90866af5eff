"""Writes of people and their profiles (API tokens: ``members.tokens``)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import Organisation, User

MAX_EXPERTISE_TAGS = 10
MAX_TAG_LENGTH = 50


def validate_expertise(tags: list[str]) -> list[str]:
    """Clean a list of expertise tags; raise ``ValidationError`` in German."""
    cleaned = []
    for tag in tags:
        tag = " ".join(tag.split())
        if not tag:
            continue
        if len(tag) > MAX_TAG_LENGTH:
            raise ValidationError(
                _("Ein Fachgebiet darf höchstens %(n)d Zeichen lang sein.")
                % {"n": MAX_TAG_LENGTH},
                code="tag_too_long",
            )
        if tag.casefold() not in {t.casefold() for t in cleaned}:
            cleaned.append(tag)
    if len(cleaned) > MAX_EXPERTISE_TAGS:
        raise ValidationError(
            _("Höchstens %(n)d Fachgebiete sind möglich.") % {"n": MAX_EXPERTISE_TAGS},
            code="too_many_tags",
        )
    return cleaned


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
