from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "telly.search"
    label = "search"
    verbose_name = "Search"

    def ready(self) -> None:
        from telly.search import signals

        signals.connect()
