"""No wiki edit vanishes when many people save at once.

Ten members open the same revision of a page, each changes another
paragraph, and all ten save at the same moment through real PostgreSQL
transactions: every change is in the final page, or its author was handed
it back as a conflict. Once through the services, once through the API.
"""

import json
import threading

import pytest
from django.db import connection
from django.test import Client
from factories.communities import make_community, make_member

from communities.models import WikiPage
from communities.wiki import services
from communities.wiki.services import EditConflict
from members.models import User

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="concurrent transactions need PostgreSQL (DATABASE_URL)",
    ),
]

EDITORS = 10


def paragraph(number: int) -> str:
    return f"Absatz {number}: Die Gemeinde prüft den Hitzeschutz im Quartier {number}."


def changed_paragraph(number: int) -> str:
    return f"Absatz {number}: Person {number} ergänzt einen Trinkwasserbrunnen."


def body_with_change(number: int | None = None) -> str:
    """The ten paragraphs separated by blank lines, paragraph ``number``
    changed (none for None)."""
    paragraphs = [
        changed_paragraph(i) if i == number else paragraph(i) for i in range(EDITORS)
    ]
    return "\n\n".join(paragraphs) + "\n"


@pytest.fixture
def page_and_editors():
    community = make_community(slug="hitze", visibility="private")
    author = make_member(community).user
    editors = [make_member(community).user for _ in range(EDITORS)]
    page = services.wiki_page_create(
        author=author,
        community=community,
        title="Hitzeaktionsplan",
        body=body_with_change(None),
    )
    return page, editors


def run_at_once(work) -> list[Exception]:
    """``work(number, barrier)`` in EDITORS threads that pass the barrier
    together; returns the errors that escaped it. Every thread closes its own
    database connection (PostgreSQL could not drop the test database else)."""
    start = threading.Barrier(EDITORS, timeout=30)
    errors: list[Exception] = []

    def run(number):
        try:
            work(number, start)
        except Exception as error:
            # An exception in a thread is lost to pytest: the test reports it.
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(EDITORS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a save hung"
    return errors


def test_ten_simultaneous_service_saves_from_one_base_lose_no_change(
    page_and_editors,
):
    page, editors = page_and_editors
    base = page.latest_revision_id
    saved: set[int] = set()
    conflicts: dict[int, str] = {}

    def save(number, start):
        editor = User.objects.get(pk=editors[number].pk)
        own_copy = WikiPage.objects.get(pk=page.pk)
        start.wait()
        try:
            services.wiki_page_save(
                editor=editor,
                page=own_copy,
                body=body_with_change(number),
                summary=f"Absatz {number} ergänzt",
                base_revision=base,
            )
        except EditConflict as conflict:
            conflicts[number] = conflict.merged_body
        else:
            saved.add(number)

    errors = run_at_once(save)

    assert not errors, errors
    assert saved | set(conflicts) == set(range(EDITORS))
    final = WikiPage.objects.get(pk=page.pk)
    for number in saved:
        assert changed_paragraph(number) in final.body, f"change {number} vanished"
    for number, merged_body in conflicts.items():
        assert changed_paragraph(number) in merged_body
    # Different paragraphs merge cleanly: nobody should have had to redo work.
    assert saved == set(range(EDITORS))
    assert final.revisions.count() == 1 + len(saved)


def test_ten_simultaneous_api_saves_from_one_base_lose_no_change(page_and_editors):
    page, editors = page_and_editors
    base = page.latest_revision_id
    clients = []
    for editor in editors:
        client = Client()
        client.force_login(editor)
        clients.append(client)
    answers: dict[int, tuple[int, dict]] = {}

    def save(number, start):
        start.wait()
        response = clients[number].put(
            f"/api/v1/wiki/{page.pk}",
            json.dumps(
                {
                    "body": body_with_change(number),
                    "summary": f"Absatz {number} ergänzt",
                    "base_revision": base,
                }
            ),
            content_type="application/json",
        )
        answers[number] = (response.status_code, response.json())

    errors = run_at_once(save)

    assert not errors, errors
    assert sorted(answers) == list(range(EDITORS))
    final = WikiPage.objects.get(pk=page.pk).body
    for number, (status, data) in answers.items():
        assert status in (200, 409), (number, status, data)
        if status == 200:
            assert changed_paragraph(number) in final, f"change {number} vanished"
        else:
            assert data["code"] == "edit_conflict"
            assert changed_paragraph(number) in data["merged_body"]
    merged = [data["merged"] for status, data in answers.values() if status == 200]
    assert merged.count(False) == 1  # only the first save needed no merge
    assert [status for status, _data in answers.values()] == [200] * EDITORS
