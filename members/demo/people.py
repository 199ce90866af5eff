"""Demo organisations and people, with the three documented demo logins."""

from allauth.account.models import EmailAddress

from members.models import Organisation, OrganisationDomain, User

DEMO_PASSWORD = "kommunect-demo"

# name, kind, Bundesland, AGS, e-mail domain
ORGANISATIONS = [
    ("Stadt Köln", "stadt", "NW", "05315000", "stadt-koeln.de"),
    ("Landeshauptstadt München", "stadt", "BY", "09162000", "muenchen.de"),
    ("Stadt Leipzig", "stadt", "SN", "14713000", "leipzig.de"),
    ("Landeshauptstadt Dresden", "stadt", "SN", "14612000", "dresden.de"),
    ("Stadt Münster", "stadt", "NW", "05515000", "stadt-muenster.de"),
    ("Stadt Freiburg im Breisgau", "stadt", "BW", "08311000", "stadt.freiburg.de"),
    ("Landeshauptstadt Kiel", "stadt", "SH", "01002000", "kiel.de"),
    ("Hanse- und Universitätsstadt Rostock", "stadt", "MV", "13003000", "rostock.de"),
    ("Landeshauptstadt Erfurt", "stadt", "TH", "16051000", "erfurt.de"),
    ("Landeshauptstadt Mainz", "stadt", "RP", "07315000", "stadt.mainz.de"),
    ("Kreis Steinfurt", "kreis", "NW", "05566000", "kreis-steinfurt.de"),
    ("Landkreis Harburg", "kreis", "NI", "03353000", "lkharburg.de"),
    ("Landkreis Görlitz", "kreis", "SN", "14626000", "kreis-gr.de"),
    ("Gemeinde Schwielowsee", "gemeinde", "BB", "12069590", "schwielowsee.de"),
    ("Gemeinde Wedemark", "gemeinde", "NI", "03241021", "wedemark.de"),
    ("Stadt Ludwigsburg", "stadt", "BW", "08118048", "ludwigsburg.de"),
    ("Freie und Hansestadt Hamburg", "land", "HH", "02000000", "hamburg.de"),
    (
        "KGSt – Kommunale Gemeinschaftsstelle für Verwaltungsmanagement",
        "verband",
        "NW",
        "",
        "kgst.de",
    ),
    ("Dataport AöR", "unternehmen", "SH", "", "dataport.de"),
    (
        "Hochschule für öffentliche Verwaltung Kehl",
        "wissenschaft",
        "BW",
        "",
        "hs-kehl.de",
    ),
    ("Kommunect-Redaktion", "sonstige", "", "", "kommunect.example"),
]

# e-mail, display name, organisation (by name prefix), position, expertise, staff
PEOPLE = [
    (
        "admin@kommunect.example",
        "Kommunect-Redaktion",
        "Kommunect",
        "Plattformbetrieb",
        ["Community-Management"],
        True,
    ),
    (
        "moderatorin@kommunect.example",
        "Dr. Miriam Vogt",
        "Stadt Münster",
        "Klimaschutzmanagerin",
        ["Klimaschutz", "Hitzeschutz", "Förderprogramme"],
        False,
    ),
    (
        "mitglied@kommunect.example",
        "Jonas Becker",
        "Gemeinde Wedemark",
        "Sachbearbeiter Digitalisierung",
        ["E-Akte", "OZG"],
        False,
    ),
    (
        "a.schmitz@stadt-koeln.de",
        "Anna Schmitz",
        "Stadt Köln",
        "Leiterin Bürgerservice",
        ["Bürgerservice", "OZG"],
        False,
    ),
    (
        "t.huber@muenchen.de",
        "Thomas Huber",
        "Landeshauptstadt München",
        "IT-Referent",
        ["IT-Sicherheit", "Cloud"],
        False,
    ),
    (
        "s.krause@leipzig.de",
        "Sabine Krause",
        "Stadt Leipzig",
        "Personalentwicklung",
        ["Personalgewinnung", "Ausbildung"],
        False,
    ),
    (
        "m.wagner@dresden.de",
        "Markus Wagner",
        "Landeshauptstadt Dresden",
        "Kämmerei",
        ["Doppik", "Haushalt"],
        False,
    ),
    (
        "l.neumann@stadt-muenster.de",
        "Lena Neumann",
        "Stadt Münster",
        "Mobilitätsplanung",
        ["Radverkehr", "ÖPNV"],
        False,
    ),
    (
        "f.zimmermann@stadt.freiburg.de",
        "Felix Zimmermann",
        "Stadt Freiburg",
        "Klimaanpassung",
        ["Klimafolgenanpassung", "Starkregen"],
        False,
    ),
    (
        "k.hansen@kiel.de",
        "Kirsten Hansen",
        "Landeshauptstadt Kiel",
        "Organisationsentwicklung",
        ["Prozessmanagement"],
        False,
    ),
    (
        "p.schulz@rostock.de",
        "Peter Schulz",
        "Hanse- und Universitätsstadt Rostock",
        "Hauptamt",
        ["Ratsinformationssystem"],
        False,
    ),
    (
        "j.richter@erfurt.de",
        "Julia Richter",
        "Landeshauptstadt Erfurt",
        "Sozialplanung",
        ["Soziale Teilhabe", "Sozialplanung"],
        False,
    ),
    (
        "c.koch@stadt.mainz.de",
        "Christian Koch",
        "Landeshauptstadt Mainz",
        "Vergabestelle",
        ["Vergaberecht"],
        False,
    ),
    (
        "n.wolf@kreis-steinfurt.de",
        "Nadine Wolf",
        "Kreis Steinfurt",
        "Klimaschutzkoordinatorin",
        ["Klimaschutz", "Energie"],
        False,
    ),
    (
        "d.schroeder@lkharburg.de",
        "Daniel Schröder",
        "Landkreis Harburg",
        "Digitalisierungsbeauftragter",
        ["OZG", "E-Akte"],
        False,
    ),
    (
        "e.lange@kreis-gr.de",
        "Eva Lange",
        "Landkreis Görlitz",
        "Gesundheitsamt",
        ["Gesundheit", "Hitzeschutz"],
        False,
    ),
    (
        "r.braun@schwielowsee.de",
        "Ralf Braun",
        "Gemeinde Schwielowsee",
        "Bürgermeister",
        ["Interkommunale Zusammenarbeit"],
        False,
    ),
    (
        "h.weber@wedemark.de",
        "Hanna Weber",
        "Gemeinde Wedemark",
        "Kita-Koordination",
        ["Kita", "Bildung"],
        False,
    ),
    (
        "s.fischer@ludwigsburg.de",
        "Stefan Fischer",
        "Stadt Ludwigsburg",
        "Wohnungsbau",
        ["Wohnen", "Bauleitplanung"],
        False,
    ),
    (
        "m.peters@hamburg.de",
        "Maria Peters",
        "Freie und Hansestadt Hamburg",
        "Senatskanzlei, Digitalisierung",
        ["OZG", "Open Data"],
        False,
    ),
    (
        "k.meyer@kgst.de",
        "Katrin Meyer",
        "KGSt",
        "Referentin Organisationsmanagement",
        ["Organisationsmanagement", "Personalbemessung"],
        False,
    ),
    (
        "b.jansen@dataport.de",
        "Björn Jansen",
        "Dataport",
        "Produktmanager E-Akte",
        ["E-Akte", "Cloud"],
        False,
    ),
    (
        "u.kaiser@hs-kehl.de",
        "Prof. Ulrike Kaiser",
        "Hochschule für öffentliche Verwaltung Kehl",
        "Professorin für Verwaltungsinformatik",
        ["Verwaltungsinformatik", "KI"],
        False,
    ),
    (
        "o.frank@stadt-koeln.de",
        "Oliver Frank",
        "Stadt Köln",
        "Amt für Umwelt",
        ["Klimaschutz", "Hitzeschutz"],
        False,
    ),
    (
        "i.berg@muenchen.de",
        "Ines Berg",
        "Landeshauptstadt München",
        "Personalreferat",
        ["Personalgewinnung", "Arbeitszeitmodelle"],
        False,
    ),
    (
        "g.roth@leipzig.de",
        "Georg Roth",
        "Stadt Leipzig",
        "Verkehrs- und Tiefbauamt",
        ["Radverkehr", "Verkehrsplanung"],
        False,
    ),
    (
        "a.ludwig@dresden.de",
        "Alexandra Ludwig",
        "Landeshauptstadt Dresden",
        "Beteiligungsmanagement",
        ["Beteiligungen", "Doppik"],
        False,
    ),
    (
        "w.simon@kiel.de",
        "Wiebke Simon",
        "Landeshauptstadt Kiel",
        "Quartiersmanagement",
        ["Soziale Teilhabe", "Wohnen"],
        False,
    ),
    (
        "t.arnold@rostock.de",
        "Tobias Arnold",
        "Hanse- und Universitätsstadt Rostock",
        "Informationssicherheitsbeauftragter",
        ["IT-Sicherheit"],
        False,
    ),
    (
        "s.vogel@erfurt.de",
        "Svenja Vogel",
        "Landeshauptstadt Erfurt",
        "Bildungsbüro",
        ["Bildung", "Schulentwicklung"],
        False,
    ),
]


def seed_people() -> str:
    by_name = {}
    for name, kind, land, ags, domain in ORGANISATIONS:
        organisation, _ = Organisation.objects.update_or_create(
            name=name, defaults={"kind": kind, "bundesland": land, "ags": ags}
        )
        OrganisationDomain.objects.get_or_create(
            domain=domain, defaults={"organisation": organisation}
        )
        by_name[name] = organisation

    for email, display_name, org_prefix, position, expertise, staff in PEOPLE:
        organisation = next(o for n, o in by_name.items() if n.startswith(org_prefix))
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User(email=email)
            user.set_password(DEMO_PASSWORD)
        user.display_name = display_name
        user.organisation = organisation
        user.position = position
        user.is_staff = staff
        user.is_superuser = staff
        user.save()
        user.expertise.set(expertise, clear=True)
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
    return (
        f"{len(ORGANISATIONS)} Organisationen, {len(PEOPLE)} Personen "
        f"(Passwort der Demo-Logins: {DEMO_PASSWORD})"
    )
