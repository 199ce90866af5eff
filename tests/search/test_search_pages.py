"""Search as people use it: things written through the services are found
on the search page and through ``GET /api/v1/search`` by those who may read
them, and by nobody else; edits, deletions and a change of visibility show
at once. (Database backend: whichever database the run uses.)"""

import re
import uuid

import pytest
from django.core.management import call_command
from django.urls import reverse
from factories import OrganisationFactory, UserFactory, client_for
from factories.communities import make_community, make_member

from chat import services as chat
from chat.models import Room
from communities.discussions import services as discussions
from communities.wiki import services as wiki
from members.services import user_profile_update
from search.models import SearchEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what waits for the commit (the indexing tasks) at once."""

    class Committed:
        def __call__(self, action, *args, **kwargs):
            with django_capture_on_commit_callbacks(execute=True):
                return action(*args, **kwargs)

    return Committed()


@pytest.fixture
def world(committed):
    anna = committed(
        UserFactory,
        display_name="Anna Asmus",
        organisation=OrganisationFactory(name="Stadt Beispielstadt"),
    )
    ben = committed(UserFactory, display_name="Ben Berg")
    outsider = committed(UserFactory, display_name="Olga Außen")
    public = committed(make_community, title="Klima und Umwelt", slug="klima")
    private = committed(
        make_community,
        title="Vertrauliche Runde",
        slug="vertraulich",
        visibility="private",
        join_policy="request",
    )
    make_member(public, anna, role="moderator")
    make_member(private, anna)
    for community in (public, private):
        make_member(community, ben)
    thread = committed(
        discussions.thread_create,
        author=anna,
        community=public,
        title="Hitzeschutz in der Kita",
        body="Wie schützen Gemeinden ihre **Kindertagesstätten** vor Hitze?",
        tags=["Hitze"],
    )
    reply = committed(
        discussions.post_create,
        author=ben,
        thread=thread,
        body="Wir haben Sonnensegel über den Spielplätzen.",
    )
    secret = committed(
        discussions.thread_create,
        author=anna,
        community=private,
        title="Hitzeschutz-Etat wird gekürzt",
        body="Bitte noch nicht weitersagen.",
    )
    page = committed(
        wiki.wiki_page_create,
        author=anna,
        community=public,
        title="Klimafolgenanpassung – Checkliste",
        body="Grünflächen, Entsiegelung, Frischluftschneisen.",
    )
    room = Room.objects.get(community=public, name="Allgemein")
    message, _created = committed(
        chat.message_send,
        author=ben,
        room=room,
        body="Ich teile gleich die Vorlage zum Hitzeschutz.",
        client_id=uuid.uuid4(),
        broadcast=False,
    )
    direct, _created = committed(chat.direct_open, actor=anna, user_ids=[ben.pk])
    dm, _created = committed(
        chat.message_send,
        author=anna,
        room=direct,
        body="Unter uns: Sonnensegel waren teuer.",
        client_id=uuid.uuid4(),
        broadcast=False,
    )
    return {
        "anna": anna,
        "ben": ben,
        "outsider": outsider,
        "public": public,
        "private": private,
        "thread": thread,
        "reply": reply,
        "secret": secret,
        "page": page,
        "message": message,
        "dm": dm,
    }


def api_search(user, **params):
    response = client_for(user).get("/api/v1/search", params)
    assert response.status_code == 200, response.content
    return response.json()


def titles(body):
    return [hit["title"] for hit in body["hits"]]


def test_everything_written_is_found_by_those_who_may_read_it(world):
    body = api_search(world["anna"], q="Hitzeschutz")
    assert set(titles(body)) >= {
        "Hitzeschutz in der Kita",
        "Hitzeschutz-Etat wird gekürzt",
    }
    kinds = {hit["type"] for hit in body["hits"]}
    assert {"thread", "message"} <= kinds
    assert body["total"] == len(body["hits"])
    hit = next(h for h in body["hits"] if h["title"] == "Hitzeschutz in der Kita")
    assert hit["community"]["slug"] == "klima"
    assert hit["author"] == "Anna Asmus"
    assert hit["organisation"] == "Stadt Beispielstadt"
    assert "<mark>" in hit["title_highlight"]
    assert hit["url"] == f"/communities/klima/diskussionen/{world['thread'].pk}/"


def test_outsiders_do_not_find_private_content_or_chat(world):
    body = api_search(world["outsider"], q="Hitzeschutz")
    assert titles(body) == ["Hitzeschutz in der Kita"]
    assert body["total"] == 1
    facet_communities = {f["label"] for f in body["facets"]["community"]}
    assert facet_communities == {"Klima und Umwelt"}
    assert api_search(world["outsider"], q="gekürzt")["total"] == 0
    assert api_search(world["outsider"], q="Sonnensegel")["total"] == 1  # the reply


def test_direct_messages_are_found_only_by_their_people(world):
    body = api_search(world["ben"], q="teuer")
    assert titles(body) == ["Unterhaltung: Anna Asmus, Ben Berg"]
    assert api_search(world["outsider"], q="teuer")["total"] == 0
    # The hit opens the conversation around the message.
    dm = world["dm"]
    assert api_search(world["anna"], q="teuer", type="message")["hits"][0]["url"] == (
        f"/chat/{dm.room_id}/?um={dm.pk}#nachricht-{dm.pk}"
    )


def test_the_reply_is_grouped_under_its_thread(world):
    body = api_search(world["anna"], q="Sonnensegel", type="thread,post")
    assert titles(body) == ["Hitzeschutz in der Kita"]
    assert body["hits"][0]["type"] == "post"


def test_german_words_find_their_forms_and_synonyms(world):
    anna = world["anna"]
    assert "Hitzeschutz in der Kita" in titles(api_search(anna, q="Kindertagesstätte"))
    assert "Hitzeschutz in der Kita" in titles(api_search(anna, q="Gemeinde"))
    assert "Klimafolgenanpassung – Checkliste" in titles(
        api_search(anna, q="Anpassung")
    )
    assert "Klimafolgenanpassung – Checkliste" in titles(
        api_search(anna, q="Klimaanpassung")
    )


def test_a_private_community_turned_public_is_found_at_once(world, committed):
    outsider = world["outsider"]
    assert api_search(outsider, q="weitersagen")["total"] == 0
    private = world["private"]
    private.visibility = "public"
    committed(private.save_revision().publish)
    assert api_search(outsider, q="weitersagen")["total"] == 1
    private.visibility = "private"
    committed(private.save_revision().publish)
    assert api_search(outsider, q="weitersagen")["total"] == 0


def test_a_member_who_leaves_no_longer_finds_the_private_content(world):
    from communities import services as community_services

    ben = world["ben"]
    assert api_search(ben, q="weitersagen")["total"] == 1
    community_services.membership_leave(user=ben, community=world["private"])
    ben.refresh_from_db()
    assert api_search(ben, q="weitersagen")["total"] == 0


def test_edits_and_deletions_show_at_once(world, committed):
    anna = world["anna"]
    reply = world["reply"]
    committed(
        discussions.post_edit,
        editor=world["ben"],
        post=reply,
        body="Wir haben Markisen montiert.",
    )
    assert api_search(anna, q="Markisen")["total"] == 1
    assert api_search(anna, q="Sonnensegel", type="post")["total"] == 0
    committed(discussions.post_delete, actor=world["ben"], post=reply)
    assert api_search(anna, q="Markisen")["total"] == 0
    committed(wiki.wiki_page_delete, actor=anna, page=world["page"])
    assert api_search(anna, q="Frischluftschneisen")["total"] == 0
    committed(chat.message_delete, actor=world["ben"], message=world["message"])
    assert api_search(anna, q="Vorlage")["total"] == 0


def test_a_renamed_thread_is_found_by_its_new_title_and_tags(world, committed):
    anna = world["anna"]
    committed(
        discussions.thread_update,
        actor=anna,
        thread=world["thread"],
        title="Sonnenschutz in der Kita",
        tags=["Sommer"],
    )
    assert "Hitzeschutz in der Kita" not in titles(api_search(anna, q="Kita"))
    body = api_search(anna, q="Sonnensegel", type="thread,post")
    # The reply shows its thread's new title and tags.
    assert titles(body) == ["Sonnenschutz in der Kita"]
    assert body["hits"][0]["tags"] == ["Sommer"]
    assert titles(api_search(anna, q="Sommer", tag="Sommer")) == [
        "Sonnenschutz in der Kita"
    ]


def test_hits_show_the_author_and_organisation_as_they_are_now(
    world, committed, django_capture_on_commit_callbacks
):
    anna, ben = world["anna"], world["ben"]

    def shown(q):
        """(author, organisation) of each hit, and the organisation facet."""
        body = api_search(ben, q=q)
        facet = {f["label"]: f["count"] for f in body["facets"]["organisation"]}
        return {(hit["author"], hit["organisation"]) for hit in body["hits"]}, facet

    assert shown("Frischluftschneisen") == (
        {("Anna Asmus", "Stadt Beispielstadt")},
        {"Stadt Beispielstadt": 1},
    )
    committed(
        user_profile_update,
        user=anna,
        display_name="Anna Neumann",
        organisation=anna.organisation,
    )
    # The thread, the wiki page and the direct message she wrote.
    for q in ("Kindertagesstätten", "Frischluftschneisen", "Sonnensegel teuer"):
        assert shown(q)[0] == {("Anna Neumann", "Stadt Beispielstadt")}, q

    organisation = anna.organisation
    organisation.name = "Stadt Neustadt am See"
    committed(organisation.save)
    # Saved without a new name, it reindexes nobody.
    with django_capture_on_commit_callbacks() as callbacks:
        organisation.save()
    assert callbacks == []
    assert shown("Frischluftschneisen") == (
        {("Anna Neumann", "Stadt Neustadt am See")},
        {"Stadt Neustadt am See": 1},
    )

    moved_to = OrganisationFactory(name="Kreis Musterland")
    committed(
        user_profile_update,
        user=anna,
        display_name="Anna Neumann",
        organisation=moved_to,
    )
    assert shown("Frischluftschneisen") == (
        {("Anna Neumann", "Kreis Musterland")},
        {"Kreis Musterland": 1},
    )
    assert api_search(ben, q="Hitzeschutz", organisation=moved_to.pk)["total"] == 2

    committed(moved_to.delete)
    assert shown("Frischluftschneisen") == ({("Anna Neumann", "")}, {})
    # Ben's reply is as it was.
    assert shown("Spielplätzen")[0] == {("Ben Berg", ben.organisation.name)}


def test_the_search_page_shows_hits_facets_and_highlights(world):
    response = client_for(world["anna"]).get("/suche/", {"q": "Hitzeschutz"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<mark>Hitzeschutz</mark> in der Kita" in html
    assert "Eingrenzen" in html and "Vertrauliche Runde" in html
    assert 'href="?q=Hitzeschutz&amp;type=thread"' in html


def _facet(html: str, name: str) -> str:
    found = re.search(
        rf'<section class="search-facet" aria-labelledby="facet-{name}">(.*?)</section>',
        html,
        re.S,
    )
    return found.group(1) if found else ""


def test_a_chosen_filter_that_found_nothing_is_shown_chosen(world):
    anna = client_for(world["anna"])
    private = world["private"].pk
    html = anna.get(
        "/suche/",
        {"q": "Sonnensegel", "community": private, "type": "wiki", "tag": "Hitze"},
    ).content.decode()
    assert "0 Ergebnisse" in html
    for name, label in (
        ("community", "Vertrauliche Runde"),
        ("type", "Wiki-Seiten"),
        ("tag", "Hitze"),
    ):
        facet = _facet(html, name)
        assert re.search(
            rf'<strong aria-current="true">{label} <span class="search-facet__count">'
            r"\(0\)</span></strong>",
            facet,
        ), name
        assert "Filter aufheben" in facet
    # A community the reader may not see is not named, and no empty list is
    # left: only the way back.
    outsider = client_for(world["outsider"])
    html = outsider.get(
        "/suche/", {"q": "Sonnensegel", "community": private}
    ).content.decode()
    facet = _facet(html, "community")
    assert "Vertrauliche Runde" not in html
    assert "<ul" not in facet and "Filter aufheben" in facet


def test_member_and_community_hits_say_what_their_date_is(world):
    anna = client_for(world["anna"])
    html = anna.get("/suche/", {"q": "Asmus", "type": "member"}).content.decode()
    assert re.search(r"Mitglied seit <time datetime=\"[^\"]+\">\d", html)
    html = anna.get("/suche/", {"q": "Umwelt", "type": "community"}).content.decode()
    assert re.search(r"Zuletzt aktiv <time datetime=\"[^\"]+\">\d", html)
    # A thread's date needs no words.
    html = anna.get("/suche/", {"q": "Sonnensegel"}).content.decode()
    assert "Mitglied seit" not in html and "Zuletzt aktiv" not in html


def _tags_shown(html: str) -> list[str]:
    return re.findall(r'<span class="[^"]*search-hit__tag">(.*?)</span>', html)


def test_a_hit_shows_which_of_its_tags_match(world, committed):
    committed(
        discussions.thread_create,
        author=world["anna"],
        community=world["public"],
        title="Sommerfest im Rathaus",
        body="Wer hat Erfahrung mit Schattenplätzen?",
        tags=["Hitzeschutz & Dürre", "Feste"],
    )
    anna = client_for(world["anna"])
    # Found by nothing but a part of a tag's compound: the tag's word is
    # marked, the rest escaped; the other thread's tag is the word itself.
    html = anna.get("/suche/", {"q": "Hitze"}).content.decode()
    shown = _tags_shown(html)
    assert "<mark>Hitzeschutz</mark> &amp; Dürre" in shown
    assert "Feste" in shown and "<mark>Hitze</mark>" in shown
    # Found by other words: the same tags, unmarked.
    html = anna.get("/suche/", {"q": "Schattenplätzen"}).content.decode()
    assert _tags_shown(html) == ["Feste", "Hitzeschutz &amp; Dürre"]
    html = anna.get("/suche/", {"q": "Sonnensegel"}).content.decode()
    assert _tags_shown(html) == ["Hitze"]
    # The API the same.
    hits = api_search(world["anna"], q="Hitze", type="thread")["hits"]
    shown = {hit["title"]: hit["tags_highlight"] for hit in hits}
    assert shown["Sommerfest im Rathaus"] == [
        "Feste",
        "<mark>Hitzeschutz</mark> &amp; Dürre",
    ]
    assert shown["Hitzeschutz in der Kita"] == ["<mark>Hitze</mark>"]


def test_the_search_page_works_signed_out_for_public_content(world):
    response = client_for(None).get("/suche/", {"q": "Hitzeschutz"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<mark>Hitzeschutz</mark> in der Kita" in html
    assert "gekürzt" not in html and "Vorlage" not in html


def _community_search_form(html: str) -> str:
    found = re.search(r'<form class="community-search".*?</form>', html, re.S)
    return found.group() if found else ""


def test_a_community_offers_a_search_in_it_to_those_who_may_read_it(world):
    public, private = world["public"], world["private"]
    anna = client_for(world["anna"])
    for url in (
        public.url,
        reverse("communities:threads", args=[public.slug]),
        reverse("communities:wiki", args=[public.slug]),
        reverse("chat:community_rooms", args=[public.slug]),
        reverse("communities:members", args=[public.slug]),
    ):
        form = _community_search_form(anna.get(url).content.decode())
        assert 'action="/suche/"' in form, url
        assert f'<input type="hidden" name="community" value="{public.pk}">' in form
        assert "Suche in „Klima und Umwelt“" in form

    # What the form sends: Anna may read both communities, and finds only
    # what is in this one.
    html = anna.get("/suche/", {"q": "Hitzeschutz", "community": public.pk}).content
    html = html.decode()
    assert "in der Kita" in html and "Vorlage zum" in html
    assert "gekürzt" not in html
    assert re.search(r'<strong aria-current="true">Klima und Umwelt', html)
    assert "Nur in „Klima und Umwelt“" in html
    assert (
        '<a class="kern-link" href="?q=Hitzeschutz">In allen Communities suchen' in html
    )

    # Signed out, the public community offers it; the private one, whose
    # content an outsider cannot read, does not.
    assert _community_search_form(client_for(None).get(public.url).content.decode())
    outsider = client_for(world["outsider"]).get(private.url)
    assert outsider.status_code in (200, 404)
    assert not _community_search_form(outsider.content.decode())
    assert _community_search_form(anna.get(private.url).content.decode())


def test_nothing_found_with_a_filter_offers_the_search_without_it(world):
    anna = client_for(world["anna"])
    html = anna.get(
        "/suche/", {"q": "Sonnensegel", "community": world["private"].pk}
    ).content.decode()
    assert "haben wir nichts gefunden" in html
    assert (
        '<a class="kern-link" href="/suche/?q=Sonnensegel">Ohne Filter suchen</a>'
        in html
    )
    html = anna.get("/suche/", {"q": "Sonnensegelx"}).content.decode()
    assert "haben wir nichts gefunden" in html and "Ohne Filter suchen" not in html


def test_browsers_may_add_kommunect_as_a_search_engine(client):
    """Every page names the OpenSearch description; a browser that reads it
    sends the typed words to the search page."""
    from xml.etree import ElementTree

    head = client.get("/suche/").content.decode()
    link = re.search(r'<link rel="search" [^>]*>', head).group()
    assert 'type="application/opensearchdescription+xml"' in link
    assert 'href="/opensearch.xml"' in link

    response = client.get("/opensearch.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/opensearchdescription+xml")
    spec = "{http://a9.com/-/spec/opensearch/1.1/}"
    root = ElementTree.fromstring(response.content)
    assert root.find(f"{spec}ShortName").text == "Kommunect"
    template = root.find(f"{spec}Url[@type='text/html']").get("template")
    assert template == "http://testserver/suche/?q={searchTerms}"
    assert root.find(f"{spec}Image").text.startswith("http://testserver/static/")
    assert "durchsuchen" in root.find(f"{spec}Description").text
    assert root.find(f"{spec}Language").text == "de"

    followed = client.get(
        template.replace("http://testserver", "").replace(
            "{searchTerms}", "Hitzeschutz"
        )
    )
    assert followed.status_code == 200
    assert "Suche: Hitzeschutz" in followed.content.decode()


def test_did_you_mean_and_help_when_nothing_is_found(world):
    response = client_for(world["anna"]).get("/suche/", {"q": "Sonnensgel"})
    html = response.content.decode()
    assert (
        'Meinten Sie <a class="kern-link" href="?q=Sonnensegel">Sonnensegel</a>?'
        in html
    )
    assert "haben wir nichts gefunden" in html
    # The count is in the page's title, which a screen reader reads first.
    assert "<title>Suche: Sonnensgel (0 Ergebnisse)" in html
    html = client_for(world["anna"]).get("/suche/", {"q": "Sonnensegel"}).text
    assert "<title>Suche: Sonnensegel (2 Ergebnisse)" in html  # a reply, a DM
    html = client_for(world["outsider"]).get("/suche/", {"q": "Sonnensegel"}).text
    assert "<title>Suche: Sonnensegel (1 Ergebnis)" in html


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"q": "x", "type": "gedicht"}, "type", "Unbekannte Art"),
        ({"q": "x", "from": "31.12.2025"}, "from", "JJJJ-MM-TT"),
        ({"q": "x", "from": "2026-02-01", "to": "2026-01-01"}, "to", "Ende liegt vor"),
        ({"q": "x", "page": "10000"}, "page", "zwischen 1 und 500"),
        ({"q": "x", "page": "-1"}, "page", "zwischen 1 und 500"),
        ({"q": "x", "sort": "random"}, "sort", "relevance"),
        ({"q": "x", "organisation": "abc"}, "organisation", "Nummer"),
        ({"q": "x", "community": "gibt-es-nicht"}, "community", "gibt es nicht"),
        ({"q": "x", "time": "gestern"}, "time", "Zeitraum"),
        ({"q": "x", "type": "gedicht"}, "type", "thread (Diskussionen), post"),
        ({"q": "x", "sort": "random"}, "sort", "date (Datum)"),
        ({"q": "x", "to": "9999-12-31"}, "to", "zwischen den Jahren 1900 und 2999"),
        ({"q": "x", "from": "0001-01-01"}, "from", "zwischen den Jahren"),
        ({"q": "x", "community": "9" * 19}, "community", "gibt es nicht"),
        ({"q": "x", "community": "9223372036854775808"}, "community", "gibt es"),
        ({"q": "x", "page_size": "101"}, "page_size", "zwischen 1 und 100 Ergebnisse"),
        ({"q": "x", "page_size": "0"}, "page_size", "zwischen 1 und 100 Ergebnisse"),
    ],
)
def test_bad_parameters_get_a_german_message(world, params, field, message):
    response = client_for(world["anna"]).get("/api/v1/search", params)
    assert response.status_code == 400
    body = response.json()
    assert message in " ".join(body["errors"][field])
    page = client_for(world["anna"]).get("/suche/", params)
    assert page.status_code == 400
    assert message in page.content.decode()


def test_a_wrong_filter_is_not_kept_in_the_form(world):
    anna = client_for(world["anna"])
    html = anna.get("/suche/", {"q": "Hitzeschutz", "type": "gedicht"}).content
    assert b'name="type"' not in html
    html = anna.get(
        "/suche/", {"q": "Hitzeschutz", "type": "thread", "page": "2"}
    ).content.decode()
    assert '<input type="hidden" name="type" value="thread">' in html
    assert 'name="page"' not in html


def test_a_page_past_the_last_says_so(world):
    anna = world["anna"]
    first = api_search(anna, q="Hitzeschutz", page_size=1)
    assert first["total"] == first["pages"] > 1 and len(first["hits"]) == 1
    second = api_search(anna, q="Hitzeschutz", page_size=1, page=2)
    assert second["hits"] and second["hits"] != first["hits"]
    assert second["notice"] == ""
    beyond = api_search(anna, q="Hitzeschutz", page=50)
    assert beyond["hits"] == [] and beyond["total"] == first["total"]
    assert beyond["notice"] == (
        "Seite 50 gibt es für diese Suche nicht, sie hat nur 1 Seite."
    )
    html = client_for(anna).get("/suche/", {"q": "Hitzeschutz", "page": "50"})
    assert "Seite 50 gibt es für diese Suche nicht" in html.content.decode()
    assert (
        '<a class="kern-link" href="?q=Hitzeschutz&amp;page=1">Zur letzten Seite'
        in (html.content.decode())
    )


@pytest.mark.parametrize(
    "q",
    ["", '"', "OR OR", "-Kita", "' OR 1=1; --", '{"match_all": {}}', "Hitze " * 200],
)
def test_odd_queries_give_a_normal_page(world, q):
    response = client_for(world["anna"]).get("/suche/", {"q": q})
    assert response.status_code == 200
    body = api_search(world["anna"], q=q)
    assert body["total"] >= 0


def test_a_query_too_long_says_what_was_left_out(world):
    anna = world["anna"]
    words = " ".join(f"Wort{n}" for n in range(20))
    body = api_search(anna, q=words)
    assert body["notice"] == (
        "Gesucht wurde nach den ersten 16 Suchbegriffen, die weiteren wurden "
        "weggelassen."
    )
    # The first 16 are searched.
    body = api_search(anna, q="Hitzeschutz " * 17)
    assert body["total"] > 0 and "ersten 16 Suchbegriffen" in body["notice"]
    long = "Hitzeschutz " + "x" * 600
    body = api_search(anna, q=long)
    assert body["notice"].endswith(
        " Gesucht wurde nach den ersten 500 Zeichen Ihrer Eingabe, der Rest "
        "wurde weggelassen."
    )
    # No text has the word of 488 x, so the hits are those without it; the
    # notice names it shortened.
    assert body["total"] > 0 and body["left_out"] == ["x" * 488]
    assert body["notice"].startswith(
        f"Kein Ergebnis enthält alle Suchbegriffe. Gesucht wurde ohne „{'x' * 39}…“."
    )
    html = client_for(anna).get("/suche/", {"q": long}).content.decode()
    assert "Gesucht wurde nach den ersten 500 Zeichen" in html
    # Both fields show what was searched, and the page's field does not let
    # the browser bring back what was typed before (the back button).
    fields = re.findall(r'<input[^>]*name="q"[^>]*>', html)
    assert len(fields) == 2
    for field in fields:
        value = re.search(r'value="([^"]*)"', field).group(1)
        assert value == long[:500], len(value)
        assert 'autocomplete="off"' in field
    # Up to 16 terms and 500 characters of words: no note.
    assert api_search(anna, q="Hitzeschutz Kita")["notice"] == ""
    assert api_search(anna, q="Hitzeschutz" + " " * 600 + "?")["notice"] == ""


def test_only_exclusions_ask_for_a_word(world):
    body = api_search(world["anna"], q="-Kita")
    assert body["total"] == 0
    assert "keinen Suchbegriff" in body["notice"]


def test_only_common_words_ask_for_a_more_specific_word(world, client):
    anna = world["anna"]
    body = api_search(anna, q="die")
    assert body["total"] == 0
    assert body["notice"] == (
        "„die“ ist ein sehr häufiges Wort, nach dem nicht gesucht wird. "
        "Bitte geben Sie ein bestimmteres Wort ein."
    )
    client.force_login(anna)
    # A word beside them: it is searched for, without a word about them.
    html = client.get("/suche/", {"q": "Wer ist für die"}).content.decode()
    assert "sehr häufige" not in html
    html = client.get("/suche/", {"q": "für DIE"}).content.decode()
    assert (
        "„für“ und „DIE“ sind sehr häufige Wörter, nach denen nicht gesucht "
        "wird. Bitte geben Sie ein bestimmteres Wort ein." in html
    )
    assert "haben wir nichts gefunden" not in html


def test_a_question_finds_what_its_telling_words_find(world, client):
    anna = world["anna"]
    # No text has every word ("schon", "bei", "Schattenplätzen" are missing):
    # the search leaves out as few words as it must, the most common first.
    body = api_search(anna, q="Wer hat schon Sonnensegel über den Spielplätzen?")
    assert titles(body) == ["Hitzeschutz in der Kita"]
    assert body["left_out"] == ["Wer", "schon"]
    assert body["notice"] == (
        "Kein Ergebnis enthält alle Suchbegriffe. Gesucht wurde ohne „Wer“ und „schon“."
    )
    # The words as typed, each of a choice.
    body = api_search(anna, q="Sonnensegel Bielefeld ODER Dortmund")
    assert body["left_out"] == ["Bielefeld", "Dortmund"]
    assert body["total"] == 2  # the thread (its reply) and the direct message
    client.force_login(anna)
    html = client.get(
        "/suche/", {"q": "Wer hat schon Sonnensegel über den Spielplätzen?"}
    ).content.decode()
    assert (
        "Kein Ergebnis enthält alle Suchbegriffe. Gesucht wurde ohne „Wer“ und "
        "„schon“." in html
    )
    assert "haben wir nichts gefunden" not in html
    assert "Hitzeschutz in der Kita" in html


def _write(committed, world, threads=(), pages=()):
    """Threads and wiki pages by Anna in the public community, by title."""
    for create, titles, body in (
        (discussions.thread_create, threads, "Wie machen Sie das?"),
        (wiki.wiki_page_create, pages, "Lärmschutz beachten."),
    ):
        for title in titles:
            committed(
                create,
                author=world["anna"],
                community=world["public"],
                title=title,
                body=body,
            )


def test_as_few_words_as_possible_are_left_out(world, committed):
    anna = world["anna"]
    _write(
        committed,
        world,
        threads=("Grünschnitt Kompost", "Grünschnitt", "Grünschnitt im Herbst"),
        pages=("Laubsauger", "Streusalz"),
    )
    # Each word is found, never all four, nor any three: of two left out,
    # the first pair that finds, the most common first: not Grünschnitt
    # (most common, but with Kompost in a title), but Laubsauger and
    # Streusalz.
    body = api_search(anna, q="Grünschnitt Kompost Laubsauger Streusalz")
    assert body["left_out"] == ["Laubsauger", "Streusalz"]
    assert titles(body) == ["Grünschnitt Kompost"]


def test_the_words_of_a_question_are_left_out_first(world, committed):
    anna = world["anna"]
    _write(
        committed,
        world,
        threads=(
            "Wer macht das schon?",
            "Grünschnitt abholen",
            "Grünschnitt kompostieren",
            "Grünschnitt im Herbst",
        ),
    )
    # Grünschnitt is the most common word here, but "Wer" and "schon" say
    # nothing about the topic: they go, and a search of only them is not
    # tried (it would show "Wer macht das schon?").
    body = api_search(anna, q="Wer schon Grünschnitt")
    assert body["left_out"] == ["Wer", "schon"]
    assert sorted(titles(body)) == [
        "Grünschnitt abholen",
        "Grünschnitt im Herbst",
        "Grünschnitt kompostieren",
    ]
    # Found together, they are searched for like any word.
    assert titles(api_search(anna, q="Wer macht schon")) == ["Wer macht das schon?"]
    # Only they are left: nothing, rather than what they find.
    body = api_search(anna, q="Wer schon Bielefeld")
    assert (body["total"], body["left_out"]) == (0, [])


def test_leaving_words_out_asks_the_database_a_bounded_number_of_times(
    world, django_assert_num_queries
):
    # Eight words found apart, never two or three together: the search (with
    # its did-you-mean, a query or two for each word), then one question for
    # the eight counts and one for each number of words left out (24 tries:
    # all eight one at a time, then 16 of the pairs), and it gives up.
    # PostgreSQL sets each question's time limit in a transaction of its own
    # (here: savepoints).
    from django.db import connection

    from search import service

    anna = world["anna"]
    params = service.parse_params(
        {
            "q": "Hitzeschutz Sonnensegel Spielplätzen Kindertagesstätten "
            "Gemeinden Vorlage Frischluftschneisen Checkliste"
        },
        anna,
    )
    with django_assert_num_queries(26 if connection.vendor == "postgresql" else 14):
        page = service.search(anna, params)
    assert (page.result.total, page.left_out) == (0, [])


def test_all_words_found_leave_nothing_out(world):
    body = api_search(world["anna"], q="Sonnensegel Spielplätzen")
    assert body["left_out"] == []
    assert body["notice"] == ""
    # One word: nothing to leave out.
    body = api_search(world["anna"], q="Bielefeld")
    assert (body["total"], body["left_out"]) == (0, [])
    # No word found anywhere: nothing found, as before.
    body = api_search(world["anna"], q="Bielefeld Dortmund")
    assert (body["total"], body["left_out"]) == (0, [])


def test_leaving_words_out_stops_when_the_time_is_up(world, monkeypatch):
    from search import service

    class SlowClock:
        """Time that passes a minute at each look (a slow database cannot
        be had on demand here; the searches themselves are real)."""

        now = 0.0

        def monotonic(self):
            self.now += 60
            return self.now

    monkeypatch.setattr(service, "clock", SlowClock())
    body = api_search(world["anna"], q="Wer hat schon Sonnensegel?")
    assert (body["total"], body["left_out"], body["notice"]) == (0, [], "")


def test_leaving_words_out_keeps_private_things_private(world):
    # "weitersagen" is only in the private community: for an outsider it
    # is found nowhere, so it is left out, and the secret thread not shown.
    outsider = api_search(world["outsider"], q="Hitzeschutz weitersagen")
    assert outsider["left_out"] == ["weitersagen"]
    assert "Hitzeschutz-Etat wird gekürzt" not in titles(outsider)
    assert "Hitzeschutz in der Kita" in titles(outsider)
    member = api_search(world["anna"], q="Hitzeschutz weitersagen")
    assert member["left_out"] == []
    assert titles(member) == ["Hitzeschutz-Etat wird gekürzt"]
    # An exclusion still holds: without the thread about the Kita the
    # outsider may read nothing about Hitzeschutz.
    body = api_search(world["outsider"], q="Hitzeschutz weitersagen -Kita")
    assert (body["total"], body["left_out"]) == (0, [])


def test_filters_and_facets_through_the_api(world):
    anna = world["anna"]
    body = api_search(anna, q="Hitzeschutz", community="vertraulich")
    assert titles(body) == ["Hitzeschutz-Etat wird gekürzt"]
    body = api_search(anna, q="Hitzeschutz", tag="Hitze")
    assert titles(body) == ["Hitzeschutz in der Kita"]
    body = api_search(anna, q="Hitzeschutz")
    types = {f["value"]: f["count"] for f in body["facets"]["type"]}
    assert types["thread"] == 2 and types["message"] == 1
    assert {f["value"] for f in body["facets"]["time"]} >= {"week"}


def test_suggestions_while_typing(world):
    response = client_for(world["anna"]).get("/suche/vorschlaege/", {"q": "Klim"})
    results = response.json()["results"]
    assert [r["title"] for r in results] == [
        "Klima und Umwelt",
        "Klimafolgenanpassung – Checkliste",
    ]
    assert results[0]["type_label"] == "Community"
    outsider = client_for(world["outsider"]).get(
        "/suche/vorschlaege/", {"q": "Vertrau"}
    )
    assert outsider.json()["results"] == []
    api = client_for(world["anna"]).get("/api/v1/search/suggest", {"q": "Ben"})
    assert [r["title"] for r in api.json()] == ["Ben Berg"]


def test_a_search_that_takes_too_long_is_stopped_with_a_german_notice(world, settings):
    from datetime import UTC, datetime

    from search.backends.base import AUDIENCE_READERS, SearchDocument
    from search.backends.database import DatabaseBackend

    DatabaseBackend().index(
        SearchDocument(
            key=f"wiki:{900000 + number}",
            kind="wiki",
            title=f"Hitzeschutz im Quartier {number}",
            body="Hitzeschutz für Ältere: Trinkbrunnen, Schatten, kühle Räume. " * 5,
            url=f"/wiki/{900000 + number}/",
            date=datetime(2026, 1, 1, tzinfo=UTC),
            audience=AUDIENCE_READERS,
            community_id=world["public"].pk,
        )
        for number in range(3000)
    )
    settings.SEARCH_TIMEOUT = 0.001
    body = api_search(world["anna"], q="Hitzeschutz")
    assert (body["total"], body["hits"]) == (0, [])
    assert body["notice"].startswith("Diese Suche findet so viel, dass sie zu lange")
    page = client_for(world["anna"]).get("/suche/", {"q": "Hitzeschutz"})
    assert page.status_code == 200
    assert "Bitte grenzen Sie sie ein" in page.text
    # With time, the same search finds everything: nothing was lost.
    settings.SEARCH_TIMEOUT = 10
    assert api_search(world["anna"], q="Hitzeschutz")["total"] > 3000


def test_search_is_rate_limited(world, settings):
    settings.SEARCH_RATE = "3/m"
    client = client_for(world["anna"])
    for _ in range(3):
        assert client.get("/api/v1/search", {"q": "Kita"}).status_code == 200
    response = client.get("/api/v1/search", {"q": "Kita"})
    assert response.status_code == 429
    assert "Zu viele Anfragen" in response.json()["detail"]
    # The page says so as well, with the status and when to come back, and
    # does not offer a search without filters, which would not help.
    page = client.get("/suche/", {"q": "Kita", "type": "thread"})
    assert page.status_code == 429
    assert 1 <= int(page["Retry-After"]) <= 60
    assert "Zu viele Anfragen" in page.content.decode()
    assert "Ohne Filter suchen" not in page.content.decode()


def test_the_page_keeps_and_shows_every_filter_of_its_address(world):
    anna, public, private = world["anna"], world["public"], world["private"]
    params = {
        "q": "Hitzeschutz",
        "community": f"{public.pk},{private.pk}",
        "author": str(anna.pk),
        "from": "2020-01-01",
        "to": "2099-12-31",
    }
    html = client_for(anna).get("/suche/", params).content.decode()
    # Both communities are named, each marked as chosen in the facet.
    assert "Nur in „Klima und Umwelt“, „Vertrauliche Runde“" in html
    for title in ("Klima und Umwelt", "Vertrauliche Runde"):
        assert f'<strong aria-current="true">{title} <span' in html, title
    # The filters without a facet are shown, each with a way to lift it.
    assert "Ab 01.01.2020 · " in html and "Bis 31.12.2099 · " in html
    assert "Von Anna Asmus · " in html
    links = re.findall(r'href="(\?[^"]*)"', html)
    without_author = [link for link in links if "author=" not in link]
    assert any("from=2020-01-01" in link for link in without_author)
    # Sort and facet links keep them all.
    sort = next(link for link in links if "sort=date" in link)
    for part in (
        f"community={public.pk}",
        f"community={private.pk}",
        f"author={anna.pk}",
        "from=2020-01-01",
        "to=2099-12-31",
    ):
        assert part in sort, (part, sort)
    # The form's hidden fields keep them as well.
    assert f'<input type="hidden" name="author" value="{anna.pk}">' in html
    assert f'<input type="hidden" name="community" value="{private.pk}">' in html
    # Signed out, no name is given for an id (profiles are for the signed-in),
    # and the private community is not named.
    html = client_for(None).get("/suche/", params).content.decode()
    assert "Von einer bestimmten Person · " in html and "Von Anna" not in html
    assert "Nur in „Klima und Umwelt“ · " in html and "Vertrauliche" not in html
    # A chosen community with nothing found is named all the same.
    params["q"] = "Sonnensegel"
    params["author"] = str(world["ben"].pk)
    html = client_for(anna).get("/suche/", params).content.decode()
    assert "Nur in „Klima und Umwelt“, „Vertrauliche Runde“" in html
    assert "Von Ben Berg · " in html


def test_the_api_serves_signed_out_callers_what_the_page_does(world):
    # As the page: public content only, no chat of members, no private thread.
    body = api_search(None, q="Hitzeschutz")
    assert titles(body) == ["Hitzeschutz in der Kita"]
    suggest = client_for(None).get("/api/v1/search/suggest", {"q": "Vertrau"})
    assert suggest.status_code == 200 and suggest.json() == []
    suggest = client_for(None).get("/api/v1/search/suggest", {"q": "Klim"})
    assert [s["title"] for s in suggest.json()] == [
        "Klima und Umwelt",
        "Klimafolgenanpassung – Checkliste",
    ]
    # A token that does not check out is refused, not read as signed out.
    refused = client_for(None).get(
        "/api/v1/search", {"q": "Kita"}, HTTP_AUTHORIZATION="Bearer falsch"
    )
    assert refused.status_code == 401


@pytest.mark.parametrize("who", ["outsider", None])
def test_a_private_community_named_in_the_filter_is_as_unknown_as_none(world, who):
    user = world[who] if who else None
    for slug in ("vertraulich", "gibt-es-nicht"):
        response = client_for(user).get(
            "/api/v1/search", {"q": "Hitzeschutz", "community": slug}
        )
        assert response.status_code == 400
        assert response.json()["errors"]["community"] == [
            "Diese Community gibt es nicht."
        ]
        page = client_for(user).get("/suche/", {"q": "Hitzeschutz", "community": slug})
        assert page.status_code == 400
        assert "Diese Community gibt es nicht." in page.content.decode()


@pytest.mark.parametrize("digits", ["²", "①", "٣", "3²"])
@pytest.mark.parametrize(
    "name", ["page", "page_size", "community", "organisation", "author"]
)
def test_numbers_in_other_digits_get_a_german_message(world, name, digits):
    # str.isdigit() takes these; int() refuses "²" and reads "٣" as 3.
    response = client_for(world["anna"]).get(
        "/api/v1/search", {"q": "Hitzeschutz", name: digits}
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [name]
    page = client_for(world["anna"]).get("/suche/", {"q": "Hitzeschutz", name: digits})
    assert page.status_code == 400


def test_reindex_rebuilds_the_same_index(world, capsys):
    before = set(SearchEntry.objects.values_list("key", flat=True))
    call_command("search_reindex", "--clear", "--batch-size", "2", "--no-progress")
    after = set(SearchEntry.objects.values_list("key", flat=True))
    assert after == before
    assert "Fertig:" in capsys.readouterr().out
    assert api_search(world["anna"], q="Kindertagesstätte")["total"] == 1


def test_healthz_reports_the_backend_and_the_lag(client):
    body = client.get("/healthz").json()
    assert body["search"] == "ok"
    assert body["search_backend"] == "database"
    assert body["search_index_lag_seconds"] == 0.0


def test_search_asks_a_fixed_number_of_queries(world, committed):
    """The page and the API ask as many queries for 3 hits as for a page of
    20 grouped hits with replies, authors of several organisations and
    tags (the count, the facets and the page are one statement)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    anna = world["anna"]
    client = client_for(anna)

    def queries(path):
        client.get(path, {"q": "Hitzeschutz"})  # the session is settled
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path, {"q": "Hitzeschutz"})
        assert response.status_code == 200
        return len(captured)

    few = queries("/suche/"), queries("/api/v1/search")
    for number in range(25):
        author = committed(
            UserFactory,
            organisation=OrganisationFactory(name=f"Gemeinde {number}"),
        )
        make_member(world["public"], author)
        thread = committed(
            discussions.thread_create,
            author=author,
            community=world["public"],
            title=f"Hitzeschutz im Rathaus {number}",
            body="Ventilatoren und Jalousien.",
            tags=[f"Thema {number}", "Hitze"],
        )
        committed(
            discussions.post_create,
            author=anna,
            thread=thread,
            body="Auch bei uns: Hitzeschutz mit Jalousien.",
        )
    many = queries("/suche/"), queries("/api/v1/search")
    assert api_search(anna, q="Hitzeschutz")["total"] >= 25
    # The session, the user, the communities, memberships and rooms they
    # may read, the statement, the hits' entries and their highlights, the
    # communities and organisations of the hits; on PostgreSQL in a
    # transaction of its own (savepoint, its settings: no JIT and the time
    # limit, release).
    expected = 13 if connection.vendor == "postgresql" else 10
    assert many == few == (expected, expected)


def test_the_api_schema_describes_the_search_parameters(client):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/search"]["get"]
    names = [parameter["name"] for parameter in operation["parameters"]]
    assert names[:2] == ["q", "community"] and "page_size" in names
