from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "telly.api"
    label = "api"
    verbose_name = "API"
