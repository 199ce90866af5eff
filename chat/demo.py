"""Demo chat: a realistic German history in the room "Allgemein" of every
community with members (and a second room in the larger ones), and a few
direct conversations between demo people, some of them unread for the demo
logins. Written through the services, then dated back over the last days.
A community whose rooms have messages is left alone, so seeding again
changes nothing."""

import uuid
from datetime import timedelta

from django.utils import timezone

from communities.demo import members_across_organisations
from communities.models import CommunityPage
from members.models import User

from . import services
from .models import Message, Room, RoomMember

ROOM_TALK = [
    "Guten Morgen zusammen! Hat jemand schon Erfahrungen mit dem neuen Förderaufruf?",
    "Ja, wir haben letzte Woche eingereicht. Die Frist ist knapp, aber machbar.",
    "Gibt es eine Vorlage für die Kostenschätzung? Unsere Kämmerei fragt danach.",
    "Wir haben eine im Wiki abgelegt, ich suche den Link heraus.",
    "Danke! Das spart uns viel Zeit.",
    "Kurze Frage in die Runde: Wer nimmt am Austauschtreffen im März teil?",
    "Ich bin dabei, voraussichtlich mit einer Kollegin aus dem Ordnungsamt.",
    "Wir auch. Können wir das Thema **Personalgewinnung** auf die Tagesordnung setzen?",
    "Gute Idee. Ich schreibe es der Moderation.",
    "Hinweis: Das Land hat die Richtlinie aktualisiert, die Änderungen betreffen vor allem die Nachweise.",
    "Danke für den Hinweis, das hatten wir noch nicht gesehen.",
    "Schönes Wochenende allerseits!",
]

SECOND_ROOM = {
    "klimaschutz": (
        "Hitzeschutz",
        "Hitzeaktionspläne, Trinkbrunnen, kühle Orte",
        [
            "Wir richten diesen Sommer zehn kühle Orte ein – Bibliotheken und Kirchen.",
            "Wie macht ihr die kühlen Orte bekannt? Plakate oder App?",
            "Beides, dazu eine Karte auf der Website. Die Zugriffe waren hoch.",
            "Die Trinkbrunnen-Wartung läuft bei uns über die Stadtwerke.",
        ],
    ),
    "digitalisierung-ozg": (
        "E-Akte",
        "Einführung der elektronischen Akte",
        [
            "Wie lange hat bei euch die Migration der Altakten gedauert?",
            "Etwa ein Jahr, wir haben nur laufende Vorgänge übernommen.",
            "Der Personalrat wollte früh eingebunden werden – das hat sich gelohnt.",
        ],
    ),
}

DIRECT_TALK = [
    (
        "moderatorin@kommunect.example",
        "mitglied@kommunect.example",
        [
            ("a", "Hallo Herr Becker, danke für Ihren Beitrag zur Wärmeplanung!"),
            ("b", "Gern! Wir sind als kleine Gemeinde noch am Anfang."),
            ("a", "Mögen Sie beim nächsten Treffen kurz davon berichten?"),
            ("a", "Zehn Minuten würden reichen."),
        ],
    ),
]


def _talk(room, lines, people, start) -> list[Message]:
    written = []
    for number, text in enumerate(lines):
        author = people[number % len(people)]
        message, _created = services.message_send(
            author=author, room=room, body=text, client_id=uuid.uuid4()
        )
        when = start + timedelta(hours=3 * number, minutes=7 * number)
        Message.objects.filter(pk=message.pk).update(created=when)
        written.append(message)
    if written:
        Room.objects.filter(pk=room.pk).update(last_message_at=when)
    return written


def seed_chat() -> str:
    now = timezone.now()
    rooms = messages = 0
    for community in CommunityPage.objects.all().order_by("pk"):
        general = services.ensure_default_room(community)
        if Message.objects.filter(room__community=community).exists():
            continue
        people = members_across_organisations(community)
        if len(people) < 2:
            continue
        extra = SECOND_ROOM.get(community.slug)
        start = now - timedelta(days=4)
        messages += len(_talk(general, ROOM_TALK, people, start))
        rooms += 1
        if extra:
            name, description, lines = extra
            room = Room.objects.create(
                kind=Room.Kind.COMMUNITY,
                community=community,
                name=name,
                description=description,
                created_by=people[0],
            )
            messages += len(_talk(room, lines, people[1:] + people[:1], start))
            rooms += 1
        # The first half of the history counts as read for everyone; the
        # rest is news for those who did not write it.
        for room in Room.objects.filter(community=community):
            ids = list(
                Message.objects.filter(room=room)
                .order_by("pk")
                .values_list("pk", flat=True)
            )
            if not ids:
                continue
            half = ids[len(ids) // 2]
            for person in people:
                RoomMember.objects.update_or_create(
                    room=room, user=person, defaults={"last_read_id": half}
                )
    for first_email, second_email, lines in DIRECT_TALK:
        first = User.objects.filter(email=first_email).first()
        second = User.objects.filter(email=second_email).first()
        if first is None or second is None:
            continue
        room, created = services.direct_open(actor=first, user_ids=[second.pk])
        if not created and room.messages.exists():
            continue
        start = now - timedelta(days=1)
        for number, (who, text) in enumerate(lines):
            author = first if who == "a" else second
            message, _ = services.message_send(
                author=author, room=room, body=text, client_id=uuid.uuid4()
            )
            when = start + timedelta(minutes=20 * number)
            Message.objects.filter(pk=message.pk).update(created=when)
        Room.objects.filter(pk=room.pk).update(last_message_at=when)
        rooms += 1
        messages += len(lines)
    total = Message.objects.count()
    return f"{total} Chatnachrichten ({messages} neu in {rooms} Räumen)"
