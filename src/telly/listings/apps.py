from django.apps import AppConfig


class ListingsConfig(AppConfig):
    name = "telly.listings"
    label = "listings"
    verbose_name = "TV listings: channels, line-ups, airings"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from telly.catalog.panels import Panel, home_panels, title_panels
        from telly.listings.models import Channel, Lineup
        from telly.listings.panels import on_tv, tonights_picks
        from telly.listings.queries import forget_channel_lists

        for model in (Channel, Lineup):
            post_save.connect(forget_channel_lists, sender=model, dispatch_uid=f"guide-{model}")
            post_delete.connect(forget_channel_lists, sender=model, dispatch_uid=f"gone-{model}")

        title_panels.register(Panel("on-tv", "listings/_title_panel.html", on_tv, order=20))
        home_panels.register(
            Panel("tonights-picks", "listings/_home_panel.html", tonights_picks, order=10)
        )
