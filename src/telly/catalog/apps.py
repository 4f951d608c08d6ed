from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "telly.catalog"
    label = "catalog"
    verbose_name = "Catalogue: titles, seasons, episodes, people, credits, genres, external ids"
