"""Chat: rooms of a community and direct conversations, and their messages.

A message is stored before anyone hears of it (the ``ack`` and the
broadcast follow the commit), and the ``client_id`` the browser gives it
makes a re-sent message land once: ``(author, client_id)`` is unique.

Inside a room the ids of messages grow in the order their transactions
commit (``message_send`` holds the room's row while it writes), so a client
that has everything up to id N misses nothing by asking for ``after=N``.

``RoomMember`` is two things: for a direct conversation, who takes part; for
every room, where each person has read up to (``last_read_id``).
"""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

MAX_ROOM_NAME = 80
MAX_MESSAGE = 4_000
MAX_GROUP = 20  # people in a direct conversation, the starter included


class Room(models.Model):
    class Kind(models.TextChoices):
        COMMUNITY = "community", _("Raum einer Community")
        DIRECT = "direct", _("Direktnachricht")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    community = models.ForeignKey(
        "communities.CommunityPage",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="chat_rooms",
    )
    name = models.CharField(_("Name"), max_length=MAX_ROOM_NAME, blank=True)
    description = models.CharField(_("Beschreibung"), max_length=200, blank=True)
    # A direct conversation is found again by its people: their ids, sorted.
    direct_key = models.CharField(max_length=400, null=True, blank=True, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created = models.DateTimeField(auto_now_add=True)
    archived_at = models.DateTimeField(null=True, blank=True)
    # The newest message, kept by message_send (lists and read markers).
    last_message_id = models.BigIntegerField(default=0)
    last_message_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Chatraum")
        verbose_name_plural = _("Chaträume")
        constraints = [
            models.UniqueConstraint(
                fields=["community", "name"],
                condition=models.Q(kind="community"),
                name="chat_room_name_unique_in_community",
            ),
        ]

    def __str__(self):
        return self.name or f"Direktnachricht {self.pk}"

    @property
    def is_direct(self) -> bool:
        return self.kind == self.Kind.DIRECT

    @property
    def archived(self) -> bool:
        return self.archived_at is not None


class RoomMember(models.Model):
    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="chat_rooms"
    )
    last_read_id = models.BigIntegerField(default=0)
    joined = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["room", "user"], name="chat_member_once")
        ]

    def __str__(self):
        return f"{self.user} in {self.room}"


class Message(models.Model):
    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="chat_messages",
    )
    body = models.TextField()
    body_html = models.TextField()
    client_id = models.UUIDField(default=uuid.uuid4)
    created = models.DateTimeField(auto_now_add=True)
    edited = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    mentions = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="chat_mentions"
    )

    class Meta:
        verbose_name = _("Chatnachricht")
        verbose_name_plural = _("Chatnachrichten")
        constraints = [
            models.UniqueConstraint(
                fields=["author", "client_id"], name="chat_message_client_id_once"
            )
        ]
        indexes = [models.Index(fields=["room", "id"], name="chat_message_room_id")]

    def __str__(self):
        return f"{self.room}: {self.body[:40]}"

    def get_absolute_url(self) -> str:
        """The room, opened around this message (it may be long past)."""
        return (
            reverse("chat:room", args=[self.room_id])
            + f"?um={self.pk}#nachricht-{self.pk}"
        )

    @property
    def deleted(self) -> bool:
        return self.deleted_at is not None


class Block(models.Model):
    """``user`` receives no direct messages from ``blocked``."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="chat_blocks"
    )
    blocked = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "blocked"], name="chat_block_once")
        ]

    def __str__(self):
        return f"{self.user} blockiert {self.blocked}"


class MessageFlag(models.Model):
    """A message reported to the moderation (the queue comes later)."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="flags")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(_("Begründung"), max_length=500, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["message", "reporter"], name="chat_flag_once"
            )
        ]

    def __str__(self):
        return f"Meldung zu Nachricht {self.message_id}"
