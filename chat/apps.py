from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChatConfig(AppConfig):
    name = "chat"
    verbose_name = _("Chat")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from kommunect.ratelimit import check_rate_setting
        from members.demo import register_seeder

        from . import realtime, signals  # noqa: F401
        from .demo import seed_chat

        realtime.register()
        check_rate_setting("CHAT_SEND_RATE")
        register_seeder(50, seed_chat)
