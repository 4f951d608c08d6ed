from django.apps import AppConfig


class EditorialConfig(AppConfig):
    name = "telly.editorial"
    label = "editorial"
    verbose_name = "Editorial"

    def ready(self) -> None:
        from telly.catalog.panels import Panel, home_panels, person_panels, title_panels
        from telly.editorial import panels

        title_panels.register(
            Panel("coverage", "editorial/_coverage_panel.html", panels.title_coverage, order=30)
        )
        person_panels.register(
            Panel("coverage", "editorial/_coverage_panel.html", panels.person_coverage, order=30)
        )
        home_panels.register(
            Panel("magazine", "editorial/_home_panel.html", panels.latest, order=40)
        )
