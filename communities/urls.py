from django.urls import path

from .views import attachments, community, discussions, members, suggest, wiki

app_name = "communities"

urlpatterns = [
    path("communities/<slug:slug>/beitreten/", community.community_join, name="join"),
    path("communities/<slug:slug>/verlassen/", community.community_leave, name="leave"),
    path("communities/<slug:slug>/mitglieder/", members.member_list, name="members"),
    path(
        "communities/<slug:slug>/mitglieder/<id:user_id>/",
        members.member_manage,
        name="member_manage",
    ),
    path("communities/<slug:slug>/anfragen/", members.request_list, name="requests"),
    path("communities/<slug:slug>/einladen/", members.invite, name="invite"),
    path("communities/<slug:slug>/bearbeiten/", members.community_edit, name="edit"),
    path("communities/<slug:slug>/protokoll/", members.audit_log, name="log"),
    path(
        "communities/<slug:slug>/erwaehnen/",
        suggest.mention_suggest,
        name="mention_suggest",
    ),
    path(
        "communities/<slug:slug>/diskussionen/schlagwoerter/",
        suggest.tag_suggest,
        name="tag_suggest",
    ),
    path(
        "communities/<slug:slug>/anhaenge/",
        attachments.attachment_upload,
        name="attachment_upload",
    ),
    path("einladung/<str:token>/", community.invitation_detail, name="invitation"),
    # --- discussions ---
    path(
        "communities/<slug:slug>/diskussionen/",
        discussions.thread_list,
        name="threads",
    ),
    path(
        "communities/<slug:slug>/diskussionen/neu/",
        discussions.thread_create,
        name="thread_create",
    ),
    path(
        "communities/<slug:slug>/diskussionen/<id:thread_id>/",
        discussions.thread_detail,
        name="thread",
    ),
    path(
        "communities/<slug:slug>/diskussionen/<id:thread_id>/ungelesen/",
        discussions.thread_unread,
        name="thread_unread",
    ),
    path(
        "communities/<slug:slug>/diskussionen/<id:thread_id>/antworten/",
        discussions.thread_reply,
        name="thread_reply",
    ),
    path(
        "communities/<slug:slug>/diskussionen/<id:thread_id>/bearbeiten/",
        discussions.thread_edit,
        name="thread_edit",
    ),
    path(
        "communities/<slug:slug>/diskussionen/<id:thread_id>/loesung/",
        discussions.thread_solution,
        name="thread_solution",
    ),
    path(
        "communities/<slug:slug>/diskussionen/<id:thread_id>/moderieren/",
        discussions.thread_moderate,
        name="thread_moderate",
    ),
    path(
        "communities/<slug:slug>/diskussionen/<id:thread_id>/beobachten/",
        discussions.thread_watch,
        name="thread_watch",
    ),
    path("beitrag/<id:post_id>/", discussions.post_permalink, name="post"),
    path("beitrag/<id:post_id>/html/", discussions.post_fragment, name="post_fragment"),
    path("beitrag/<id:post_id>/bearbeiten/", discussions.post_edit, name="post_edit"),
    path("beitrag/<id:post_id>/loeschen/", discussions.post_delete, name="post_delete"),
    path(
        "beitrag/<id:post_id>/versionen/",
        discussions.post_history,
        name="post_history",
    ),
    path("beitrag/<id:post_id>/reaktion/", discussions.post_react, name="post_react"),
    # --- wiki ---
    path("communities/<slug:slug>/wiki/", wiki.wiki_index, name="wiki"),
    path("communities/<slug:slug>/wiki/neu/", wiki.wiki_create, name="wiki_create"),
    path(
        "communities/<slug:slug>/wiki/aenderungen/",
        wiki.wiki_changes,
        name="wiki_changes",
    ),
    path(
        "communities/<slug:slug>/diskussionen/<id:thread_id>/als-wiki-seite/",
        wiki.wiki_from_thread,
        name="wiki_from_thread",
    ),
    path("wiki/<id:page_id>/", wiki.wiki_permalink, name="wiki_permalink"),
    path("wiki/<id:page_id>/bearbeiten/", wiki.wiki_edit, name="wiki_edit"),
    path("wiki/<id:page_id>/versionen/", wiki.wiki_history, name="wiki_history"),
    path("wiki/<id:page_id>/vergleich/", wiki.wiki_diff, name="wiki_diff"),
    path("wiki/<id:page_id>/zuruecksetzen/", wiki.wiki_revert, name="wiki_revert"),
    path("wiki/<id:page_id>/verwalten/", wiki.wiki_manage, name="wiki_manage"),
    path("wiki/<id:page_id>/beobachten/", wiki.wiki_watch, name="wiki_watch"),
]
