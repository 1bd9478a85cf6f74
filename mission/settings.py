"""Settings for Mission Portal.

Everything is configured here; deployments differ only by environment variables (see `.env.example`).
The embedded default (no variables set) is SQLite, tasks run in-process and console e-mail. DEBUG is
off unless the environment turns it on (`make run` does), so a deployment that forgets it neither shows
Django's technical error pages nor starts with the development secret key: it refuses to start.
"""

from datetime import timedelta
from pathlib import Path
from typing import Any

import django_stubs_ext
import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from mission.observability import logging_config, sentry_init

# Lets the classes that django-stubs declares generic (ModelAdmin, ModelForm, …) take their model in
# brackets at run time too, as mypy's strict mode asks (`admin.ModelAdmin[User]`).
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A local .env file is a convenience for developers; real deployments set the environment.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

_DEV_SECRET_KEY = "insecure-development-key-only-for-debug-mode"  # noqa: S105 (refused below without DEBUG)
# Without DEBUG there is no default: the web server and the worker refuse to start without a key
# (mission/startup.py), while management commands such as `makemigrations --check` still run.
SECRET_KEY = env.str("SECRET_KEY", default=_DEV_SECRET_KEY if DEBUG else "")
if not DEBUG and SECRET_KEY == _DEV_SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")

# Keys of the restricted values encrypted at rest (names of parties; mission/encryption.py), kept out of
# the database: the first encrypts, every one decrypts, so a new key goes first and the old one leaves
# after `manage.py fields_reencrypt` (docs/architecture.md). Like SECRET_KEY, no default without DEBUG.
_DEV_FIELD_ENCRYPTION_KEY = "3dSI-8T_NSXvH7h9K1oSNBV6P9D84IOcoPKDmhSSQlLtmS_g2m5wPR8gueZj2YBk1tzeFKXJhoDw0QZMV5DcDg=="
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS", default=[_DEV_FIELD_ENCRYPTION_KEY] if DEBUG else [])
if not DEBUG and _DEV_FIELD_ENCRYPTION_KEY in FIELD_ENCRYPTION_KEYS:
    raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS must not hold the development key when DEBUG is off.")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "mission.apps.MissionAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",  # the form templates, for FORM_RENDERER below
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "csp",
    "simple_history",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Cross-cutting apps of the project.
    "mission.accounts",
    "mission.audit",
    "mission.dashboards",
    "mission.reports",
    "mission.api",
    "mission.imports",
    "mission.attachments",
    "mission.calendars",
    "mission.notifications",
    "mission.health",
    "mission.backups",
    # The shared core, then the departments (which depend on it, never the reverse).
    "field_offices",
    "rights",
    "human_rights",
    "democratization",
    "public_safety",
]

MIDDLEWARE = [
    "mission.observability.RequestIdMiddleware",  # first: every later log line carries the request's id
    "mission.health.metrics.MetricsMiddleware",  # each request's time, by view (/metrics/)
    "mission.replicas.ReplicaPinMiddleware",  # read-your-writes when there are read replicas
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After sessions, language and user, so that its 400 page is the portal's, in the user's language.
    "mission.middleware.RefuseNulCharactersMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "mission.accounts.middleware.PagesForStaffOnlyMiddleware",
    "mission.accounts.middleware.NoStoreForSignedInMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a lockout signalled by the backend into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "mission.urls"
WSGI_APPLICATION = "mission.wsgi.application"
ASGI_APPLICATION = "mission.asgi.application"

# Widgets render through the templates above, so that templates/ can fix one (the admin's split
# date/time widget labels its two inputs there), and required fields carry aria-required besides the
# visible mark (mission/forms.py).
FORM_RENDERER = "mission.forms.PortalFormRenderer"

TEMPLATES = [
    {
        # Django's engine, leaving no reference cycle behind a page (mission/template_backends.py).
        "NAME": "django",
        "BACKEND": "mission.template_backends.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "mission.navigation.navigation",
                "mission.drafts.drafts",
            ],
            "builtins": ["mission.templatetags.fragments"],
        },
    },
    {
        # The hot fragments of pages, included by `{% jinja %}` (mission/jinja.py).
        "NAME": "jinja2",
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "mission.jinja.environment"},
    },
]

# --- Database ---------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Persistent connections: a connection per request costs more than most of our queries.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# PostgreSQL streaming replicas for the read-only work (dashboards, partner API lists, reports), as
# aliases replica1, replica2, … (mission/replicas.py). None: everything reads from the primary.
DATABASE_REPLICA_URLS = env.list("DATABASE_REPLICA_URLS", default=[])
for _number, _url in enumerate(DATABASE_REPLICA_URLS, start=1):
    _replica = env.db_url_config(_url)
    DATABASES[f"replica{_number}"] = {
        **_replica,
        "CONN_MAX_AGE": DATABASES["default"].get("CONN_MAX_AGE", 0),
        "CONN_HEALTH_CHECKS": True,
        # An unreachable replica must not hold a page up: the reads go to the primary instead. A
        # kept connection to a host that vanished is given up after seconds, not TCP's minutes.
        "OPTIONS": {
            "connect_timeout": 3,
            "keepalives": 1,
            "keepalives_idle": 5,
            "keepalives_interval": 2,
            "keepalives_count": 2,
            "tcp_user_timeout": 5000,
            **_replica.get("OPTIONS", {}),
        },
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["mission.replicas.ReplicaRouter"] if DATABASE_REPLICA_URLS else []
# After a browser sends a write, its read-only work reads from the primary for this long (read-your-writes).
REPLICA_PIN_SECONDS = env.int("REPLICA_PIN_SECONDS", default=30)
# A replica that did not answer is not tried again by the process for this long.
REPLICA_RETRY_SECONDS = env.int("REPLICA_RETRY_SECONDS", default=30)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts and authentication ----------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # django-axes first, so that a locked-out user is refused before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Brute-force protection: five wrong passwords get the form again; the sixth locks the account and the
# address out (each on its own) for AXES_COOLOFF_MINUTES.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=6)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"
# Behind a proxy the client address comes from X-Forwarded-For; set the number of trusted proxies.
AXES_IPWARE_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=None)
AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]

# Two-factor sign-in (TOTP, django-otp; mission/accounts/two_factor.py): required of everyone who may
# read restricted values and of administrators, optional for the others. The embedded default (DEBUG)
# leaves it optional, so the demo logins sign in with a password; anyone may still set it up there.
TWO_FACTOR_REQUIRED = env.bool("TWO_FACTOR_REQUIRED", default=not DEBUG)
# How long a correct password waits for its code before the sign-in starts again.
TWO_FACTOR_PENDING_MINUTES = env.int("TWO_FACTOR_PENDING_MINUTES", default=10)
TWO_FACTOR_RECOVERY_CODES = 10
OTP_TOTP_ISSUER = "Mission Portal"

# Database sessions whose read doubles as the connection's health check (mission/sessions.py).
SESSION_ENGINE = "mission.sessions"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)  # one working day
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Offline drafts of forms (static/js/drafts.js) are discarded from the device after this many hours.
DRAFT_MAX_AGE_HOURS = env.int("DRAFT_MAX_AGE_HOURS", default=72)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# --- Security headers ---------------------------------------------------------------------------
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
if env.bool("SECURE_PROXY_SSL_HEADER", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Our own static files only: no inline script, no inline style, nothing from another origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# --- Languages ----------------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("sq", _("Albanian")),
    ("sr-latn", _("Serbian (Latin)")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["mission.formats"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/Belgrade"  # Kosovo's time zone (CET/CEST)

# --- Static files -------------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "media/"  # never served: files are downloaded through the views that check permissions
# Uploaded and generated files (report files) are kept through STORAGES["default"]: MEDIA_ROOT on this
# machine's disk (one machine, or a file system every machine shares), or, with STORAGE_S3_BUCKET, an
# S3-compatible bucket (AWS S3, MinIO, Ceph, …; django-storages) that every machine reaches. Workers
# still write their scratch files under MEDIA_ROOT, on their own disk.


def s3_storage(bucket: str) -> dict[str, Any]:
    """STORAGES["default"] for the S3-compatible `bucket`, the rest from the STORAGE_S3_* variables."""
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": env("STORAGE_S3_ENDPOINT_URL", default="") or None,  # unset: AWS itself
            "region_name": env("STORAGE_S3_REGION", default="") or None,
            # Unset: boto3 finds credentials itself (an instance role, AWS_* variables, ~/.aws).
            "access_key": env("STORAGE_S3_ACCESS_KEY", default="") or None,
            "secret_key": env("STORAGE_S3_SECRET_KEY", default="") or None,
            "location": env("STORAGE_S3_PREFIX", default=""),  # a folder of the bucket, if it is shared
            "addressing_style": env("STORAGE_S3_ADDRESSING_STYLE", default="") or None,  # "path" for MinIO
            "file_overwrite": False,  # a new name rather than replacing another job's file
            "default_acl": None,  # the bucket's policy: private
            "querystring_auth": True,  # no public URLs (none is handed out anyway)
        },
    }


STORAGE_S3_BUCKET = env("STORAGE_S3_BUCKET", default="")
if STORAGE_S3_BUCKET:
    STORAGES["default"] = s3_storage(STORAGE_S3_BUCKET)
# Files on records (mission.attachments): the largest upload kept, what an office document may unpack
# to while it is checked, and, behind nginx, the `internal` location that serves files the portal has
# checked (X-Accel-Redirect; files stored on this disk and not encrypted: docs/deployment.md).
ATTACHMENT_MAX_MB = env.float("ATTACHMENT_MAX_MB", default=20)
ATTACHMENT_MAX_UNPACKED_MB = env.float("ATTACHMENT_MAX_UNPACKED_MB", default=200)
ATTACHMENT_X_ACCEL_PREFIX = env.str("ATTACHMENT_X_ACCEL_PREFIX", default="")
if ATTACHMENT_MAX_MB <= 0 or ATTACHMENT_MAX_UNPACKED_MB < ATTACHMENT_MAX_MB:
    raise ImproperlyConfigured("ATTACHMENT_MAX_MB must be positive and ATTACHMENT_MAX_UNPACKED_MB at least as large.")
# Where `manage.py backup` writes (docs/deployment.md, "Backups"): on another disk, copied off the machine.
BACKUP_DIR = env.path("BACKUP_DIR", default=BASE_DIR / "var" / "backups")

# --- E-mail -------------------------------------------------------------------------------------
# The portal's address as people reach it, for links in e-mails sent by workers (no request to ask).
PORTAL_BASE_URL = env.str("PORTAL_BASE_URL", default="http://127.0.0.1:8000")
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
if EMAIL_BACKEND.endswith("filebased.EmailBackend"):
    EMAIL_FILE_PATH = env.path("EMAIL_FILE_PATH", default=BASE_DIR / "var" / "mail")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Mission Portal <portal@localhost>")

# --- Reports ------------------------------------------------------------------------------------
# A report job gets this long (seconds) before Celery stops it; a running job that has shown no sign
# of life for REPORTS_STALE_SECONDS is taken for dead and run again (at most REPORTS_MAX_ATTEMPTS
# times); a queued job not started after REPORTS_REQUEUE_SECONDS is queued again; files are removed
# after REPORTS_RETENTION_DAYS. A running job beats every quarter of REPORTS_STALE_SECONDS, and beat
# sweeps every REPORTS_SWEEP_SECONDS: a job whose worker vanished is running again within the sum
# (a minute by default).
REPORTS_SOFT_TIME_LIMIT = env.int("REPORTS_SOFT_TIME_LIMIT", default=60 * 60)
REPORTS_STALE_SECONDS = env.int("REPORTS_STALE_SECONDS", default=45)
REPORTS_SWEEP_SECONDS = env.int("REPORTS_SWEEP_SECONDS", default=15)
if REPORTS_SWEEP_SECONDS < 1:
    raise ImproperlyConfigured("REPORTS_SWEEP_SECONDS must be 1 or more.")
REPORTS_REQUEUE_SECONDS = env.int("REPORTS_REQUEUE_SECONDS", default=2 * 60)
REPORTS_MAX_ATTEMPTS = env.int("REPORTS_MAX_ATTEMPTS", default=3)
REPORTS_RETENTION_DAYS = env.int("REPORTS_RETENTION_DAYS", default=30)

# Spreadsheet imports (mission.imports): the largest file and the most rows one reads, and how long a
# file read for a dry run waits for its confirmation.
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=5 * 1024 * 1024)
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=5000)
IMPORT_PENDING_HOURS = env.int("IMPORT_PENDING_HOURS", default=24)
# A file of more rows than this is checked and applied by a job, its progress shown, not in the request.
IMPORT_JOB_ROWS = env.int("IMPORT_JOB_ROWS", default=500)

# A community safety forum functions when it met at least this many times in the last six months.
PUBLIC_SAFETY_FORUM_MEETINGS = env.int("PUBLIC_SAFETY_FORUM_MEETINGS", default=2)
# The days a court has to decide on a request for an emergency protection order and for a protection
# order in a case of domestic violence (Law No. 03/L-182: 24 hours and 15 days; check the law in force).
GBV_EMERGENCY_ORDER_DAYS = env.int("GBV_EMERGENCY_ORDER_DAYS", default=1)
GBV_PROTECTION_ORDER_DAYS = env.int("GBV_PROTECTION_ORDER_DAYS", default=15)
# Seconds of pause at each progress step: only for failure drills and tests, never in production.
REPORTS_DRILL_DELAY = env.float("REPORTS_DRILL_DELAY", default=0.0)

# --- Celery -------------------------------------------------------------------------------------
# REDIS_URL unset: tasks run in-process (the embedded default needs no server).
# REDIS_URL set: tasks go to the broker and a real worker runs them.
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "memory://")
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not (REDIS_URL or env.str("CELERY_BROKER_URL", default=""))
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
# A web request that enqueues must not hang when the broker is away: fail fast instead.
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_timeout": 3,
    "socket_connect_timeout": 3,
    "max_retries": 1,
    # Longer than the longest job, so an unacknowledged job is redelivered only after its worker died.
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=4 * 60 * 60),
}
REPORTS_DRILL = env.bool("REPORTS_DRILL", default=False)  # failure drills may shorten the visibility timeout
if CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] <= REPORTS_SOFT_TIME_LIMIT + 120 and not REPORTS_DRILL:
    raise ImproperlyConfigured("CELERY_VISIBILITY_TIMEOUT must be longer than the longest report job.")
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.5}

# --- Health checks (mission/health) --------------------------------------------------------------
# Beat sends the heartbeat task this often; /readyz/ calls a worker or beat not seen for
# HEALTH_STALE_SECONDS stopped. HEALTH_READYZ_TOKEN (a Bearer token) lets monitoring read /readyz/'s
# detail; without it only signed-in administrators do.
HEALTH_HEARTBEAT_SECONDS = env.int("HEALTH_HEARTBEAT_SECONDS", default=60)
HEALTH_STALE_SECONDS = env.int("HEALTH_STALE_SECONDS", default=3 * HEALTH_HEARTBEAT_SECONDS)
if not 0 < HEALTH_HEARTBEAT_SECONDS < HEALTH_STALE_SECONDS:
    raise ImproperlyConfigured("HEALTH_STALE_SECONDS must be longer than HEALTH_HEARTBEAT_SECONDS (both above 0).")
HEALTH_READYZ_TOKEN = env.str("HEALTH_READYZ_TOKEN", default="")
HEALTH_REDIS_TIMEOUT_SECONDS = 0.5
# /metrics/ (Prometheus's format) for a monitoring system holding this Bearer token; without it,
# administrators only.
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")

# --- Dashboards ----------------------------------------------------------------------------------
# The dashboards read summary tables; Celery beat rebuilds the parts that services marked as changed
# this often, and everything every night at DASHBOARD_REBUILD_HOUR:15 (the repair of changes made
# without a service). With tasks in-process (no broker), a dashboard applies the changes itself.
DASHBOARD_REFRESH_MINUTES = env.int("DASHBOARD_REFRESH_MINUTES", default=1)
if DASHBOARD_REFRESH_MINUTES < 1:
    raise ImproperlyConfigured("DASHBOARD_REFRESH_MINUTES must be 1 or more.")
DASHBOARD_REBUILD_HOUR = env.int("DASHBOARD_REBUILD_HOUR", default=3)
if not 0 <= DASHBOARD_REBUILD_HOUR <= 23:
    raise ImproperlyConfigured("DASHBOARD_REBUILD_HOUR must be an hour of the day, 0 to 23.")
CELERY_BEAT_SCHEDULE = {
    "refresh-changed-dashboard-summaries": {
        "task": "mission.dashboards.tasks.refresh_changed_summaries",
        "schedule": DASHBOARD_REFRESH_MINUTES * 60,
        "options": {"expires": DASHBOARD_REFRESH_MINUTES * 60},  # a late run is replaced by the next one
    },
    "rebuild-dashboard-summaries": {
        "task": "mission.dashboards.tasks.refresh_summaries",
        "schedule": crontab(hour=DASHBOARD_REBUILD_HOUR, minute=15),
    },
    "sweep-reports": {
        "task": "mission.reports.tasks.sweep_reports",
        "schedule": REPORTS_SWEEP_SECONDS,
        "options": {"expires": REPORTS_SWEEP_SECONDS},  # a late sweep is replaced by the next one
    },
    "clean-up-reports": {"task": "mission.reports.tasks.cleanup_reports", "schedule": crontab(hour=3, minute=30)},
    # The monthly trial-monitoring report per region, on the first of the month for the month before.
    "monthly-reports": {
        "task": "mission.reports.tasks.schedule_monthly_reports",
        "schedule": crontab(day_of_month=1, hour=6, minute=0),
    },
}

# --- Retention ----------------------------------------------------------------------------------
# Days each kind of data is kept before `retention_purge` (beat, nightly; or `manage.py retention_purge`)
# deletes or anonymises it; 0 keeps it for ever (docs/architecture.md, "Retention").
RETENTION_API_REQUEST_LOG_DAYS = env.int("RETENTION_API_REQUEST_LOG_DAYS", default=90)
RETENTION_SIGN_IN_LOG_DAYS = env.int("RETENTION_SIGN_IN_LOG_DAYS", default=90)
RETENTION_PENDING_IMPORTS_DAYS = env.int("RETENTION_PENDING_IMPORTS_DAYS", default=2)
RETENTION_ACCESS_LOG_DAYS = env.int("RETENTION_ACCESS_LOG_DAYS", default=2 * 365)
RETENTION_HISTORY_DAYS = env.int("RETENTION_HISTORY_DAYS", default=5 * 365)
RETENTION_PARTY_NAMES_DAYS = env.int("RETENTION_PARTY_NAMES_DAYS", default=5 * 365)
RETENTION_RESTRICTED_FILES_DAYS = env.int("RETENTION_RESTRICTED_FILES_DAYS", default=5 * 365)
RETENTION_FORM_TOKENS_DAYS = env.int("RETENTION_FORM_TOKENS_DAYS", default=7)
for _name in [n for n in dir() if n.startswith("RETENTION_")]:
    if globals()[_name] < 0:
        raise ImproperlyConfigured(f"{_name} must be 0 (keep for ever) or a number of days.")
# The declared records' flag rules that time alone makes true (mission.records.flags), checked nightly.
CELERY_IMPORTS = ("mission.records.tasks",)
# Queues, each with workers of its own (docs/deployment.md, "Workers and queues"): a long report never
# delays a password-reset mail or the summaries' refresh. Everything else goes to "celery".
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_QUEUES_IN_USE = ("celery", "reports", "summaries", "mail")
CELERY_TASK_ROUTES = {
    "mission.reports.tasks.run_report": {"queue": "reports"},
    "mission.dashboards.tasks.*": {"queue": "summaries"},
    "mission.accounts.tasks.*": {"queue": "mail"},
    "mission.notifications.tasks.*": {"queue": "mail"},
}
METRICS_QUEUES = CELERY_QUEUES_IN_USE  # whose waiting tasks /metrics/ counts
# A heartbeat to every queue: /readyz/ knows a queue whose workers have stopped.
for _queue in CELERY_QUEUES_IN_USE:
    CELERY_BEAT_SCHEDULE[f"heartbeat-{_queue}"] = {
        "task": "mission.health.tasks.heartbeat",
        "schedule": HEALTH_HEARTBEAT_SECONDS,
        "args": (_queue,),
        "options": {"queue": _queue},
    }
CELERY_BEAT_SCHEDULE["sweep-record-flags"] = {
    "task": "mission.records.tasks.sweep_record_flags",
    "schedule": crontab(hour=DASHBOARD_REBUILD_HOUR, minute=45),
}
CELERY_BEAT_SCHEDULE["notifications-morning"] = {  # reminders for the day, then the digests
    "task": "mission.notifications.tasks.notifications_morning_task",
    "schedule": crontab(hour=7, minute=0),
}
CELERY_BEAT_SCHEDULE["retention-purge"] = {
    "task": "mission.audit.tasks.retention_purge",
    "schedule": crontab(hour=2, minute=30),
}

# --- REST API ------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "mission.api.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["mission.api.renderers.ORJSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "mission.api.exceptions.api_exception_handler",
    "DEFAULT_THROTTLE_RATES": {
        "token": env.str("API_THROTTLE_RATE", default="3600/hour"),
        # Requests with a bad or missing token, per client address: each beyond it is a 429 and no log row.
        "unauthenticated": env.str("API_UNAUTHENTICATED_THROTTLE_RATE", default="60/hour"),
    },
    # The client's address behind TRUSTED_PROXY_COUNT proxies; none: the connection's (X-Forwarded-For,
    # which anyone can send, is then ignored).
    "NUM_PROXIES": AXES_IPWARE_PROXY_COUNT or 0,
    "UNAUTHENTICATED_USER": None,
}
# Aggregates: a count below this is sent as suppressed, never as the number.
API_SMALL_CELL_THRESHOLD = env.int("API_SMALL_CELL_THRESHOLD", default=5)
# The key of partners' pseudonymous identifiers (mission/api/identifiers.py). Defaults to SECRET_KEY;
# set it on its own so rotating SECRET_KEY does not change every identifier partners hold.
API_IDENTIFIER_KEY = env.str("API_IDENTIFIER_KEY", default="") or SECRET_KEY
SPECTACULAR_SETTINGS = {
    "TITLE": "Mission Portal API",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # One name for the review status (mission.review.models.ReviewStatus, listed as the API writes
    # it: codes), whichever department's record carries it.
    "ENUM_NAME_OVERRIDES": {
        "ReviewStatusEnum": ["draft", "submitted", "returned", "approved"],
        "SexEnum": ["female", "male", "unknown"],  # a person's, a claimant's, a victim's: one choice set
    },
    "DESCRIPTION": (BASE_DIR / "docs" / "api-intro.md").read_text(encoding="utf-8"),
}
# Throttling counts per token across all workers when Redis is there; per process otherwise. A Redis
# that is down or hung costs a request at most REDIS_CACHE_TIMEOUT_SECONDS, once per
# REDIS_CACHE_RETRY_SECONDS per process; meanwhile the count is per process (mission/cache.py).
REDIS_CACHE_TIMEOUT_SECONDS = env.float("REDIS_CACHE_TIMEOUT_SECONDS", default=0.25)
REDIS_CACHE_RETRY_SECONDS = env.float("REDIS_CACHE_RETRY_SECONDS", default=30.0)
if not 0 < REDIS_CACHE_TIMEOUT_SECONDS <= 1:
    raise ImproperlyConfigured("REDIS_CACHE_TIMEOUT_SECONDS must be more than 0 and at most 1.")
CACHES = {
    "default": {
        "BACKEND": "mission.cache.ResilientRedisCache",
        "LOCATION": REDIS_URL,
        "OPTIONS": {
            "socket_timeout": REDIS_CACHE_TIMEOUT_SECONDS,
            "socket_connect_timeout": REDIS_CACHE_TIMEOUT_SECONDS,
            "retry_seconds": REDIS_CACHE_RETRY_SECONDS,
        },
    }
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}

# --- Logging ------------------------------------------------------------------------------------
# Text lines by default; LOG_FORMAT=json writes one JSON object per line for a log collector. Every
# line carries the request's id (mission/observability.py).
LOG_FORMAT = env.str("LOG_FORMAT", default="text")
if LOG_FORMAT not in ("text", "json"):
    raise ImproperlyConfigured("LOG_FORMAT must be text or json.")
LOGGING = logging_config(level=env.str("LOG_LEVEL", default="INFO"), json=LOG_FORMAT == "json")
# Errors of the web processes and workers go to Sentry when a DSN is set, without personal data.
SENTRY_DSN = env.str("SENTRY_DSN", default="")
SENTRY_ENVIRONMENT = env.str("SENTRY_ENVIRONMENT", default="production")
if SENTRY_DSN:
    sentry_init(SENTRY_DSN, environment=SENTRY_ENVIRONMENT, release=env.str("SENTRY_RELEASE", default=""))

# --- Mission Portal -----------------------------------------------------------------------------
# Demo logins are created only where this is on (the embedded default).
DEMO_DATA_ALLOWED = env.bool("DEMO_DATA_ALLOWED", default=DEBUG)
