"""Issue 21: a PNG of every document Laurel prints, rendered from the demo data exactly as
clerks get them (the print PDFs, page by page with poppler's pdftoppm), in
var/screenshots/documents/ — kept as CI artefacts to be looked at; the checks here are that
each document renders, with the pages it should have."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.browser.test_smoke import SCREENSHOTS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
FOLDER = SCREENSHOTS / "documents"


def _png(content: bytes, name: str, pages: int = 4) -> list[Path]:
    FOLDER.mkdir(parents=True, exist_ok=True)
    source = FOLDER / f"{name}.pdf"
    source.write_bytes(content)
    for old in FOLDER.glob(f"{name}-*.png"):
        old.unlink()
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", str(pages), source, FOLDER / name],
        check=True,
    )
    source.unlink()
    return sorted(FOLDER.glob(f"{name}-*.png"))


def test_every_printed_document_renders_to_a_png(demo_data):
    if shutil.which("pdftoppm") is None:
        pytest.fail("pdftoppm is missing: run `make browsers` (Debian poppler-utils).")
    from laurel.accounts.models import User
    from laurel.campaigns.models import Campaign
    from laurel.demo.evaluation import FINISHED_SLUG
    from laurel.documents import decision, official, pdf
    from laurel.documents.registry import registration_form
    from laurel.evaluation.models import Award
    from laurel.nominations.models import Nominee
    from laurel.registry.models import Registration

    office = User.objects.get(username="office")
    finished = Campaign.objects.get(slug=FINISHED_SLUG)
    nominees = official.prefetch(Nominee.objects.filter(campaign=finished))
    individual = nominees.filter(kind="individual").first()
    collective = nominees.filter(kind="collective").first()
    enterprise = next((n for n in nominees if n.is_enterprise), None)
    made = {
        "form2-collective": [official.collective_form(collective)],
        "form3-individual": [official.individual_form(individual)],
        "form4-clearance": [official.clearance_form(individual)],
        "form6-summary": [
            official.summary_form(
                finished, individual.body, list(nominees.filter(body=individual.body)), full=True
            )
        ],
        "decision": [decision.decision(finished)],
        "certificate": decision.certificate_documents(
            Award.objects.filter(nominee__campaign=finished, certificate_number__isnull=False)
            .select_related("nominee__category", "nominee__campaign")
            .order_by("certificate_number")[:1]
        ),
        "plaques": [decision.plaque_list(finished)],
        "registration": [registration_form(Registration.objects.first(), office)],
    }
    if enterprise is not None:
        made["form5-enterprise"] = [official.enterprise_form(enterprise)]
    for name, documents in made.items():
        pngs = _png(pdf.render(documents, duplex=False), name)
        assert pngs, name
        assert all(p.stat().st_size > 5_000 for p in pngs), name  # a page with something on it
