"""What an application server process does once, after start-up and before its first request."""

import gc

from django.urls import get_resolver


def settle() -> None:
    """Load what every request needs (the URLconf), then move every object alive at this point —
    modules, settings, URL patterns, compiled templates — out of the garbage collector's sight
    (``gc.freeze``): a full collection then walks only what requests made, not the whole
    framework, which took ~0.1 s a few times a minute on the nominee list (issue 22;
    docs/performance.md)."""
    get_resolver().url_patterns  # noqa: B018 — imports every view module once
    gc.collect()
    gc.freeze()
