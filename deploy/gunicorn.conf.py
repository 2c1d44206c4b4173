"""Gunicorn settings for the web processes: `gunicorn -c deploy/gunicorn.conf.py guangong.wsgi`.

Every value can be overridden by the environment variable named beside it.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Two processes a core, two threads each: a request spends about two thirds of its time in
# Python, so more threads only contend for the interpreter (measured with bench/load.py on two
# cores: 4 threads peaked at 86.7 requests a second, 2 threads at 90–98).
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2))
threads = int(os.environ.get("GUNICORN_THREADS", 2))
worker_class = "gthread"
# The slowest request a page makes: a 30 MB import upload on a slow line is read by nginx first,
# then handed over at once; long work (imports, exports, documents) runs in the task worker.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", 30))
keepalive = 5
# Recycle processes now and then, so that a slow leak never grows for weeks.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 5000))
max_requests_jitter = 500
# Load the application once before forking: a configuration error (keys, settings) stops the
# start instead of every worker failing in turn.
preload_app = True
# Guangong logs every request itself (one JSON line with its request id, user, status and
# duration); gunicorn's own access line would repeat it in another format. GUNICORN_ACCESS_LOG=-
# brings it back.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")


# Metrics (/metrics) sum every process when PROMETHEUS_MULTIPROC_DIR names a folder: it is
# emptied at start and each process's files are retired when it exits.
def on_starting(server):
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        import shutil

        shutil.rmtree(folder, ignore_errors=True)
        os.makedirs(folder, exist_ok=True)


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
