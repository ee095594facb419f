"""The registry of printed documents and the one path every PDF takes: context -> HTML -> cache or WeasyPrint.

Each document is a small unit (name, template, content type, context builder); adding one never touches
the views. Rendering templates needs the app (Jinja, the gettext catalog), never a request.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from delegations.printing.briefing import build_briefing
from delegations.printing.cache import PdfCache, document_key
from delegations.printing.guest_links import active_link, token_for
from delegations.printing.labels import (GETTEXT_LANGUAGES, has_labels, label_language, labels_for,
                                         native_name, text_direction)
from delegations.printing.pdf import RenderedPdf, render_pdf
from delegations.printing.programme import (BASE_LANGUAGE, FALLBACK_LANGUAGE, build_programme, format_clock,
                                           format_day, format_period, format_short_day)
from delegations.printing.settings import PrintSettings
from delegations.printing.week import WeekOverview

STYLESHEET = "css/print.css"

# Font stacks per script: Noto everywhere; Latin from Noto Sans/Serif first, then the script's face (the CJK
# face matching the language gives the right glyph shapes; Naskh for Arabic script).
FONT_STACKS = {
    "default": '"Noto Sans", "Noto Sans CJK SC", "Noto Naskh Arabic", "Noto Sans Arabic", sans-serif',
    "zh": '"Noto Sans", "Noto Sans CJK SC", "Noto Naskh Arabic", sans-serif',
    "ja": '"Noto Sans", "Noto Sans CJK JP", "Noto Naskh Arabic", sans-serif',
    "ko": '"Noto Sans", "Noto Sans CJK KR", "Noto Naskh Arabic", sans-serif',
    "ar": '"Noto Sans", "Noto Naskh Arabic", "Noto Sans CJK SC", sans-serif',
    "fa": '"Noto Sans", "Noto Naskh Arabic", "Noto Sans CJK SC", sans-serif',
}

HEADING_STACKS = {
    "default": '"Noto Serif", "Noto Serif CJK SC", "Noto Naskh Arabic", serif',
    "zh": '"Noto Serif", "Noto Serif CJK SC", "Noto Naskh Arabic", serif',
    "ja": '"Noto Serif", "Noto Serif CJK JP", "Noto Naskh Arabic", serif',
    "ko": '"Noto Serif", "Noto Serif CJK KR", "Noto Naskh Arabic", serif',
    "ar": '"Noto Serif", "Noto Naskh Arabic", "Noto Serif CJK SC", serif',
    "fa": '"Noto Serif", "Noto Naskh Arabic", "Noto Serif CJK SC", serif',
}


def font_stack(language: str, headings: bool = False) -> str:
    stacks = HEADING_STACKS if headings else FONT_STACKS
    return stacks.get(language.split("-")[0], stacks["default"])


def lang_attributes(document_language: str):
    """A template helper: ' lang="de"' (and dir) for a text whose language differs from the document's."""
    document_direction = text_direction(document_language)

    def attributes(text_language: str) -> Markup:
        if not text_language or text_language == document_language:
            return Markup("")
        direction = text_direction(text_language)
        extra = f' dir="{direction}"' if direction != document_direction else ""
        return Markup(' lang="%s"') % text_language + Markup(extra)

    return attributes


@dataclass(frozen=True)
class PrintDocument:
    name: str
    title: object  # lazy label for buttons and file names
    template: str
    build_context: Callable[..., dict]
    default_language: Callable[[object], str]
    guest_facing: bool  # True: labels in the guest's language; False: internal (German or English)
    content_type: str = "application/pdf"
    # Documents that must fit on one sheet are rendered again, denser, until they do (at most this often).
    fit_to_one_page: int = 0

    def languages(self, subject) -> list[str]:
        """The languages this document may be asked for, for this subject."""
        if not self.guest_facing:
            return list(GETTEXT_LANGUAGES)
        offered = [BASE_LANGUAGE, FALLBACK_LANGUAGE]
        for code in getattr(subject, "languages", None) or ():
            code = (code or "").strip().lower()
            if code and code not in offered:
                offered.append(code)
        return offered

    def locale_for(self, language: str) -> str:
        """The gettext locale in force while the template renders."""
        if self.guest_facing:
            labels = label_language(language)
            return labels if labels in GETTEXT_LANGUAGES else "en"
        return language if language in GETTEXT_LANGUAGES else BASE_LANGUAGE


REGISTRY: dict[str, PrintDocument] = {}


def register(document: PrintDocument) -> PrintDocument:
    REGISTRY[document.name] = document
    return document


def guest_default_language(delegation) -> str:
    """A guest's programme speaks the delegation's first language we have labels for, else English."""
    for code in delegation.languages or ():
        if code and has_labels(code):
            return code
    return FALLBACK_LANGUAGE


def _programme_context(delegation, language: str, settings: PrintSettings, guest_url: str | None = None,
                       large_print: bool = False, **_ignored) -> dict:
    from delegations.releases.stamps import document_stamp  # the released version it shows (issue 9)

    programme = build_programme(delegation, language, settings, guest_url=guest_url)
    return {"programme": programme, "L": labels_for(language), "qr": qr_data_uri(guest_url) if guest_url else None,
            "large_print": large_print, "release": document_stamp(delegation)}


def _briefing_context(delegation, language: str, settings: PrintSettings, large_print: bool = False,
                      **_ignored) -> dict:
    return {"briefing": build_briefing(delegation, language, settings.home_zone, settings.home_city),
            "large_print": large_print}


def _week_context(week: WeekOverview, language: str, settings: PrintSettings, density: int = 0, **_ignored) -> dict:
    return {"week": week, "period": format_period(week.days[0], week.days[-1], language),
            "home": ZoneInfo(settings.home_zone), "density": max(density, 1 if week.dense else 0)}


PROGRAMME = register(PrintDocument(
    name="programme", title=_l("Programme"), template="print/programme.html",
    build_context=_programme_context, default_language=guest_default_language, guest_facing=True))
TOUR_PROGRAMME = register(PrintDocument(
    name="tour-programme", title=_l("Travel programme"), template="print/programme.html",
    build_context=_programme_context, default_language=lambda tour: BASE_LANGUAGE, guest_facing=True))
BRIEFING = register(PrintDocument(
    name="briefing", title=_l("Mayor's briefing"), template="print/briefing.html",
    build_context=_briefing_context, default_language=lambda delegation: BASE_LANGUAGE, guest_facing=False))
WEEK = register(PrintDocument(
    name="week", title=_l("Week overview"), template="print/week.html",
    build_context=_week_context, default_language=lambda week: BASE_LANGUAGE, guest_facing=False,
    fit_to_one_page=2))


def programme_document_for(delegation) -> PrintDocument:
    """Incoming delegations get the guest programme; outgoing tours the travel programme with home times."""
    return TOUR_PROGRAMME if delegation.is_outgoing else PROGRAMME


def qr_data_uri(url: str) -> str:
    import segno

    return segno.make(url, error="m", micro=False).svg_data_uri(scale=4, border=0, dark="#1b1b1b")


def render_html(document: PrintDocument, subject, language: str, settings: PrintSettings, **extra) -> str:
    """The document as an HTML string (everything it shows; the cache key is its hash)."""
    with force_locale(document.locale_for(language)):
        context = document.build_context(subject, language, settings, **extra)
        labels_in = label_language(language) if document.guest_facing else document.locale_for(language)
        return render_template(document.template, document=document, language=language, labels_language=labels_in,
                               direction=text_direction(labels_in), font_stack=font_stack(labels_in),
                               heading_stack=font_stack(labels_in, headings=True), lang_attrs=lang_attributes(labels_in),
                               stylesheet=STYLESHEET, settings=settings, format_day=format_day,
                               short_day=format_short_day, clock=format_clock, native_name=native_name, **context)


@dataclass(frozen=True)
class ProducedPdf:
    data: bytes
    key: str
    filename: str
    content_type: str
    from_cache: bool
    rendered: RenderedPdf | None = None


_asset_cache: dict[str, tuple[float, bytes]] = {}


def asset_bytes(static_root: str) -> bytes:
    """The print stylesheet's bytes (part of every cache key), re-read only when the file changes."""
    path = Path(static_root) / STYLESHEET
    mtime = path.stat().st_mtime
    cached = _asset_cache.get(str(path))
    if cached is None or cached[0] != mtime:
        cached = (mtime, path.read_bytes())
        _asset_cache[str(path)] = cached
    return cached[1]


def renderer_version() -> str:
    from importlib.metadata import version

    return "weasyprint " + version("weasyprint")


def produce(document: PrintDocument, subject, language: str, settings: PrintSettings, *, filename_stem: str,
            **extra) -> ProducedPdf:
    """The document as PDF: from the cache when nothing it shows has changed, else rendered and stored."""
    html = render_html(document, subject, language, settings, **extra)
    key = document_key(document.name, html, asset_bytes(settings.static_root), renderer_version())
    cache = PdfCache(settings.cache_dir, settings.cache_max_files)
    filename = f"{filename_stem}-{language}.pdf"
    if (cached := cache.get(key)) is not None:
        return ProducedPdf(cached, key, filename, document.content_type, from_cache=True)
    rendered = render_pdf(html, static_root=settings.static_root, timeout=settings.render_timeout,
                          isolate=settings.render_isolated)
    for density in range(1, document.fit_to_one_page + 1):
        if rendered.pages <= 1:
            break
        denser = render_html(document, subject, language, settings, density=density, **extra)
        rendered = render_pdf(denser, static_root=settings.static_root, timeout=settings.render_timeout,
                              isolate=settings.render_isolated)
    cache.put(key, rendered.data)  # under the key of what it shows, whatever density it took
    return ProducedPdf(rendered.data, key, filename, document.content_type, from_cache=False, rendered=rendered)


def filename_stem(kind: str, title: str, number: int | str) -> str:
    """'programme-12-delegation-der-partnerstadt-poznan': ASCII, safe in every browser and file system."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^A-Za-z0-9]+", "-", ascii_title).strip("-").lower()[:60].strip("-")
    return "-".join(part for part in (kind, str(number), slug) if part)


class LanguageNotOffered(LookupError):
    """The document is not offered in this language for this subject."""


def choose_language(document: PrintDocument, subject, requested: str | None) -> str:
    """The requested language if offered (de, en, the delegation's languages), else the document's default."""
    if not requested:
        return document.default_language(subject)
    requested = requested.strip().lower()
    if requested not in document.languages(subject):
        raise LanguageNotOffered(requested)
    return requested


def current_settings() -> PrintSettings:
    app = current_app
    return PrintSettings.from_config(app.config, app.instance_path, app.static_folder)


def guest_path(token: str) -> str:
    """'/p/<token>', built from the app's routes (no request needed)."""
    return current_app.url_map.bind("localhost").build("printing.guest_programme", {"token": token})


def guest_url_for(delegation_id: int, base_url: str | None) -> str | None:
    """The address of the delegation's live programme for its QR code, or None without an active,
    printable link or without a known public address."""
    if not base_url:
        return None
    link = active_link(delegation_id)
    token = token_for(link, current_app.config["SECRET_KEY"]) if link is not None else None
    if token is None:
        return None
    return base_url.rstrip("/") + guest_path(token)
