from django.apps import AppConfig


class NewslettersConfig(AppConfig):
    name = "telly.newsletters"
    label = "newsletters"
    verbose_name = "Newsletters"
