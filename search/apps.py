from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Suche")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from kommunect.ratelimit import check_rate_setting
        from members.demo import register_seeder

        from . import indexing

        indexing._connect()
        check_rate_setting("SEARCH_RATE")
        # Last: the demo data backdates what it wrote; index it as it is.
        register_seeder(90, indexing.seed_index)
