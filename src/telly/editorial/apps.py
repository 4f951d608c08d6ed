from django.apps import AppConfig


class EditorialConfig(AppConfig):
    name = "telly.editorial"
    label = "editorial"
    verbose_name = "Editorial"
