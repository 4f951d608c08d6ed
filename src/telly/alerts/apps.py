from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "telly.alerts"
    label = "alerts"
    verbose_name = "Alerts and personal feeds"
