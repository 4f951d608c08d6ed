from django.apps import AppConfig


class StreamingConfig(AppConfig):
    name = "telly.streaming"
    label = "streaming"
    verbose_name = "Streaming: providers, plans, platforms, offers"
