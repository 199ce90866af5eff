"""Every community gets its room "Allgemein" when it is created."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from communities.models import CommunityPage


@receiver(post_save, sender=CommunityPage, dispatch_uid="chat_default_room")
def default_room(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        from .services import ensure_default_room

        ensure_default_room(instance)
