"""Background tasks of the registry (django-tasks); ids and plain values only."""

from django_tasks import task


@task()
def refresh_statistics() -> int:
    from laurel.registry.services.statistics import refresh

    return refresh()
