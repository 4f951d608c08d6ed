from django.apps import AppConfig


class ImportersConfig(AppConfig):
    name = "telly.importers"
    label = "importers"
    verbose_name = "Importers"
