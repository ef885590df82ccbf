#!/usr/bin/env bash
# The production set-up on one machine: PostgreSQL (local), gunicorn with 2 app workers, one
# django-tasks database worker, static files collected (served by WhiteNoise here; nginx in a
# real deployment, see deploy/nginx.conf and docs/deployment.md).
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p var
umask 077
# Keys for this local trial are generated once and kept in var/prod.env (never commit them).
if [ ! -f var/prod.env ]; then
  .venv/bin/python - > var/prod.env <<'PY'
import secrets
from cryptography.fernet import Fernet
print(f"LAUREL_SECRET_KEY={secrets.token_urlsafe(50)}")
print(f"LAUREL_FIELD_KEYS={Fernet.generate_key().decode()}")
print(f"LAUREL_LOOKUP_KEY={secrets.token_urlsafe(40)}")
PY
fi
set -a
# shellcheck disable=SC1091
. var/prod.env
set +a
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/laurel}"
export LAUREL_ALLOWED_HOSTS="${LAUREL_ALLOWED_HOSTS:-127.0.0.1,localhost}"
export LAUREL_SECURE_COOKIES=false  # plain HTTP on this machine
export LAUREL_CACHE_URL="${LAUREL_CACHE_URL:-redis://127.0.0.1:6379/1}"  # shared rate limits
export LAUREL_PUBLIC_URL="${LAUREL_PUBLIC_URL:-http://127.0.0.1:${PORT:-8000}}"  # on certificates
export DJANGO_SETTINGS_MODULE=laurel.settings_production PYTHONPATH=src
PORT="${PORT:-8000}"

db="${DATABASE_URL##*/}"
admin="${DATABASE_URL%/*}/postgres"
if ! psql "$admin" -tAc "SELECT 1 FROM pg_database WHERE datname='$db'" | grep -q 1; then
  psql "$admin" -c "CREATE DATABASE \"$db\""
fi
.venv/bin/python -m django migrate --noinput
.venv/bin/python -m django load_reference
# Demo accounts have published passwords: loaded only when asked for (LOAD_DEMO=1).
if [ "${LOAD_DEMO:-0}" = 1 ]; then
  .venv/bin/python -m django load_demo --into-production
fi
.venv/bin/python -m django collectstatic --noinput --verbosity 0

.venv/bin/python -m django db_worker &
worker=$!
trap 'kill $worker 2>/dev/null || true' EXIT
echo "Laurel (production settings): http://127.0.0.1:$PORT — 2 app workers, 1 task worker"
LAUREL_WEB_WORKERS="${LAUREL_WEB_WORKERS:-2}" LAUREL_BIND="127.0.0.1:$PORT" \
  .venv/bin/gunicorn -c deploy/gunicorn.conf.py laurel.wsgi
