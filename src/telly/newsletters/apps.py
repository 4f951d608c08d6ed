from django.apps import AppConfig


class NewslettersConfig(AppConfig):
    name = "telly.newsletters"
    label = "newsletters"
    verbose_name = "Newsletters"

    def ready(self) -> None:
        from telly.catalog.panels import Panel, title_panels
        from telly.newsletters.panels import title_signup

        title_panels.register(
            Panel("newsletter-signup", "newsletters/_title_panel.html", title_signup, order=90)
        )
