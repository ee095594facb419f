"""Issue 11: every kind of printed document passes the machine checks of PDF/UA-1 (tests/pdf_ua.py), and veraPDF's
PDF/UA-1 profile wherever a `verapdf` command is installed (set VERAPDF to its path, or put it on PATH).

`-s` prints the figures: documents checked and violations found."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from delegations.demo import load_demo
from delegations.extensions import db
from delegations.models import Delegation, TablePlan
from tests.accounts import sign_in
from tests.pdf_ua import check


@pytest.fixture
def documents(app, client):
    """(name, PDF bytes) of every kind of printed document, with the demo data, in the variants guests get."""
    load_demo()
    db.session.commit()
    sign_in(client, "admin", "pdfua-admin@example.org")
    delegations = db.session.scalars(select(Delegation).order_by(Delegation.id)).all()
    chinese = next(d for d in delegations if "zh" in (d.languages or []))
    incoming = next(d for d in delegations if not d.is_outgoing and "zh" not in (d.languages or []))
    tour = next(d for d in delegations if d.is_outgoing)
    plan = db.session.scalars(select(TablePlan).order_by(TablePlan.id)).first()
    from delegations.printing.guest_links import active_link, create_link, token_for

    if active_link(chinese.id) is None:  # the QR code is printed once the visit has a guest link
        create_link(chinese, None, app.config["SECRET_KEY"])
        db.session.commit()
    token = token_for(active_link(chinese.id), app.config["SECRET_KEY"])
    week = chinese.arrival_at.astimezone(ZoneInfo("Europe/Berlin")).date().isoformat()
    urls = {
        "programme (de)": f"/delegations/{chinese.id}/programme.pdf?lang=de",
        "programme (en, with QR code)": f"/delegations/{chinese.id}/programme.pdf?lang=en",
        "programme (zh)": f"/delegations/{chinese.id}/programme.pdf?lang=zh",
        "programme, large print (en)": f"/delegations/{incoming.id}/programme.pdf?lang=en&size=large",
        "guest programme, large print (zh)": f"/p/{token}/programme.pdf?lang=zh&size=large",
        "tour programme": f"/delegations/{tour.id}/programme.pdf",
        "tour programme, large print": f"/delegations/{tour.id}/programme.pdf?size=large",
        "briefing (de)": f"/delegations/{chinese.id}/briefing.pdf",
        "briefing (en)": f"/delegations/{chinese.id}/briefing.pdf?lang=en",
        "briefing, large print": f"/delegations/{chinese.id}/briefing.pdf?size=large",
        "week overview": f"/printing/week.pdf?week={week}",
        "table plan": f"/protocol/plans/{plan.id}/plan.pdf",
        "place cards": f"/protocol/plans/{plan.id}/place-cards.pdf",
    }
    found = []
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        assert response.mimetype == "application/pdf", name
        found.append((name, response.data))
    return found


def test_every_kind_of_document_passes_the_pdf_ua_checks(documents):
    report = {name: [str(violation) for violation in check(data)] for name, data in documents}
    print(f"\nPDF/UA-1 machine checks: {len(report)} documents, "
          f"{sum(map(len, report.values()))} violations")
    for name, violations in report.items():
        print(f"  {name}: {len(violations)}" + "".join(f"\n    {violation}" for violation in violations))
    assert not any(report.values()), report


def test_the_checks_find_what_an_untagged_pdf_lacks(app):
    """The checks can fail: WeasyPrint's plain output (no tags, no PDF/UA metadata) breaks most of them."""
    from delegations.printing.pdf import render_pdf

    pixel = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
    html = ('<html><head><title>Plain</title></head><body><h2>Skipped level</h2>'
            f'<p>Text</p><img src="data:image/png;base64,{pixel}"></body></html>')
    untagged = render_pdf(html, static_root=app.static_folder, isolate=False, pdf_tags=False, pdf_variant=None)
    clauses = {violation.clause for violation in check(untagged.data)}
    assert clauses == {"7.1 (Matterhorn 01)"}, clauses  # without a structure tree nothing else can be judged
    tagged = render_pdf(html, static_root=app.static_folder, isolate=False)
    clauses = {violation.clause for violation in check(tagged.data)}
    assert {"7.2 (Matterhorn 11)", "7.3 (Matterhorn 13)", "7.4.2 (Matterhorn 14)"} <= clauses, clauses


def verapdf_command() -> str | None:
    return os.environ.get("VERAPDF") or shutil.which("verapdf")


@pytest.mark.skipif(verapdf_command() is None, reason=(
    "veraPDF is not installed: it is a Java application distributed through Maven Central and verapdf.org, "
    "which this project's machines cannot reach (only PyPI, Debian and npm; none of them packages it). "
    "Install it by hand and set VERAPDF=/path/to/verapdf to run this test; see docs/accessibility.md."))
def test_every_kind_of_document_passes_verapdf_pdf_ua_1(documents, tmp_path):
    paths = []
    for index, (name, data) in enumerate(documents):
        path = tmp_path / f"{index:02d}.pdf"
        path.write_bytes(data)
        paths.append((name, path))
    result = subprocess.run([verapdf_command(), "--flavour", "ua1", "--format", "json",
                             *[str(path) for _name, path in paths]],
                            capture_output=True, text=True, timeout=600, check=False)
    report = json.loads(result.stdout)
    jobs = report["report"]["jobs"]
    failed = {}
    for (name, _path), job in zip(paths, jobs):
        validation = job["validationResult"]
        validation = validation[0] if isinstance(validation, list) else validation
        if not validation.get("compliant"):
            failed[name] = [rule.get("clause", "") + " " + rule.get("description", "")
                            for rule in validation["details"].get("ruleSummaries", [])]
    print(f"\nveraPDF PDF/UA-1: {len(paths)} documents, {len(failed)} not compliant")
    assert not failed, failed
