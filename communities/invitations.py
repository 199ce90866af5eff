"""Invitation links and e-mails.

The link carries the invitation id signed with the secret key, so it cannot
be forged or guessed; it is good as long as the invitation is open. A person
who opens it without an account signs up or in, and is taken into the
community when they log in (``accept_pending_invitation``).
"""

import logging

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.dispatch import receiver
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django_tasks import task

from .models import Invitation

logger = logging.getLogger(__name__)
SALT = "communities.invitation"
SESSION_KEY = "invitation_token"


def invitation_token(invitation: Invitation) -> str:
    return signing.dumps(invitation.pk, salt=SALT)


def invitation_url(invitation: Invitation) -> str:
    path = reverse("communities:invitation", args=[invitation_token(invitation)])
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def invitation_from_token(token: str) -> Invitation:
    """The invitation of a link; a forged or unknown link is a 404."""
    try:
        pk = signing.loads(token, salt=SALT)
    except signing.BadSignature as exc:
        raise Http404(_("Dieser Einladungslink ist ungültig.")) from exc
    invitation = (
        Invitation.objects.select_related("community", "invited_by")
        .filter(pk=pk)
        .first()
    )
    if invitation is None:
        raise Http404(_("Diese Einladung gibt es nicht mehr."))
    return invitation


@task()
def send_invitation_email(invitation_id: int) -> None:
    invitation = (
        Invitation.objects.select_related("community", "invited_by")
        .filter(pk=invitation_id, accepted_at__isnull=True)
        .first()
    )
    if invitation is None:
        return
    context = {"invitation": invitation, "url": invitation_url(invitation)}
    send_mail(
        subject=_("[Kommunect] Einladung in die Community „%(title)s“")
        % {"title": invitation.community.title},
        message=render_to_string("communities/email/invitation.txt", context),
        from_email=None,
        recipient_list=[invitation.email],
    )


def send_invitation_on_commit(invitation: Invitation) -> None:
    transaction.on_commit(lambda: send_invitation_email.enqueue(invitation.pk))


@receiver(user_logged_in, dispatch_uid="communities.accept_pending_invitation")
def accept_pending_invitation(sender, request, user, **kwargs):
    """After sign-in (also the first one after sign-up), take the person into
    the community whose invitation link they opened."""
    from .services import invitation_accept

    token = request.session.pop(SESSION_KEY, None) if request is not None else None
    if not token:
        return
    try:
        invitation = invitation_from_token(token)
        invitation_accept(user=user, invitation=invitation)
    except (Http404, PermissionDenied, ValidationError) as refused:
        logger.info("invitation not accepted at login: %s", refused)
