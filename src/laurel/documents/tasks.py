"""Background tasks (django-tasks); they take ids only."""

from django_tasks import task


@task()
def build_export(job_id: int) -> str:
    from laurel.documents.services import run_export

    return run_export(job_id)
