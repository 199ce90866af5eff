from django.urls import path

from . import views

app_name = "chat"

urlpatterns = [
    path("chat/", views.chat_index, name="index"),
    path("chat/neu/", views.direct_new, name="direct_new"),
    path("chat/blockiert/", views.blocks, name="blocks"),
    path("chat/blockieren/<id:user_id>/", views.block, name="block"),
    path("chat/<id:room_id>/", views.chat_room, name="room"),
    path("chat/<id:room_id>/senden/", views.chat_send, name="send"),
    path(
        "chat/<id:room_id>/erwaehnen/",
        views.mention_suggest,
        name="mention_suggest",
    ),
    path(
        "chat/nachricht/<id:message_id>/bearbeiten/",
        views.message_edit,
        name="message_edit",
    ),
    path(
        "chat/nachricht/<id:message_id>/loeschen/",
        views.message_delete,
        name="message_delete",
    ),
    path(
        "chat/nachricht/<id:message_id>/melden/",
        views.message_flag,
        name="message_flag",
    ),
    path(
        "communities/<slug:slug>/chat/", views.community_rooms, name="community_rooms"
    ),
]
