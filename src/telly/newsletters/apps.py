from django.apps import AppConfig


class NewslettersConfig(AppConfig):
    name = "telly.newsletters"
    label = "newsletters"
    verbose_name = "Newsletters"

    def ready(self) -> None:
        from telly.accounts import privacy
        from telly.catalog.panels import Panel, title_panels
        from telly.newsletters.panels import title_signup
        from telly.newsletters.privacy import erase_newsletters, export_newsletters

        privacy.exporters.append(export_newsletters)
        privacy.erasers.append(erase_newsletters)

        title_panels.register(
            Panel("newsletter-signup", "newsletters/_title_panel.html", title_signup, order=90)
        )
