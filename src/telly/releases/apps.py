from django.apps import AppConfig


class ReleasesConfig(AppConfig):
    name = "telly.releases"
    label = "releases"
    verbose_name = "Releases: status, release events, next-season estimates"

    def ready(self) -> None:
        from telly.catalog.panels import Panel, title_panels
        from telly.releases import panels, receivers

        receivers.connect()
        title_panels.register(
            Panel("release-dates", "releases/_title_panel.html", panels.title_panel, order=15)
        )
