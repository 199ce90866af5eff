"""Keeps the index up to date: every change to something searchable is
indexed once its transaction has committed, through a task (django-tasks:
at once in the embedded default, by the worker in production).

The database backend always gets the change (so it can answer when the
engine is down); a configured engine gets it too. Who may find what is
decided at query time, so a change of visibility or membership needs no
reindexing.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)

TASK_NAME = "index_objects"


def write_backends():
    """The database backend, and the engine when ``SEARCH_URL`` names one."""
    from .backends import get_backend
    from .backends.database import DatabaseBackend

    backends = [DatabaseBackend()]
    configured = get_backend()
    if configured.name != "database":
        backends.append(getattr(configured, "engine", configured))
    return backends


def apply(kind: str, ids) -> tuple[int, int]:
    """Index the objects of ``kind`` with ``ids`` as they are now (removing
    those that are gone or no longer searchable); returns (indexed, removed).
    What depends on them follows: the posts of a thread whose title or tags
    changed (they show them), the files of a post."""
    from .documents import SOURCES

    documents, removed = [], []
    for key, document in SOURCES[kind].documents(ids):
        if document is None:
            removed.append(key)
        else:
            documents.append(document)
    changed_threads = _threads_with_new_titles(documents) if kind == "thread" else []
    for backend in write_backends():
        try:
            backend.index(documents)
            backend.remove(removed)
        except Exception:
            if backend.name == "database":
                raise
            # The engine is down: search falls back to the database until a
            # reindex (``manage.py search_reindex``) catches the engine up.
            logger.exception("search engine: indexing %s %s failed", kind, ids)
    if changed_threads:
        from communities.models import Post

        apply(
            "post",
            Post.objects.filter(thread_id__in=changed_threads).values_list(
                "pk", flat=True
            ),
        )
    if kind == "member":
        for written, written_ids in _written_under_an_old_name(ids).items():
            apply(written, written_ids)
    if kind == "post":
        from communities.models import Attachment

        files = list(
            Attachment.objects.filter(post_id__in=ids).values_list("pk", flat=True)
        )
        if files:
            apply("document", files)
    return len(documents), len(removed)


def _threads_with_new_titles(documents) -> list[int]:
    """Threads of ``documents`` whose title or tags differ from the index."""
    from .models import SearchEntry

    indexed = {
        key: (title, tags)
        for key, title, tags in SearchEntry.objects.filter(
            key__in=[document.key for document in documents]
        ).values_list("key", "title", "tags")
    }
    changed = []
    for document in documents:
        before = indexed.get(document.key)
        now = (document.title[:300], SearchEntry.joined_tags(document.tags))
        if before is not None and before != now:
            changed.append(int(document.key.split(":")[1]))
    return changed


def _written_under_an_old_name(user_ids) -> dict[str, list[int]]:
    """What the people with ``user_ids`` wrote, by kind, where the index
    still shows another name or organisation than theirs now: after a
    person renamed themselves or moved, or their organisation was renamed
    or deleted."""
    from django.db.models import Q

    from members.models import User

    from .models import SearchEntry

    stale = Q(pk__in=[])
    for user in User.objects.filter(pk__in=list(user_ids)).select_related(
        "organisation"
    ):
        organisation = user.organisation
        stale |= Q(author_id=user.pk) & ~Q(
            author_name=user.display_name or "",
            organisation_id=user.organisation_id,
            organisation_name=organisation.name if organisation else "",
        )
    written: dict[str, list[int]] = {}
    for key in (
        SearchEntry.objects.filter(stale)
        .exclude(kind="member")
        .values_list("key", flat=True)
    ):
        kind, pk = key.split(":", 1)
        written.setdefault(kind, []).append(int(pk))
    return written


@task()
def index_objects(kind: str, ids: list[int]) -> None:
    apply(kind, ids)


def enqueue(kind: str, ids) -> None:
    """Index after the current transaction commits."""
    ids = sorted({int(pk) for pk in ids})
    if not ids or not getattr(settings, "SEARCH_INDEXING", True):
        return

    def run():
        try:
            index_objects.enqueue(kind, ids)
        except Exception:
            # Never fail the change someone made because of the index.
            logger.exception("search: indexing %s %s could not be queued", kind, ids)

    transaction.on_commit(run)


def lag() -> timedelta:
    """How long the oldest change not yet indexed has been waiting (zero
    when the tasks run at once)."""
    backend = settings.TASKS["default"]["BACKEND"]
    if not backend.startswith("django_tasks_db."):
        return timedelta(0)
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    oldest = (
        DBTaskResult.objects.filter(
            status=TaskResultStatus.READY, task_path__endswith=f".{TASK_NAME}"
        )
        .order_by("enqueued_at")
        .values_list("enqueued_at", flat=True)
        .first()
    )
    return timezone.now() - oldest if oldest else timedelta(0)


# --- what changes what -------------------------------------------------------------


def _connect():
    from chat.models import Message
    from communities.discussions.models import TaggedThread
    from communities.models import Attachment, CommunityPage, Post, Thread, WikiPage
    from members.models import Organisation, User

    def on_thread(sender, instance, **kwargs):
        enqueue("thread", [instance.pk])

    def on_post(sender, instance, **kwargs):
        enqueue("post", [instance.pk])
        enqueue("thread", [instance.thread_id])  # the opening post, the activity

    def on_thread_tag(sender, instance, **kwargs):
        enqueue("thread", [instance.content_object_id])

    def on_wiki_page(sender, instance, **kwargs):
        enqueue("wiki", [instance.pk])

    def on_message(sender, instance, **kwargs):
        enqueue("message", [instance.pk])

    def on_attachment(sender, instance, **kwargs):
        enqueue("document", [instance.pk])

    def on_community(sender, instance, **kwargs):
        enqueue("community", [instance.pk])

    def on_user(sender, instance, **kwargs):
        enqueue("member", [instance.pk])

    def on_organisation_saving(sender, instance, **kwargs):
        instance._indexed_name = (
            Organisation.objects.filter(pk=instance.pk)
            .values_list("name", flat=True)
            .first()
            if instance.pk
            else None
        )

    def on_organisation(sender, instance, **kwargs):
        # Its members show its name, and so does what they wrote: after a
        # rename, and before a deletion (afterwards they no longer point
        # to it).
        renamed = getattr(instance, "_indexed_name", None) not in (None, instance.name)
        if renamed or kwargs["signal"] is pre_delete:
            enqueue("member", instance.members.values_list("pk", flat=True))

    for model, handler in (
        (Thread, on_thread),
        (TaggedThread, on_thread_tag),
        (Post, on_post),
        (WikiPage, on_wiki_page),
        (Message, on_message),
        (Attachment, on_attachment),
        (CommunityPage, on_community),
        (User, on_user),
    ):
        uid = f"search-{model._meta.label_lower}"
        post_save.connect(handler, sender=model, dispatch_uid=uid, weak=False)
        post_delete.connect(
            handler, sender=model, dispatch_uid=uid + "-delete", weak=False
        )

    pre_save.connect(
        on_organisation_saving,
        sender=Organisation,
        dispatch_uid="search-organisation-saving",
        weak=False,
    )
    post_save.connect(
        on_organisation,
        sender=Organisation,
        dispatch_uid="search-organisation",
        weak=False,
    )
    pre_delete.connect(
        on_organisation,
        sender=Organisation,
        dispatch_uid="search-organisation-delete",
        weak=False,
    )

    from wagtail.signals import page_published, page_unpublished

    from communities.signals import content_changed

    kinds = {WikiPage: "wiki", Attachment: "document", Post: "post", Thread: "thread"}

    def on_content_changed(sender, model, ids, **kwargs):
        if model in kinds:
            enqueue(kinds[model], ids)

    content_changed.connect(
        on_content_changed, dispatch_uid="search-content", weak=False
    )

    page_published.connect(
        on_wiki_page, sender=WikiPage, dispatch_uid="search-wiki-published", weak=False
    )
    page_unpublished.connect(
        on_wiki_page,
        sender=WikiPage,
        dispatch_uid="search-wiki-unpublished",
        weak=False,
    )


def seed_index() -> str:
    """Demo data: every kind indexed once more, as the data now is."""
    from .documents import SOURCES

    indexed = 0
    for kind, source in SOURCES.items():
        ids = list(source.objects().values_list("pk", flat=True))
        indexed += apply(kind, ids)[0]
    return f"{indexed} Einträge im Suchindex"
