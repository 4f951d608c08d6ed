from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "telly.accounts"
    label = "accounts"
    verbose_name = "Accounts"
