"""WSGI entry point: ``gunicorn guangong.wsgi``.

Before answering anything, the process checks that the field keys decrypt the value stored to
prove them (``core.canary``); with the wrong keys it refuses to start (see docs/keys.md).
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guangong.settings")
application = get_wsgi_application()

from guangong.core.canary import verify_at_startup  # noqa: E402 - needs Django set up

verify_at_startup()
