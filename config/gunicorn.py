"""Gunicorn settings for the container (and the stack test); tuned by environment variables."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
accesslog = "-"
logger_class = "config.logging.RedactingGunicornLogger"
errorlog = "-"
access_log_format = (
    '{"remote": "%(h)s", "request": "%(r)s", "status": %(s)s, "bytes": %(b)s, '
    '"ms": %(M)s, "request_id": "%({x-request-id}o)s"}'
)
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
