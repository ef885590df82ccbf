"""Production settings refuse an incomplete environment and pass Django's checks when complete."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run(env_extra: dict) -> subprocess.CompletedProcess:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("LAUREL_") and k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env.update(
        {"DJANGO_SETTINGS_MODULE": "laurel.settings_production", "PYTHONPATH": str(ROOT / "src")}
    )
    env.update(env_extra)
    return subprocess.run(
        [sys.executable, "-m", "django", "check"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )


def test_production_settings_refuse_missing_keys_and_sqlite():
    result = _run({})
    assert result.returncode != 0
    assert "LAUREL_FIELD_KEYS" in result.stderr and "LAUREL_SECRET_KEY" in result.stderr
    complete = {
        "LAUREL_SECRET_KEY": "x" * 50,
        "LAUREL_FIELD_KEYS": "q1Ng3bqx3O6Jx6aI3tX1Gc2LJv1hVbq0vJZ9m7y8h5c=",
        "LAUREL_LOOKUP_KEY": "y" * 40,
        "LAUREL_ALLOWED_HOSTS": "laurel.example.gov.cn",
    }
    result = _run({**complete, "DATABASE_URL": "sqlite:////tmp/x.sqlite3"})
    assert result.returncode != 0 and "PostgreSQL" in result.stderr
    result = _run({**complete, "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/test"})
    assert result.returncode == 0, result.stderr
