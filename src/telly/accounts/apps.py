from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "telly.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from telly.accounts import panels, signals

        signals.connect()
        panels.register()
