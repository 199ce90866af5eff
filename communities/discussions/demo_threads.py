"""The demo discussions: who asks what in which community, who answers.

Content only; ``demo.py`` writes it through the services. People are named
by a short key (see ``PEOPLE``); posts by their index in the thread (0 is the
question, 1 the first reply …). Times are local office hours: a thread starts
``days_ago`` days before seeding, a reply ``days_after`` days after the
question.
"""

from typing import NamedTuple

PEOPLE = {
    "vogt": "moderatorin@kommunect.example",
    "becker": "mitglied@kommunect.example",
    "schmitz": "a.schmitz@stadt-koeln.de",
    "huber": "t.huber@muenchen.de",
    "krause": "s.krause@leipzig.de",
    "wagner": "m.wagner@dresden.de",
    "neumann": "l.neumann@stadt-muenster.de",
    "zimmermann": "f.zimmermann@stadt.freiburg.de",
    "richter": "j.richter@erfurt.de",
    "koch": "c.koch@stadt.mainz.de",
    "wolf": "n.wolf@kreis-steinfurt.de",
    "schroeder": "d.schroeder@lkharburg.de",
    "lange": "e.lange@kreis-gr.de",
    "braun": "r.braun@schwielowsee.de",
    "weber": "h.weber@wedemark.de",
    "fischer": "s.fischer@ludwigsburg.de",
    "peters": "m.peters@hamburg.de",
    "meyer": "k.meyer@kgst.de",
    "jansen": "b.jansen@dataport.de",
    "kaiser": "u.kaiser@hs-kehl.de",
    "frank": "o.frank@stadt-koeln.de",
    "berg": "i.berg@muenchen.de",
    "roth": "g.roth@leipzig.de",
    "ludwig": "a.ludwig@dresden.de",
    "simon": "w.simon@kiel.de",
    "arnold": "t.arnold@rostock.de",
    "vogel": "s.vogel@erfurt.de",
}

# Communities with few members get a few more voices, so that answers come
# from other municipalities. Someone with a pending request stays pending.
EXTRA_MEMBERS = {
    "digitalisierung-ozg": ["kaiser"],
    "personalmanagement": ["kaiser", "arnold"],
    "finanzmanagement-doppik": ["koch", "braun", "meyer"],
    "soziale-teilhabe": ["vogel", "weber", "fischer", "lange"],
    "mobilitaet": ["frank", "braun", "wolf"],
}


class Reply(NamedTuple):
    author: str
    days_after: int
    time: str
    body: str
    reply_to: int | None = None
    reactions: tuple[tuple[str, str], ...] = ()


class DemoThread(NamedTuple):
    author: str
    days_ago: int
    time: str
    title: str
    body: str
    tags: tuple[str, ...]
    replies: tuple[Reply, ...]
    reactions: tuple[tuple[str, str], ...] = ()
    solution: int | None = None
    pinned: bool = False


KLIMASCHUTZ = [
    DemoThread(
        "vogt",
        160,
        "08:40",
        "Linksammlung: Förderprogramme für Klimaschutz und Klimaanpassung",
        "Damit nicht jede Kommune selbst suchen muss, sammeln wir hier die "
        "Programme, mit denen Kolleginnen und Kollegen gute Erfahrungen gemacht "
        "haben. Ergänzungen gern als Antwort – ich pflege sie oben ein.\n\n"
        "## Bund\n\n"
        "- [Kommunalrichtlinie](https://www.klimaschutz.de/de/foerderung/"
        "foerderprogramme/kommunalrichtlinie) – Klimaschutzmanagement, "
        "Radverkehr, LED-Beleuchtung, Abfall und Abwasser\n"
        "- Klimaanpassung in sozialen Einrichtungen – Verschattung, "
        "Begrünung, Hitzeschutz (Förderfenster beachten)\n"
        "- Bundesförderung effiziente Gebäude (BEG) für kommunale "
        "Liegenschaften\n\n"
        "## Erfahrungswerte\n\n"
        "| Programm | Förderquote | Bearbeitungszeit bei uns |\n"
        "|---|---|---|\n"
        "| Kommunalrichtlinie, Klimaschutzmanagement | 70–90 % | ca. 4 Monate |\n"
        "| Kommunalrichtlinie, Radabstellanlagen | 50–70 % | ca. 3 Monate |\n"
        "| BEG Nichtwohngebäude | bis 40 % | ca. 6 Monate |\n\n"
        "Finanzschwache Kommunen erhalten bei der Kommunalrichtlinie oft einen "
        "höheren Satz – bitte in der aktuellen Fassung prüfen.",
        ("Förderprogramme", "Linksammlung"),
        (
            Reply(
                "zimmermann",
                2,
                "10:15",
                "Danke! Ergänzung aus Baden-Württemberg: Das Landesprogramm "
                "*KLIMOPASS* fördert Anpassungskonzepte und kleine Maßnahmen. "
                "Wir haben damit unsere Starkregengefahrenkarte mitfinanziert.",
                reactions=(("👍", "vogt"), ("💡", "wolf")),
            ),
            Reply(
                "wolf",
                5,
                "14:02",
                "Für NRW lohnt ein Blick auf **progres.nrw** (Klimaschutztechnik) "
                "und die Förderung von Klimaanpassungsmanagement über das Land. "
                "Der Kreis Steinfurt berät kreisangehörige Gemeinden kostenlos "
                "bei der Antragstellung.",
                reactions=(("👍", "frank"),),
            ),
            Reply(
                "vogt",
                6,
                "09:20",
                "Beides ist eingepflegt. Bitte denken Sie daran: Die Fristen "
                "ändern sich fast jedes Jahr, verlinken Sie deshalb möglichst "
                "die Programmseite und nicht das Merkblatt als PDF.",
                reply_to=2,
            ),
        ),
        reactions=(("👍", "becker"), ("❤️", "lange"), ("👍", "frank")),
        pinned=True,
    ),
    DemoThread(
        "becker",
        96,
        "09:05",
        "Hitzeaktionsplan: wer hat eine Vorlage?",
        "Unser Rat hat die Verwaltung beauftragt, bis zum nächsten Frühjahr "
        "einen **Hitzeaktionsplan** vorzulegen. Wir sind eine Gemeinde mit rund "
        "30.000 Einwohnerinnen und Einwohnern und haben kein eigenes "
        "Gesundheitsamt.\n\n"
        "Meine Fragen:\n\n"
        "1. Gibt es eine Vorlage, die für eine Gemeinde unserer Größe passt?\n"
        "2. Wie haben Sie den Kreis (Gesundheitsamt) eingebunden?\n"
        "3. Welche Maßnahmen haben Sie im ersten Sommer wirklich umgesetzt?\n\n"
        "Die Handlungsempfehlungen des Bundes kenne ich, sie sind aber sehr "
        "allgemein gehalten.",
        ("Hitzeschutz", "Hitzeaktionsplan"),
        (
            Reply(
                "lange",
                1,
                "11:30",
                "Wir haben im Landkreis Görlitz einen Kreis-Hitzeaktionsplan, an "
                "den sich die Gemeinden mit einem kurzen eigenen Teil anhängen. "
                "Bewährt hat sich diese Gliederung:\n\n"
                "- Zuständigkeiten und Hitzewarnkette (DWD-Warnung → Kreis → "
                "Gemeinde → Einrichtungen)\n"
                "- Liste der sensiblen Einrichtungen (Kitas, Pflege, Schulen)\n"
                "- kühle Orte und Trinkwasserstellen\n"
                "- Kommunikation: Aushänge, Website, Lokalpresse\n"
                "- Auswertung nach jedem Sommer\n\n"
                "Fragen Sie bei Ihrem Kreisgesundheitsamt nach – viele haben "
                "inzwischen eine Vorlage und sind froh, wenn jemand sie nutzt.",
                reactions=(("👍", "becker"), ("💡", "vogt"), ("👍", "zimmermann")),
            ),
            Reply(
                "frank",
                1,
                "15:45",
                "In Köln haben wir mit einem Hitzeaktionsplan für Menschen im "
                "Alter angefangen, weil dort das Risiko am größten ist. Für den "
                "ersten Sommer würde ich mich auf zwei, drei Dinge beschränken: "
                "Hitzetelefon, Liste kühler Orte, Information der Pflegedienste.",
            ),
            Reply(
                "zimmermann",
                3,
                "08:55",
                "Die Warnkette ist der wichtigste Teil. Bei uns hat es zwei "
                "Sommer gedauert, bis alle Kitas die Warnungen wirklich "
                "bekommen haben – planen Sie einen Test im Mai ein.",
                reply_to=1,
                reactions=(("👍", "lange"),),
            ),
            Reply(
                "becker",
                4,
                "10:10",
                "Vielen Dank, das hilft sehr. Ich habe beim Kreis angefragt und "
                "die Gliederung von Frau Lange übernommen. Ich berichte, wie es "
                "im Rat ankommt.",
                reply_to=1,
                reactions=(("❤️", "lange"),),
            ),
        ),
        reactions=(("👍", "wolf"),),
        solution=1,
    ),
    DemoThread(
        "wolf",
        71,
        "13:20",
        "Starkregengefahrenkarte: selbst ausschreiben oder über den Kreis?",
        "Mehrere kreisangehörige Gemeinden möchten eine "
        "Starkregengefahrenkarte erstellen lassen. Wir überlegen, ob der Kreis "
        "eine gemeinsame Ausschreibung übernimmt.\n\n"
        "Hat jemand Erfahrung mit gemeinsamen Vergaben? Wie haben Sie die "
        "Kosten verteilt?",
        ("Starkregen", "Vergabe", "Kooperation"),
        (
            Reply(
                "zimmermann",
                1,
                "09:40",
                "Wir haben das für die Stadt allein gemacht, aber die Zahlen "
                "helfen vielleicht bei der Schätzung:\n\n"
                "| Posten | Kosten (brutto) |\n"
                "|---|---|\n"
                "| Vermessung und Datenaufbereitung | 38.000 € |\n"
                "| hydraulische Simulation | 62.000 € |\n"
                "| Bürgerinformation, Online-Karte | 12.000 € |\n\n"
                "Bei einer gemeinsamen Vergabe spart man vor allem bei der "
                "Datenaufbereitung, weil das Geländemodell nur einmal "
                "aufbereitet wird. Kostenverteilung würde ich nach Fläche "
                "machen, nicht nach Einwohnern.",
                reactions=(("💡", "wolf"), ("👍", "frank")),
            ),
            Reply(
                "frank",
                2,
                "16:05",
                "Wichtig: Klären Sie vorher, wer die Karte später pflegt. Bei "
                "uns liegt sie bei den Stadtentwässerungsbetrieben, die auch die "
                "Kanaldaten haben.",
            ),
            Reply(
                "wolf",
                8,
                "11:00",
                "Danke – wir schreiben gemeinsam aus, verteilt nach Fläche. Die "
                "Tabelle hat im Kreisausschuss sehr geholfen.",
                reply_to=1,
            ),
        ),
        solution=1,
    ),
    DemoThread(
        "vogt",
        48,
        "10:00",
        "Kommunale Wärmeplanung: Wie beteiligen Sie die Öffentlichkeit?",
        "Das Wärmeplanungsgesetz verlangt eine Beteiligung der Öffentlichkeit. "
        "In Münster planen wir:\n\n"
        "- zwei Informationsabende in den Stadtteilen\n"
        "- eine Online-Karte mit den Eignungsgebieten\n"
        "- Gespräche mit Wohnungsunternehmen und Stadtwerken\n\n"
        "Was hat bei Ihnen funktioniert, was war vergebene Mühe?",
        ("Wärmeplanung", "Beteiligung"),
        (
            Reply(
                "zimmermann",
                0,
                "14:30",
                "Unsere Informationsabende waren voll, aber fast nur mit "
                "Eigentümern, die eine Wärmepumpe planen. Die Online-Karte hat "
                "deutlich mehr Menschen erreicht – rechnen Sie mit vielen "
                "Einzelfragen per E-Mail.",
                reactions=(("👍", "vogt"),),
            ),
            Reply(
                "becker",
                2,
                "09:15",
                "In Wedemark haben wir den Wärmeplan mit den Nachbargemeinden "
                "beauftragt. Die Beteiligung lief über die Ortsräte – das war "
                "für uns der bessere Weg als eigene Veranstaltungen.",
            ),
            Reply(
                "wolf",
                3,
                "13:50",
                "Mein Tipp: Vorher mit der Verbraucherzentrale sprechen. Die "
                "Energieberatung kann Fragen zu einzelnen Häusern übernehmen, "
                "die die Wärmeplanung gar nicht beantworten kann.",
                reply_to=1,
                reactions=(("💡", "zimmermann"), ("👍", "vogt")),
            ),
        ),
    ),
    DemoThread(
        "lange",
        33,
        "08:15",
        "Hitzeschutz in Kitas: Sonnensegel förderfähig?",
        "Mehrere Kitas im Kreis fragen nach Zuschüssen für Sonnensegel und "
        "Außenjalousien. Ist das über die Kommunalrichtlinie förderfähig, oder "
        "braucht es ein anderes Programm?",
        ("Hitzeschutz", "Förderprogramme", "Kita"),
        (
            Reply(
                "vogt",
                0,
                "11:25",
                "Über die Kommunalrichtlinie leider nicht – sie fördert "
                "Klimaschutz, also Treibhausgasminderung. Verschattung ist "
                "Klimaanpassung. Passend ist das Bundesprogramm *Klimaanpassung "
                "in sozialen Einrichtungen*, wenn ein Förderfenster offen ist; "
                "sonst lohnt der Blick in die Landesprogramme (siehe die "
                "angeheftete Linksammlung).",
                reactions=(("👍", "lange"), ("💡", "becker")),
            ),
            Reply(
                "frank",
                1,
                "10:05",
                "Wir haben die Sonnensegel schließlich aus dem Bauunterhalt "
                "bezahlt, weil das Förderfenster zu war. Kosten pro Kita "
                "zwischen 8.000 und 15.000 €.",
            ),
        ),
        solution=1,
    ),
    DemoThread(
        "frank",
        22,
        "09:30",
        "Trinkbrunnen: Wer übernimmt Wartung und Hygienekontrollen?",
        "Köln stellt in diesem Jahr weitere Trinkbrunnen auf. Bei uns ist noch "
        "nicht geklärt, wer die regelmäßigen Beprobungen bezahlt – Stadt oder "
        "Wasserversorger. Wie ist das bei Ihnen geregelt?",
        ("Hitzeschutz", "Trinkwasser"),
        (
            Reply(
                "lange",
                0,
                "13:40",
                "Aus Sicht des Gesundheitsamts: Öffentliche Trinkbrunnen sind "
                "Wasserversorgungsanlagen im Sinne der Trinkwasserverordnung. "
                "Betreiber ist, wer sie aufstellt – meist die Kommune. Wir "
                "empfehlen während der Saison eine monatliche Beprobung.",
                reactions=(("💡", "frank"), ("👍", "zimmermann")),
            ),
            Reply(
                "zimmermann",
                1,
                "08:50",
                "In Freiburg betreibt der Wasserversorger die Brunnen im Auftrag "
                "der Stadt und rechnet pauschal ab – etwa 2.500 € pro Brunnen "
                "und Jahr einschließlich Beprobung und Spülung.",
                reply_to=1,
            ),
            Reply(
                "wolf",
                2,
                "15:15",
                "Bei uns im Kreis haben zwei Gemeinden die Brunnen wieder "
                "abgebaut, weil die Wartung nicht geklärt war. Also: vor dem "
                "Aufstellen regeln!",
            ),
        ),
        solution=1,
    ),
    DemoThread(
        "zimmermann",
        11,
        "10:45",
        "Klimacheck für Beschlussvorlagen – lohnt sich der Aufwand?",
        "Wir überlegen, für alle Beschlussvorlagen einen **Klimacheck** "
        "einzuführen (Auswirkungen auf Klimaschutz und Klimaanpassung, "
        "Ampel-Bewertung). Die Fachämter befürchten zusätzlichen Aufwand.\n\n"
        "Wer macht das schon, und wie lange braucht eine Vorlage dafür?",
        ("Klimacheck", "Verwaltungsverfahren"),
        (
            Reply(
                "vogt",
                0,
                "15:20",
                "Münster hat den Check seit zwei Jahren. Für die meisten "
                "Vorlagen dauert er fünf Minuten, weil sie *klimaneutral* sind. "
                "Aufwendig sind nur Bau- und Verkehrsvorhaben – und genau dort "
                "lohnt er sich.",
                reactions=(("👍", "zimmermann"), ("💡", "frank")),
            ),
            Reply(
                "becker",
                1,
                "09:35",
                "Für eine kleinere Verwaltung würde ich mit einer Schwelle "
                "arbeiten, etwa ab 50.000 € Investitionsvolumen.",
            ),
            Reply(
                "frank",
                2,
                "11:10",
                "Wichtig ist, dass jemand die Bewertungen stichprobenartig "
                "liest. Sonst wird die Ampel schnell überall grün.",
                reply_to=1,
                reactions=(("👍", "vogt"),),
            ),
        ),
    ),
]

DIGITALISIERUNG = [
    DemoThread(
        "peters",
        170,
        "09:00",
        "Wegweiser: EfA-Leistungen, Marktplatz und Ansprechpartner",
        "Viele Fragen hier drehen sich um die Nachnutzung von "
        "„Einer für Alle“-Leistungen. Die wichtigsten Anlaufstellen:\n\n"
        "- [FITKO](https://www.fitko.de) – Föderale IT-Kooperation, "
        "Marktplatz für EfA-Leistungen\n"
        "- [Digitale Verwaltung](https://www.digitale-verwaltung.de) – "
        "Informationsplattform zur OZG-Umsetzung\n"
        "- die OZG-Koordination Ihres Landes\n\n"
        "Bitte nennen Sie bei Fragen zu einer Leistung immer das Land und das "
        "Fachverfahren – dann können andere gezielt helfen.",
        ("OZG", "EfA", "Linksammlung"),
        (
            Reply(
                "schroeder",
                3,
                "10:30",
                "Ergänzung für Niedersachsen: Die kommunalen Spitzenverbände "
                "haben eine Übersicht, welche EfA-Leistungen schon angebunden "
                "sind. Ich frage nach, ob wir sie hier verlinken dürfen.",
            ),
            Reply(
                "jansen",
                4,
                "14:15",
                "Aus Dienstleistersicht: Bitte melden Sie Probleme mit einer "
                "EfA-Leistung immer auch beim Betreiber – hier im Forum sehen "
                "wir sie zwar, ein Ticket beschleunigt die Behebung aber sehr.",
                reactions=(("👍", "peters"),),
            ),
        ),
        reactions=(("👍", "schmitz"), ("👍", "becker")),
        pinned=True,
    ),
    DemoThread(
        "becker",
        120,
        "08:50",
        "Erfahrungen mit der E-Akte in kleinen Gemeinden?",
        "Wir sind eine Gemeindeverwaltung mit rund 120 Beschäftigten und "
        "arbeiten noch fast vollständig mit Papierakten. Die Einführung der "
        "**E-Akte** ist für die nächsten zwei Jahre geplant.\n\n"
        "Mich interessiert:\n\n"
        "- Mit welchem Bereich haben Sie angefangen?\n"
        "- Wie viele Personen waren im Projekt, und für wie lange?\n"
        "- Was würden Sie heute anders machen?\n\n"
        "Erfahrungen aus kleineren Verwaltungen wären besonders hilfreich.",
        ("E-Akte", "Digitalisierung", "kleine Gemeinden"),
        (
            Reply(
                "schroeder",
                0,
                "13:10",
                "Der Landkreis Harburg hat in Wellen eingeführt. Unser Ablauf:\n\n"
                "| Phase | Dauer | Inhalt |\n"
                "|---|---|---|\n"
                "| 1 | 3 Monate | Aktenplan bereinigen, Pilotbereich wählen |\n"
                "| 2 | 4 Monate | Pilot im Personalamt |\n"
                "| 3 | 12 Monate | Rollout je zwei Ämter pro Quartal |\n\n"
                "Der bereinigte Aktenplan war das Wichtigste. Ohne ihn kopiert "
                "man das Papierchaos nur in die E-Akte.",
                reactions=(("💡", "becker"), ("👍", "huber"), ("👍", "schmitz")),
            ),
            Reply(
                "jansen",
                1,
                "09:45",
                "Aus vielen Einführungen: Planen Sie Zeit für die "
                "Schnittstellen zu den Fachverfahren ein. Die E-Akte selbst ist "
                "schnell installiert, die Anbindung an Finanz- und "
                "Personalverfahren dauert.",
            ),
            Reply(
                "huber",
                2,
                "16:20",
                "Wir haben in München mit dem Posteingang angefangen: Alles, was "
                "auf Papier kommt, wird zentral gescannt. Dann ist die Akte ab "
                "dem Stichtag elektronisch, und niemand muss Altakten "
                "nachscannen.",
                reply_to=1,
                reactions=(("👍", "schroeder"),),
            ),
            Reply(
                "schmitz",
                4,
                "10:05",
                "Unterschätzen Sie die Schulungen nicht. In Köln hatten wir "
                "pro Amt eine Ansprechperson, die zwei Tage länger geschult "
                "wurde – das hat viele Tickets erspart.",
            ),
            Reply(
                "becker",
                6,
                "08:40",
                "Herzlichen Dank an alle! Wir beginnen mit dem Aktenplan und "
                "einem Pilot im Hauptamt. Die Tabelle von Herrn Schröder habe "
                "ich in unseren Projektantrag übernommen.",
                reply_to=1,
                reactions=(("🎉", "schroeder"), ("👍", "peters")),
            ),
        ),
        reactions=(("👍", "schmitz"),),
        solution=1,
    ),
    DemoThread(
        "schmitz",
        84,
        "10:20",
        "Ersetzendes Scannen: Originale wirklich vernichten?",
        "Wir scannen nach TR-RESISCAN. Trotzdem traut sich kaum ein Amt, die "
        "Papieroriginale zu vernichten. Vernichten Sie nach dem Scannen, und "
        "wenn ja, nach welcher Frist?",
        ("E-Akte", "Scannen", "TR-RESISCAN"),
        (
            Reply(
                "huber",
                0,
                "14:50",
                "Wir bewahren die Originale drei Monate auf (Qualitätskontrolle) "
                "und vernichten dann. Ausnahmen: Urkunden und alles, wo das "
                "Fachrecht das Original verlangt.",
            ),
            Reply(
                "kaiser",
                1,
                "09:30",
                "Die Technische Richtlinie regelt den sicheren Scanprozess, "
                "nicht die Vernichtung. Die Entscheidung braucht eine "
                "Dienstanweisung mit:\n\n"
                "1. Schutzbedarfsanalyse je Dokumentart\n"
                "2. Liste der Ausnahmen (Originalerfordernis)\n"
                "3. Aufbewahrungsfrist für die Qualitätskontrolle\n\n"
                "Mit dieser Grundlage sind die Ämter meist bereit zu "
                "vernichten.",
                reactions=(("💡", "schmitz"), ("👍", "huber"), ("👍", "schroeder")),
            ),
            Reply(
                "schroeder",
                3,
                "11:15",
                "Genau so haben wir es gemacht. Die Liste der Ausnahmen war "
                "kürzer als gedacht.",
                reply_to=2,
            ),
        ),
        solution=2,
    ),
    DemoThread(
        "schroeder",
        58,
        "08:30",
        "Wohngeld online: Übergabe an das Fachverfahren hakt",
        "Seit dem letzten Update kommen Wohngeldanträge aus dem Onlinedienst "
        "bei uns unvollständig im Fachverfahren an – die Anlagen fehlen. Haben "
        "andere Kreise das auch?",
        ("OZG", "Wohngeld", "Fachverfahren"),
        (
            Reply(
                "jansen",
                0,
                "11:05",
                "Das Problem ist bekannt: Nach dem Wechsel der XÖV-Version "
                "werden Anlagen über 10 MB nicht übergeben. Ein Fix ist im "
                "nächsten Release. Bis dahin hilft es, die Anlagen im "
                "Postfach abzurufen.",
                reactions=(("👍", "schroeder"), ("🎉", "peters")),
            ),
            Reply(
                "peters",
                1,
                "09:00",
                "Hamburg ist ebenfalls betroffen. Wir haben die "
                "Antragstellenden in der Eingangsbestätigung gebeten, große "
                "Dateien zu verkleinern – das hat die Zahl der Fälle halbiert.",
            ),
            Reply(
                "schroeder",
                9,
                "10:40",
                "Nachtrag: Seit dem Release läuft es wieder. Danke für die "
                "schnelle Hilfe!",
                reply_to=1,
                reactions=(("❤️", "jansen"),),
            ),
        ),
        solution=1,
    ),
    DemoThread(
        "becker",
        39,
        "13:15",
        "BundID oder Unternehmenskonto: Was nutzen Sie für Gewerbeanmeldungen?",
        "Für die Gewerbeanmeldung bieten wir die BundID an. Einige "
        "Gewerbetreibende fragen nach dem Unternehmenskonto (ELSTER). Bieten "
        "Sie beides an?",
        ("OZG", "BundID", "Gewerbe"),
        (
            Reply(
                "schmitz",
                0,
                "15:40",
                "Köln bietet beides. Einzelunternehmen nutzen fast immer die "
                "BundID, GmbHs das Unternehmenskonto.",
            ),
            Reply(
                "peters",
                1,
                "10:25",
                "Für juristische Personen ist das Unternehmenskonto der "
                "vorgesehene Weg. Wenn Ihr Onlinedienst es unterstützt, würde "
                "ich es freischalten.",
                reactions=(("👍", "becker"),),
            ),
            Reply(
                "huber",
                2,
                "08:55",
                "Achten Sie auf die Vertretungsregeln: Beim Unternehmenskonto "
                "handelt oft eine Steuerberatung – das muss das Fachverfahren "
                "abbilden können.",
                reply_to=2,
            ),
        ),
    ),
    DemoThread(
        "peters",
        26,
        "11:45",
        "Open Data: Welche Datensätze haben den meisten Nutzen gebracht?",
        "Wir überarbeiten unsere Open-Data-Strategie. Welche Datensätze "
        "wurden bei Ihnen tatsächlich genutzt – von Bürgerinnen und Bürgern, "
        "Unternehmen oder der eigenen Verwaltung?",
        ("Open Data", "Strategie"),
        (
            Reply(
                "huber",
                0,
                "14:10",
                "Mit Abstand: Baustellen, Parkhausbelegung und "
                "Haltestellen. Die Haushaltsdaten werden vor allem von der "
                "Presse genutzt.",
            ),
            Reply(
                "kaiser",
                2,
                "09:20",
                "Aus der Forschung: Am meisten bringen Daten, die die "
                "Verwaltung selbst braucht. Dann werden sie gepflegt – und "
                "gepflegte Daten werden genutzt.",
                reactions=(("💡", "peters"), ("👍", "schmitz")),
            ),
            Reply(
                "schmitz",
                3,
                "16:30",
                "Köln veröffentlicht die Wartezeiten der Kundenzentren. Das "
                "hat die Anrufe zur Frage „Lohnt es sich, jetzt zu kommen?“ "
                "deutlich reduziert.",
            ),
        ),
    ),
    DemoThread(
        "huber",
        9,
        "09:10",
        "KI-Assistenten in der Verwaltung: Gibt es bei Ihnen eine Dienstanweisung?",
        "Immer mehr Beschäftigte nutzen KI-Assistenten für Entwürfe. Wir "
        "möchten das regeln, bevor es ungeregelt passiert.\n\n"
        "Was steht in Ihrer Dienstanweisung, zum Beispiel zu:\n\n"
        "- personenbezogenen Daten\n"
        "- Kennzeichnung von KI-Texten\n"
        "- zugelassenen Werkzeugen",
        ("KI", "Dienstanweisung", "Datenschutz"),
        (
            Reply(
                "kaiser",
                0,
                "13:30",
                "Ein guter Anfang sind drei Regeln: keine personenbezogenen "
                "Daten in externe Dienste, jede Ausgabe wird fachlich geprüft, "
                "die Verantwortung bleibt bei der Sachbearbeitung. Eine "
                "Kennzeichnungspflicht für interne Entwürfe halte ich für "
                "entbehrlich.",
                reactions=(("👍", "huber"), ("💡", "peters"), ("👍", "jansen")),
            ),
            Reply(
                "peters",
                1,
                "10:50",
                "Hamburg stellt einen eigenen Assistenten im Rechenzentrum "
                "bereit. Die Dienstanweisung verweist nur noch darauf – externe "
                "Dienste sind für dienstliche Inhalte nicht zugelassen.",
            ),
            Reply(
                "schroeder",
                2,
                "14:05",
                "Bitte den Personalrat früh einbinden. Bei uns war das die "
                "längste Etappe.",
                reply_to=1,
            ),
            Reply(
                "jansen",
                3,
                "09:40",
                "Mehrere Länder arbeiten an einem gemeinsamen Angebot für "
                "Kommunen. Sobald es öffentlich ist, stelle ich den Link hier "
                "ein.",
                reply_to=2,
                reactions=(("🎉", "huber"),),
            ),
        ),
    ),
]

PERSONAL = [
    DemoThread(
        "krause",
        140,
        "09:25",
        "Sammelthread: Stellenausschreibungen, die gut funktioniert haben",
        "Teilen Sie hier Ausschreibungen, auf die sich überdurchschnittlich "
        "viele gute Leute beworben haben – mit einem Satz, warum.\n\n"
        "Leipzig fängt an: Ausschreibung *Sachbearbeitung Elterngeld* mit "
        "Angabe des Gehalts in Euro statt nur der Entgeltgruppe und einem "
        "Zitat aus dem Team. 48 statt sonst 15 Bewerbungen.",
        ("Personalgewinnung", "Stellenausschreibung"),
        (
            Reply(
                "berg",
                2,
                "11:00",
                "München: Ausschreibungen ohne Abkürzungen („E 9b TVöD“ nur "
                "in Klammern) und mit dem Hinweis auf mobiles Arbeiten im "
                "ersten Absatz. Deutlich mehr Bewerbungen von außerhalb der "
                "Verwaltung.",
                reactions=(("👍", "krause"), ("💡", "meyer")),
            ),
            Reply(
                "meyer",
                5,
                "14:40",
                "Danke für die Beispiele! Die KGSt sammelt gerade "
                "Arbeitgebermarken von Kommunen. Wer mitmachen möchte, kann "
                "sich gern bei mir melden.",
            ),
        ),
        pinned=True,
    ),
    DemoThread(
        "arnold",
        90,
        "10:05",
        "Fachkräftezulage für IT-Stellen – wer zahlt sie?",
        "Für die Stelle eines Informationssicherheitsbeauftragten finden wir "
        "seit acht Monaten niemanden. Zahlen Sie eine Fachkräftezulage nach "
        "TVöD, und in welcher Höhe?",
        ("IT-Fachkräfte", "TVöD", "Personalgewinnung"),
        (
            Reply(
                "berg",
                0,
                "13:45",
                "München zahlt die Zulage für IT-Stellen seit drei Jahren. "
                "Unsere Erfahrungen:\n\n"
                "| Bereich | Zulage | Besetzungsdauer vorher / nachher |\n"
                "|---|---|---|\n"
                "| Informationssicherheit | 20 % | 11 / 5 Monate |\n"
                "| Netzwerkadministration | 15 % | 9 / 4 Monate |\n"
                "| Anwendungsbetreuung | 10 % | 6 / 5 Monate |\n\n"
                "Wichtig ist eine Begründung, warum die Stelle ohne Zulage "
                "nicht zu besetzen ist – wir dokumentieren die erfolglosen "
                "Ausschreibungen.",
                reactions=(("💡", "arnold"), ("👍", "krause"), ("👍", "kaiser")),
            ),
            Reply(
                "krause",
                1,
                "09:20",
                "Leipzig zahlt ebenfalls, aber befristet auf fünf Jahre. Der "
                "Personalrat hat zugestimmt, nachdem wir die Kriterien "
                "veröffentlicht haben.",
                reply_to=1,
            ),
            Reply(
                "meyer",
                3,
                "15:10",
                "Achten Sie auf die Wirkung im Team: Eine Zulage nur für "
                "Neueingestellte sorgt für Unruhe. Die meisten Kommunen zahlen "
                "sie deshalb auch dem vorhandenen Personal in der gleichen "
                "Funktion.",
                reactions=(("👍", "berg"),),
            ),
            Reply(
                "arnold",
                7,
                "08:35",
                "Vielen Dank – wir gehen mit 20 % und den Münchener Kriterien "
                "in den Personalausschuss.",
                reply_to=1,
            ),
        ),
        solution=1,
    ),
    DemoThread(
        "krause",
        63,
        "14:00",
        "Duales Studium: Wie halten Sie die Absolventinnen und Absolventen?",
        "Wir bilden jedes Jahr 20 Studierende im Studiengang Public Management "
        "aus. Nach drei Jahren ist ein Drittel zu Land oder Bund gewechselt. "
        "Was tun Sie, damit die Absolventinnen und Absolventen bleiben?",
        ("Ausbildung", "Duales Studium", "Personalbindung"),
        (
            Reply(
                "kaiser",
                1,
                "10:15",
                "Aus Sicht der Hochschule: Wer im letzten Praxisabschnitt eine "
                "konkrete Stelle mit Aufgabe und Team kennenlernt, bleibt viel "
                "häufiger. Übernahmezusagen allein reichen nicht.",
                reactions=(("💡", "krause"), ("👍", "berg")),
            ),
            Reply(
                "berg",
                2,
                "13:25",
                "Wir bieten ein Rotationsjahr nach dem Studium an: drei "
                "Stationen, danach Wahl der Stelle. Die Bindungsquote liegt "
                "seitdem bei über 80 %.",
            ),
            Reply(
                "meyer",
                4,
                "09:50",
                "Ein Mentoring durch Führungskräfte aus einem anderen Amt hat "
                "in mehreren Kommunen gut gewirkt – und kostet fast nichts.",
                reply_to=2,
            ),
        ),
    ),
    DemoThread(
        "berg",
        37,
        "08:45",
        "Personalbemessung im Bürgerservice – KGSt-Verfahren oder eigene Analyse?",
        "Unser Bürgerservice braucht eine neue Personalbemessung. Lohnt sich "
        "eine analytische Bemessung, oder reicht ein Vergleich mit anderen "
        "Kommunen?",
        ("Personalbemessung", "Bürgerservice"),
        (
            Reply(
                "meyer",
                0,
                "11:40",
                "Die KGSt empfiehlt für den Bürgerservice eine Kombination:\n\n"
                "1. Fallzahlen und Bearbeitungszeiten aus dem Terminsystem\n"
                "2. Zuschläge für Rüst- und Verteilzeiten\n"
                "3. ein Abgleich mit Vergleichsringen\n\n"
                "Die Zeiten aus dem Terminsystem sind meist genauer als "
                "Selbstaufschreibungen. Mehr dazu im [KGSt-Portal]"
                "(https://www.kgst.de).",
                reactions=(("👍", "berg"), ("💡", "krause"), ("👍", "arnold")),
            ),
            Reply(
                "krause",
                2,
                "15:30",
                "Wir haben genau so gearbeitet. Ein Vergleich allein hätte "
                "uns nicht geholfen, weil jede Kommune andere Leistungen im "
                "Bürgerservice bündelt.",
                reply_to=1,
            ),
        ),
        solution=1,
    ),
    DemoThread(
        "krause",
        15,
        "10:30",
        "Mobiles Arbeiten: Dienstvereinbarung nach zwei Jahren überarbeiten?",
        "Unsere Dienstvereinbarung zum mobilen Arbeiten läuft aus. Was haben "
        "Sie bei der Überarbeitung geändert? Bei uns in der Diskussion: "
        "Präsenztage pro Team statt pro Person.",
        ("Mobiles Arbeiten", "Dienstvereinbarung"),
        (
            Reply(
                "berg",
                0,
                "14:15",
                "Teamtage haben sich bei uns bewährt. Individuelle Quoten "
                "führten dazu, dass sich Teams kaum noch gesehen haben.",
                reactions=(("👍", "krause"),),
            ),
            Reply(
                "arnold",
                1,
                "09:05",
                "Aus Sicht der Informationssicherheit: Bitte die Regeln zu "
                "privaten Geräten und öffentlichen WLANs aktualisieren. Die "
                "alte Fassung stammt oft noch aus der Pandemie.",
                reactions=(("💡", "berg"),),
            ),
            Reply(
                "kaiser",
                3,
                "11:20",
                "Wir evaluieren gerade Dienstvereinbarungen aus 30 Kommunen. "
                "Erste Ergebnisse stelle ich gern hier vor.",
                reactions=(("🎉", "krause"), ("👍", "meyer")),
            ),
        ),
    ),
]

FINANZEN = [
    DemoThread(
        "wagner",
        150,
        "09:15",
        "Linksammlung: Leitfäden zu Doppik und Jahresabschluss",
        "Eine Sammlung von Leitfäden, die in den Kämmereien regelmäßig "
        "gebraucht werden:\n\n"
        "- Leitfäden der Länder zum kommunalen Haushalts- und "
        "Rechnungswesen (Innenministerien)\n"
        "- KGSt-Berichte zum Finanzmanagement: <https://www.kgst.de>\n"
        "- Muster für Beteiligungsberichte\n\n"
        "Ergänzungen bitte mit Angabe des Bundeslands.",
        ("Doppik", "Jahresabschluss", "Linksammlung"),
        (
            Reply(
                "meyer",
                4,
                "10:00",
                "Die KGSt hat ihren Bericht zur Haushaltssteuerung überarbeitet. "
                "Mitglieder finden ihn im Portal unter *Finanzmanagement*.",
                reactions=(("👍", "wagner"),),
            ),
            Reply(
                "koch",
                9,
                "13:30",
                "Für Rheinland-Pfalz ergänzend: Die Verwaltungsvorschriften zur "
                "Gemeindehaushaltsverordnung sind eine gute Grundlage für "
                "Bewertungsfragen.",
            ),
        ),
        pinned=True,
    ),
    DemoThread(
        "braun",
        102,
        "16:10",
        "Rückstand bei Jahresabschlüssen: Wie haben Sie aufgeholt?",
        "Unsere Gemeinde ist mit drei Jahresabschlüssen im Rückstand. Die "
        "Kommunalaufsicht drängt. Hat jemand Erfahrung mit einem "
        "Aufholplan – mit eigenem Personal oder mit externer Hilfe?",
        ("Jahresabschluss", "Kommunalaufsicht"),
        (
            Reply(
                "wagner",
                1,
                "09:30",
                "Dresden hatte vor einigen Jahren einen ähnlichen Rückstand. "
                "Was geholfen hat:\n\n"
                "1. Vereinfachungen mit der Aufsicht abstimmen (z. B. "
                "Wesentlichkeitsgrenzen)\n"
                "2. die älteren Abschlüsse extern erstellen lassen, den "
                "aktuellen selbst\n"
                "3. einen verbindlichen Zeitplan, der monatlich berichtet wird\n\n"
                "Nach 18 Monaten waren wir auf dem aktuellen Stand.",
                reactions=(("💡", "braun"), ("👍", "ludwig"), ("👍", "meyer")),
            ),
            Reply(
                "meyer",
                2,
                "11:45",
                "Mehrere Länder erlauben inzwischen vereinfachte Verfahren für "
                "Rückstände. Fragen Sie Ihre Aufsicht ausdrücklich danach.",
                reply_to=1,
            ),
            Reply(
                "ludwig",
                3,
                "14:20",
                "Ein Tipp aus dem Beteiligungsmanagement: Holen Sie die "
                "Abschlüsse der Beteiligungen früh ein, sie verzögern sonst "
                "den Gesamtabschluss.",
            ),
            Reply(
                "braun",
                6,
                "08:50",
                "Danke, das ist sehr hilfreich. Wir vergeben die beiden ältesten "
                "Abschlüsse extern.",
                reply_to=1,
            ),
        ),
        solution=1,
    ),
    DemoThread(
        "ludwig",
        66,
        "10:40",
        "Beteiligungsbericht: Kennzahlen, die der Rat wirklich liest",
        "Unser Beteiligungsbericht hat 240 Seiten. Niemand liest ihn. Wir "
        "möchten vorn eine Übersicht mit wenigen Kennzahlen je Unternehmen. "
        "Mein Entwurf:\n\n"
        "| Kennzahl | warum |\n"
        "|---|---|\n"
        "| Jahresergebnis | Zuschussbedarf der Stadt |\n"
        "| Eigenkapitalquote | Stabilität |\n"
        "| Beschäftigte | Größe, Vergleichbarkeit |\n"
        "| Erfüllung des öffentlichen Zwecks | Steuerung |\n\n"
        "Was fehlt, was ist überflüssig?",
        ("Beteiligungsmanagement", "Berichtswesen"),
        (
            Reply(
                "wagner",
                0,
                "15:05",
                "Ich würde den Cashflow zum Haushalt ergänzen – also was "
                "tatsächlich zwischen Stadt und Unternehmen fließt, in beide "
                "Richtungen.",
                reactions=(("👍", "ludwig"),),
            ),
            Reply(
                "meyer",
                2,
                "09:35",
                "Die Zielerreichung des öffentlichen Zwecks ist der wichtigste "
                "Punkt – aber nur, wenn es vorher vereinbarte Ziele gibt. "
                "Sonst bleibt die Spalte leer.",
                reactions=(("💡", "ludwig"), ("👍", "wagner")),
            ),
            Reply(
                "koch",
                3,
                "12:15",
                "Mainz zeigt zusätzlich eine Ampel für Risiken. Das lesen die "
                "Ratsmitglieder tatsächlich.",
                reply_to=2,
            ),
        ),
    ),
    DemoThread(
        "koch",
        44,
        "09:00",
        "Vergabe unterhalb der Schwellenwerte: Wertgrenzen angehoben?",
        "Mehrere Länder haben die Wertgrenzen für Direktaufträge und "
        "beschränkte Ausschreibungen angehoben. Haben Sie Ihre "
        "Dienstanweisung schon angepasst, und wie gehen Sie mit der "
        "Korruptionsprävention um?",
        ("Vergabe", "Wertgrenzen", "Dienstanweisung"),
        (
            Reply(
                "wagner",
                0,
                "13:20",
                "Wir haben die neuen Grenzen übernommen, aber ab 25.000 € "
                "weiterhin drei Angebote verlangt – formlos, dokumentiert in "
                "der E-Akte. So bleibt es prüfbar, ohne viel Aufwand.",
                reactions=(("👍", "koch"), ("💡", "braun")),
            ),
            Reply(
                "braun",
                1,
                "10:10",
                "Für eine kleine Gemeinde sind die höheren Grenzen eine große "
                "Entlastung. Die Rechnungsprüfung des Kreises schaut jetzt "
                "stichprobenartig.",
            ),
            Reply(
                "meyer",
                2,
                "15:55",
                "Ein Vergabevermerk mit fünf Pflichtfeldern reicht meist. "
                "Wichtig ist, dass Beauftragung und Abnahme nicht bei derselben "
                "Person liegen.",
                reply_to=1,
            ),
        ),
        solution=1,
    ),
    DemoThread(
        "braun",
        13,
        "17:05",
        "Haushaltssicherung: Wo ziehen Sie bei freiwilligen Leistungen die Grenze?",
        "Wir müssen ein Haushaltssicherungskonzept aufstellen. Die Aufsicht "
        "verlangt Kürzungen bei den freiwilligen Leistungen. Bibliothek, "
        "Jugendtreff und Vereinsförderung stehen zur Debatte.\n\n"
        "Wie haben Sie das im Rat vermittelt?",
        ("Haushaltssicherung", "freiwillige Leistungen"),
        (
            Reply(
                "ludwig",
                1,
                "09:10",
                "Bewährt hat sich, Leistungen nicht zu streichen, sondern "
                "Träger zu wechseln – etwa den Jugendtreff an einen Verein mit "
                "festem Zuschuss.",
            ),
            Reply(
                "koch",
                2,
                "11:30",
                "Wir haben die Bürgerinnen und Bürger über einen "
                "Haushaltsdialog beteiligt. Die Vorschläge waren oft "
                "realistischer als erwartet.",
                reactions=(("👍", "braun"),),
            ),
            Reply(
                "meyer",
                4,
                "14:45",
                "Ein Blick in die Kennzahlenvergleiche hilft, um zu zeigen, wo "
                "die Gemeinde über dem Durchschnitt liegt – das versachlicht "
                "die Debatte.",
                reply_to=2,
                reactions=(("💡", "braun"),),
            ),
        ),
    ),
]

SOZIALES = [
    DemoThread(
        "richter",
        130,
        "08:30",
        "Willkommen: Worum es hier geht und wie Sie Fragen stellen",
        "Herzlich willkommen in der Community **Soziale Teilhabe**!\n\n"
        "Hier tauschen sich Sozialplanung, Quartiersmanagement und alle aus, "
        "die Teilhabe vor Ort gestalten. Damit Antworten schnell kommen:\n\n"
        "- Nennen Sie Größe und Art Ihrer Kommune.\n"
        "- Schreiben Sie, was Sie schon versucht haben.\n"
        "- Markieren Sie die hilfreichste Antwort als Lösung.\n\n"
        "Stellen Sie sich gern kurz vor!",
        ("Willkommen",),
        (
            Reply(
                "simon",
                1,
                "10:20",
                "Moin aus Kiel! Ich arbeite im Quartiersmanagement in Gaarden "
                "und freue mich auf den Austausch.",
                reactions=(("❤️", "richter"),),
            ),
            Reply(
                "fischer",
                3,
                "13:05",
                "Hallo aus Ludwigsburg – bei mir geht es um sozialen "
                "Wohnungsbau und Belegungsbindungen.",
                reactions=(("👍", "richter"),),
            ),
        ),
        pinned=True,
    ),
    DemoThread(
        "simon",
        88,
        "11:00",
        "Sozialraumanalyse: Welche Indikatoren nutzen Sie?",
        "Wir möchten unsere Sozialraumanalyse neu aufsetzen und die "
        "Indikatoren mit anderen Städten vergleichbar machen. Welche nutzen "
        "Sie, und woher kommen die Daten?",
        ("Sozialplanung", "Sozialraumanalyse", "Indikatoren"),
        (
            Reply(
                "richter",
                0,
                "14:35",
                "Erfurt arbeitet mit einem Kernset, das wir jährlich "
                "aktualisieren:\n\n"
                "| Indikator | Quelle |\n"
                "|---|---|\n"
                "| SGB-II-Quote | Bundesagentur für Arbeit |\n"
                "| Kinderarmut (unter 15 im SGB II) | Bundesagentur für Arbeit |\n"
                "| Anteil Alleinerziehender | Melderegister |\n"
                "| Altersstruktur | Melderegister |\n"
                "| Fluktuation | Melderegister |\n\n"
                "Kleinräumig auf Ebene der Stadtteile, bei kleinen Fallzahlen "
                "zusammengefasst.",
                reactions=(("💡", "simon"), ("👍", "vogel"), ("👍", "fischer")),
            ),
            Reply(
                "vogel",
                1,
                "09:15",
                "Aus dem Bildungsbüro: Die Übergangsquoten nach der "
                "Grundschule sind ein sehr aussagekräftiger Indikator. Die "
                "Schulämter liefern sie meist auf Anfrage.",
                reply_to=1,
            ),
            Reply(
                "lange",
                2,
                "10:50",
                "Die Schuleingangsuntersuchungen des Gesundheitsamts liefern "
                "Daten zu Sprachstand und Übergewicht – gern anfragen, wir "
                "werten auf Stadtteilebene aus.",
                reactions=(("👍", "simon"),),
            ),
        ),
        solution=1,
    ),
    DemoThread(
        "fischer",
        61,
        "13:40",
        "Quartiersmanagement nach Auslaufen der Städtebauförderung",
        "In zwei Quartieren endet die Förderung aus dem Programm *Sozialer "
        "Zusammenhalt*. Wie haben Sie das Quartiersmanagement danach "
        "weiterfinanziert?",
        ("Quartier", "Städtebauförderung", "Verstetigung"),
        (
            Reply(
                "simon",
                0,
                "16:00",
                "Kiel hat eine halbe Stelle dauerhaft in den Haushalt "
                "übernommen und die Wohnungsunternehmen mit einem "
                "Kooperationsvertrag beteiligt. Sie zahlen ein Drittel.",
                reactions=(("💡", "fischer"), ("👍", "richter")),
            ),
            Reply(
                "richter",
                2,
                "09:25",
                "Beginnen Sie die Verstetigung zwei Jahre vor Förderende. Wir "
                "haben zu spät angefangen und eine Lücke von einem Jahr gehabt.",
                reply_to=1,
            ),
        ),
        solution=1,
    ),
    DemoThread(
        "weber",
        45,
        "08:20",
        "Kita-Plätze für Kinder mit Eingliederungshilfe: Wartezeiten verkürzen",
        "Kinder mit Anspruch auf Eingliederungshilfe warten bei uns bis zu "
        "einem Jahr auf einen Kita-Platz mit Integrationskraft. Wie "
        "organisieren Sie das?",
        ("Kita", "Eingliederungshilfe", "Inklusion"),
        (
            Reply(
                "richter",
                0,
                "12:30",
                "Erfurt hat ein gemeinsames Aufnahmeteam von Jugendamt und "
                "Sozialamt. Der Bescheid und die Platzvergabe laufen parallel, "
                "nicht nacheinander.",
                reactions=(("👍", "weber"),),
            ),
            Reply(
                "lange",
                1,
                "10:05",
                "Oft dauert die ärztliche Stellungnahme am längsten. Wir haben "
                "im Gesundheitsamt feste Termine für diese Begutachtungen "
                "reserviert.",
                reactions=(("💡", "weber"), ("👍", "vogel")),
            ),
            Reply(
                "vogel",
                3,
                "14:40",
                "Ein Pool von Integrationskräften beim Träger statt Einzelfall"
                "anstellungen hat bei uns viel Zeit gespart.",
                reply_to=1,
            ),
        ),
    ),
    DemoThread(
        "lange",
        28,
        "09:50",
        "Hitzeschutz für Wohnungslose: Kältebus-Konzept auf den Sommer übertragen?",
        "Im Winter gibt es den Kältebus. Im Sommer sind Wohnungslose bei Hitze "
        "besonders gefährdet. Hat jemand ein Hitzebus- oder ähnliches Angebot?",
        ("Hitzeschutz", "Wohnungslosigkeit"),
        (
            Reply(
                "simon",
                0,
                "15:15",
                "Kiel verteilt an Hitzetagen mit der Straßensozialarbeit "
                "Wasser und Sonnencreme und öffnet die Tagesstätte länger. "
                "Kosten: überschaubar, Wirkung: groß.",
                reactions=(("❤️", "lange"), ("👍", "richter")),
            ),
            Reply(
                "richter",
                1,
                "11:00",
                "Wir haben eine Karte der öffentlichen Trinkbrunnen und kühlen "
                "Orte gedruckt und über die Beratungsstellen verteilt.",
            ),
            Reply(
                "fischer",
                2,
                "13:35",
                "Denken Sie auch an die Notunterkünfte: Viele liegen in "
                "Dachgeschossen. Ludwigsburg hat dort Ventilatoren und "
                "Verschattung nachgerüstet.",
                reply_to=1,
            ),
        ),
        solution=1,
    ),
    DemoThread(
        "richter",
        6,
        "10:15",
        "Seniorenbefragung: Papier, online oder beides?",
        "Wir planen eine Befragung aller Menschen über 65. Lohnt sich eine "
        "Online-Variante, oder bleiben wir bei Papier?",
        ("Senioren", "Befragung"),
        (
            Reply(
                "vogel",
                0,
                "13:05",
                "Beides anbieten, aber den Papierbogen mitschicken. Bei uns "
                "haben nur 18 % online geantwortet – die aber deutlich "
                "ausführlicher.",
                reactions=(("💡", "richter"),),
            ),
            Reply(
                "simon",
                1,
                "09:40",
                "Rechnen Sie mit vielen Anrufen. Eine Telefonnummer für "
                "Rückfragen auf dem Bogen ist Pflicht.",
            ),
        ),
    ),
]

MOBILITAET = [
    DemoThread(
        "neumann",
        145,
        "09:35",
        "Linksammlung Radverkehr: Regelwerke, Förderung, Zählstellen",
        "Die wichtigsten Quellen für die Radverkehrsplanung:\n\n"
        "- [Nationaler Radverkehrsplan](https://www.nationaler-radverkehrsplan.de) "
        "– Praxisbeispiele und Forschung\n"
        "- ERA – Empfehlungen für Radverkehrsanlagen (FGSV)\n"
        "- Förderprogramme des Bundes und der Länder für Radwege und "
        "Abstellanlagen\n\n"
        "Ergänzen Sie gern Ihre Landesprogramme.",
        ("Radverkehr", "Linksammlung"),
        (
            Reply(
                "roth",
                3,
                "10:45",
                "Für Sachsen: Die Förderrichtlinie für kommunalen Straßenbau "
                "umfasst auch Radwege. Das Landesamt berät vor dem Antrag.",
            ),
            Reply(
                "wolf",
                6,
                "14:20",
                "Der Kreis Steinfurt hat ein Radverkehrskonzept mit allen "
                "Gemeinden abgestimmt – gern als Beispiel für Kreise.",
                reactions=(("👍", "neumann"),),
            ),
        ),
        reactions=(("👍", "frank"),),
        pinned=True,
    ),
    DemoThread(
        "roth",
        79,
        "08:55",
        "Fahrradstraßen: Wie halten Sie den Durchgangsverkehr heraus?",
        "Leipzig hat mehrere Fahrradstraßen eingerichtet. Trotz Beschilderung "
        "nutzen viele Autos sie weiter als Abkürzung. Was hat bei Ihnen "
        "geholfen?",
        ("Radverkehr", "Fahrradstraße"),
        (
            Reply(
                "neumann",
                0,
                "11:15",
                "In Münster helfen nur bauliche Maßnahmen zuverlässig:\n\n"
                "- Diagonalsperren an Knotenpunkten (Durchfahrt nur für Rad)\n"
                "- Wechsel der Vorfahrt zugunsten der Fahrradstraße\n"
                "- rote Einfärbung an den Einfahrten\n\n"
                "Kontrollen wirken nur kurzfristig.",
                reactions=(("💡", "roth"), ("👍", "frank"), ("👍", "wolf")),
            ),
            Reply(
                "frank",
                1,
                "10:30",
                "Köln hat gute Erfahrungen mit modalen Filtern gemacht. "
                "Wichtig ist, Feuerwehr und Müllabfuhr früh einzubinden.",
                reply_to=1,
            ),
            Reply(
                "roth",
                5,
                "09:00",
                "Danke! Wir testen Diagonalsperren an zwei Knoten.",
                reply_to=1,
            ),
        ),
        solution=1,
    ),
    DemoThread(
        "braun",
        52,
        "15:30",
        "Rufbus im ländlichen Raum: Was kostet ein Fahrgast?",
        "Schwielowsee überlegt, eine schwach genutzte Buslinie durch einen "
        "Rufbus zu ersetzen. Welche Kosten pro Fahrgast haben Sie?",
        ("ÖPNV", "On-Demand", "ländlicher Raum"),
        (
            Reply(
                "wolf",
                1,
                "09:20",
                "Zahlen aus dem Kreis Steinfurt (Rufbus, zwei Bediengebiete):\n\n"
                "| Jahr | Fahrgäste | Kosten je Fahrgast |\n"
                "|---|---|---|\n"
                "| 1 | 14.000 | 19 € |\n"
                "| 2 | 26.000 | 12 € |\n"
                "| 3 | 31.000 | 10 € |\n\n"
                "Das erste Jahr ist teuer, die Nachfrage wächst langsam. "
                "Planen Sie mindestens drei Jahre.",
                reactions=(("💡", "braun"), ("👍", "neumann"), ("👍", "roth")),
            ),
            Reply(
                "roth",
                2,
                "11:50",
                "Die Buchung per Telefon muss bleiben. Bei uns buchen über 40 % "
                "der älteren Fahrgäste telefonisch.",
                reply_to=1,
            ),
        ),
        solution=1,
    ),
    DemoThread(
        "frank",
        31,
        "10:05",
        "Anwohnerparken: Gebühren nach der neuen Gebührenordnung",
        "Seit die Länder die Gebühren für Bewohnerparkausweise selbst regeln "
        "dürfen, haben viele Städte erhöht. Köln diskutiert eine Staffelung "
        "nach Fahrzeuglänge. Wie sind Sie vorgegangen?",
        ("Parkraum", "Gebühren"),
        (
            Reply(
                "neumann",
                0,
                "14:40",
                "Münster hat auf einen Jahrespreis umgestellt und Ermäßigungen "
                "für Menschen mit geringem Einkommen eingeführt. Die Debatte "
                "im Rat war lang, die Umsetzung ging schnell.",
                reactions=(("👍", "frank"),),
            ),
            Reply(
                "roth",
                2,
                "09:55",
                "Eine Staffelung nach Länge ist rechtlich umstritten. Lassen "
                "Sie sie vorher prüfen – Leipzig hat sich für eine einheitliche "
                "Gebühr entschieden.",
                reactions=(("💡", "frank"), ("👍", "braun")),
            ),
        ),
    ),
    DemoThread(
        "wolf",
        5,
        "11:25",
        "Radverkehrszählung: Dauerzählstellen oder mobile Zählungen?",
        "Für das Radverkehrskonzept brauchen wir belastbare Zahlen. Lohnen "
        "sich Dauerzählstellen, oder reichen mobile Zählungen an wechselnden "
        "Orten?",
        ("Radverkehr", "Verkehrszählung"),
        (
            Reply(
                "neumann",
                0,
                "15:10",
                "Beides: wenige Dauerzählstellen für die Entwicklung über die "
                "Jahre, mobile Zählungen für die Fläche. Die Dauerzählstellen "
                "eichen die mobilen Zählungen.",
                reactions=(("👍", "wolf"),),
            ),
            Reply(
                "roth",
                1,
                "08:45",
                "Leipzig veröffentlicht die Daten der Dauerzählstellen als Open "
                "Data. Das schafft Vertrauen in die Zahlen.",
            ),
            Reply(
                "frank",
                2,
                "10:30",
                "Achten Sie auf die Wartung: Induktionsschleifen fallen bei "
                "Straßenbauarbeiten gern aus.",
                reply_to=1,
            ),
        ),
    ),
]

THREADS = {
    "klimaschutz": KLIMASCHUTZ,
    "digitalisierung-ozg": DIGITALISIERUNG,
    "personalmanagement": PERSONAL,
    "finanzmanagement-doppik": FINANZEN,
    "soziale-teilhabe": SOZIALES,
    "mobilitaet": MOBILITAET,
}
