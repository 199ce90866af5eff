from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunitiesConfig(AppConfig):
    name = "communities"
    verbose_name = _("Communities")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Accepting an invitation at sign-in is wired through a signal.
        from members.api import ME_SECTIONS
        from members.demo import register_seeder

        from . import invitations  # noqa: F401
        from .api import me_memberships
        from .demo import seed_communities
        from .discussions import realtime as discussions_realtime
        from .discussions.demo import seed_discussions
        from .wiki import realtime as wiki_realtime
        from .wiki.demo import seed_wiki

        ME_SECTIONS["memberships"] = me_memberships
        register_seeder(20, seed_communities)
        register_seeder(30, seed_discussions)
        register_seeder(40, seed_wiki)
        discussions_realtime.register()
        wiki_realtime.register()
