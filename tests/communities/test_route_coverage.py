"""No route can forget its permission check.

``ROUTES`` is the permission table of every page and API operation of the
project: what an anonymous visitor, a signed-in non-member and a member get
when the route is asked about a PRIVATE community. The tests walk every URL
pattern and every operation of the OpenAPI document and fail for one that has
no row; then they request every row with the three roles and compare.
"""

import json
import re
from dataclasses import dataclass, field
from uuid import uuid4

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import URLResolver, get_resolver
from factories import UserFactory
from factories.communities import make_community, make_member
from factories.discussions import make_post, make_thread

from chat.models import Room
from chat.services import message_send
from communities.invitations import invitation_token
from communities.services import invitation_create
from communities.wiki.services import wiki_page_create
from members.tokens import api_token_create

pytestmark = pytest.mark.django_db

# Areas outside this table, by explicit prefix:
SKIPPED_PREFIXES = (
    # Wagtail admin: only staff and community moderators enter; Wagtail checks
    # ``access_admin`` and the page permissions that admin_sync maintains
    # (tested in test_services).
    "admin/",
    # Django's admin: is_staff only, Django's own check.
    "django-admin/",
    # allauth's sign-in, sign-up and account pages, tested in tests/members.
    "accounts/",
    # Wagtail's document serving: the attachments of a private community's
    # posts are a 404 to outsiders there, by role and visibility, in
    # test_discussion_attachments (a row here would need a stored file).
    "documents/",
    # Language switch and JavaScript translation catalogue: no data behind them.
    "i18n/",
    "jsi18n/",
    # Files.
    "static/",
    "media/",
)

ROLES = ("anonymous", "non_member", "member")


@dataclass(frozen=True)
class Route:
    """A request and what each role gets for the private community.

    Placeholders in ``path``: ``{slug}`` (the private community), ``{user_id}``
    (another member of it), ``{request_id}`` (a pending join request there),
    ``{token}`` (an open invitation link into it), ``{token_id}`` (another
    person's API token), ``{page_id}`` (the community page), ``{thread_id}``
    (a thread there), ``{post_id}`` (another member's reply in it) and
    ``{wiki_id}`` (a wiki page there) with ``{wiki_revision}`` (its latest
    revision), ``{room_id}`` (its chat room "Allgemein") and ``{message_id}``
    (another member's message there); they are filled in ``data`` too.
    """

    method: str
    path: str
    anonymous: int
    non_member: int
    member: int
    data: dict = field(default_factory=dict)


# Web routes by URL name; API operations as "METHOD /api/v1/path" (the path
# as in the OpenAPI document). Anonymous visitors of login-only pages are sent
# to the login page (302) for any slug, so that says nothing about existence.
ROUTES = {
    # --- community pages (Wagtail serves the page itself) -----------------
    "wagtail_serve": Route("GET", "/communities/{slug}/", 404, 404, 200),
    "communities:join": Route(
        "POST", "/communities/{slug}/beitreten/", 302, 404, 302, {"message": "Hallo"}
    ),
    "communities:leave": Route("POST", "/communities/{slug}/verlassen/", 302, 404, 302),
    "communities:members": Route(
        "GET", "/communities/{slug}/mitglieder/", 302, 404, 200
    ),
    "communities:member_manage": Route(
        "GET", "/communities/{slug}/mitglieder/{user_id}/", 302, 404, 403
    ),
    "communities:requests": Route(
        "GET", "/communities/{slug}/anfragen/", 302, 404, 403
    ),
    "communities:invite": Route("GET", "/communities/{slug}/einladen/", 302, 404, 403),
    "communities:edit": Route("GET", "/communities/{slug}/bearbeiten/", 302, 404, 403),
    "communities:log": Route("GET", "/communities/{slug}/protokoll/", 302, 404, 403),
    # The editor's JSON helpers answer a missing session with a JSON 401
    # (a script cannot follow a redirect to the login page).
    "communities:mention_suggest": Route(
        "GET", "/communities/{slug}/erwaehnen/", 401, 404, 200, {"q": "Er"}
    ),
    "communities:tag_suggest": Route(
        "GET",
        "/communities/{slug}/diskussionen/schlagwoerter/",
        401,
        404,
        200,
        {"q": "Ver"},
    ),
    # A member's request without a file: 400 "Bitte wählen Sie eine Datei aus."
    "communities:attachment_upload": Route(
        "POST", "/communities/{slug}/anhaenge/", 401, 404, 400
    ),
    # The signed link is the capability: whoever holds it sees the invitation.
    "communities:invitation": Route("GET", "/einladung/{token}/", 200, 200, 200),
    # --- discussions (the thread and the post are another member's) -------
    "communities:threads": Route(
        "GET", "/communities/{slug}/diskussionen/", 404, 404, 200
    ),
    "communities:thread_create": Route(
        "GET", "/communities/{slug}/diskussionen/neu/", 302, 404, 200
    ),
    "communities:thread": Route(
        "GET", "/communities/{slug}/diskussionen/{thread_id}/", 404, 404, 200
    ),
    "communities:thread_unread": Route(
        "GET", "/communities/{slug}/diskussionen/{thread_id}/ungelesen/", 302, 404, 302
    ),
    "communities:thread_reply": Route(
        "POST",
        "/communities/{slug}/diskussionen/{thread_id}/antworten/",
        302,
        404,
        302,
        {"body": "Danke für den Hinweis!"},
    ),
    "communities:thread_edit": Route(
        "GET", "/communities/{slug}/diskussionen/{thread_id}/bearbeiten/", 302, 404, 403
    ),
    "communities:thread_solution": Route(
        "POST",
        "/communities/{slug}/diskussionen/{thread_id}/loesung/",
        302,
        404,
        403,
        {"post_id": "{post_id}"},
    ),
    "communities:thread_moderate": Route(
        "POST",
        "/communities/{slug}/diskussionen/{thread_id}/moderieren/",
        302,
        404,
        403,
        {"action": "lock"},
    ),
    "communities:thread_watch": Route(
        "POST",
        "/communities/{slug}/diskussionen/{thread_id}/beobachten/",
        302,
        404,
        302,
        {"watch": "1"},
    ),
    # --- wiki (the page is another member's) ------------------------------
    "communities:wiki": Route("GET", "/communities/{slug}/wiki/", 404, 404, 200),
    "communities:wiki_create": Route(
        "GET", "/communities/{slug}/wiki/neu/", 302, 404, 200
    ),
    "communities:wiki_permalink": Route("GET", "/wiki/{wiki_id}/", 404, 404, 302),
    "communities:wiki_changes": Route(
        "GET", "/communities/{slug}/wiki/aenderungen/", 404, 404, 200
    ),
    # Only a solved thread becomes a wiki page; this one has no solution.
    "communities:wiki_from_thread": Route(
        "GET",
        "/communities/{slug}/diskussionen/{thread_id}/als-wiki-seite/",
        302,
        404,
        404,
    ),
    "communities:wiki_edit": Route("GET", "/wiki/{wiki_id}/bearbeiten/", 302, 404, 200),
    "communities:wiki_history": Route(
        "GET", "/wiki/{wiki_id}/versionen/", 404, 404, 200
    ),
    # Without two revisions to compare: back to the history, with a message.
    "communities:wiki_diff": Route("GET", "/wiki/{wiki_id}/vergleich/", 404, 404, 302),
    "communities:wiki_revert": Route(
        "POST", "/wiki/{wiki_id}/zuruecksetzen/", 302, 404, 302, {"revision": "0"}
    ),
    "communities:wiki_manage": Route(
        "POST", "/wiki/{wiki_id}/verwalten/", 302, 404, 403, {"action": "protect"}
    ),
    "communities:wiki_watch": Route(
        "POST", "/wiki/{wiki_id}/beobachten/", 302, 404, 302, {"watch": "1"}
    ),
    "communities:post": Route("GET", "/beitrag/{post_id}/", 404, 404, 302),
    "communities:post_fragment": Route(
        "GET", "/beitrag/{post_id}/html/", 404, 404, 200
    ),
    "communities:post_edit": Route(
        "GET", "/beitrag/{post_id}/bearbeiten/", 302, 404, 403
    ),
    "communities:post_delete": Route(
        "GET", "/beitrag/{post_id}/loeschen/", 302, 404, 403
    ),
    "communities:post_history": Route(
        "GET", "/beitrag/{post_id}/versionen/", 302, 404, 403
    ),
    "communities:post_react": Route(
        "POST", "/beitrag/{post_id}/reaktion/", 302, 404, 302, {"emoji": "👍"}
    ),
    # --- pages without a community ---------------------------------------
    "members:directory": Route("GET", "/mitglieder/", 302, 200, 200),
    "members:profile": Route("GET", "/mitglieder/{user_id}/", 302, 200, 200),
    "members:profile_edit": Route("GET", "/profil/bearbeiten/", 302, 200, 200),
    "members:tokens": Route("GET", "/profil/tokens/", 302, 200, 200),
    "members:token_revoke": Route(
        "POST", "/profil/tokens/{token_id}/widerrufen/", 302, 404, 404
    ),
    "members:organisation_suggestion": Route(
        "GET", "/konto/organisation-vorschlag/", 200, 200, 200
    ),
    "healthz": Route("GET", "/healthz", 200, 200, 200),
    # The editor's preview: Markdown in, sanitised HTML out, for anyone signed in.
    "markdown_preview": Route(
        "POST", "/markdown/vorschau/", 401, 200, 200, {"text": "**Hallo**"}
    ),
    # Wagtail's page-privacy forms; Kommunect uses no page view restrictions.
    "wagtailcore_login": Route("GET", "/_util/login/", 200, 200, 200),
    "wagtailcore_authenticate_with_password": Route(
        "GET", "/_util/authenticate_with_password/999999/{page_id}/", 404, 404, 404
    ),
    # Unknown API paths (the unnamed catch-all ``^api/``) answer 404 in JSON.
    "^api/": Route("GET", "/api/v2/communities/{slug}", 404, 404, 404),
    # --- API: documentation ----------------------------------------------
    "GET /api/v1/openapi.json": Route("GET", "/api/v1/openapi.json", 200, 200, 200),
    "GET /api/v1/docs": Route("GET", "/api/v1/docs", 200, 200, 200),
    "GET /api/v1/": Route("GET", "/api/v1/", 404, 404, 404),
    # --- API: members -----------------------------------------------------
    "GET /api/v1/me": Route("GET", "/api/v1/me", 401, 200, 200),
    "PATCH /api/v1/me": Route(
        "PATCH", "/api/v1/me", 401, 200, 200, {"position": "Kämmerei"}
    ),
    "GET /api/v1/organisations": Route("GET", "/api/v1/organisations", 401, 200, 200),
    "GET /api/v1/members": Route("GET", "/api/v1/members", 401, 200, 200),
    "GET /api/v1/members/{user_id}": Route(
        "GET", "/api/v1/members/{user_id}", 401, 200, 200
    ),
    # --- API: communities -------------------------------------------------
    # The list answers everyone; the private community is not in it
    # (test_private_community).
    "GET /api/v1/communities": Route("GET", "/api/v1/communities", 200, 200, 200),
    "GET /api/v1/communities/{slug}": Route(
        "GET", "/api/v1/communities/{slug}", 404, 404, 200
    ),
    # A member joining again: 400 "already a member".
    "POST /api/v1/communities/{slug}/join": Route(
        "POST", "/api/v1/communities/{slug}/join", 401, 404, 409, {"message": "Hallo"}
    ),
    "POST /api/v1/communities/{slug}/leave": Route(
        "POST", "/api/v1/communities/{slug}/leave", 401, 404, 200
    ),
    "GET /api/v1/communities/{slug}/members": Route(
        "GET", "/api/v1/communities/{slug}/members", 401, 404, 200
    ),
    "GET /api/v1/communities/{slug}/requests": Route(
        "GET", "/api/v1/communities/{slug}/requests", 401, 404, 403
    ),
    "POST /api/v1/communities/{slug}/requests/{request_id}/approve": Route(
        "POST",
        "/api/v1/communities/{slug}/requests/{request_id}/approve",
        401,
        404,
        403,
        {"reason": "Passt"},
    ),
    "POST /api/v1/communities/{slug}/requests/{request_id}/decline": Route(
        "POST",
        "/api/v1/communities/{slug}/requests/{request_id}/decline",
        401,
        404,
        403,
        {"reason": "Passt nicht"},
    ),
    "POST /api/v1/communities/{slug}/invitations": Route(
        "POST",
        "/api/v1/communities/{slug}/invitations",
        401,
        404,
        403,
        {"email": "gast@landkreis-beispiel.de"},
    ),
    "PATCH /api/v1/communities/{slug}/members/{user_id}": Route(
        "PATCH",
        "/api/v1/communities/{slug}/members/{user_id}",
        401,
        404,
        403,
        {"role": "moderator"},
    ),
    # --- API: discussions -------------------------------------------------
    "GET /api/v1/communities/{slug}/threads": Route(
        "GET", "/api/v1/communities/{slug}/threads", 404, 404, 200
    ),
    "POST /api/v1/communities/{slug}/threads": Route(
        "POST",
        "/api/v1/communities/{slug}/threads",
        401,
        404,
        201,
        {"title": "Vergabe unter Schwellenwert?", "body": "Wie machen Sie das?"},
    ),
    "GET /api/v1/threads/{thread_id}": Route(
        "GET", "/api/v1/threads/{thread_id}", 404, 404, 200
    ),
    "PATCH /api/v1/threads/{thread_id}": Route(
        "PATCH", "/api/v1/threads/{thread_id}", 401, 404, 403, {"title": "Neu"}
    ),
    "POST /api/v1/threads/{thread_id}/posts": Route(
        "POST", "/api/v1/threads/{thread_id}/posts", 401, 404, 201, {"body": "Ja."}
    ),
    "PATCH /api/v1/posts/{post_id}": Route(
        "PATCH", "/api/v1/posts/{post_id}", 401, 404, 403, {"body": "Geändert"}
    ),
    "DELETE /api/v1/posts/{post_id}": Route(
        "DELETE", "/api/v1/posts/{post_id}", 401, 404, 403
    ),
    "GET /api/v1/posts/{post_id}/history": Route(
        "GET", "/api/v1/posts/{post_id}/history", 401, 404, 403
    ),
    "POST /api/v1/posts/{post_id}/reactions": Route(
        "POST", "/api/v1/posts/{post_id}/reactions", 401, 404, 201, {"emoji": "👍"}
    ),
    "DELETE /api/v1/posts/{post_id}/reactions": Route(
        "DELETE", "/api/v1/posts/{post_id}/reactions", 401, 404, 200, {"emoji": "👍"}
    ),
    "POST /api/v1/threads/{thread_id}/solution": Route(
        "POST",
        "/api/v1/threads/{thread_id}/solution",
        401,
        404,
        403,
        {"post_id": "{post_id}"},
    ),
    "POST /api/v1/threads/{thread_id}/subscription": Route(
        "POST", "/api/v1/threads/{thread_id}/subscription", 401, 404, 200
    ),
    "DELETE /api/v1/threads/{thread_id}/subscription": Route(
        "DELETE", "/api/v1/threads/{thread_id}/subscription", 401, 404, 200
    ),
    # A member's request without a file: 400 "Bitte wählen Sie eine Datei aus."
    "POST /api/v1/communities/{slug}/attachments": Route(
        "POST", "/api/v1/communities/{slug}/attachments", 401, 404, 400
    ),
    # --- API: wiki (the page is another member's) --------------------------
    "GET /api/v1/communities/{slug}/wiki": Route(
        "GET", "/api/v1/communities/{slug}/wiki", 404, 404, 200
    ),
    "POST /api/v1/communities/{slug}/wiki": Route(
        "POST",
        "/api/v1/communities/{slug}/wiki",
        401,
        404,
        201,
        {"title": "Vergabe-Leitfaden", "body": "Erst prüfen, dann vergeben."},
    ),
    "GET /api/v1/wiki/{page_id}": Route("GET", "/api/v1/wiki/{wiki_id}", 404, 404, 200),
    "PUT /api/v1/wiki/{page_id}": Route(
        "PUT",
        "/api/v1/wiki/{wiki_id}",
        401,
        404,
        200,
        {"body": "Ergänzt.", "summary": "Ergänzt", "base_revision": "{wiki_revision}"},
    ),
    "GET /api/v1/wiki/{page_id}/revisions": Route(
        "GET", "/api/v1/wiki/{wiki_id}/revisions", 404, 404, 200
    ),
    "GET /api/v1/wiki/{page_id}/diff": Route(
        "GET",
        "/api/v1/wiki/{wiki_id}/diff",
        404,
        404,
        200,
        {"from": "{wiki_revision}", "to": "{wiki_revision}"},
    ),
    "POST /api/v1/wiki/{page_id}/revert": Route(
        "POST",
        "/api/v1/wiki/{wiki_id}/revert",
        401,
        404,
        200,
        {"revision": "{wiki_revision}"},
    ),
    "GET /api/v1/wiki/{page_id}/backlinks": Route(
        "GET", "/api/v1/wiki/{wiki_id}/backlinks", 404, 404, 200
    ),
    # --- chat (the room is the community's "Allgemein"; the message another
    # member's). A direct conversation of two others is a 404 to everyone
    # else: tests/chat/test_chat_api.py.
    "chat:index": Route("GET", "/chat/", 302, 200, 200),
    "chat:direct_new": Route("GET", "/chat/neu/", 302, 200, 200),
    "chat:blocks": Route("GET", "/chat/blockiert/", 302, 200, 200),
    "chat:block": Route(
        "POST", "/chat/blockieren/{user_id}/", 302, 302, 302, {"block": "1"}
    ),
    "chat:room": Route("GET", "/chat/{room_id}/", 302, 404, 200),
    "chat:mention_suggest": Route(
        "GET", "/chat/{room_id}/erwaehnen/", 401, 404, 200, {"q": "Er"}
    ),
    "chat:send": Route(
        "POST",
        "/chat/{room_id}/senden/",
        302,
        404,
        302,
        {"body": "Hallo!", "client_id": "0b6a4b1e-4a43-4a8e-9d4e-6f0c3c1d2e3f"},
    ),
    "chat:message_edit": Route(
        "GET", "/chat/nachricht/{message_id}/bearbeiten/", 302, 404, 403
    ),
    "chat:message_delete": Route(
        "POST", "/chat/nachricht/{message_id}/loeschen/", 302, 404, 403
    ),
    "chat:message_flag": Route(
        "POST", "/chat/nachricht/{message_id}/melden/", 302, 404, 302, {"reason": "x"}
    ),
    "chat:community_rooms": Route("GET", "/communities/{slug}/chat/", 404, 404, 200),
    # --- API: chat ---------------------------------------------------------------
    "GET /api/v1/chat/rooms": Route("GET", "/api/v1/chat/rooms", 401, 200, 200),
    "GET /api/v1/chat/unread": Route("GET", "/api/v1/chat/unread", 401, 200, 200),
    "GET /api/v1/chat/rooms/{room_id}": Route(
        "GET", "/api/v1/chat/rooms/{room_id}", 401, 404, 200
    ),
    "POST /api/v1/chat/direct": Route(
        "POST", "/api/v1/chat/direct", 401, 201, 201, {"user_ids": "{user_id}"}
    ),
    "GET /api/v1/chat/rooms/{room_id}/messages": Route(
        "GET", "/api/v1/chat/rooms/{room_id}/messages", 401, 404, 200
    ),
    "POST /api/v1/chat/rooms/{room_id}/messages": Route(
        "POST",
        "/api/v1/chat/rooms/{room_id}/messages",
        401,
        404,
        201,
        {"body": "Hallo!", "client_id": "0b6a4b1e-4a43-4a8e-9d4e-6f0c3c1d2e3f"},
    ),
    "PATCH /api/v1/chat/messages/{message_id}": Route(
        "PATCH", "/api/v1/chat/messages/{message_id}", 401, 404, 403, {"body": "Neu"}
    ),
    "DELETE /api/v1/chat/messages/{message_id}": Route(
        "DELETE", "/api/v1/chat/messages/{message_id}", 401, 404, 403
    ),
    "POST /api/v1/chat/messages/{message_id}/flag": Route(
        "POST",
        "/api/v1/chat/messages/{message_id}/flag",
        401,
        404,
        201,
        {"reason": "Werbung"},
    ),
    "POST /api/v1/chat/rooms/{room_id}/read": Route(
        "POST", "/api/v1/chat/rooms/{room_id}/read", 401, 404, 200, {"last_id": 0}
    ),
    "POST /api/v1/communities/{slug}/chat/rooms": Route(
        "POST", "/api/v1/communities/{slug}/chat/rooms", 401, 404, 403, {"name": "Neu"}
    ),
    "PATCH /api/v1/chat/rooms/{room_id}": Route(
        "PATCH", "/api/v1/chat/rooms/{room_id}", 401, 404, 403, {"archived": True}
    ),
    "GET /api/v1/chat/blocks": Route("GET", "/api/v1/chat/blocks", 401, 200, 200),
    "POST /api/v1/chat/blocks": Route(
        "POST", "/api/v1/chat/blocks", 401, 201, 201, {"user_id": "{user_id}"}
    ),
    "DELETE /api/v1/chat/blocks/{user_id}": Route(
        "DELETE", "/api/v1/chat/blocks/{user_id}", 401, 204, 204
    ),
    # --- search: everyone may search; what each role finds (nothing of the
    # private community for outsiders) is tested in tests/search.
    "search:search": Route("GET", "/suche/", 200, 200, 200, {"q": "Erfahrungen"}),
    "search:suggest": Route("GET", "/suche/vorschlaege/", 200, 200, 200, {"q": "Er"}),
    "search:opensearch": Route("GET", "/opensearch.xml", 200, 200, 200),
    "GET /api/v1/search": Route("GET", "/api/v1/search", 200, 200, 200, {"q": "Er"}),
    "GET /api/v1/search/suggest": Route(
        "GET", "/api/v1/search/suggest", 200, 200, 200, {"q": "Er"}
    ),
}


def project_routes():
    """``(route, table key)`` of every URL pattern outside SKIPPED_PREFIXES.

    The key is the namespaced URL name, or the pattern itself for an unnamed
    one. API patterns map to their path ("/api/v1/communities/{slug}"), which
    a row "METHOD path" covers.
    """
    routes = []

    def walk(patterns, prefix, namespace):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                inner = namespace + (
                    f"{pattern.namespace}:" if pattern.namespace else ""
                )
                walk(pattern.url_patterns, route, inner)
                continue
            if route.startswith(SKIPPED_PREFIXES):
                continue
            if route.startswith("api/v1/"):
                key = "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)
            elif pattern.name:
                key = namespace + pattern.name
            else:
                key = route
            routes.append((route, key))

    walk(get_resolver().url_patterns, "", "")
    return routes


def covered(key: str) -> bool:
    if key.startswith("/api/v1/"):
        return any(row.split(" ", 1)[-1] == key for row in ROUTES)
    return key in ROUTES


def openapi_operations() -> list[str]:
    document = Client().get("/api/v1/openapi.json").json()
    return [
        f"{method.upper()} {path}"
        for path, operations in document["paths"].items()
        for method in operations
        if method in ("get", "post", "put", "patch", "delete")
    ]


def test_every_url_pattern_has_a_row_in_the_permission_table():
    routes = project_routes()
    assert len(routes) > 20, "the URL walk found suspiciously few routes"

    missing = sorted({f"{key} ({route})" for route, key in routes if not covered(key)})

    assert not missing, (
        "Routes without a row in ROUTES (add what anonymous, a non-member and a "
        "member get for a private community): " + ", ".join(missing)
    )


def test_every_api_operation_has_a_row_in_the_permission_table():
    operations = openapi_operations()
    assert "GET /api/v1/communities/{slug}" in operations

    missing = sorted(operation for operation in operations if operation not in ROUTES)

    assert not missing, "API operations without a row in ROUTES: " + ", ".join(missing)


def test_the_permission_table_has_no_rows_for_routes_that_do_not_exist():
    keys = {key for _route, key in project_routes()}
    operations = set(openapi_operations())

    stale = sorted(
        row
        for row in ROUTES
        if row not in keys
        and row not in operations
        and row.split(" ", 1)[-1] not in keys
    )

    assert not stale, "Rows in ROUTES that match no route: " + ", ".join(stale)


@pytest.fixture
def private_world(db):
    """A private community with an owner, a member, another member, a pending
    request and an open invitation; and a person outside it."""
    community = make_community(
        title="Vergabe vertraulich",
        slug="vergabe-vertraulich",
        visibility="private",
        join_policy="request",
    )
    owner = make_member(community, role="owner").user
    member = make_member(community).user
    other_member = make_member(community).user
    requester = make_member(community, state="pending", message="Bitte aufnehmen")
    invitation = invitation_create(
        actor=owner, community=community, email="eingeladen@landkreis-beispiel.de"
    )
    owner_token, _plaintext = api_token_create(user=owner, name="Export")
    thread = make_thread(community, other_member, title="Vergabe: Erfahrungen?")
    post = make_post(thread, other_member, body="Wir vergeben freihändig.")
    wiki_page = wiki_page_create(
        author=other_member, community=community, title="Vergabe-Checkliste"
    )
    room = Room.objects.get(community=community, name="Allgemein")
    message, _created = message_send(
        author=other_member, room=room, body="Wer hat Erfahrung?", client_id=uuid4()
    )
    return {
        "community": community,
        "users": {
            "anonymous": AnonymousUser(),
            "non_member": UserFactory(display_name="Nicht Mitglied"),
            "member": member,
        },
        "placeholders": {
            "slug": community.slug,
            "user_id": other_member.pk,
            "request_id": requester.pk,
            "token": invitation_token(invitation),
            "token_id": owner_token.pk,
            "page_id": community.pk,
            "thread_id": thread.pk,
            "post_id": post.pk,
            "wiki_id": wiki_page.pk,
            "wiki_revision": wiki_page.latest_revision_id,
            "room_id": room.pk,
            "message_id": message.pk,
        },
    }


def send(client, route: Route, placeholders: dict):
    path = route.path.format(**placeholders)
    data = {
        name: value.format(**placeholders) if isinstance(value, str) else value
        for name, value in route.data.items()
    }
    if "post_id" in data and route.path.startswith("/api/"):
        data["post_id"] = int(data["post_id"])
    if "user_ids" in data:
        data["user_ids"] = [int(data["user_ids"])]
    if route.path.startswith("/api/"):
        if route.method == "GET":
            return client.get(path, data)
        return client.generic(
            route.method,
            path,
            data=json.dumps(data) if data else "",
            content_type="application/json",
        )
    if route.method == "GET":
        return client.get(path, data)
    return client.post(path, data)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("key", list(ROUTES))
def test_route_answers_each_role_as_the_table_says(private_world, client, key, role):
    route = ROUTES[key]
    user = private_world["users"][role]
    if user.is_authenticated:
        client.force_login(user)

    response = send(client, route, private_world["placeholders"])

    expected = getattr(route, role)
    assert response.status_code == expected, (
        f"{route.method} {route.path} as {role}: "
        f"{response.status_code}, expected {expected}"
    )
    if expected == 302 and role == "anonymous":
        assert response["Location"].startswith("/accounts/login/")
    if expected == 404 and key.startswith(("GET /api", "POST /api", "PATCH /api")):
        assert response.json()["code"] == "not_found"
