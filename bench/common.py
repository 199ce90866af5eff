"""What the benchmarks in bench/ share: their own database (a SQLite file or
a PostgreSQL database next to the server's), Django set up on it with
``bench/urls.py``, the generated data reused or created, timed requests
against a floor view, and ``out()`` for the figures.

Imported by the scripts and, through them, by ``bench.urls``: nothing at
module level may need Django set up. Not a benchmark itself.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
import warnings
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent
PG_BENCH_DATABASE = "kommunect_bench"
KEPT_DIRECTORY = Path(tempfile.gettempdir()) / "kommunect-bench"
BENCH_EMAIL = "leserin@bench.example"


def out(line: str = "") -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def arguments(doc: str, requests: int, warmup: int) -> argparse.ArgumentParser:
    """The options every benchmark takes: ``--keep``, ``--requests``,
    ``--warmup`` (with these defaults)."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep the generated database and reuse it next time",
    )
    parser.add_argument("--requests", type=int, default=requests)
    parser.add_argument("--warmup", type=int, default=warmup)
    return parser


# --- the database ------------------------------------------------------------


def bench_database_url(name: str, keep: bool) -> tuple[str, str | None]:
    """The URL of the bench database and, for a throwaway SQLite file, its
    directory (to remove afterwards). ``name`` names the SQLite file."""
    given = os.environ.get("DATABASE_URL", "")
    if not given:
        if keep:
            KEPT_DIRECTORY.mkdir(parents=True, exist_ok=True)
            return f"sqlite:///{KEPT_DIRECTORY / f'{name}.sqlite3'}", None
        directory = tempfile.mkdtemp(prefix="kommunect-bench-")
        return f"sqlite:///{directory}/{name}.sqlite3", directory
    parts = urlsplit(given)
    if parts.scheme not in {"postgres", "postgresql"}:
        sys.exit(
            f"DATABASE_URL: only postgres:// is supported here, not {parts.scheme}"
        )
    if parts.path.strip("/") == PG_BENCH_DATABASE:
        sys.exit(f"DATABASE_URL: give the server's database, not {PG_BENCH_DATABASE}")
    # Never the database of DATABASE_URL itself: a database of our own next
    # to it, which the run may drop and recreate.
    return urlunsplit(parts._replace(path=f"/{PG_BENCH_DATABASE}")), None


def drop_postgres(admin_url: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{PG_BENCH_DATABASE}"')


def prepare_postgres(admin_url: str, keep: bool) -> None:
    """Create ``kommunect_bench`` (afresh unless ``keep``), connected as the
    user of DATABASE_URL to its database."""
    import psycopg

    try:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            exists = admin.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [PG_BENCH_DATABASE]
            ).fetchone()
            if exists and not keep:
                admin.execute(f'DROP DATABASE "{PG_BENCH_DATABASE}"')
                exists = None
            if not exists:
                admin.execute(f'CREATE DATABASE "{PG_BENCH_DATABASE}"')
    except psycopg.Error as error:
        sys.exit(f"PostgreSQL: {error}")


def setup_django(database_url: str) -> None:
    if str(BASE_DIR) not in sys.path:
        sys.path[0:0] = [str(BASE_DIR)]
    # Test settings: DEBUG off (no query log), plain static files storage and
    # "testserver" allowed for django.test.Client.
    os.environ["DJANGO_SETTINGS_MODULE"] = "kommunect.settings.test"
    os.environ["DATABASE_URL"] = database_url
    import django

    django.setup()
    # Static files are served by the finders here, as in the tests.
    warnings.filterwarnings("ignore", "No directory at", UserWarning)
    from django.conf import settings

    settings.ROOT_URLCONF = "bench.urls"


@contextmanager
def bench_database(name: str, keep: bool):
    """Django set up on the bench database; yields its URL. Afterwards the
    database is removed unless ``keep``."""
    admin_url = os.environ.get("DATABASE_URL", "")
    database_url, throwaway = bench_database_url(name, keep)
    if admin_url:
        prepare_postgres(admin_url, keep)
    setup_django(database_url)

    from django.db import connections

    try:
        yield database_url
    finally:
        connections.close_all()
        if throwaway:
            for path in Path(throwaway).iterdir():
                path.unlink()
            os.rmdir(throwaway)
        elif admin_url and not keep:
            drop_postgres(admin_url)


def migrate_and_generate(database_url: str, slug: str, generate, what: str) -> None:
    """Migrate; then reuse the data when the community ``slug`` exists, else
    ``generate()`` it and say how long that took (``what`` was generated)."""
    from django.core.management import call_command

    from communities.models import CommunityPage

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    if CommunityPage.objects.filter(slug=slug).exists():
        out(f"Reusing the generated data in {database_url}")
    else:
        generate()
        out(
            f"Generated {what} in {time.perf_counter() - started:.0f} s "
            f"({database_url})"
        )


# --- the data ----------------------------------------------------------------


def bench_people(organisations, count: int):
    """``count`` people of the ``organisations`` (in turn); the first is the
    reader who requests the pages (``BENCH_EMAIL``)."""
    from members.models import User

    return User.objects.bulk_create(
        User(
            email=BENCH_EMAIL if n == 0 else f"person{n}@bench.example",
            display_name=f"Person {n}",
            organisation=organisations[n % len(organisations)],
            password="!",
        )
        for n in range(count)
    )


def internal_community(slug: str, title: str, description: str, owner):
    """An internal community below the directory, with ``owner`` as its
    owner (through the service, as in production)."""
    from communities import services as community_services
    from communities.models import (
        CommunityIndexPage,
        CommunityPage,
        Membership,
        Visibility,
    )

    community = CommunityPage(
        slug=slug,
        title=title,
        description=description,
        intro="Daten für den Benchmark.",
        visibility=Visibility.INTERNAL,
    )
    CommunityIndexPage.objects.first().add_child(instance=community)
    community_services.membership_grant(
        community=community, user=owner, role=Membership.Role.OWNER
    )
    return community


# --- the measurement ---------------------------------------------------------


@cache
def floor_template(source: str):
    from django.template import engines

    return engines["django"].from_string(source)


def median_ms(function, runs: int, warmup: int = 1) -> float:
    """Median milliseconds of ``runs`` calls of ``function`` after ``warmup``
    calls."""
    for _ in range(warmup):
        function()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def timed(client, url: str, warmup: int, requests: int) -> tuple[float, int, int]:
    """Median milliseconds of ``requests`` GETs after ``warmup`` ones, the
    status code and the number of queries of one request."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(warmup):
        client.get(url)
    with CaptureQueriesContext(connection) as captured:
        status = client.get(url).status_code
    # Counted now: the next request clears the connection's query log.
    queries = len(captured)
    return median_ms(lambda: client.get(url), requests, warmup=0), status, queries


def reader_client():
    """A ``django.test.Client`` logged in as the reader (``BENCH_EMAIL``)."""
    from django.test import Client

    from members.models import User

    client = Client()
    client.force_login(User.objects.get(email=BENCH_EMAIL))
    return client


def table_header(header: str) -> None:
    out(header)
    out("-" * len(header))


def against_floor(client, label, url, floor_url, warmup, requests, width):
    """``(real ms, floor ms, real queries, floor queries)`` of ``url`` and its
    floor; None, with a line that says so, unless both answer 200."""
    real_ms, status, real_queries = timed(client, url, warmup, requests)
    floor_ms, floor_status, floor_queries = timed(client, floor_url, warmup, requests)
    if status != 200 or floor_status != 200:
        out(f"{label:<{width}} HTTP {status} (floor: HTTP {floor_status}) {url}")
        return None
    return real_ms, floor_ms, real_queries, floor_queries


if __name__ == "__main__":
    out("bench/common.py holds what the benchmarks share; it measures nothing.")
