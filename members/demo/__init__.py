"""Demo data: a registry of seeders that ``seed_demo`` runs in order.

Each app registers a function that creates its demo content idempotently and
returns a line for the command's output. Members come first; later apps
(communities, discussions …) register theirs in ``AppConfig.ready``.
"""

from collections.abc import Callable

_seeders: list[tuple[int, Callable[[], str]]] = []


def register_seeder(order: int, seeder: Callable[[], str]) -> None:
    if all(existing is not seeder for _order, existing in _seeders):
        _seeders.append((order, seeder))


def run_seeders() -> list[str]:
    from .people import seed_people

    register_seeder(10, seed_people)
    return [seeder() for _order, seeder in sorted(_seeders, key=lambda item: item[0])]
