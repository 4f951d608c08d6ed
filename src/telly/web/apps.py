from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "telly.web"
    label = "web"
    verbose_name = "Web"
