"""Production settings refuse an incomplete environment and pass Django's checks when complete."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run(env_extra: dict, command=("check",)) -> subprocess.CompletedProcess:
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
        [sys.executable, "-m", "django", *command],
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
        "LAUREL_CACHE_URL": "redis://127.0.0.1:6379/1",
        "LAUREL_PUBLIC_URL": "https://laurel.invalid",
    }
    result = _run({**complete, "DATABASE_URL": "sqlite:////tmp/x.sqlite3"})
    assert result.returncode != 0 and "PostgreSQL" in result.stderr
    result = _run({**complete, "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/test"})
    assert result.returncode == 0, result.stderr
    # HSTS over TLS (issue 19), off for plain HTTP on one machine.
    env = {**complete, "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/test"}
    shown = _run(env, ["diffsettings", "--all"]).stdout
    assert "SECURE_HSTS_SECONDS = 31536000" in shown
    plain = _run({**env, "LAUREL_SECURE_COOKIES": "false"}, ["diffsettings", "--all"]).stdout
    assert "SECURE_HSTS_SECONDS = 0" in plain


def test_h6_production_refuses_the_development_secret_and_keys_derived_from_a_secret():
    """Issue 19: the development secret is published, so every key derived from it decrypts a
    database file made with defaults. Production refuses it, and keys derived from any secret."""
    import base64
    import hashlib

    from laurel.settings import DEVELOPMENT_SECRET_KEY

    def derived(label, secret):
        digest = hashlib.sha256(f"{label}:{secret}".encode()).digest()
        return base64.urlsafe_b64encode(digest).decode()

    secret = "s" * 50
    base = {
        "LAUREL_ALLOWED_HOSTS": "laurel.example.gov.cn",
        "LAUREL_CACHE_URL": "redis://127.0.0.1:6379/1",
        "LAUREL_PUBLIC_URL": "https://laurel.invalid",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/test",
        "LAUREL_LOOKUP_KEY": "y" * 40,
    }
    result = _run(
        {
            **base,
            "LAUREL_SECRET_KEY": DEVELOPMENT_SECRET_KEY,
            "LAUREL_FIELD_KEYS": "q1Ng3bqx3O6Jx6aI3tX1Gc2LJv1hVbq0vJZ9m7y8h5c=",
        }
    )
    assert result.returncode != 0 and "development key" in result.stderr
    for derived_from in (DEVELOPMENT_SECRET_KEY, secret):
        result = _run(
            {
                **base,
                "LAUREL_SECRET_KEY": secret,
                "LAUREL_FIELD_KEYS": derived("laurel-field", derived_from),
            }
        )
        assert result.returncode != 0 and "derived" in result.stderr, result.stderr
    result = _run({**base, "LAUREL_SECRET_KEY": secret, "LAUREL_FIELD_KEYS": "y" * 40})
    assert result.returncode != 0 and "must differ" in result.stderr
    # issue 22 review: a password is no key (AES keys are derived from 32 random bytes)
    result = _run({**base, "LAUREL_SECRET_KEY": secret, "LAUREL_FIELD_KEYS": "changeme"})
    assert result.returncode != 0 and "32 random bytes" in result.stderr


def test_h6_demo_accounts_are_never_loaded_into_production_unless_asked_by_name():
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("LAUREL_") and k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "laurel.settings_production",
            "PYTHONPATH": str(ROOT / "src"),
            "LAUREL_SECRET_KEY": "x" * 50,
            "LAUREL_FIELD_KEYS": "q1Ng3bqx3O6Jx6aI3tX1Gc2LJv1hVbq0vJZ9m7y8h5c=",
            "LAUREL_LOOKUP_KEY": "y" * 40,
            "LAUREL_ALLOWED_HOSTS": "laurel.example.gov.cn",
            "LAUREL_CACHE_URL": "redis://127.0.0.1:6379/1",
            "LAUREL_PUBLIC_URL": "https://laurel.invalid",
            "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/test",
        }
    )
    result = subprocess.run(
        [sys.executable, "-m", "django", "load_demo"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )
    assert result.returncode != 0 and "--into-production" in result.stderr, result.stderr
    script = (ROOT / "deploy" / "serve-prod.sh").read_text()
    assert 'LOAD_DEMO:-0}" = 1' in script and "load_demo --into-production" in script
