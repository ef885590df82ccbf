#!/usr/bin/env bash
# manage.py with the settings and keys of `make serve-prod` (var/prod.env), e.g.
#   deploy/manage-prod.sh drf_create_token office_hr
set -euo pipefail
cd "$(dirname "$0")/.."
set -a
# shellcheck disable=SC1091
. var/prod.env
set +a
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/laurel}"
export LAUREL_ALLOWED_HOSTS="${LAUREL_ALLOWED_HOSTS:-127.0.0.1,localhost}"
export LAUREL_SECURE_COOKIES=false
export DJANGO_SETTINGS_MODULE=laurel.settings_production PYTHONPATH=src
exec .venv/bin/python -m django "$@"
