"""Settings for benchmark runs: the portal's own settings, production-like (DEBUG off), plus one bare
view used as a baseline. Only `bench/` uses this module."""

import os

os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-not-used-anywhere-else-0123456789")
# The key of the encrypted names (mission/encryption.py), for benchmarks only.
os.environ.setdefault(
    "FIELD_ENCRYPTION_KEYS", "_X4Non8wxSKQB8_fJsDLSKTtnc0tu7kM4KnrPVUZG2e3AbQhy63TaB-xuXL7J0N5LgO7nEAjWviNuO1h8xVVdA=="
)
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SECURE_COOKIES", "false")
os.environ.setdefault("SECURE_HSTS_SECONDS", "0")
os.environ.setdefault("LOG_LEVEL", "WARNING")

from mission.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
# Static files are not what we measure; keep the plain storage so no manifest is needed.
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # logins are not what we measure
AXES_ENABLED = False  # the load generator signs in once per worker; lockout is tested elsewhere
# The benchmarks sign in once per user with a password; the second factor is not what they measure
# (it costs nothing after sign-in: no middleware, no query per request).
TWO_FACTOR_REQUIRED = False
