from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "telly.alerts"
    label = "alerts"
    verbose_name = "Alerts and personal feeds"

    def ready(self) -> None:
        from telly.accounts import privacy
        from telly.alerts import receivers
        from telly.alerts.privacy import export_alerts

        receivers.connect()
        privacy.exporters.append(export_alerts)
