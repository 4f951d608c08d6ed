from django.apps import AppConfig


class ReleasesConfig(AppConfig):
    name = "telly.releases"
    label = "releases"
    verbose_name = "Releases: status, release events, next-season estimates"
