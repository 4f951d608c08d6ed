from django.apps import AppConfig


class ListingsConfig(AppConfig):
    name = "telly.listings"
    label = "listings"
    verbose_name = "TV listings: channels, line-ups, airings"
