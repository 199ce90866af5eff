"""Demo wiki pages for the public and internal communities.

A few German best-practice pages per community, written through the wiki
services as if members had typed them: created by one member, then improved
by others from the latest revision, so the history shows several authors and
the [[links]] between the pages resolve. A community that already has wiki
pages is left alone, so seeding again changes nothing.
"""

from typing import NamedTuple

from members.models import User

from ..demo import members_across_organisations
from ..models import CommunityPage, Visibility
from . import services
from .models import WikiPage


class Edit(NamedTuple):
    summary: str
    old: str  # the text replaced; empty: ``new`` is appended
    new: str


class DemoPage(NamedTuple):
    title: str
    tags: tuple[str, ...]
    body: str
    edits: tuple[Edit, ...] = ()
    parent: str | None = None


KLIMASCHUTZ = (
    DemoPage(
        "Hitzeaktionsplan – Schritt für Schritt",
        ("Hitze", "Klimaanpassung"),
        """Ein Hitzeaktionsplan bündelt, wer bei Hitzewarnungen was tut.

## Vorgehen

1. Steuerungsgruppe bilden (Gesundheitsamt, Ordnungsamt, Soziales, Pressestelle)
2. Risikogruppen und Orte kartieren: Pflegeheime, Kitas, Obdachlosenhilfe
3. Maßnahmen nach Warnstufe festlegen, siehe [[Kühle Orte ausweisen]]
4. Kommunikation vorbereiten (Plakate, Social Media, Bürgertelefon)

## Warnstufen

| DWD-Warnung | Maßnahme | Zuständig |
|---|---|---|
| Starke Hitze | Trinkwasserstellen öffnen | Stadtwerke |
| Extreme Hitze | Aufsuchende Hilfe für Ältere | Sozialamt |
""",
        (
            Edit(
                "Fristen ergänzt",
                "",
                "\n## Fristen\n\n- Plan bis **Ende März** abstimmen\n"
                "- Nachbesprechung jedes Jahr im **Oktober**\n",
            ),
            Edit(
                "Zuständigkeit Pressestelle präzisiert",
                "4. Kommunikation vorbereiten",
                "4. Kommunikation mit der Pressestelle vorbereiten",
            ),
        ),
    ),
    DemoPage(
        "Kühle Orte ausweisen",
        ("Hitze",),
        """Kühle Orte sind öffentlich zugängliche Räume unter 26 °C.

- Bibliotheken, Kirchen, Foyers von Rathäusern
- Öffnungszeiten an Hitzetagen verlängern
- Auf einer Karte veröffentlichen und im [[Hitzeaktionsplan – Schritt für Schritt]] verlinken
""",
        (
            Edit(
                "Beispiel Köln ergänzt",
                "",
                "\nBeispiel: Köln meldet kühle Orte über das Open-Data-Portal.\n",
            ),
        ),
        parent="Hitzeaktionsplan – Schritt für Schritt",
    ),
    DemoPage(
        "Treibhausgasbilanz der Verwaltung",
        ("Klimaschutz", "Bilanzierung"),
        """Die Bilanz folgt dem BISKO-Standard.

## Datenquellen

- Energieverbräuche der Liegenschaften (Gebäudemanagement)
- Fuhrpark und Dienstreisen
- Beschaffung, soweit Daten vorliegen

Maßnahmen zur Hitze stehen im [[Hitzeaktionsplan – Schritt für Schritt]].
""",
        (
            Edit(
                "Stichtag ergänzt",
                "",
                "\nStichtag für die Daten ist der **31. März** des Folgejahres.\n",
            ),
        ),
    ),
)

DIGITALISIERUNG = (
    DemoPage(
        "E-Akte einführen: Checkliste",
        ("E-Akte", "Checkliste"),
        """Erfahrungen aus mehreren Kommunen, kurz gefasst.

## Vor dem Start

- [ ] Aktenplan bereinigen, siehe [[Aktenplan bereinigen]]
- [ ] Personalrat früh beteiligen (Dienstvereinbarung)
- [ ] Pilotbereich mit hoher Aktenlast wählen
- [ ] Scanprozess klären (ersetzendes Scannen nach TR-RESISCAN)

## Rollout

| Phase | Dauer | Ergebnis |
|---|---|---|
| Pilot | 3 Monate | Prozesse erprobt |
| Welle 1 | 6 Monate | Kernämter digital |
| Welle 2 | 12 Monate | Gesamte Verwaltung |
""",
        (
            Edit(
                "Schulungen ergänzt",
                "",
                "\n## Schulungen\n\nJede Person braucht eine **zweistündige** Grundschulung "
                "und eine Ansprechperson im Amt (E-Akte-Lotse).\n",
            ),
            Edit("Fristen ergänzt", "| Pilot | 3 Monate |", "| Pilot | 3–4 Monate |"),
        ),
    ),
    DemoPage(
        "Aktenplan bereinigen",
        ("E-Akte", "Aktenplan"),
        """Ein schlanker Aktenplan ist die Grundlage der [[E-Akte einführen: Checkliste]].

1. Nicht genutzte Aktenzeichen sammeln
2. Mit den Ämtern abgleichen und zusammenlegen
3. Aufbewahrungsfristen je Aktenzeichen hinterlegen
""",
        (
            Edit(
                "Hinweis KGSt-Aktenplan",
                "",
                "\nAls Vorlage eignet sich der Aktenplan der KGSt.\n",
            ),
        ),
        parent="E-Akte einführen: Checkliste",
    ),
    DemoPage(
        "OZG-Leistungen priorisieren",
        ("OZG",),
        """Nicht alles auf einmal: zuerst die Leistungen mit vielen Fällen.

| Kriterium | Gewicht |
|---|---|
| Fallzahl pro Jahr | hoch |
| EfA-Lösung verfügbar | hoch |
| Medienbrüche im Prozess | mittel |

Die Akten dazu landen in der E-Akte, siehe [[E-Akte einführen: Checkliste]].
""",
        (Edit("Gewichtung abgestimmt", "| mittel |", "| mittel bis hoch |"),),
    ),
)

PERSONAL = (
    DemoPage(
        "Onboarding neuer Mitarbeitender",
        ("Onboarding", "Personalgewinnung"),
        """Der erste Eindruck entscheidet, ob jemand bleibt.

## Vor dem ersten Tag

- Arbeitsplatz, Zugänge und Schlüssel bereitstellen
- Patin oder Paten benennen
- Willkommensmail mit Ablauf der ersten Woche

## Erste Woche

| Tag | Inhalt |
|---|---|
| Montag | Begrüßung, Rundgang, IT-Einweisung |
| Mittwoch | Gespräch mit der Führungskraft |
| Freitag | Feedback zur ersten Woche |

Siehe auch [[Stellenanzeigen, die wirken]].
""",
        (
            Edit(
                "Fristen ergänzt",
                "",
                "\nZugänge spätestens **5 Arbeitstage** vor Beginn beantragen.\n",
            ),
            Edit(
                "Probezeitgespräch ergänzt",
                "| Freitag |",
                "| Freitag (und nach 3 Monaten) |",
            ),
        ),
    ),
    DemoPage(
        "Stellenanzeigen, die wirken",
        ("Personalgewinnung",),
        """- Aufgaben konkret beschreiben, nicht nur die Entgeltgruppe
- Gehaltsspanne nennen
- Benefits zeigen: Homeoffice, Jobticket, Fortbildung
- Bewerbung ohne Anschreiben erlauben

Nach der Zusage geht es mit dem [[Onboarding neuer Mitarbeitender]] weiter.
""",
        (
            Edit(
                "Hinweis auf Barrierefreiheit",
                "",
                "- Anzeigen barrierefrei veröffentlichen\n",
            ),
        ),
    ),
)

FINANZEN = (
    DemoPage(
        "Jahresabschluss fristgerecht aufstellen",
        ("Jahresabschluss", "Doppik"),
        """Viele Kommunen hängen mit Abschlüssen hinterher. Was hilft:

## Zeitplan

| Schritt | Bis |
|---|---|
| Inventur und Anlagenbuchhaltung | 31. Januar |
| Rückstellungen bewerten | 28. Februar |
| Entwurf an den Rat | 31. März |

## Tipps

1. Abschlussarbeiten unterjährig vorbereiten
2. Checkliste je Bilanzposten führen, siehe [[Rückstellungen bewerten]]
""",
        (
            Edit(
                "Fristen ergänzt",
                "| 31. März |",
                "| 31. März (gesetzliche Frist beachten) |",
            ),
            Edit(
                "Tipp Abschlussteam",
                "",
                "3. Ein festes Abschlussteam mit Vertretung benennen\n",
            ),
        ),
    ),
    DemoPage(
        "Rückstellungen bewerten",
        ("Doppik", "Bilanzierung"),
        """- Pensionsrückstellungen: Gutachten der Versorgungskasse anfordern
- Urlaubs- und Überstundenrückstellungen aus dem Personalsystem
- Prozessrisiken mit dem Rechtsamt abstimmen

Gehört zum [[Jahresabschluss fristgerecht aufstellen]].
""",
        (
            Edit(
                "Quelle für Urlaubstage",
                "aus dem Personalsystem",
                "aus dem Personalsystem (Stichtag 31.12.)",
            ),
        ),
        parent="Jahresabschluss fristgerecht aufstellen",
    ),
)

SOZIALES = (
    DemoPage(
        "Barrierefreie Bürgerbeteiligung",
        ("Inklusion", "Beteiligung"),
        """Beteiligung gelingt, wenn alle teilnehmen können.

## Checkliste Veranstaltung

- Stufenloser Zugang und barrierefreies WC
- Gebärdensprachdolmetschung anbieten
- Unterlagen in [[Leichte Sprache in Bescheiden|Leichter Sprache]]
- Induktionsschleife für Hörgeräte

| Format | Vorteil |
|---|---|
| Präsenz | persönlicher Austausch |
| Online | keine Wege |
| Hybrid | beides, aber aufwendiger |
""",
        (
            Edit(
                "Fristen ergänzt", "", "\nDolmetschung **vier Wochen** vorher buchen.\n"
            ),
            Edit(
                "Hybrid-Hinweis",
                "beides, aber aufwendiger",
                "beides, braucht Technikbetreuung",
            ),
        ),
    ),
    DemoPage(
        "Leichte Sprache in Bescheiden",
        ("Leichte Sprache",),
        """1. Kurze Sätze, ein Gedanke pro Satz
2. Fachwörter erklären
3. Wichtiges zuerst: Was muss ich tun, bis wann?
4. Text von Prüferinnen und Prüfern der Zielgruppe lesen lassen

Siehe auch [[Barrierefreie Bürgerbeteiligung]].
""",
        (
            Edit(
                "Beispiel ergänzt",
                "",
                "\nStatt *Widerspruchsfrist* besser: *Sie können sich bis zum … beschweren.*\n",
            ),
        ),
    ),
)

MOBILITAET = (
    DemoPage(
        "Radverkehrskonzept aufstellen",
        ("Radverkehr", "Planung"),
        """## Ablauf

1. Bestandsaufnahme: Netz, Unfälle, Abstellanlagen
2. Beteiligung: Online-Karte und Radtour mit dem Rat
3. Zielnetz und Maßnahmenliste, siehe [[Fahrradabstellanlagen planen]]
4. Beschluss und Monitoring

| Maßnahme | Kosten | Förderung |
|---|---|---|
| Schutzstreifen | gering | Landesprogramm |
| Radschnellweg | hoch | Bund (Klimaschutz) |
""",
        (
            Edit(
                "Fristen ergänzt",
                "",
                "\nFörderanträge bis **30. September** für das Folgejahr stellen.\n",
            ),
            Edit(
                "Verkehrszählung ergänzt",
                "Netz, Unfälle,",
                "Netz, Unfälle, Zählstellen,",
            ),
        ),
    ),
    DemoPage(
        "Fahrradabstellanlagen planen",
        ("Radverkehr",),
        """- Anlehnbügel statt Vorderradhalter
- Am Bahnhof: überdacht und abschließbar
- Bedarf aus Zählungen ableiten, Reserve 20 %

Teil des [[Radverkehrskonzept aufstellen]].
""",
        (
            Edit(
                "Lastenräder berücksichtigt", "", "- Plätze für Lastenräder vorsehen\n"
            ),
        ),
    ),
)

PAGES = {
    "klimaschutz": KLIMASCHUTZ,
    "digitalisierung-ozg": DIGITALISIERUNG,
    "personalmanagement": PERSONAL,
    "finanzmanagement-doppik": FINANZEN,
    "soziale-teilhabe": SOZIALES,
    "mobilitaet": MOBILITAET,
}


def _write_page(
    community: CommunityPage,
    demo: DemoPage,
    writers: list[User],
    offset: int,
    written: dict[str, WikiPage],
) -> WikiPage:
    page = services.wiki_page_create(
        author=writers[offset % len(writers)],
        community=community,
        title=demo.title,
        body=demo.body,
        summary="Erste Fassung",
        tags=list(demo.tags),
        parent=written.get(demo.parent),
    )
    for number, edit in enumerate(demo.edits, start=1):
        page = WikiPage.objects.get(pk=page.pk)
        body = (
            page.body.rstrip("\n") + "\n" + edit.new
            if not edit.old
            else page.body.replace(edit.old, edit.new, 1)
        )
        page = services.wiki_page_save(
            editor=writers[(offset + number) % len(writers)],
            page=page,
            body=body,
            summary=edit.summary,
            base_revision=page.latest_revision_id,
        ).page
    return page


def seed_wiki() -> str:
    """Best-practice pages with a short history for every public and
    internal demo community that has no wiki pages yet."""
    communities = CommunityPage.objects.filter(
        slug__in=PAGES, visibility__in=[Visibility.PUBLIC, Visibility.INTERNAL]
    )
    created = 0
    for community in communities:
        if WikiPage.objects.descendant_of(community).exists():
            continue
        # Fresh user objects: the permission module caches memberships on them.
        writers = members_across_organisations(community)
        if len(writers) < 2:
            continue
        written: dict[str, WikiPage] = {}
        for offset, demo in enumerate(PAGES[community.slug]):
            written[demo.title] = _write_page(community, demo, writers, offset, written)
            created += 1
    total = sum(WikiPage.objects.descendant_of(c).count() for c in communities)
    return f"{total} Wikiseiten mit Versionsgeschichte ({created} neu)"
