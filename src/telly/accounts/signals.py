"""Every new user gets a profile at once (sign-up, admin, ``create_user``)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models.signals import post_save

from telly.accounts.models import Profile


def make_profile(
    sender: Any, instance: Any, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    if created and not raw:
        Profile.objects.get_or_create(user=instance)


def connect() -> None:
    post_save.connect(make_profile, sender=get_user_model(), dispatch_uid="accounts.make_profile")
