"""A small load test over HTTP against a running server (e.g. `make serve-prod`): several
client threads with keep-alive connections call the API for a while; prints requests per
second, p50 and p99, and any error responses.

    make serve-prod &                      # PostgreSQL, gunicorn ×2, one task worker
    cd benchmarks && ../.venv/bin/python load_test.py --url http://127.0.0.1:8000 \\
        --token "$(cd .. && ./deploy/manage-prod.sh drf_create_token office_hr | awk '{print $3}')"
"""

from __future__ import annotations

import argparse
import http.client
import statistics
import threading
import time
from urllib.parse import urlsplit

PATHS = [
    "/api/campaigns/",
    "/api/nominees/?page_size=50",
    "/api/registry/people/?page_size=50",
    "/api/registry/people/?name=%E7%8E%8B",
    "/api/quotas/",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--token", required=True)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20)
    args = parser.parse_args()
    target = urlsplit(args.url)
    times: list[float] = []
    errors: dict[int, int] = {}
    lock = threading.Lock()
    stop = time.perf_counter() + args.seconds

    def client(offset: int) -> None:
        connection = http.client.HTTPConnection(target.hostname, target.port or 80, timeout=30)
        headers = {"Authorization": f"Token {args.token}", "Accept": "application/json"}
        index = offset
        while time.perf_counter() < stop:
            path = PATHS[index % len(PATHS)]
            index += 1
            start = time.perf_counter()
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            elapsed = time.perf_counter() - start
            with lock:
                times.append(elapsed)
                if response.status >= 400:
                    errors[response.status] = errors.get(response.status, 0) + 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(args.threads)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began
    times.sort()
    print(
        f"{len(times):,} requests in {wall:.1f} s with {args.threads} clients: "
        f"{len(times) / wall:.0f} req/s, p50 {statistics.median(times) * 1000:.1f} ms, "
        f"p99 {times[int(len(times) * 0.99) - 1] * 1000:.1f} ms, errors {errors or 'none'}"
    )


if __name__ == "__main__":
    main()
