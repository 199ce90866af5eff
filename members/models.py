"""People and the organisations they work for.

A ``User`` logs in with an e-mail address and belongs to one
``Organisation`` (a municipality, district, state body or member
organisation). Personal access tokens for the JSON API are Wagtail's
``APIToken`` (only an HMAC digest is stored); see ``members.tokens``.
"""

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from taggit.managers import TaggableManager
from taggit.models import TagBase, TaggedItemBase

ags_validator = RegexValidator(
    r"^\d{8}$",
    _("Der Amtliche Gemeindeschlüssel (AGS) besteht aus genau 8 Ziffern."),
    code="invalid_ags",
)
domain_validator = RegexValidator(
    r"^(?=.{3,253}$)([a-z0-9](-*[a-z0-9])*)(\.[a-z0-9](-*[a-z0-9])*)+$",
    _("Bitte eine gültige Domain angeben, z. B. stadt-beispiel.de."),
    code="invalid_domain",
)


class Organisation(ClusterableModel):
    """A municipality or member organisation; users belong to one."""

    class Kind(models.TextChoices):
        STADT = "stadt", _("Stadt")
        GEMEINDE = "gemeinde", _("Gemeinde")
        KREIS = "kreis", _("Kreis")
        LAND = "land", _("Land")
        BUND = "bund", _("Bund")
        VERBAND = "verband", _("Verband")
        UNTERNEHMEN = "unternehmen", _("Unternehmen")
        WISSENSCHAFT = "wissenschaft", _("Wissenschaft")
        SONSTIGE = "sonstige", _("Sonstige")

    class Bundesland(models.TextChoices):
        BW = "BW", "Baden-Württemberg"
        BY = "BY", "Bayern"
        BE = "BE", "Berlin"
        BB = "BB", "Brandenburg"
        HB = "HB", "Bremen"
        HH = "HH", "Hamburg"
        HE = "HE", "Hessen"
        MV = "MV", "Mecklenburg-Vorpommern"
        NI = "NI", "Niedersachsen"
        NW = "NW", "Nordrhein-Westfalen"
        RP = "RP", "Rheinland-Pfalz"
        SL = "SL", "Saarland"
        SN = "SN", "Sachsen"
        ST = "ST", "Sachsen-Anhalt"
        SH = "SH", "Schleswig-Holstein"
        TH = "TH", "Thüringen"

    name = models.CharField(_("Name"), max_length=200, unique=True)
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices)
    bundesland = models.CharField(
        _("Bundesland"), max_length=2, choices=Bundesland.choices, blank=True
    )
    ags = models.CharField(
        _("AGS"),
        max_length=8,
        blank=True,
        validators=[ags_validator],
        help_text=_("Amtlicher Gemeindeschlüssel, 8 Ziffern (wo vorhanden)."),
    )

    class Meta:
        verbose_name = _("Organisation")
        verbose_name_plural = _("Organisationen")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["ags"],
                condition=~models.Q(ags=""),
                name="organisation_unique_ags",
                violation_error_message=_(
                    "Eine Organisation mit diesem AGS gibt es bereits."
                ),
            )
        ]

    def __str__(self):
        return self.name


class OrganisationDomain(models.Model):
    """An e-mail domain of an organisation, to suggest it at sign-up."""

    organisation = ParentalKey(
        Organisation, on_delete=models.CASCADE, related_name="domains"
    )
    domain = models.CharField(
        _("E-Mail-Domain"), max_length=253, unique=True, validators=[domain_validator]
    )

    class Meta:
        verbose_name = _("E-Mail-Domain")
        verbose_name_plural = _("E-Mail-Domains")

    def __str__(self):
        return self.domain

    def save(self, *args, **kwargs):
        self.domain = self.domain.strip().lower()
        super().save(*args, **kwargs)


class ExpertiseTag(TagBase):
    """A topic a person knows about (Vergaberecht, E-Akte, Hitzeschutz …)."""

    class Meta:
        verbose_name = _("Fachgebiet")
        verbose_name_plural = _("Fachgebiete")


class TaggedExpertise(TaggedItemBase):
    content_object = models.ForeignKey(
        "User", on_delete=models.CASCADE, related_name="tagged_expertise"
    )
    tag = models.ForeignKey(
        ExpertiseTag, on_delete=models.CASCADE, related_name="tagged_users"
    )


class UserManager(BaseUserManager):
    """Users are identified by e-mail; there are no usernames."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        email = self.normalize_email(email).lower()
        user = self.model(email=email, **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person on the platform, logging in with e-mail."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(
        _("E-Mail-Adresse"),
        unique=True,
        error_messages={
            "unique": _("Ein Konto mit dieser E-Mail-Adresse gibt es bereits.")
        },
    )
    display_name = models.CharField(
        _("Anzeigename"),
        max_length=100,
        help_text=_("So sehen andere Sie, z. B. „Dr. Anna Schmidt“."),
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("Organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
    )
    position = models.CharField(
        _("Funktion"),
        max_length=150,
        blank=True,
        help_text=_("z. B. Klimaschutzmanagerin, Sachgebietsleitung IT"),
    )
    bio = models.TextField(_("Über mich"), max_length=2000, blank=True)
    avatar = models.ImageField(
        _("Profilbild"), upload_to="avatars/%Y/%m/", blank=True, null=True
    )
    expertise = TaggableManager(
        verbose_name=_("Fachgebiete"),
        through=TaggedExpertise,
        blank=True,
        help_text=_("Durch Kommas getrennt, z. B. E-Akte, Vergaberecht"),
    )

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    objects = UserManager()

    class Meta:
        verbose_name = _("Benutzer*in")
        verbose_name_plural = _("Benutzer*innen")
        ordering = ["display_name"]

    def __str__(self):
        return self.display_name or self.email

    def get_full_name(self):
        return self.display_name

    def get_short_name(self):
        return self.display_name

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("members:profile", args=[self.pk])
