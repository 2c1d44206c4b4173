"""The production stack on loopback, as the README's Production section sets it up.

``Stack(source)`` makes a scratch PostgreSQL database, runs ``migrate`` and ``collectstatic`` with
``GUANGONG_ENV=production``, loads the demo region and starts gunicorn (deploy/gunicorn.conf.py)
and one huey worker against Redis; leaving the ``with`` block stops them and drops the database.
``source`` is a checkout of Guangong (this one, or another commit's for a comparison), run with
the virtual environment of this one.
"""

from __future__ import annotations

import base64
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def key() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode().rstrip("=")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Stack:
    def __init__(
        self,
        source: Path = ROOT,
        *,
        database_url: str = "postgres://postgres@127.0.0.1:5432/postgres",
        redis_url: str = "redis://127.0.0.1:6379/5",
        scale: str = "small",
        workers: int = 2,
        extra_env: dict[str, str] | None = None,
        quiet: bool = False,
    ):
        self.source = Path(source)
        self.admin_url = database_url
        self.redis_url = redis_url
        self.scale = scale
        self.quiet = quiet
        self.port = free_port()
        self.work = Path(tempfile.mkdtemp(prefix="guangong-stack-"))
        self.database = f"guangong_stack_{secrets.token_hex(4)}"
        url = urllib.parse.urlsplit(database_url)._replace(path=f"/{self.database}").geturl()
        self.env = {
            **os.environ,
            "PYTHONPATH": str(self.source),  # the checkout's package, not the installed one
            "GUANGONG_ENV": "production",
            "SECRET_KEY": secrets.token_urlsafe(40),
            "FIELD_ENCRYPTION_KEYS": f"stack:{key()}",
            "FIELD_HASH_KEY": key(),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "CSRF_TRUSTED_ORIGINS": "https://127.0.0.1",
            "TRUSTED_PROXY_COUNT": "1",
            "DATABASE_URL": url,
            "REDIS_URL": redis_url,
            "GUANGONG_VAR_DIR": str(self.work / "var"),
            "STATIC_ROOT": str(self.work / "static"),
            "MEDIA_ROOT": str(self.work / "media"),
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            "GUNICORN_WORKERS": str(workers),
            "PROMETHEUS_MULTIPROC_DIR": str(self.work / "prometheus"),
            "DJANGO_SETTINGS_MODULE": "guangong.settings",
            **(extra_env or {}),
        }
        for name in ("DEBUG", "GUANGONG_TESTING", "TASKS_IMMEDIATE"):
            self.env.pop(name, None)
        self.processes: list[subprocess.Popen] = []

    # --- running ---------------------------------------------------------------------------

    def manage(self, *args: str) -> None:
        if not self.quiet:
            print("== guangong", " ".join(args), flush=True)
        command = [str(BIN / "python"), "-m", "guangong", *args]
        out = subprocess.DEVNULL if self.quiet else None
        subprocess.run(command, env=self.env, check=True, cwd=self.source, stdout=out)

    def psql(self, sql: str) -> None:
        command = ["psql", "-q", "-v", "ON_ERROR_STOP=1", self.admin_url, "-c", sql]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)

    def __enter__(self) -> Stack:
        try:
            self.psql(f'CREATE DATABASE "{self.database}"')
            import redis

            redis.Redis.from_url(self.redis_url).flushdb()
            self.manage("migrate", "--noinput")
            self.manage("collectstatic", "--noinput")
            self.manage("demo", "--scale", self.scale, "--seed", "1")
            self.manage("demo_accounts")
            conf = str(ROOT / "deploy" / "gunicorn.conf.py")
            gunicorn = [str(BIN / "gunicorn"), "-c", conf, "guangong.wsgi"]
            worker = [str(BIN / "python"), "-m", "guangong", "run_huey"]
            for command in (gunicorn, worker):
                self.processes.append(subprocess.Popen(command, env=self.env, cwd=self.source))
            self.wait_ready()
        except BaseException:
            self.__exit__()
            raise
        return self

    def wait_ready(self, seconds: int = 90) -> None:
        import http.client

        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", "/accounts/login/", headers={"X-Forwarded-Proto": "https"})
                if conn.getresponse().status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"gunicorn did not answer on port {self.port} within {seconds} s")

    def pids(self) -> dict[str, list[int]]:
        """Process ids by role: the gunicorn master and workers, the huey worker."""
        out = {"web": [], "worker": []}
        if not self.processes:
            return out
        master, worker = self.processes[0].pid, self.processes[1].pid
        children = subprocess.run(
            ["pgrep", "-P", str(master)], capture_output=True, text=True, check=False
        ).stdout.split()
        out["web"] = [master, *map(int, children)]
        out["worker"] = [worker]
        return out

    def __exit__(self, *exc) -> None:
        for process in self.processes:
            process.send_signal(signal.SIGINT if "run_huey" in process.args else signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        self.processes = []
        subprocess.run(
            ["psql", "-q", self.admin_url, "-c", f'DROP DATABASE IF EXISTS "{self.database}"'],
            check=False,
            stdout=subprocess.DEVNULL,
        )
        shutil.rmtree(self.work, ignore_errors=True)
