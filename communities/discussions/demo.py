"""Demo discussions for the public and internal communities.

Everything is written through the services, as if people had typed it, so
Markdown is rendered, counters are kept and the authors watch their threads.
The timestamps are then moved into the past months, at office hours, in the
order of the thread. A community that already has threads is left alone, so
seeding again changes nothing.
"""

from datetime import date, datetime, time, timedelta

from django.db.models import Max
from django.utils import timezone

from members.models import User

from .. import services as community_services
from ..models import CommunityPage, Membership, Visibility
from . import services
from .demo_threads import EXTRA_MEMBERS, PEOPLE, THREADS, DemoThread
from .models import Post, Reaction, Thread, ThreadSubscription

# A reply written at the very moment of seeding would look staged.
LATEST = timedelta(minutes=40)


def _workday(day: date, *, forward: bool) -> date:
    """Nobody asks on Saturday: move a date to the nearest working day."""
    while day.weekday() >= 5:
        day += timedelta(days=1 if forward else -1)
    return day


def _timeline(demo: DemoThread, now: datetime) -> list[datetime]:
    """When each post of ``demo`` was written: the question first, every
    reply later than the one before it, the last one before ``now``."""
    zone = timezone.get_current_timezone()

    def at(day: date, clock: str) -> datetime:
        return datetime.combine(day, time.fromisoformat(clock), tzinfo=zone)

    start = _workday(
        timezone.localdate(now) - timedelta(days=demo.days_ago), forward=False
    )
    moments = [at(start, demo.time)]
    for reply in demo.replies:
        day = _workday(start + timedelta(days=reply.days_after), forward=True)
        moments.append(max(at(day, reply.time), moments[-1] + timedelta(minutes=7)))
    overshoot = moments[-1] - (now - LATEST)
    if overshoot > timedelta(0):
        moments = [moment - overshoot for moment in moments]
    return moments


def _add_voices(community: CommunityPage, slug: str) -> None:
    """Grant the extra members of a small community, leaving anyone who
    already has a membership (pending, banned) as they are."""
    for user in User.objects.filter(
        email__in=[PEOPLE[key] for key in EXTRA_MEMBERS.get(slug, [])]
    ):
        if not Membership.objects.filter(community=community, user=user).exists():
            community_services.membership_grant(
                community=community, user=user, role=Membership.Role.MEMBER
            )


def _moderator_of(community: CommunityPage) -> User:
    """Who pins: the first owner or moderator of the community."""
    membership = (
        Membership.objects.filter(
            community=community,
            state=Membership.State.ACTIVE,
            role__in=[Membership.Role.OWNER, Membership.Role.MODERATOR],
        )
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return membership.user


def _write_thread(
    community: CommunityPage, demo: DemoThread, people: dict[str, User], now: datetime
) -> Thread:
    """Write one demo thread as its people would, then date it back."""
    thread = services.thread_create(
        author=people[demo.author],
        community=community,
        title=demo.title,
        body=demo.body,
        tags=list(demo.tags),
    )
    posts = [thread.opening_post]
    for reply in demo.replies:
        posts.append(
            services.post_create(
                author=people[reply.author],
                thread=thread,
                body=reply.body,
                reply_to=None if reply.reply_to is None else posts[reply.reply_to],
            )
        )
    reactions = [(0, emoji, key) for emoji, key in demo.reactions] + [
        (index, emoji, key)
        for index, reply in enumerate(demo.replies, start=1)
        for emoji, key in reply.reactions
    ]
    for index, emoji, key in reactions:
        services.reaction_add(user=people[key], post=posts[index], emoji=emoji)
    if demo.solution is not None:
        services.thread_set_solution(
            actor=people[demo.author], thread=thread, post=posts[demo.solution]
        )
    if demo.pinned:
        services.thread_moderate(
            actor=_moderator_of(community), thread=thread, pinned=True
        )
    _backdate(thread, posts, _timeline(demo, now), now)
    return thread


def _backdate(
    thread: Thread, posts: list[Post], moments: list[datetime], now: datetime
) -> None:
    """Move the thread, its posts, reactions and subscriptions to when they
    were written; a reaction comes an hour after its post."""
    for post, moment in zip(posts, moments, strict=True):
        Post.objects.filter(pk=post.pk).update(created=moment)
        Reaction.objects.filter(post=post).update(
            created=min(moment + timedelta(hours=1), now)
        )
    first_post_by = {}
    for post, moment in zip(posts, moments, strict=True):
        first_post_by.setdefault(post.author_id, moment)
    for user_id, moment in first_post_by.items():
        ThreadSubscription.objects.filter(thread=thread, user_id=user_id).update(
            created=moment
        )
    Thread.objects.filter(pk=thread.pk).update(
        created=moments[0], last_activity=moments[-1]
    )


def seed_discussions() -> str:
    """Threads, answers, reactions and solutions for every public and
    internal demo community that has no threads yet."""
    now = timezone.now()
    communities = CommunityPage.objects.filter(
        slug__in=THREADS,
        visibility__in=[Visibility.PUBLIC, Visibility.INTERNAL],
    )
    written = 0
    for community in communities:
        if Thread.objects.filter(community=community).exists():
            continue
        _add_voices(community, community.slug)
        # Fresh user objects: the permission module caches memberships on them.
        by_email = {
            user.email: user for user in User.objects.filter(email__in=PEOPLE.values())
        }
        people = {
            key: by_email[email] for key, email in PEOPLE.items() if email in by_email
        }
        for demo in THREADS[community.slug]:
            _write_thread(community, demo, people, now)
            written += 1
        latest = Thread.objects.filter(community=community).aggregate(
            latest=Max("last_activity")
        )["latest"]
        CommunityPage.objects.filter(pk=community.pk).update(last_activity=latest)
    total = Thread.objects.filter(community__slug__in=THREADS).count()
    return f"{total} Diskussionen mit Antworten und Reaktionen ({written} neu)"
