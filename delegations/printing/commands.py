"""`flask --app delegations programme-pdf DELEGATION_ID --lang LANG -o FILE`: the same PDF as the web page."""
from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from delegations.config import public_base_url
from delegations.printing import queries
from delegations.printing.documents import (LanguageNotOffered, choose_language, current_settings, filename_stem,
                                            guest_url_for, produce, programme_document_for)
from delegations.printing.pdf import RenderError


@click.command("programme-pdf")
@click.argument("delegation_id", type=int)
@click.option("--lang", "language", default=None,
              help="de, en or a language of the delegation (default: the delegation's first language).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True, path_type=Path), default=None,
              help="Where to write the PDF (default: a file named after the visit, here). '-' writes to stdout.")
@click.option("--base-url", default=None,
              help="The app's public address for the QR code (default: PUBLIC_BASE_URL).")
@with_appcontext
def programme_pdf_command(delegation_id: int, language: str | None, output: Path | None, base_url: str | None) -> None:
    """Render a delegation's programme (or a tour's travel programme) to a PDF file."""
    delegation = queries.delegation_for_print(delegation_id)
    if delegation is None:
        raise click.ClickException(f"no delegation with id {delegation_id}")
    document = programme_document_for(delegation)
    try:
        language = choose_language(document, delegation, language)
    except LanguageNotOffered:
        offered = ", ".join(document.languages(delegation))
        raise click.ClickException(f"the programme is not offered in {language!r}; choose one of: {offered}")
    base_url = base_url or public_base_url(current_app.config)
    guest_url = guest_url_for(delegation.id, base_url)
    try:
        produced = produce(document, delegation, language, current_settings(),
                           filename_stem=filename_stem(document.name, delegation.title, delegation.id),
                           guest_url=guest_url)
    except RenderError as error:
        raise click.ClickException(f"rendering failed: {error}")
    if str(output) == "-":
        click.get_binary_stream("stdout").write(produced.data)
        return
    target = output or Path(produced.filename)
    target.write_bytes(produced.data)
    how = "from the cache" if produced.from_cache else f"rendered in {produced.rendered.seconds:.2f} s"
    click.echo(f"Wrote {target} ({len(produced.data) / 1024:.0f} KB, {language}, {how}).")
    if guest_url is None:
        reason = ("no active guest link" if base_url else
                  "no public address known (set PUBLIC_BASE_URL or pass --base-url)")
        click.echo(f"Note: printed without the QR code to the live programme: {reason}.", err=True)
