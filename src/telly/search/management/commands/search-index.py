"""``telly search-index``: show the search index's state; ``--rebuild`` builds it anew."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from telly.search import live
from telly.search.models import IndexChange, IndexState


class Command(BaseCommand):
    help = "Show the search index's state, or rebuild it from the database (--rebuild)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--rebuild", action="store_true", help="Build the whole index again (repairs)."
        )

    def handle(self, *args: Any, rebuild: bool, **options: Any) -> None:
        if rebuild:
            state = live.rebuild()
            self.stdout.write(
                self.style.SUCCESS(
                    f"Search index built: {state.documents} documents in {state.build_seconds:.1f}s "
                    f"({live.index_path(state.generation)})."
                )
            )
            return
        state = IndexState.objects.filter(pk=live.STATE_PK).first()
        if state is None or not state.generation:
            self.stdout.write(
                "The search index has not been built yet; the first search builds it (or run --rebuild)."
            )
            return
        pending = IndexChange.objects.filter(id__gt=state.change_seq).count()
        path = live.index_path(state.generation)
        self.stdout.write(
            f"generation {state.generation}: {state.documents} documents, built {state.built_at:%Y-%m-%d %H:%M} UTC "
            f"in {state.build_seconds:.1f}s; {pending} change(s) since; file {path}"
            f"{'' if path.exists() else ' (missing here: the next search rebuilds it)'}"
        )
