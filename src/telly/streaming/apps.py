from django.apps import AppConfig


class StreamingConfig(AppConfig):
    name = "telly.streaming"
    label = "streaming"
    verbose_name = "Streaming: providers, plans, platforms, offers"

    def ready(self) -> None:
        from telly.catalog.panels import Panel, home_panels, title_panels
        from telly.streaming import panels

        title_panels.register(
            Panel(
                "where-to-watch",
                "streaming/_where_to_watch.html",
                panels.where_to_watch_panel,
                order=10,
            )
        )
        home_panels.register(
            Panel(
                "streaming-new-and-leaving",
                "streaming/_home_panel.html",
                panels.home_panel,
                order=20,
            )
        )
