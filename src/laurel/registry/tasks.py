"""Background tasks of the registry (django-tasks); ids and plain values only."""

from django_tasks import task

from laurel.registry.services.statistics import refresh


@task()
def refresh_statistics() -> int:
    return refresh()
