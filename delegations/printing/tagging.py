"""Two repairs to the structure tree WeasyPrint 70 writes into a tagged PDF (issue 11, PDF/UA-1).

1. **Languages.** WeasyPrint writes the document language to the catalog only: a German venue name in a Chinese
   programme is tagged, but a screen reader reads it with the Chinese voice. WeasyPrint does know each box's
   language (the inherited `lang` property, set from the HTML `lang` attribute) when it marks the box's content
   in the page stream. We note the language of every marked-content id (MCID) before the structure tree is
   built, then set /Lang on the structure element that owns the content (found through the ParentTree) when it
   differs from the document's, and lift a language shared by all children of an element onto the element.
2. **Running heads and page numbers.** WeasyPrint marks the text of page-margin boxes as content but leaves
   their structure elements out of the tree (PDF/UA-1 7.1: content must be tagged or an artifact). Content whose
   element is not reachable from the tree is turned into a pagination artifact (`/Artifact <</Type
   /Pagination>> BDC`), which screen readers skip, as they should skip a header repeated on every page.

Both work on the objects of the PDF being written, after WeasyPrint's `add_tags` built the tree and before the
file is serialised: no second parse, and the mapping is exact (no matching of text or positions). `install()`
wraps `weasyprint.pdf.add_tags` once per process. When a WeasyPrint release changes what this relies on, the
repairs log a warning and the PDF keeps WeasyPrint's own tags; tests/test_pdf_ua.py and
tests/test_accessibility_pdfs.py then fail, so an upgrade cannot lose them silently.
"""
from __future__ import annotations

import functools
import logging
from dataclasses import dataclass, field

log = logging.getLogger(__name__)

_MARK = "_delegations_repairs_tags"


def install() -> bool:
    """Wrap WeasyPrint's `add_tags` with the repairs; idempotent. False when WeasyPrint lacks the hook."""
    import weasyprint.pdf as weasy_pdf

    original = getattr(weasy_pdf, "add_tags", None)
    if original is None:
        log.warning("WeasyPrint has no pdf.add_tags: PDFs keep WeasyPrint's own tags")
        return False
    if getattr(original, _MARK, False):
        return True

    @functools.wraps(original)
    def add_tags_and_repair(pdf, document, *args, **kwargs):
        page_streams = kwargs.get("page_streams", args[-1] if args else ())
        try:
            pages = [marks_of(stream) for stream in page_streams]
        except (AttributeError, KeyError, TypeError) as error:
            log.warning("Could not read WeasyPrint's marks: %s: %s", type(error).__name__, error)
            pages = None
        original(pdf, document, *args, **kwargs)
        if pages is None:
            return
        try:
            repair(pdf, getattr(document.metadata, "lang", None), pages)
        except (KeyError, IndexError, TypeError, ValueError, AttributeError) as error:
            # never fail a print over this: the PDF stays valid, with WeasyPrint's own tags
            log.warning("Could not repair the PDF structure: %s: %s", type(error).__name__, error)

    setattr(add_tags_and_repair, _MARK, True)
    weasy_pdf.add_tags = add_tags_and_repair
    return True


@dataclass
class PageMarks:
    """What one page stream marked: each MCID's language and the place of its property list in the stream."""
    stream: object
    languages: dict[int, str | None] = field(default_factory=dict)
    positions: dict[int, int] = field(default_factory=dict)  # MCID -> index of its property list in stream.stream


def marks_of(stream) -> PageMarks:
    """Read before `add_tags` consumes the marks (`stream._tags`: box -> {'tag', 'mcid'})."""
    page = PageMarks(stream)
    for box, mark in (stream._tags or {}).items():
        style = getattr(box, "style", None)
        language = style["lang"] if style is not None else None
        page.languages[mark["mcid"]] = str(language) if language else None
    items = stream.stream
    for index, item in enumerate(items[:-1]):
        if isinstance(item, dict) and "MCID" in item and items[index + 1] == b"BDC":
            page.positions[item["MCID"]] = index
    return page


def same_language(first: str | None, second: str | None) -> bool:
    return (first or "").strip().lower() == (second or "").strip().lower()


@dataclass(frozen=True)
class Repairs:
    languages: int   # structure elements that carry a /Lang of their own
    artifacts: int   # marked-content sequences turned into pagination artifacts


def repair(pdf, document_language: str | None, pages: list[PageMarks]) -> Repairs:
    """Set /Lang on elements with text in another language and turn content outside the tree into artifacts,
    in `pdf` (a pydyf.PDF being written) whose structure tree `add_tags` has just built."""
    import pydyf

    objects = pdf.objects

    def resolve(reference):
        if isinstance(reference, bytes) and reference.endswith(b" R"):
            return objects[int(reference.split()[0])]
        return reference

    root = resolve(pdf.catalog["StructTreeRoot"])
    in_tree = {id(element) for element in _elements(root, resolve)}
    nums = resolve(root["ParentTree"])["Nums"]
    artifacts = 0
    for index in range(0, len(nums) - 1, 2):
        key, owners = nums[index], nums[index + 1]
        if not isinstance(owners, list) or not isinstance(key, int) or key >= len(pages):
            continue  # annotations map to one element each; they hold no marked content
        page = pages[key]
        if len(owners) != len(page.languages):
            log.warning("Page %d: %d marks but %d owners; page left as WeasyPrint tagged it", key + 1,
                        len(page.languages), len(owners))
            continue
        for mcid, reference in enumerate(owners):
            owner = resolve(reference)
            if id(owner) not in in_tree:
                artifacts += _make_artifact(page, mcid)
                continue
            language = page.languages.get(mcid)
            if language and not same_language(language, document_language):
                owner["Lang"] = pydyf.String(language)

    for top in _kids(root, resolve):
        if _is_element(top):
            _lift(top, resolve)
    languages = sum(1 for element in _elements(root, resolve) if "Lang" in element)
    return Repairs(languages, artifacts)


def _make_artifact(page: PageMarks, mcid: int) -> int:
    """`/Span <</MCID n>> BDC` -> `/Artifact <</Type /Pagination>> BDC` in the page stream (not yet written)."""
    position = page.positions.get(mcid)
    items = page.stream.stream
    if position is None or position == 0 or not str(items[position - 1]).startswith("/"):
        return 0
    properties = items[position]
    properties.clear()
    properties["Type"] = "/Pagination"
    items[position - 1] = "/Artifact"
    return 1


def _kids(element, resolve) -> list:
    kids = element.get("K")
    if kids is None:
        return []
    kids = resolve(kids)
    return [resolve(kid) for kid in (kids if isinstance(kids, list) else [kids])]


def _text(value) -> str:
    return str(getattr(value, "string", value))


def _is_element(node) -> bool:
    return isinstance(node, dict) and str(node.get("Type", "")) == "/StructElem"


def _elements(root, resolve):
    stack = [kid for kid in _kids(root, resolve) if _is_element(kid)]
    while stack:
        element = stack.pop()
        yield element
        stack.extend(kid for kid in _kids(element, resolve) if _is_element(kid))


def _lift(element, resolve) -> None:
    """Lift a /Lang that all children of `element` share onto it, children first."""
    kids = _kids(element, resolve)
    children = [kid for kid in kids if _is_element(kid)]
    for child in children:
        _lift(child, resolve)
    holds_content = any(isinstance(kid, int) for kid in kids)  # its own marked content: its /Lang is its own
    if not children or holds_content or "Lang" in element:
        return
    languages = {_text(child["Lang"]) if "Lang" in child else None for child in children}
    if len(languages) == 1 and None not in languages:
        element["Lang"] = children[0]["Lang"]
        for child in children:
            del child["Lang"]
