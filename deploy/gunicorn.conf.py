"""gunicorn for Laurel: `gunicorn -c deploy/gunicorn.conf.py laurel.wsgi`."""

import multiprocessing
import os

bind = os.environ.get("LAUREL_BIND", "127.0.0.1:8001")
# Synchronous workers: the work is database- and CPU-bound (forms, PDF); size by cores.
workers = int(os.environ.get("LAUREL_WEB_WORKERS", multiprocessing.cpu_count()))
worker_class = "sync"
# A single nominee's PDF booklet renders in well under a second; bulk work is a background task.
timeout = int(os.environ.get("LAUREL_WEB_TIMEOUT", "60"))
graceful_timeout = 30
max_requests = 2000  # recycle workers now and then (python-docx/WeasyPrint caches)
max_requests_jitter = 200
accesslog = "-"
# No query strings in the access log: searches may carry ID numbers.
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms'
errorlog = "-"
forwarded_allow_ips = os.environ.get("LAUREL_FORWARDED_ALLOW_IPS", "127.0.0.1")
