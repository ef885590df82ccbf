"""Background tasks (django-tasks); they take ids only."""

from django_tasks import task


@task()
def build_export(job_id: int) -> str:
    # The service queues this task, so the task reaches the service at run time.
    from laurel.documents.services import run_export  # noqa: PLC0415

    return run_export(job_id)
