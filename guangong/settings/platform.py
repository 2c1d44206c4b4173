"""Guangong's own settings: how long jobs and their files are kept, backups, and the limits of
people, activities, care cases and the help desk. Each is read from the environment variable it
names, with the default shown; README.md lists them."""

from pathlib import Path

from .env import PRODUCTION, VAR_DIR, env_bool, env_int, env_str

# --- Jobs -----------------------------------------------------------------------------------
# Hours an import's uploaded file (and the file with its errors marked) is kept at most; the
# upload goes as soon as the import no longer needs it (a periodic task sweeps the rest).
JOB_INPUT_RETENTION_HOURS = env_int("JOB_INPUT_RETENTION_HOURS", 24)
# Days the other files of finished jobs (results, exports) are kept; the job rows stay.
JOB_FILE_RETENTION_DAYS = env_int("JOB_FILE_RETENTION_DAYS", 30)
# The largest spreadsheet accepted for an import (100,000 rows of ten columns is about 5 MB).
IMPORT_MAX_UPLOAD_MB = env_int("IMPORT_MAX_UPLOAD_MB", 30)
# A running job's worker proves it is alive every JOB_HEARTBEAT_SECONDS; after
# JOB_LEASE_SECONDS without a sign of life the job is marked interrupted (its owner may retry).
JOB_HEARTBEAT_SECONDS = env_int("JOB_HEARTBEAT_SECONDS", 10)
JOB_LEASE_SECONDS = env_int("JOB_LEASE_SECONDS", 120)
# A job still pending this long after it was queued, and no longer in the queue, is queued again.
JOB_REQUEUE_SECONDS = env_int("JOB_REQUEUE_SECONDS", 120)
# A list export of more rows than this runs as a background job, with a download at the end.
EXPORT_SYNC_MAX_ROWS = env_int("EXPORT_SYNC_MAX_ROWS", 2000)

# --- Backups (guangong backup / restore; docs/operations.md) ----------------------------------
BACKUP_DIR = Path(env_str("BACKUP_DIR", str(VAR_DIR / "backups")))
BACKUP_KEEP_DAYS = env_int("BACKUP_KEEP_DAYS", 14)
# The worker makes a backup every night at BACKUP_HOUR (local time) when this is on.
BACKUP_DAILY = env_bool("BACKUP_DAILY", PRODUCTION)
BACKUP_HOUR = env_int("BACKUP_HOUR", 1)

# --- REST API -------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "guangong.accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["guangong.core.permissions.ScopedPermission"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_RATES": {"token": "20/min"},
    # Error answers carry the request id, like the error pages.
    "EXCEPTION_HANDLER": "guangong.core.errors.api_exception_handler",
}
# An API token (POST /api/auth/token/) expires this many days after it was issued.
API_TOKEN_DAYS = env_int("API_TOKEN_DAYS", 30)
SPECTACULAR_SETTINGS = {
    "TITLE": "Guangong API",
    "DESCRIPTION": "REST API of Guangong (关工). Every endpoint answers only within the "
    "caller's organisation subtree; objects outside it answer 404.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and docs are for signed-in users and integrators holding a token.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {"CaseStatusEnum": "guangong.care.models.Status"},
}

# --- People ---------------------------------------------------------------------------------
# How many young people one elder may mentor at once (结对帮带).
MAX_ACTIVE_MENTEES = env_int("MAX_ACTIVE_MENTEES", 3)
# Answers a user may get per day (local date) that a person they enter is already registered
# outside their scope (查重命中): each distinct record counts once; beyond it, such a check is
# refused and an import matching more of them fails its check.
DUPLICATE_PROBES_PER_DAY = env_int("DUPLICATE_PROBES_PER_DAY", 20)

# --- Activities -----------------------------------------------------------------------------
# Largest photo or document attached to an activity, in bytes (photos are stored shrunk).
ACTIVITY_ATTACHMENT_MAX_BYTES = env_int("ACTIVITY_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)

# --- Care cases -----------------------------------------------------------------------------
# Closed cases are anonymised after this many days (nightly, or `guangong anonymise_cases`).
CARE_RETENTION_DAYS = env_int("CARE_RETENTION_DAYS", 3 * 365)
# Largest document attached to a case, in MB; hours an encrypted case export may be downloaded.
CARE_ATTACHMENT_MAX_MB = env_int("CARE_ATTACHMENT_MAX_MB", 10)
CARE_EXPORT_HOURS = env_int("CARE_EXPORT_HOURS", 24)
# --- Online help desk -----------------------------------------------------------------------
# Limits of the public pages: (events, per seconds) for each client of each kind.
HELPDESK_LIMITS = {
    # Requests accepted from one IP address, and for one phone number.
    "submit_ip": (env_int("HELPDESK_IP_LIMIT", 5), env_int("HELPDESK_IP_WINDOW", 600)),
    "submit_phone": (env_int("HELPDESK_PHONE_LIMIT", 3), env_int("HELPDESK_PHONE_WINDOW", 86400)),
    # Every POST of the request form from one address, valid or not (challenge guessing).
    "attempt_ip": (env_int("HELPDESK_ATTEMPT_LIMIT", 30), 600),
    # Status look-ups: per address, and per address and tracking code (guessing the phone of
    # one code). Per tracking code alone only a much higher backstop against a guess spread
    # over many addresses: low, it would let a stranger lock the owner out with a few guesses.
    "lookup_ip": (env_int("HELPDESK_LOOKUP_LIMIT", 20), 600),
    "lookup_ip_code": (env_int("HELPDESK_LOOKUP_IP_CODE_LIMIT", 10), 3600),
    "lookup_code": (env_int("HELPDESK_LOOKUP_CODE_LIMIT", 100), 3600),
    # Searches of the list of organisations.
    "places_ip": (env_int("HELPDESK_SEARCH_LIMIT", 60), 60),
}
# A person needs at least this long to fill the form in; a token is good for this long.
HELPDESK_MIN_FILL_SECONDS = env_int("HELPDESK_MIN_FILL_SECONDS", 5)
HELPDESK_FORM_MAX_AGE = env_int("HELPDESK_FORM_MAX_AGE", 2 * 3600)
# The largest request body the public form accepts, in bytes.
HELPDESK_MAX_BODY = env_int("HELPDESK_MAX_BODY", 16 * 1024)
# A request with no public reply this many hours after it came in is on its handlers' to-do
# list (待办).
HELPDESK_TODO_HOURS = env_int("HELPDESK_TODO_HOURS", 24)

# --- Messages: e-mail, SMS (docs/notifications.md) -----------------------------------------
# Links in e-mails and SMS start with this address.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")
# E-mail over SMTP when EMAIL_HOST is set; otherwise e-mails are written to the log.
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "关工平台 <noreply@localhost>")
# SMS: the console backend writes to the log; the Alibaba Cloud one sends (guangong.
# notifications.sms.AliyunBackend) with the key, signature name and templates below.
SMS_BACKEND = env_str("SMS_BACKEND", "guangong.notifications.sms.ConsoleBackend")
SMS_ENDPOINT = env_str("SMS_ENDPOINT", "https://dysmsapi.aliyuncs.com/")
SMS_REGION = env_str("SMS_REGION", "cn-hangzhou")
SMS_ACCESS_KEY_ID = env_str("SMS_ACCESS_KEY_ID", "")
SMS_ACCESS_KEY_SECRET = env_str("SMS_ACCESS_KEY_SECRET", "")
SMS_SIGN_NAME = env_str("SMS_SIGN_NAME", "")
SMS_TEMPLATE_NOTICE = env_str("SMS_TEMPLATE_NOTICE", "")  # with ${title}
SMS_TEMPLATE_CODE = env_str("SMS_TEMPLATE_CODE", "")  # with ${code}
SMS_TIMEOUT = env_int("SMS_TIMEOUT", 10)
# A failed e-mail or SMS is tried again after 30 s, 60 s, 120 s … up to this many times.
NOTIFY_MAX_ATTEMPTS = env_int("NOTIFY_MAX_ATTEMPTS", 6)
NOTIFY_RETRY_SECONDS = env_int("NOTIFY_RETRY_SECONDS", 30)
# Reports still open this many days before they are due: a reminder at this hour (local time).
NOTIFY_DEADLINE_DAYS = env_int("NOTIFY_DEADLINE_DAYS", 3)
NOTIFY_DEADLINE_HOUR = env_int("NOTIFY_DEADLINE_HOUR", 8)
# 忘记密码 by an SMS code to the phone of the account: on where SMS is configured.
PASSWORD_RESET_BY_SMS = env_bool("PASSWORD_RESET_BY_SMS", False)
SMS_RESET_MINUTES = env_int("SMS_RESET_MINUTES", 10)
SMS_RESET_TRIES = env_int("SMS_RESET_TRIES", 5)
SMS_RESET_LIMIT = env_int("SMS_RESET_LIMIT", 5)  # codes asked per address and per account an hour
# The help desk's status page tells requesters when to expect a reply (hours).
HELPDESK_REPLY_HOURS = env_int("HELPDESK_REPLY_HOURS", 48)
