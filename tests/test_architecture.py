"""Issue 17: the layering and the permission vocabulary hold, and keep holding.

- the import contracts of ``.importlinter`` (also run by ``make lint``) pass, and fail on a
  violation (shown on a copy of the source with a throw-away import);
- role names are compared only where roles are kept; no template compares a state string;
- every permission name the code asks exists as a rule (an unknown name would silently say no);
- a superuser is asked the rule like anybody."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from laurel.core.permissions import RULES, require
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "laurel"
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def _lint_imports(source_root: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--config", str(ROOT / ".importlinter")],
        cwd=source_root,
        env={"PYTHONPATH": str(source_root), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_import_contracts_hold():
    result = _lint_imports(ROOT / "src")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 4 kept, 0 broken." in result.stdout


def test_import_contracts_fail_on_a_violation(tmp_path):
    """A throw-away import of each forbidden kind, in a copy of the source tree."""
    shutil.copytree(SRC, tmp_path / "laurel", ignore=shutil.ignore_patterns("__pycache__"))
    probes = {
        "laurel/core/_probe.py": "import laurel.accounts.models\n",  # core → a domain app
        "laurel/registry/_probe.py": "import laurel.evaluation.models\n",  # registry → campaigns
        "laurel/nominations/_probe.py": "import laurel.public.models\n",  # a layer upwards
        "laurel/evaluation/services/_probe.py": "import laurel.evaluation.views\n",  # → views
    }
    for path, text in probes.items():
        (tmp_path / path).write_text(text)
    result = _lint_imports(tmp_path)
    assert result.returncode != 0
    assert "Contracts: 0 kept, 4 broken." in result.stdout, result.stdout
    for probe in ("laurel.core._probe", "laurel.registry._probe", "laurel.nominations._probe"):
        assert probe in result.stdout


def _python_files():
    return [p for p in SRC.rglob("*.py") if "migrations" not in p.parts]


# Where role names may appear: the roles themselves, the shared predicates, the scopes of the
# jurisdiction filter, the accounts app that assigns roles to users, and the demo accounts.
ROLE_PLACES = ("core/roles.py", "core/predicates.py", "core/jurisdiction.py", "accounts/", "demo/")
ROLE_VALUES = (
    "system_admin",
    "provincial_office",
    "nominating_body",
    "reviewing_department",
    "clearance_department",
    "panel_expert",
    "assessment_team",
)


def test_role_names_are_compared_only_where_roles_are_kept():
    offenders = []
    for path in _python_files():
        relative = path.relative_to(SRC).as_posix()
        text = path.read_text(encoding="utf-8")
        if "has_role(" in text and relative != "core/predicates.py":
            offenders.append(f"{relative}: has_role(")
        if relative.startswith(ROLE_PLACES):
            continue
        if re.search(r"\bRole\.[A-Z_]+", text):
            offenders.append(f"{relative}: Role.…")
        for value in ROLE_VALUES:
            if re.search(rf"""["']{value}["']""", text):
                offenders.append(f"{relative}: '{value}'")
    for path in SRC.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        if "has_role" in text or any(f"'{v}'" in text or f'"{v}"' in text for v in ROLE_VALUES):
            offenders.append(str(path.relative_to(SRC)))
    assert offenders == []


STATE_COMPARISON = re.compile(
    r"\b\w+\.(state|status|current_tier|review_tier|decision|level|kind)\s*(==|!=)\s*['\"]"
)


def test_templates_compare_no_state_strings():
    offenders = [
        f"{path.relative_to(SRC)}: {match.group(0)}"
        for path in SRC.rglob("*.html")
        for match in STATE_COMPARISON.finditer(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


ASKED = re.compile(
    r"""(?:has_perm|require_perm|require|not_now|may|refusal|has_rule)\(\s*"""
    r"""(?:[\w.]+,\s*)?["']([a-z]+\.[a-z_]+)["']"""
    r"""|\{%\s*has_perm\s+["']([a-z]+\.[a-z_]+)["']"""
)


def test_every_permission_name_asked_exists_as_a_rule():
    asked = {}
    tests = [p for p in (ROOT / "tests").rglob("*.py") if p.name != "test_architecture.py"]
    for path in [*_python_files(), *SRC.rglob("*.html"), *tests]:
        for match in ASKED.finditer(path.read_text(encoding="utf-8")):
            name = match.group(1) or match.group(2)
            asked.setdefault(name, str(path.relative_to(ROOT)))
    assert len(asked) > 60  # the pattern finds the names at all
    missing = {name: where for name, where in asked.items() if name not in RULES}
    assert missing == {}


@pytest.mark.django_db
def test_a_superuser_is_asked_the_rule_like_anybody(world):
    root = UserFactory(unit=world.prov_hr, is_superuser=True, roles=[])
    assert root.has_perm("campaigns.manage_campaigns")  # is_system_admin includes superusers
    assert not root.has_perm("evaluation.vote")  # but sits on no panel
    assert not root.has_perm("nominations.review_nominee")  # and reviews nothing
    assert not root.has_perm("nominations.change_nominee")  # Django's model permission: no rule
    with pytest.raises(LookupError):
        require(root, "no.such_rule")
