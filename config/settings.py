"""Settings for ehcflow, read from the environment (twelve-factor).

EHCFLOW_ENV=production turns off debug, requires SECRET_KEY and ALLOWED_HOSTS, and forbids demo
accounts. Anything else is a development machine. DATABASE_URL chooses the database: a SQLite file by
default so a newcomer needs nothing installed, PostgreSQL in production and in CI.
"""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent

ENVIRONMENT = os.environ.get("EHCFLOW_ENV", "development")
PRODUCTION = ENVIRONMENT == "production"

if PRODUCTION:
    SECRET_KEY = os.environ["SECRET_KEY"]
    ALLOWED_HOSTS = [h for h in os.environ["ALLOWED_HOSTS"].split(",") if h]
    DEBUG = False
else:
    SECRET_KEY = os.environ.get("SECRET_KEY", "development-only-not-secret")
    ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
    DEBUG = os.environ.get("DEBUG", "1") == "1"

# Demo accounts with published passwords must never exist on a production deployment.
DEMO_ALLOWED = not PRODUCTION

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "simple_history",
    "rules.apps.AutodiscoverRulesConfig",
    "ninja",
    "ehcflow.core",
    "ehcflow.tenancy",
    "ehcflow.accounts",
    "ehcflow.teams",
    "ehcflow.people",
    "ehcflow.cases",
    "ehcflow.plans",
    "ehcflow.reviews",
    "ehcflow.transfers",
    "ehcflow.deadlines",
    "ehcflow.demo",
    "ehcflow.reminders",
    "ehcflow.ceasing",
    "ehcflow.moves",
    "ehcflow.appeals",
    "ehcflow.reassessment",
    "ehcflow.sen2",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "config.urls"
# Widgets render from our templates too (the GOV.UK date input).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "ehcflow" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ehcflow.core.context_processors.service",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the demo server and a management command share the file.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0
if os.environ.get("EHCFLOW_TEST_DB_NAME"):
    # Lets two test runs share one PostgreSQL server without dropping each other's test database.
    DATABASES["default"]["TEST"] = {"NAME": os.environ["EHCFLOW_TEST_DB_NAME"]}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j M Y"

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "ehcflow" / "static"]
WHITENOISE_USE_FINDERS = not PRODUCTION

# Children's records are special-category data: sessions end with the browser and after 8 hours.
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "1") == "1"
    SECURE_HSTS_SECONDS = 31536000

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# The service's name and the council brand shown in the header.
SERVICE_NAME = os.environ.get("EHCFLOW_SERVICE_NAME", "EHC casework")

# Readings of the law where it is unclear: each has the documented default and a council's lawyers may change it.
def _flag(name: str, default: bool) -> bool:
    return os.environ.get(name, "1" if default else "0").strip().lower() in ("1", "true", "yes", "on")


# Keep a plan until the family's time to appeal a decision to cease has passed (reg 31), not only while an
# appeal is pending (ehcflow.ceasing.services).
EHCFLOW_CEASE_AFTER_APPEAL_PERIOD = _flag("EHCFLOW_CEASE_AFTER_APPEAL_PERIOD", True)
# A plan issued after re-assessment restarts the 12-month review clock (CFA s.44(1); ehcflow.reassessment).
EHCFLOW_REASSESSED_PLAN_RESTARTS_REVIEW = _flag("EHCFLOW_REASSESSED_PLAN_RESTARTS_REVIEW", True)
# Days to decide on a request for re-assessment (regs 24-25 [U]: 15 days).
EHCFLOW_REASSESSMENT_DECISION_DAYS = int(os.environ.get("EHCFLOW_REASSESSMENT_DECISION_DAYS", "15"))

# Where links in emails point (no trailing slash).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Email: EMAIL_URL (smtp://user:password@host:port, smtp+tls://..., smtps://...) or EMAIL_HOST/EMAIL_PORT;
# without either, development prints emails to the console.
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "ehcflow <no-reply@localhost>")
_email_url = os.environ.get("EMAIL_URL", "")
if _email_url:
    from urllib.parse import unquote, urlparse

    _parsed = urlparse(_email_url)
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _parsed.hostname or "localhost"
    EMAIL_PORT = _parsed.port or (465 if _parsed.scheme == "smtps" else 25)
    EMAIL_HOST_USER = unquote(_parsed.username or "")
    EMAIL_HOST_PASSWORD = unquote(_parsed.password or "")
    EMAIL_USE_TLS = _parsed.scheme == "smtp+tls"
    EMAIL_USE_SSL = _parsed.scheme == "smtps"
elif os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "0") == "1"
else:
    EMAIL_BACKEND = (
        "django.core.mail.backends.smtp.EmailBackend" if PRODUCTION
        else "django.core.mail.backends.console.EmailBackend"
    )
EMAIL_TIMEOUT = 30

# Background work: the django.tasks API with its database backend (no broker). Run the worker with
# `manage.py db_worker`; tests use the immediate backend.
TASKS = {"default": {"BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}

# SEN2: where an uploaded return waits between its dry run and "Confirm import" (ehcflow.sen2.views).
SEN2_UPLOAD_DIR = os.environ.get("SEN2_UPLOAD_DIR", "")

# Reminders: how many days before a deadline the coordinator is first told.
REMINDER_DAYS_AHEAD = int(os.environ.get("REMINDER_DAYS_AHEAD", "7"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
