"""Test settings: the production settings with the few things a test run needs changed
(fast password hashing, email to the outbox, tasks run at once, no collected static files)."""

import os
import tempfile

os.environ.setdefault("TELLY_DATA_DIR", os.path.join(tempfile.gettempdir(), "telly-test"))
os.environ.setdefault("TELLY_SECRET_KEY", "test-secret-key-not-for-production-0123456789")

from telly.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
