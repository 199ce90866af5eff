from django.urls import path

from .views import community, members

app_name = "communities"

urlpatterns = [
    path("communities/<slug:slug>/beitreten/", community.community_join, name="join"),
    path("communities/<slug:slug>/verlassen/", community.community_leave, name="leave"),
    path("communities/<slug:slug>/mitglieder/", members.member_list, name="members"),
    path(
        "communities/<slug:slug>/mitglieder/<int:user_id>/",
        members.member_manage,
        name="member_manage",
    ),
    path("communities/<slug:slug>/anfragen/", members.request_list, name="requests"),
    path("communities/<slug:slug>/einladen/", members.invite, name="invite"),
    path("communities/<slug:slug>/bearbeiten/", members.community_edit, name="edit"),
    path("communities/<slug:slug>/protokoll/", members.audit_log, name="log"),
    path("einladung/<str:token>/", community.invitation_detail, name="invitation"),
]
