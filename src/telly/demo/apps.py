from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "telly.demo"
    label = "demo"
    verbose_name = "Demo dataset"
