"""Theme communities and who belongs to them.

``CommunityIndexPage`` (one, below the home page) holds ``CommunityPage``s;
each community's own pages (wiki, later) live in its subtree. Who may do
what is decided only in ``communities.permissions``; the state of a person
in a community is a ``Membership``, and every change of it is kept as a
``MembershipEvent``.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TagBase, TaggedItemBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.models import Page

from kommunect.markdown import render_markdown


class CommunityIndexPage(Page):
    """The directory of theme communities, directly below the home page."""

    intro = models.TextField(
        _("Einleitung"),
        blank=True,
        default="Themen-Communities bringen Fachleute aus Kommunen zusammen.",
    )

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["communities.CommunityPage"]
    max_count = 1
    template = "communities/community_index_page.html"

    class Meta:
        verbose_name = _("Community-Verzeichnis")

    def serve(self, request, *args, **kwargs):
        from .views.directory import community_directory

        return community_directory(request, index_page=self)


class TopicTag(TagBase):
    """A topic of communities (Klimaschutz, OZG, Personal …)."""

    class Meta:
        verbose_name = _("Thema")
        verbose_name_plural = _("Themen")


class CommunityTopic(TaggedItemBase):
    content_object = ParentalKey(
        "communities.CommunityPage",
        on_delete=models.CASCADE,
        related_name="topic_items",
    )
    tag = models.ForeignKey(
        TopicTag, on_delete=models.CASCADE, related_name="communities"
    )


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Öffentlich")
    INTERNAL = "internal", _("Intern")
    PRIVATE = "private", _("Privat")


class JoinPolicy(models.TextChoices):
    OPEN = "open", _("Offen")
    REQUEST = "request", _("Auf Anfrage")
    INVITE = "invite", _("Nur auf Einladung")


class CommunityPage(Page):
    """A theme community. Its subtree holds its wiki pages.

    Served only through ``communities.permissions`` (see ``wagtail_hooks``):
    a private community is a 404 to anyone who is not a member.
    """

    description = models.CharField(
        _("Kurzbeschreibung"),
        max_length=300,
        help_text=_("Ein bis zwei Sätze für das Community-Verzeichnis."),
    )
    intro = models.TextField(
        _("Einführung"), blank=True, max_length=20_000, help_text=_("Markdown")
    )
    intro_html = models.TextField(editable=False, blank=True)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("Bild"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    topics = ClusterTaggableManager(
        verbose_name=_("Themen"), through=CommunityTopic, blank=True
    )
    # Its files (attachments, wiki documents): created with the first upload.
    collection = models.ForeignKey(
        "wagtailcore.Collection",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    visibility = models.CharField(
        _("Sichtbarkeit"),
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.INTERNAL,
        help_text=_(
            "Öffentlich: alle lesen. Intern: alle angemeldeten Personen lesen. "
            "Privat: nur Mitglieder sehen die Community."
        ),
    )
    join_policy = models.CharField(
        _("Beitritt"),
        max_length=10,
        choices=JoinPolicy.choices,
        default=JoinPolicy.OPEN,
    )
    last_activity = models.DateTimeField(_("Letzte Aktivität"), default=timezone.now)
    moderator_group = models.OneToOneField(
        "auth.Group",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="moderated_community",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("description"),
        FieldPanel("intro"),
        FieldPanel("image"),
        FieldPanel("topics"),
        MultiFieldPanel(
            [FieldPanel("visibility"), FieldPanel("join_policy")],
            heading=_("Zugang"),
        ),
    ]
    parent_page_types = ["communities.CommunityIndexPage"]
    subpage_types = ["communities.WikiPage"]
    template = "communities/community_page.html"

    class Meta:
        verbose_name = _("Community")
        verbose_name_plural = _("Communities")

    def save(self, *args, **kwargs):
        # The rendered intro belongs to this row; nothing else is changed here.
        self.intro_html = render_markdown(self.intro)
        super().save(*args, **kwargs)

    def serve(self, request, *args, **kwargs):
        from .views.community import community_home

        return community_home(request, community=self)


class Membership(models.Model):
    """A person's place in one community: role and state."""

    class Role(models.TextChoices):
        OWNER = "owner", _("Eigentümer*in")
        MODERATOR = "moderator", _("Moderator*in")
        MEMBER = "member", _("Mitglied")

    class State(models.TextChoices):
        PENDING = "pending", _("Angefragt")
        ACTIVE = "active", _("Aktiv")
        BANNED = "banned", _("Gesperrt")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    community = models.ForeignKey(
        CommunityPage, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(
        _("Rolle"), max_length=10, choices=Role.choices, default=Role.MEMBER
    )
    state = models.CharField(_("Status"), max_length=10, choices=State.choices)
    message = models.TextField(_("Nachricht zur Anfrage"), blank=True, max_length=1000)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(_("Begründung"), blank=True, max_length=1000)
    banned_until = models.DateTimeField(_("Gesperrt bis"), null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Mitgliedschaft")
        verbose_name_plural = _("Mitgliedschaften")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "community"], name="membership_unique_user_community"
            )
        ]
        indexes = [models.Index(fields=["community", "state", "role"])]

    def __str__(self):
        return f"{self.user} in {self.community} ({self.role}, {self.state})"


class MembershipEvent(models.Model):
    """One change of a membership: who did what to whom, when and why."""

    class Action(models.TextChoices):
        JOINED = "joined", _("beigetreten")
        REQUESTED = "requested", _("Beitritt angefragt")
        APPROVED = "approved", _("Anfrage angenommen")
        DECLINED = "declined", _("Anfrage abgelehnt")
        WITHDRAWN = "withdrawn", _("Anfrage zurückgezogen")
        INVITED = "invited", _("eingeladen")
        INVITATION_ACCEPTED = "invitation_accepted", _("Einladung angenommen")
        LEFT = "left", _("ausgetreten")
        ROLE_CHANGED = "role_changed", _("Rolle geändert")
        REMOVED = "removed", _("entfernt")
        BANNED = "banned", _("gesperrt")
        UNBANNED = "unbanned", _("Sperre aufgehoben")

    community = models.ForeignKey(
        CommunityPage, on_delete=models.CASCADE, related_name="membership_events"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="membership_events",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=30, choices=Action.choices)
    role = models.CharField(max_length=10, blank=True)
    reason = models.TextField(blank=True)
    created = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("Mitgliedschaftsereignis")
        verbose_name_plural = _("Mitgliedschaftsereignisse")
        ordering = ["-created", "-pk"]

    def __str__(self):
        return f"{self.created:%Y-%m-%d %H:%M} {self.action}"


class Invitation(models.Model):
    """An invitation into a community, to a known user or to an e-mail address.

    The link in the e-mail is signed (``communities.invitations``); a person
    who registers through it lands in the community.
    """

    community = models.ForeignKey(
        CommunityPage, on_delete=models.CASCADE, related_name="invitations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="community_invitations",
    )
    email = models.EmailField(_("E-Mail-Adresse"), blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = models.TextField(blank=True, max_length=1000)
    created = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Einladung")
        verbose_name_plural = _("Einladungen")
        ordering = ["-created"]

    def __str__(self):
        return f"{self.user or self.email} → {self.community}"

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.expires_at > timezone.now()


# Discussions are models of this app, kept in their own module.
from .discussions.models import (  # noqa: E402, F401
    Attachment,
    DiscussionTag,
    Post,
    PostRevision,
    Reaction,
    TaggedThread,
    Thread,
    ThreadReadState,
    ThreadSubscription,
)

# The wiki: pages below the community page, kept in their own module.
from .wiki.models import (  # noqa: E402, F401
    WikiLink,
    WikiPage,
    WikiPageTag,
    WikiTag,
    WikiWatch,
)
