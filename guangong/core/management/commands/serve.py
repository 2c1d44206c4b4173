"""Start the web server together with the background-task worker.

Development (the default): Django's server on 127.0.0.1:PORT plus a Huey consumer in a child
process, both stopped together. Production runs the same two pieces as separate services:
``gunicorn guangong.wsgi`` and ``guangong run_huey`` (see README.md).
"""

import os
import signal
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from guangong.core.canary import FieldKeysMismatch, verify_at_startup


class Command(BaseCommand):
    help = "Run the web server and the background-task worker together."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", 8000)))
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--no-worker", action="store_true", help="Do not start the worker.")

    def handle(self, *args, **options):
        settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
        try:
            verify_at_startup()
        except FieldKeysMismatch as exc:  # wrong field keys: refuse to start (docs/keys.md)
            raise CommandError(str(exc)) from None
        # On SIGTERM, unwind through ``finally`` so the worker is stopped too.
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
        worker = None
        if not options["no_worker"] and not settings.HUEY.get("immediate"):
            worker = subprocess.Popen(  # noqa: S603 - our own interpreter and command
                [sys.executable, "-m", "guangong", "run_huey", "--quiet"],
                env={**os.environ, "DJANGO_SETTINGS_MODULE": "guangong.settings"},
            )
            self.stdout.write(f"Background worker started (pid {worker.pid}).")
        self.stdout.write(f"Guangong: http://{options['host']}:{options['port']}/")
        try:
            call_command(
                "runserver",
                f"{options['host']}:{options['port']}",
                use_reloader=False,
                use_threading=True,
            )
        finally:
            if worker is not None and worker.poll() is None:
                worker.send_signal(signal.SIGTERM)
                try:
                    worker.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    worker.kill()
