"""The write paths of discussions (``communities.discussions.services``):
what is stored, what the thread and community show afterwards, and the clear
German message a refused or bad request gets, with nothing half-saved."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone
from factories import UserFactory
from factories.communities import make_community, make_member
from factories.discussions import make_post, make_thread

from communities.discussions.models import (
    DiscussionTag,
    Post,
    PostRevision,
    Reaction,
    Thread,
    ThreadSubscription,
)
from communities.discussions.services import (
    post_create,
    post_delete,
    post_edit,
    reaction_add,
    reaction_remove,
    thread_create,
    thread_moderate,
    thread_set_solution,
    thread_watch,
)
from communities.models import CommunityPage

pytestmark = pytest.mark.django_db

AN_HOUR_AGO = timedelta(hours=1)


@pytest.fixture
def community():
    return make_community(title="Klimaanpassung", visibility="public")


@pytest.fixture
def thread(community, member):
    """A question by ``member``, with no replies yet."""
    return make_thread(
        community, member, title="Hitzeaktionsplan: wer hat eine Vorlage?"
    )


@pytest.fixture
def reply(thread, community):
    return make_post(thread, make_member(community).user)


def age(*objects):
    """Move the last activity of threads and communities an hour back, so that
    a test can see it move forward."""
    earlier = timezone.now() - AN_HOUR_AGO
    for obj in objects:
        type(obj).objects.filter(pk=obj.pk).update(last_activity=earlier)
        obj.refresh_from_db(fields=["last_activity"])
    return earlier


def counts():
    return Thread.objects.count(), Post.objects.count(), DiscussionTag.objects.count()


# --- thread_create -------------------------------------------------------------


def test_starting_a_thread_stores_title_body_and_tags(community, member):
    thread = thread_create(
        author=member,
        community=community,
        title="  Erfahrungen mit der   E-Akte in kleinen Gemeinden?  ",
        body="Wir führen die E-Akte 2026 ein.",
        tags=["E-Akte", "Digitalisierung"],
    )

    thread.refresh_from_db()
    assert thread.title == "Erfahrungen mit der E-Akte in kleinen Gemeinden?"
    assert thread.author == member
    assert thread.community_id == community.pk
    assert thread.opening_post.body == "Wir führen die E-Akte 2026 ein."
    assert thread.opening_post.author == member
    assert set(thread.tags.names()) == {"E-Akte", "Digitalisierung"}
    assert thread.reply_count == 0
    assert thread.solution is None
    assert not thread.pinned and not thread.locked
    assert list(thread.posts.all()) == [thread.opening_post]


def test_the_opening_post_is_stored_as_sanitised_markdown(community, member):
    thread = thread_create(
        author=member,
        community=community,
        title="Vorlage gesucht",
        body=(
            "Das ist **fett** und <script>alert('x')</script> "
            "[Klick](javascript:alert(1)) <img src=x onerror=alert(1)>"
        ),
    )

    html = thread.opening_post.body_html
    assert "<strong>fett</strong>" in html
    assert "<script" not in html
    assert 'href="javascript' not in html
    assert "<img" not in html


def test_starting_a_thread_watches_it(community, member):
    thread = thread_create(
        author=member, community=community, title="Vorlage gesucht", body="Wer hat?"
    )

    assert ThreadSubscription.objects.filter(thread=thread, user=member).exists()


def test_starting_a_thread_moves_the_community_last_activity(community, member):
    earlier = age(community)

    thread = thread_create(
        author=member, community=community, title="Vorlage gesucht", body="Wer hat?"
    )

    community.refresh_from_db()
    assert community.last_activity > earlier
    assert community.last_activity == thread.last_activity


def test_a_thread_at_every_limit_is_accepted(community, member):
    thread = thread_create(
        author=member,
        community=community,
        title="T" * 200,
        body="b" * 50_000,
        tags=[f"Schlagwort {number}" for number in range(9)] + ["s" * 50],
    )

    assert len(thread.title) == 200
    assert thread.tags.count() == 10


def test_tags_are_kept_once_whatever_their_case(community, member):
    thread = thread_create(
        author=member,
        community=community,
        title="Vorlage gesucht",
        body="Wer hat?",
        tags=["E-Akte", "e-akte", "  ", "E-Akte "],
    )

    assert list(thread.tags.names()) == ["E-Akte"]


def test_a_tag_already_in_use_is_reused_whatever_its_case(community, member):
    make_thread(community, tags=["E-Akte"])

    thread = thread_create(
        author=member,
        community=community,
        title="Vorlage gesucht",
        body="Wer hat?",
        tags=["e-akte"],
    )

    # One tag, so that filtering the thread list by "E-Akte" finds both.
    assert list(thread.tags.names()) == ["E-Akte"]
    assert list(DiscussionTag.objects.values_list("name", flat=True)) == ["E-Akte"]


BAD_THREADS = {
    "empty title": (
        {"title": ""},
        "title",
        "Bitte geben Sie einen Titel ein.",
    ),
    "whitespace title": (
        {"title": " \n\t "},
        "title",
        "Bitte geben Sie einen Titel ein.",
    ),
    "title of 201 characters": (
        {"title": "T" * 201},
        "title",
        "Der Titel darf höchstens 200 Zeichen lang sein.",
    ),
    "empty body": ({"body": ""}, "body", "Bitte schreiben Sie einen Text."),
    "whitespace body": ({"body": "  \n \t"}, "body", "Bitte schreiben Sie einen Text."),
    "body of 50,001 characters": (
        {"body": "b" * 50_001},
        "body",
        "Der Text darf höchstens 50000 Zeichen lang sein.",
    ),
    "11 tags": (
        {"tags": [f"Schlagwort {number}" for number in range(11)]},
        "tags",
        "Höchstens 10 Schlagwörter sind möglich.",
    ),
    "a tag of 51 characters": (
        {"tags": ["Klima", "s" * 51]},
        "tags",
        "Ein Schlagwort darf höchstens 50 Zeichen lang sein.",
    ),
}


@pytest.mark.parametrize(
    ("fields", "field", "message"), BAD_THREADS.values(), ids=BAD_THREADS.keys()
)
def test_a_bad_thread_is_refused_with_a_german_message_and_nothing_saved(
    community, member, fields, field, message
):
    DiscussionTag.objects.create(name="Klima", slug="klima")
    before = counts()
    arguments = {"title": "Vorlage gesucht", "body": "Wer hat?", "tags": ["Klima"]}

    with pytest.raises(ValidationError) as refused:
        thread_create(author=member, community=community, **(arguments | fields))

    assert refused.value.message_dict == {field: [message]}
    assert counts() == before
    assert not ThreadSubscription.objects.exists()


def test_a_platform_user_may_not_start_a_thread_in_a_public_community(community):
    before = counts()

    with pytest.raises(PermissionDenied) as refused:
        thread_create(
            author=UserFactory(), community=community, title="Hallo", body="Hallo"
        )

    assert str(refused.value) == "Dafür müssen Sie Mitglied dieser Community sein."
    assert counts() == before


def test_an_outsider_starting_a_thread_in_a_private_community_gets_not_found():
    private = make_community(visibility="private")

    with pytest.raises(Http404):
        thread_create(author=UserFactory(), community=private, title="Hi", body="Hi")

    assert not Thread.objects.exists()


# --- post_create ---------------------------------------------------------------


def test_a_reply_is_counted_and_moves_the_last_activity(community, thread):
    replier = make_member(community).user
    earlier = age(thread, community)

    post = post_create(author=replier, thread=thread, body="Wir haben **eine**.")

    thread.refresh_from_db()
    community.refresh_from_db()
    assert thread.reply_count == 1
    assert thread.last_activity > earlier
    assert community.last_activity > earlier
    assert post.thread == thread and post.author == replier
    assert "<strong>eine</strong>" in post.body_html


def test_replying_watches_the_thread(community, thread):
    replier = make_member(community).user

    post_create(author=replier, thread=thread, body="Wir haben eine.")

    assert ThreadSubscription.objects.filter(thread=thread, user=replier).exists()


def test_a_reply_to_a_post_of_the_same_thread_is_stored(community, thread, reply):
    post = post_create(
        author=make_member(community).user,
        thread=thread,
        body="Danke!",
        reply_to=reply,
    )

    assert post.reply_to == reply


def test_a_reply_to_a_post_of_another_thread_is_refused(community, thread, member):
    elsewhere = make_post(make_thread(community))
    before = counts()

    with pytest.raises(ValidationError) as refused:
        post_create(author=member, thread=thread, body="Danke!", reply_to=elsewhere)

    assert refused.value.message_dict == {
        "reply_to": ["Dieser Beitrag gehört zu einer anderen Diskussion."]
    }
    assert counts() == before
    thread.refresh_from_db()
    assert thread.reply_count == 0


@pytest.mark.parametrize("role", ["member", "moderator", "owner"])
def test_a_locked_thread_takes_no_reply_from_anybody(community, role):
    thread = make_thread(community, locked=True)
    person = make_member(community, role=role).user

    with pytest.raises(PermissionDenied) as refused:
        post_create(author=person, thread=thread, body="Noch eine Frage …")

    assert str(refused.value) == (
        "Diese Diskussion ist gesperrt und nimmt keine Antworten an."
    )
    thread.refresh_from_db()
    assert thread.reply_count == 0
    assert thread.posts.count() == 1


@pytest.mark.parametrize("state", ["pending", "banned"])
def test_a_person_not_taking_part_may_not_reply(community, thread, state):
    person = make_member(community, state=state, reason="Spam").user

    with pytest.raises(PermissionDenied) as refused:
        post_create(author=person, thread=thread, body="Hallo")

    assert str(refused.value) == "Dafür müssen Sie Mitglied dieser Community sein."
    assert thread.posts.count() == 1


def test_a_platform_user_may_not_reply(thread):
    with pytest.raises(PermissionDenied):
        post_create(author=UserFactory(), thread=thread, body="Hallo")

    assert thread.posts.count() == 1


def test_an_outsider_replying_in_a_private_community_gets_not_found():
    thread = make_thread(make_community(visibility="private"))

    with pytest.raises(Http404):
        post_create(author=UserFactory(), thread=thread, body="Hallo")


def test_an_empty_reply_is_refused(thread, member):
    with pytest.raises(ValidationError) as refused:
        post_create(author=member, thread=thread, body=" \n ")

    assert refused.value.message_dict == {"body": ["Bitte schreiben Sie einen Text."]}
    assert thread.posts.count() == 1


# --- post_edit -----------------------------------------------------------------


def test_editing_keeps_the_earlier_version(reply):
    author = reply.author
    old_body, old_html = reply.body, reply.body_html

    post = post_edit(editor=author, post=reply, body="Korrigiert: **zwei** Vorlagen.")

    post.refresh_from_db()
    assert post.body == "Korrigiert: **zwei** Vorlagen."
    assert "<strong>zwei</strong>" in post.body_html
    assert post.edited is not None
    assert post.moderation_reason == ""
    revision = post.revisions.get()
    assert revision.body == old_body
    assert revision.body_html == old_html
    assert revision.written_at == reply.created
    assert revision.replaced_by == author


def test_every_edit_keeps_one_more_version(reply):
    post_edit(editor=reply.author, post=reply, body="Zweite Fassung")
    post_edit(editor=reply.author, post=reply, body="Dritte Fassung")

    assert [r.body for r in reply.revisions.all()] == [
        "Zweite Fassung",
        reply.body,
    ]


def test_saving_an_unchanged_post_keeps_no_version(reply):
    post = post_edit(editor=reply.author, post=reply, body=reply.body)

    assert post.edited is None
    assert not PostRevision.objects.exists()


def test_a_moderator_edit_records_the_reason(reply, moderator):
    post = post_edit(
        editor=moderator,
        post=reply,
        body="[entfernt: Telefonnummer]",
        reason="Persönliche Daten entfernt",
    )

    post.refresh_from_db()
    assert post.body == "[entfernt: Telefonnummer]"
    assert post.moderation_reason == "Persönliche Daten entfernt"
    revision = post.revisions.get()
    assert revision.replaced_by == moderator
    assert revision.reason == "Persönliche Daten entfernt"


def test_a_member_may_not_edit_someone_elses_post(reply, member):
    with pytest.raises(PermissionDenied) as refused:
        post_edit(editor=member, post=reply, body="Gefälscht")

    assert str(refused.value) == "Diesen Beitrag dürfen Sie nicht bearbeiten."
    reply.refresh_from_db()
    assert reply.body != "Gefälscht"
    assert reply.edited is None
    assert not PostRevision.objects.exists()


@pytest.mark.parametrize("editor", ["author", "moderator"])
def test_a_deleted_post_may_not_be_edited(reply, moderator, editor):
    post_delete(actor=reply.author, post=reply)
    person = reply.author if editor == "author" else moderator

    with pytest.raises(PermissionDenied):
        post_edit(editor=person, post=reply, body="Doch wieder da")

    reply.refresh_from_db()
    assert reply.body != "Doch wieder da"


def test_an_empty_edit_is_refused_and_keeps_the_post(reply):
    with pytest.raises(ValidationError):
        post_edit(editor=reply.author, post=reply, body="   ")

    reply.refresh_from_db()
    assert reply.body.strip()
    assert not PostRevision.objects.exists()


# --- post_delete ---------------------------------------------------------------


def test_deleting_a_post_keeps_the_row_and_uncounts_it(thread, reply):
    post_delete(actor=reply.author, post=reply)

    reply.refresh_from_db()
    thread.refresh_from_db()
    assert reply.deleted is not None
    assert reply.deleted_by == reply.author
    assert Post.objects.filter(pk=reply.pk).exists()
    assert thread.reply_count == 0


def test_a_moderator_deletes_with_a_reason(reply, moderator):
    post_delete(actor=moderator, post=reply, reason="Werbung")

    reply.refresh_from_db()
    assert reply.deleted_by == moderator
    assert reply.moderation_reason == "Werbung"


def test_deleting_the_solution_unmarks_it(thread, reply):
    Thread.objects.filter(pk=thread.pk).update(solution=reply)

    post_delete(actor=reply.author, post=reply)

    thread.refresh_from_db()
    assert thread.solution is None


def test_a_deleted_post_cannot_be_deleted_twice(thread, reply):
    make_post(thread)
    post_delete(actor=reply.author, post=reply)

    with pytest.raises(PermissionDenied):
        post_delete(actor=reply.author, post=reply)

    thread.refresh_from_db()
    assert thread.reply_count == 1


def test_the_question_cannot_be_deleted_on_its_own(thread, moderator):
    with pytest.raises(ValidationError) as refused:
        post_delete(actor=moderator, post=thread.opening_post)

    assert refused.value.messages == [
        "Die Frage einer Diskussion kann nicht einzeln gelöscht werden."
    ]
    thread.opening_post.refresh_from_db()
    assert thread.opening_post.deleted is None


def test_a_member_may_not_delete_someone_elses_post(reply, member):
    with pytest.raises(PermissionDenied) as refused:
        post_delete(actor=member, post=reply)

    assert str(refused.value) == "Diesen Beitrag dürfen Sie nicht löschen."
    reply.refresh_from_db()
    assert reply.deleted is None


# --- reactions -----------------------------------------------------------------


def test_a_member_reacts_to_a_post(reply, member):
    reaction = reaction_add(user=member, post=reply, emoji="💡")

    assert (reaction.post, reaction.user, reaction.emoji) == (reply, member, "💡")


def test_reacting_twice_the_same_way_is_refused(reply, member):
    reaction_add(user=member, post=reply, emoji="👍")

    with pytest.raises(ValidationError) as refused:
        reaction_add(user=member, post=reply, emoji="👍")

    assert refused.value.messages == ["Sie haben so bereits reagiert."]
    assert Reaction.objects.filter(post=reply, user=member).count() == 1


def test_one_person_may_react_with_several_emoji(reply, member):
    for emoji in ("👍", "❤️", "💡", "🎉"):
        reaction_add(user=member, post=reply, emoji=emoji)

    assert reply.reactions.count() == 4


def test_an_unknown_reaction_is_refused(reply, member):
    with pytest.raises(ValidationError) as refused:
        reaction_add(user=member, post=reply, emoji="👎")

    assert refused.value.message_dict == {"emoji": ["Diese Reaktion gibt es nicht."]}
    assert not Reaction.objects.exists()


def test_a_platform_user_may_not_react(reply):
    with pytest.raises(PermissionDenied) as refused:
        reaction_add(user=UserFactory(), post=reply, emoji="👍")

    assert str(refused.value) == "Dafür müssen Sie Mitglied dieser Community sein."
    assert not Reaction.objects.exists()


def test_nobody_reacts_to_a_deleted_post(reply, member):
    post_delete(actor=reply.author, post=reply)
    reply.refresh_from_db()

    with pytest.raises(PermissionDenied):
        reaction_add(user=member, post=reply, emoji="👍")


def test_removing_a_reaction_takes_back_only_that_one(reply, member):
    reaction_add(user=member, post=reply, emoji="👍")
    reaction_add(user=member, post=reply, emoji="🎉")

    reaction_remove(user=member, post=reply, emoji="👍")

    assert list(reply.reactions.values_list("emoji", flat=True)) == ["🎉"]


# --- thread_set_solution -------------------------------------------------------


def test_the_person_who_asked_marks_the_solution(thread, member, reply):
    result = thread_set_solution(actor=member, thread=thread, post=reply)

    thread.refresh_from_db()
    assert result.solution == reply
    assert thread.solution == reply


def test_a_moderator_marks_and_clears_the_solution(thread, moderator, reply):
    thread_set_solution(actor=moderator, thread=thread, post=reply)
    thread_set_solution(actor=moderator, thread=thread, post=None)

    thread.refresh_from_db()
    assert thread.solution is None


def test_another_member_may_not_mark_the_solution(community, thread, reply):
    with pytest.raises(PermissionDenied) as refused:
        thread_set_solution(
            actor=make_member(community).user, thread=thread, post=reply
        )

    assert str(refused.value) == (
        "Die Lösung markieren die fragende Person oder die Moderation."
    )
    thread.refresh_from_db()
    assert thread.solution is None


def test_even_the_replier_may_not_mark_their_own_answer(thread, reply):
    with pytest.raises(PermissionDenied):
        thread_set_solution(actor=reply.author, thread=thread, post=reply)


@pytest.mark.parametrize("which", ["of another thread", "the question", "deleted"])
def test_only_a_reply_of_this_thread_can_be_the_solution(
    community, thread, member, which
):
    if which == "of another thread":
        post = make_post(make_thread(community))
    elif which == "the question":
        post = thread.opening_post
    else:
        post = make_post(thread, member)
        post_delete(actor=member, post=post)
        post.refresh_from_db()

    with pytest.raises(ValidationError) as refused:
        thread_set_solution(actor=member, thread=thread, post=post)

    assert refused.value.message_dict == {
        "post_id": ["Als Lösung taugt nur eine Antwort dieser Diskussion."]
    }
    thread.refresh_from_db()
    assert thread.solution is None


# --- thread_moderate -----------------------------------------------------------


def test_a_moderator_pins_and_locks_a_thread(thread, moderator):
    thread_moderate(actor=moderator, thread=thread, pinned=True, locked=True)

    thread.refresh_from_db()
    assert thread.pinned and thread.locked


def test_a_moderator_unlocks_without_touching_the_pin(thread, moderator):
    Thread.objects.filter(pk=thread.pk).update(pinned=True, locked=True)

    thread_moderate(actor=moderator, thread=thread, locked=False)

    thread.refresh_from_db()
    assert thread.pinned and not thread.locked


def test_a_member_may_not_pin_or_lock(thread, member):
    with pytest.raises(PermissionDenied) as refused:
        thread_moderate(actor=member, thread=thread, pinned=True, locked=True)

    assert str(refused.value) == (
        "Das dürfen nur Moderatorinnen und Moderatoren dieser Community."
    )
    thread.refresh_from_db()
    assert not thread.pinned and not thread.locked


def test_an_outsider_moderating_a_private_thread_gets_not_found():
    thread = make_thread(make_community(visibility="private"))

    with pytest.raises(Http404):
        thread_moderate(actor=UserFactory(), thread=thread, locked=True)


# --- thread_watch --------------------------------------------------------------


def test_a_reader_watches_and_unwatches_a_thread(thread):
    reader = UserFactory()

    thread_watch(user=reader, thread=thread)
    thread_watch(user=reader, thread=thread)
    assert ThreadSubscription.objects.filter(thread=thread, user=reader).count() == 1

    thread_watch(user=reader, thread=thread, watch=False)
    assert not ThreadSubscription.objects.filter(thread=thread, user=reader).exists()


def test_an_anonymous_visitor_is_asked_to_sign_in_to_watch(thread):
    with pytest.raises(PermissionDenied) as refused:
        thread_watch(user=AnonymousUser(), thread=thread)

    assert str(refused.value) == "Bitte melden Sie sich an."
    assert not ThreadSubscription.objects.exists()


def test_an_outsider_watching_a_private_thread_gets_not_found():
    thread = make_thread(make_community(visibility="private"))

    with pytest.raises(Http404):
        thread_watch(user=UserFactory(), thread=thread)


def test_a_refused_thread_leaves_the_community_last_activity_alone(community, member):
    earlier = age(community)

    with pytest.raises(ValidationError):
        thread_create(author=member, community=community, title="", body="Hallo")

    assert CommunityPage.objects.get(pk=community.pk).last_activity == earlier
