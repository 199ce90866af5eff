"""Demo communities from the KGSt themes, with members in every role."""

from members.models import User

from . import services
from .models import (
    CommunityIndexPage,
    CommunityPage,
    JoinPolicy,
    Membership,
    Visibility,
)

Role = Membership.Role

# slug, title, description, visibility, join policy, topics, intro
COMMUNITIES = [
    (
        "klimaschutz",
        "Klimaschutz und Klimafolgenanpassung",
        "Hitzeaktionspläne, Starkregenvorsorge, kommunale Wärmeplanung und "
        "Förderprogramme – Erfahrungen aus der Praxis.",
        Visibility.PUBLIC,
        JoinPolicy.OPEN,
        ["Klimaschutz", "Hitzeschutz", "Förderprogramme"],
        "Willkommen in der Community **Klimaschutz und Klimafolgenanpassung**.\n\n"
        "Hier tauschen sich Klimaschutzmanagerinnen und -manager, Umweltämter und "
        "Stadtplanung aus:\n\n- Hitzeaktionspläne und Hitzeschutz in Kitas und "
        "Pflegeeinrichtungen\n- Starkregenvorsorge und Schwammstadt\n- kommunale "
        "Wärmeplanung\n- Förderprogramme (z. B. Kommunalrichtlinie)",
    ),
    (
        "digitalisierung-ozg",
        "Digitalisierung und OZG-Umsetzung",
        "Onlinezugangsgesetz, E-Akte, Register-Modernisierung und EfA-Leistungen.",
        Visibility.INTERNAL,
        JoinPolicy.OPEN,
        ["OZG", "E-Akte", "Digitalisierung"],
        "Von der E-Akte bis zur Ende-zu-Ende-Digitalisierung: Wie setzen andere "
        "Kommunen das OZG um? Welche EfA-Leistungen laufen schon?",
    ),
    (
        "personalmanagement",
        "Personalmanagement",
        "Fachkräftegewinnung, Ausbildung, Arbeitszeitmodelle und Personalbemessung.",
        Visibility.INTERNAL,
        JoinPolicy.REQUEST,
        ["Personal", "Personalgewinnung", "Ausbildung"],
        "Austausch der Personalverantwortlichen. Beitritt auf Anfrage – bitte "
        "schreiben Sie kurz, in welchem Bereich Sie arbeiten.",
    ),
    (
        "finanzmanagement-doppik",
        "Finanzmanagement und Doppik",
        "Haushaltsplanung, Jahresabschlüsse, Beteiligungsmanagement und Controlling.",
        Visibility.PUBLIC,
        JoinPolicy.REQUEST,
        ["Doppik", "Haushalt", "Controlling"],
        "Kämmereien unter sich: Jahresabschlüsse, Haushaltskonsolidierung und "
        "Beteiligungsberichte.",
    ),
    (
        "organisationsmanagement",
        "Organisations- und Informationsmanagement",
        "Prozessmanagement, Organisationsuntersuchungen und Informationssicherheit.",
        Visibility.PRIVATE,
        JoinPolicy.INVITE,
        ["Organisation", "Prozessmanagement", "IT-Sicherheit"],
        "Geschlossener Kreis der Organisationsämter. Aufnahme nur auf Einladung.",
    ),
    (
        "soziale-teilhabe",
        "Soziale Teilhabe",
        "Sozialplanung, Quartiersarbeit, Eingliederungshilfe und Teilhabe im Alter.",
        Visibility.INTERNAL,
        JoinPolicy.OPEN,
        ["Soziales", "Sozialplanung", "Quartier"],
        "Sozialplanung und Quartiersmanagement im Austausch.",
    ),
    (
        "mobilitaet",
        "Mobilität",
        "Radverkehr, ÖPNV, Parkraummanagement und die Verkehrswende vor Ort.",
        Visibility.PUBLIC,
        JoinPolicy.OPEN,
        ["Mobilität", "Radverkehr", "ÖPNV"],
        "Radverkehrskonzepte, ÖPNV-Angebote im ländlichen Raum und "
        "Parkraumbewirtschaftung.",
    ),
    (
        "interkommunale-zusammenarbeit",
        "Interkommunale Zusammenarbeit",
        "Gemeinsam stärker: Zweckverbände, Shared Services und Kooperationsverträge.",
        Visibility.PRIVATE,
        JoinPolicy.REQUEST,
        ["Kooperation", "Shared Services"],
        "Vertraulicher Austausch zu Kooperationsprojekten, Verträgen und "
        "Kostenverteilung.",
    ),
]

# slug → [(e-mail, role)]; "pending" marks a pending request
MEMBERS = {
    "klimaschutz": [
        ("moderatorin@kommunect.example", Role.OWNER),
        ("f.zimmermann@stadt.freiburg.de", Role.MODERATOR),
        ("mitglied@kommunect.example", Role.MEMBER),
        ("o.frank@stadt-koeln.de", Role.MEMBER),
        ("n.wolf@kreis-steinfurt.de", Role.MEMBER),
        ("e.lange@kreis-gr.de", Role.MEMBER),
    ],
    "digitalisierung-ozg": [
        ("m.peters@hamburg.de", Role.OWNER),
        ("d.schroeder@lkharburg.de", Role.MODERATOR),
        ("mitglied@kommunect.example", Role.MEMBER),
        ("a.schmitz@stadt-koeln.de", Role.MEMBER),
        ("b.jansen@dataport.de", Role.MEMBER),
        ("t.huber@muenchen.de", Role.MEMBER),
    ],
    "personalmanagement": [
        ("s.krause@leipzig.de", Role.OWNER),
        ("i.berg@muenchen.de", Role.MEMBER),
        ("k.meyer@kgst.de", Role.MEMBER),
        ("mitglied@kommunect.example", "pending"),
        ("h.weber@wedemark.de", "pending"),
    ],
    "finanzmanagement-doppik": [
        ("m.wagner@dresden.de", Role.OWNER),
        ("a.ludwig@dresden.de", Role.MEMBER),
        ("p.schulz@rostock.de", "pending"),
    ],
    "organisationsmanagement": [
        ("k.meyer@kgst.de", Role.OWNER),
        ("moderatorin@kommunect.example", Role.MODERATOR),
        ("k.hansen@kiel.de", Role.MEMBER),
        ("t.arnold@rostock.de", Role.MEMBER),
    ],
    "soziale-teilhabe": [
        ("j.richter@erfurt.de", Role.OWNER),
        ("w.simon@kiel.de", Role.MEMBER),
    ],
    "mobilitaet": [
        ("l.neumann@stadt-muenster.de", Role.OWNER),
        ("g.roth@leipzig.de", Role.MODERATOR),
    ],
    "interkommunale-zusammenarbeit": [
        ("r.braun@schwielowsee.de", Role.OWNER),
        ("moderatorin@kommunect.example", Role.MODERATOR),
        ("s.fischer@ludwigsburg.de", Role.MEMBER),
    ],
}


def members_across_organisations(community: CommunityPage) -> list[User]:
    """Active members, taking turns across organisations, so that demo
    writing (wiki histories, chat) shows people of different municipalities."""
    members = list(
        User.objects.filter(
            memberships__community=community,
            memberships__state=Membership.State.ACTIVE,
        ).order_by("pk")
    )
    by_organisation: dict = {}
    for user in members:
        by_organisation.setdefault(user.organisation_id, []).append(user)
    queues = list(by_organisation.values())
    people = []
    while any(queues):
        for queue in queues:
            if queue:
                people.append(queue.pop(0))
    return people


def seed_communities() -> str:
    index = CommunityIndexPage.objects.first()
    users = {
        u.email: u
        for u in User.objects.filter(
            email__in={
                email for members in MEMBERS.values() for email, _role in members
            }
        )
    }
    for slug, title, description, visibility, policy, topics, intro in COMMUNITIES:
        community = CommunityPage.objects.filter(slug=slug).first()
        if community is None:
            community = CommunityPage(
                slug=slug,
                title=title,
                description=description,
                intro=intro,
                visibility=visibility,
                join_policy=policy,
            )
            index.add_child(instance=community)
            community.topics.set(topics)
            community.save()
        for email, role in MEMBERS[slug]:
            user = users.get(email)
            if (
                user is None
                or Membership.objects.filter(community=community, user=user).exists()
            ):
                continue
            if role == "pending":
                Membership.objects.create(
                    community=community,
                    user=user,
                    state=Membership.State.PENDING,
                    message="Ich würde mich gern mit Kolleginnen und Kollegen austauschen.",
                )
            else:
                services.membership_grant(community=community, user=user, role=role)
    return f"{len(COMMUNITIES)} Communities mit Mitgliedern und offenen Anfragen"
