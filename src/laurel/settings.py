"""Django settings for Laurel.

Everything that differs between a laptop, CI and production comes from the environment:
DATABASE_URL, LAUREL_SECRET_KEY, LAUREL_DEBUG, LAUREL_ALLOWED_HOSTS, LAUREL_TASK_BACKEND and
the security knobs below. Defaults are for the embedded SQLite demo.
"""

import base64
import hashlib
import os
import warnings
from datetime import timedelta
from pathlib import Path

import dj_database_url

SRC_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = SRC_DIR.parent
VAR_DIR = Path(os.environ.get("LAUREL_VAR_DIR", BASE_DIR / "var"))
if os.environ.get("PYTEST_XDIST_WORKER"):  # `make test` runs two pytest-xdist workers: each
    VAR_DIR = VAR_DIR / os.environ["PYTEST_XDIST_WORKER"]  # keeps its own files and SQLite file
VAR_DIR.mkdir(parents=True, exist_ok=True)  # the SQLite database and generated files live here


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


DEBUG = env_bool("LAUREL_DEBUG", True)
DEVELOPMENT_SECRET_KEY = "laurel-insecure-development-key-change-me"  # public: never production
SECRET_KEY = os.environ.get("LAUREL_SECRET_KEY", DEVELOPMENT_SECRET_KEY)
# Set by settings_production: demo accounts are then loaded only when asked for by name.
LAUREL_PRODUCTION = False
ALLOWED_HOSTS = os.environ.get("LAUREL_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "csp",
    "django_htmx",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "laurel.core",
    "laurel.orgs",
    "laurel.accounts",
    "laurel.campaigns",
    "laurel.nominations",
    "laurel.public",
    "laurel.evaluation",
    "laurel.documents",
    "laurel.registry",
    "laurel.treatment",
    "laurel.api",
    "laurel.pages",
    "laurel.site",
    "laurel.demo",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "laurel.core.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "laurel.core.middleware.AuditActorMiddleware",
    "laurel.accounts.middleware.ForcePasswordChangeMiddleware",
    "laurel.core.middleware.NoStoreMiddleware",
    # AxesMiddleware last: it turns a lockout into the Chinese lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "laurel.urls"
WSGI_APPLICATION = "laurel.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SRC_DIR / "laurel" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "laurel.pages.context_processors.navigation",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# SQLite is the embedded default; DATABASE_URL=postgres://… switches to PostgreSQL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'laurel.sqlite3'}",
        conn_max_age=env_int("LAUREL_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    )
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth -----------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "laurel.accounts.backends.PasswordBackend",
]
# Optional intranet login (laurel.accounts.ldap): the directory checks the password of an
# account that exists in Laurel; roles and units stay Laurel's. Needs `make ldap`.
LAUREL_LDAP_URL = os.environ.get("LAUREL_LDAP_URL", "")
if LAUREL_LDAP_URL:
    AUTHENTICATION_BACKENDS.insert(1, "laurel.accounts.ldap.DirectoryBackend")
    AUTH_LDAP_SERVER_URI = LAUREL_LDAP_URL
    AUTH_LDAP_USER_DN_TEMPLATE = os.environ.get(
        "LAUREL_LDAP_USER_DN_TEMPLATE", "uid=%(user)s,ou=people,dc=example,dc=org"
    )
    AUTH_LDAP_START_TLS = env_bool("LAUREL_LDAP_START_TLS", False)
    import ldap  # python-ldap, installed by `make ldap`

    # An unreachable directory fails fast, and the local password is tried next.
    AUTH_LDAP_CONNECTION_OPTIONS = {ldap.OPT_NETWORK_TIMEOUT: 5, ldap.OPT_TIMEOUT: 5}
AUTH_LDAP_NO_NEW_USERS = True  # nobody gets an account by existing in the directory
AUTH_LDAP_ALWAYS_UPDATE_USER = False  # the office keeps names and units, not the directory
LAUREL_PASSWORD_MIN_LENGTH = env_int("LAUREL_PASSWORD_MIN_LENGTH", 10)
LAUREL_PASSWORD_MIN_CLASSES = env_int("LAUREL_PASSWORD_MIN_CLASSES", 2)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "laurel.accounts.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": LAUREL_PASSWORD_MIN_LENGTH},
    },
    {
        "NAME": "laurel.accounts.password_validation.CharacterClassValidator",
        "OPTIONS": {"min_classes": LAUREL_PASSWORD_MIN_CLASSES},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "pages:inbox"
LOGOUT_REDIRECT_URL = "login"

# Lock-out after repeated failed logins (django-axes).
AXES_FAILURE_LIMIT = env_int("LAUREL_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LAUREL_LOGIN_LOCKOUT_MINUTES", 30))
# Counted per username *from one address*: an address that fails five times is locked out of
# that account, while the account's owner, elsewhere, still logs in (issue 19).
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "laurel.core.throttle.client_ip"
# Hourly caps on failed logins beside it (accounts.forms.LoginForm): from one address over all
# accounts, and of one account over all addresses.
LAUREL_LOGIN_ADDRESS_LIMIT = env_int("LAUREL_LOGIN_ADDRESS_LIMIT", 30)
# Failures of one account over all addresses: high, since whoever reaches it locks the owner out
# too (an administrator's unlock lifts it); passwords of ten characters of two kinds are not
# guessed at 100 an hour.
LAUREL_LOGIN_USER_LIMIT = env_int("LAUREL_LOGIN_USER_LIMIT", 100)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_ENABLE_ADMIN = False
AXES_VERBOSE = False

# Idle session expiry: the cookie age is renewed on every request.
SESSION_COOKIE_AGE = env_int("LAUREL_SESSION_IDLE_MINUTES", 30) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("LAUREL_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Content-Security-Policy: everything from our own origin, no inline script or style.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# The proxies in front of Laurel (nginx): only a request from one of these addresses may say
# who the client is (X-Forwarded-For). Empty: the connecting address is the client.
LAUREL_TRUSTED_PROXIES = [
    a.strip() for a in os.environ.get("LAUREL_TRUSTED_PROXIES", "").split(",") if a.strip()
]
# The cache holds the public rate limits: shared by every worker through Redis in production
# (LAUREL_CACHE_URL=redis://127.0.0.1:6379/1); one process's memory in the demo and tests.
_CACHE_URL = os.environ.get("LAUREL_CACHE_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _CACHE_URL}
        if _CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
LOCALE_PATHS = [SRC_DIR / "laurel" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static files (served locally; no CDN, ever) -----------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [SRC_DIR / "laurel" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "media/"

# --- Background tasks (django-tasks) -----------------------------------------------------------
# "immediate" in the demo and tests, "database" for production workers (manage.py db_worker).
_TASK_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}
TASKS = {
    "default": {
        "BACKEND": _TASK_BACKENDS[os.environ.get("LAUREL_TASK_BACKEND", "immediate")],
    }
}

EMAIL_BACKEND = os.environ.get(
    "LAUREL_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("LAUREL_FROM_EMAIL", "laurel@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LAUREL_LOG_LEVEL", "WARNING")},
}

# Lock-out is per account on purpose: offices sit behind one NAT address, so locking by IP
# would lock out a whole department after one colleague's typos.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]


# The office that runs this installation (shown on the login page and in page titles).
# Encryption at rest of ID numbers and phones (core.crypto). Production sets both from the
# environment: LAUREL_FIELD_KEYS (comma-separated Fernet keys, the first encrypts; generate one
# with `python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"`)
# and LAUREL_LOOKUP_KEY (any long random string). The defaults below derive development keys
# from SECRET_KEY.
def _derived_key(label: str, secret: str = SECRET_KEY) -> str:
    digest = hashlib.sha256(f"{label}:{secret}".encode()).digest()
    return base64.urlsafe_b64encode(digest).decode()


LAUREL_FIELD_KEYS = [
    key.strip()
    for key in os.environ.get("LAUREL_FIELD_KEYS", _derived_key("laurel-field")).split(",")
    if key.strip()
]
LAUREL_LOOKUP_KEY = os.environ.get("LAUREL_LOOKUP_KEY", _derived_key("laurel-lookup"))
# While the look-up key changes: the old keys (comma-separated), searched too until
# `manage.py rotate_field_keys --rehash` has rewritten every hash; then remove them.
LAUREL_OLD_LOOKUP_KEYS = [
    k.strip() for k in os.environ.get("LAUREL_OLD_LOOKUP_KEYS", "").split(",") if k.strip()
]

LAUREL_API_TOKEN_DAYS = env_int("LAUREL_API_TOKEN_DAYS", 90)
# The largest request Laurel reads (uploads: evidence 10 MB, spreadsheets 10 MB, photos 5 MB).
LAUREL_MAX_REQUEST_MB = env_int("LAUREL_MAX_REQUEST_MB", 12)
# django-rest-knox keeps each token's SHA-512 digest only; `laurel.api.authentication` applies
# LAUREL_API_TOKEN_DAYS to every token (the TTL here is knox's own default for its fields).
REST_KNOX = {"TOKEN_TTL": timedelta(days=LAUREL_API_TOKEN_DAYS), "AUTH_HEADER_PREFIX": "Token"}
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "laurel.api.authentication.ExpiringTokenAuthentication",
        "laurel.api.authentication.PasswordCheckedSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.UserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"user": os.environ.get("LAUREL_API_RATE", "6000/hour")},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Laurel 评比达标表彰管理系统接口",
    "DESCRIPTION": (
        "与页面相同的权限范围和个人信息遮盖规则。认证：请求头 Authorization: Token <令牌>。"
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI from the installed sidecar package: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "AwardKindEnum": "laurel.api.enums.AwardKind",
        "HonourKindEnum": "laurel.api.enums.HonourKind",
    },
}

LAUREL_OFFICE_NAME = os.environ.get("LAUREL_OFFICE_NAME", "吉林省人力资源和社会保障厅")
# Where citizens reach the public site: printed (and as a QR code) on every certificate.
LAUREL_PUBLIC_URL = os.environ.get("LAUREL_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")

# WhiteNoise serves collected files in production (manage.py collectstatic); in the demo and
# tests it finds them in the apps directly.
WHITENOISE_USE_FINDERS = True
warnings.filterwarnings("ignore", message="No directory at")
