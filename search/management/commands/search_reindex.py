"""``manage.py search_reindex``: build the index from the database.

Every kind (or those named with ``--kind``), in batches of ``--batch-size``,
with a progress bar; ``--clear`` empties the index first (else documents are
replaced one by one and those no longer searchable removed)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from search.documents import SOURCES
from search.indexing import write_backends


class Command(BaseCommand):
    help = "Baut den Suchindex aus der Datenbank neu auf."

    def add_arguments(self, parser):
        parser.add_argument(
            "--kind",
            action="append",
            choices=sorted(SOURCES),
            help="Nur diese Art (mehrfach möglich).",
        )
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument(
            "--clear", action="store_true", help="Den Index vorher leeren."
        )
        parser.add_argument(
            "--no-progress",
            action="store_true",
            help="Keinen Fortschrittsbalken zeigen.",
        )

    def handle(
        self,
        *args,
        kind=None,
        batch_size=500,
        clear=False,
        no_progress=False,
        **options,
    ):
        if batch_size < 1 or batch_size > 10_000:
            raise CommandError("--batch-size muss zwischen 1 und 10000 liegen.")
        backends = write_backends()
        if clear:
            for backend in backends:
                backend.clear()
        kinds = kind or list(SOURCES)
        started = time.monotonic()
        done = 0
        for name in kinds:
            source = SOURCES[name]
            total = source.objects().count()
            indexed = removed = 0
            batch, removals = [], []

            def flush():
                nonlocal batch, removals
                for backend in backends:
                    backend.index(batch)
                    if removals:
                        backend.remove(removals)
                batch, removals = [], []

            for position, (key, document) in enumerate(source.documents(), start=1):
                if document is None:
                    removals.append(key)
                    removed += 1
                else:
                    batch.append(document)
                    indexed += 1
                if len(batch) + len(removals) >= batch_size:
                    flush()
                    self._progress(name, position, total, no_progress)
            flush()
            self._progress(name, total, total, no_progress, end=True)
            done += indexed
            self.stdout.write(
                f"{name}: {indexed} im Index, {removed} ohne eigenen Eintrag"
            )
        seconds = time.monotonic() - started
        rate = done / seconds if seconds else done
        self.stdout.write(
            self.style.SUCCESS(
                f"Fertig: {done} Dokumente in {seconds:.1f} s ({rate:.0f}/s)."
            )
        )

    def _progress(self, name, position, total, hidden, end=False):
        if hidden:
            return
        width = 30
        share = position / total if total else 1
        bar = "#" * int(share * width)
        self.stderr.write(
            f"\r{name:<10} [{bar:<{width}}] {position}/{total}",
            ending="\n" if end else "",
        )
        self.stderr.flush()
