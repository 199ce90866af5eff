"""Reads of people and organisations, prepared for lists."""

from django.db.models import Q, QuerySet

from kommunect.validation import parse_id

from .models import Organisation, OrganisationDomain, User


def organisation_suggest_for_email(email: str) -> Organisation | None:
    """The organisation whose registered e-mail domain matches the address.

    ``anna@klima.stadt-musterhausen.de`` matches a registered
    ``stadt-musterhausen.de`` as well: the most specific domain wins.
    """
    _, _, domain = (email or "").strip().lower().rpartition("@")
    if not domain or "." not in domain:
        return None
    parts = domain.split(".")
    candidates = [".".join(parts[i:]) for i in range(len(parts) - 1)]
    found = {
        d.domain: d.organisation
        for d in OrganisationDomain.objects.filter(
            domain__in=candidates
        ).select_related("organisation")
    }
    for candidate in candidates:
        if candidate in found:
            return found[candidate]
    return None


def organisation_list(*, q: str = "") -> QuerySet[Organisation]:
    qs = Organisation.objects.all()
    if q:
        qs = qs.filter(
            Q(name__icontains=q) | Q(ags=q) | Q(domains__domain__icontains=q)
        )
    return qs.distinct().order_by("name")


def member_directory(
    *, q: str = "", organisation: str | int | None = None, tag: str = ""
) -> QuerySet[User]:
    """Active people, filtered by name/position, organisation and expertise.

    ``organisation`` is an id or a name; ``tag`` an expertise tag slug or name.
    """
    qs = User.objects.filter(is_active=True).select_related("organisation")
    if q:
        for word in q.split()[:8]:
            qs = qs.filter(
                Q(display_name__icontains=word)
                | Q(position__icontains=word)
                | Q(organisation__name__icontains=word)
                | Q(expertise__name__icontains=word)
            )
    if organisation:
        organisation_id = parse_id(organisation)
        if organisation_id is not None:
            qs = qs.filter(organisation_id=organisation_id)
        else:
            qs = qs.filter(organisation__name__iexact=organisation)
    if tag:
        qs = qs.filter(Q(expertise__slug=tag) | Q(expertise__name__iexact=tag))
    return qs.distinct().prefetch_related("expertise").order_by("display_name", "pk")


def organisation_names(viewer, ids) -> dict[int, str]:
    """The names of the organisations ``ids``, for the signed-in (as the
    profiles that name them)."""
    if not (viewer and viewer.is_authenticated):
        return {}
    return dict(Organisation.objects.filter(pk__in=ids).values_list("pk", "name"))


def member_names(viewer, ids) -> list[str]:
    """The names of the active people ``ids``, as far as ``viewer`` may read
    them: profiles are for the signed-in (``views.profile_detail``), so a
    visitor gets none."""
    if not (viewer and viewer.is_authenticated):
        return []
    return list(
        User.objects.filter(pk__in=ids, is_active=True)
        .order_by("display_name")
        .values_list("display_name", flat=True)
    )
