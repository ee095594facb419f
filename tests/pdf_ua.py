"""Machine checks of a PDF against the decidable part of PDF/UA-1 (ISO 14289-1), read with pypdf.

Written because veraPDF, the reference validator, cannot be installed where this project runs (it is a Java
application published on Maven Central and the veraPDF site; neither Debian, PyPI nor npm carry it, see
docs/accessibility.md). These checks follow the failure conditions of the Matterhorn Protocol 1.1 that a
program can decide; they are not a conformance claim, and `tests/test_pdf_ua.py` runs veraPDF as well
wherever a `verapdf` command exists.

`check(data)` returns a list of Violation(clause, message); an empty list means no check found anything.
"""
from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass

from pypdf import PdfReader
from pypdf.generic import ArrayObject, ContentStream, DictionaryObject, IndirectObject, NameObject

# ISO 32000-1, 14.8.4: the standard structure types (PDF/UA-1 7.1: others need a RoleMap entry to one of them).
STANDARD_TYPES = {
    "Document", "Part", "Art", "Sect", "Div", "BlockQuote", "Caption", "TOC", "TOCI", "Index", "NonStruct",
    "Private", "P", "H", "H1", "H2", "H3", "H4", "H5", "H6", "L", "LI", "Lbl", "LBody", "Table", "TR", "TH",
    "TD", "THead", "TBody", "TFoot", "Span", "Quote", "Note", "Reference", "BibEntry", "Code", "Link", "Annot",
    "Ruby", "RB", "RT", "RP", "Warichu", "WT", "WP", "Figure", "Formula", "Form",
}
PAINTING = {"Tj", "TJ", "'", '"', "S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "sh", "Do", "BI", "INLINE IMAGE"}
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")  # BCP 47, as far as a regular expression goes


@dataclass(frozen=True)
class Violation:
    clause: str   # ISO 14289-1 clause and Matterhorn checkpoint
    message: str

    def __str__(self) -> str:
        return f"{self.clause}: {self.message}"


def _resolve(node):
    return node.get_object() if isinstance(node, IndirectObject) else node


def _kids(element) -> list:
    kids = element.get("/K")
    if kids is None:
        return []
    kids = _resolve(kids)
    return [_resolve(kid) for kid in (kids if isinstance(kids, list) else [kids])]


def _is_element(node) -> bool:
    return isinstance(node, DictionaryObject) and node.get("/Type", "/StructElem") == "/StructElem" \
        and "/S" in node


def structure(reader: PdfReader) -> Iterator[tuple[DictionaryObject, object]]:
    """(element, page reference) for every structure element reachable from the root, in reading order."""
    root = _resolve(reader.trailer["/Root"]["/StructTreeRoot"])
    stack = [(kid, None) for kid in reversed(_kids(root))]
    while stack:
        element, page = stack.pop()
        if not _is_element(element):
            continue
        page = element.get("/Pg", page)
        yield element, page
        stack.extend((kid, page) for kid in reversed(_kids(element)))


def _text(value) -> str:
    return str(value) if value is not None else ""


def check(data: bytes) -> list[Violation]:
    reader = PdfReader(io.BytesIO(data))
    root = reader.trailer["/Root"]
    found: list[Violation] = []

    def fail(clause: str, message: str) -> None:
        found.append(Violation(clause, message))

    # 7.1 / Matterhorn 01, 06, 07: tagged, marked, identified, titled --------------------------------------
    if "/StructTreeRoot" not in root:
        return [Violation("7.1 (Matterhorn 01)", "no structure tree: the PDF is not tagged")]
    mark_info = _resolve(root.get("/MarkInfo")) or {}
    if str(mark_info.get("/Marked", "false")).lower() != "true":
        fail("7.1 (Matterhorn 01)", "/MarkInfo /Marked is not true")
    xmp = reader.xmp_metadata
    raw_xmp = _resolve(root["/Metadata"]).get_data().decode("utf-8", "replace") if "/Metadata" in root else ""
    if not re.search(r"pdfuaid:part(>|=\")\s*1", raw_xmp):
        fail("5 (Matterhorn 06)", "the XMP metadata does not identify the file as PDF/UA-1 (pdfuaid:part)")
    if xmp is None or not xmp.dc_title or not any(str(title).strip() for title in xmp.dc_title.values()):
        fail("7.1 (Matterhorn 06)", "the XMP metadata has no dc:title")
    preferences = _resolve(root.get("/ViewerPreferences")) or {}
    if str(preferences.get("/DisplayDocTitle", "false")).lower() != "true":
        fail("7.1 (Matterhorn 07)", "/ViewerPreferences /DisplayDocTitle is not true")

    # 7.2 / Matterhorn 11: natural language --------------------------------------------------------------
    document_language = _text(root.get("/Lang")).strip()
    if not document_language:
        fail("7.2 (Matterhorn 11)", "the catalog has no /Lang")
    elif not LANGUAGE_TAG.match(document_language):
        fail("7.2 (Matterhorn 11)", f"the catalog's /Lang {document_language!r} is not a language tag")

    tree = _resolve(root["/StructTreeRoot"])
    role_map = _resolve(tree.get("/RoleMap")) or {}
    pages = {page.indirect_reference.idnum: index for index, page in enumerate(reader.pages)}
    tagged: set[tuple[int, int]] = set()  # (page index, MCID) of content reachable from the structure tree
    headings: list[int] = []

    for element, page_reference in structure(reader):
        kind = str(element["/S"])[1:]
        standard = kind if kind in STANDARD_TYPES else str(role_map.get("/" + kind, ""))[1:]
        if standard not in STANDARD_TYPES:
            fail("7.1 (Matterhorn 02)", f"structure type /{kind} is neither standard nor role-mapped")
        if "/Lang" in element and not LANGUAGE_TAG.match(_text(element["/Lang"])):
            fail("7.2 (Matterhorn 11)", f"/{kind} has /Lang {_text(element['/Lang'])!r}, not a language tag")
        alternative = _text(element.get("/Alt")).strip() or _text(element.get("/ActualText")).strip()
        if standard == "Figure" and not alternative:
            fail("7.3 (Matterhorn 13)", "a figure has neither /Alt nor /ActualText")
        if re.fullmatch(r"H[1-6]", standard):
            headings.append(int(standard[1]))
        parent = _resolve(element.get("/P"))
        parent_kind = str(parent.get("/S", ""))[1:] if isinstance(parent, DictionaryObject) else ""
        if standard in ("TH", "TD") and parent_kind != "TR":
            fail("7.5 (Matterhorn 15)", f"a /{standard} cell outside a table row (in /{parent_kind})")
        if standard == "TR" and parent_kind not in ("Table", "THead", "TBody", "TFoot"):
            fail("7.5 (Matterhorn 15)", f"a table row outside a table (in /{parent_kind})")
        children = {str(kid["/S"])[1:] for kid in _kids(element) if _is_element(kid)}
        if standard == "L" and not children <= {"LI", "L", "Caption"}:
            fail("7.6 (Matterhorn 16)", f"a list holds {sorted(children - {'LI', 'L', 'Caption'})}, not only items")
        if standard == "LI" and not children <= {"Lbl", "LBody"}:
            fail("7.6 (Matterhorn 16)", f"a list item holds {sorted(children - {'Lbl', 'LBody'})}, not only Lbl/LBody")
        page_index = pages.get(page_reference.idnum) if isinstance(page_reference, IndirectObject) else None
        for kid in _kids(element):
            if isinstance(kid, int) and page_index is not None:
                tagged.add((page_index, int(kid)))
            elif isinstance(kid, DictionaryObject) and kid.get("/Type") == "/MCR":
                kid_page = kid.get("/Pg", page_reference)
                index = pages.get(kid_page.idnum) if isinstance(kid_page, IndirectObject) else None
                if index is not None:
                    tagged.add((index, int(kid["/MCID"])))

    # 7.4.2 / Matterhorn 14: headings start at H1 and never skip a level on the way down
    if headings and headings[0] != 1:
        fail("7.4.2 (Matterhorn 14)", f"the first heading is H{headings[0]}, not H1")
    for previous, current in zip(headings, headings[1:]):
        if current > previous + 1:
            fail("7.4.2 (Matterhorn 14)", f"heading level skipped: H{previous} followed by H{current}")

    # 7.5 / Matterhorn 15: data cells point at header cells that exist
    header_ids = {_text(element.get("/ID")) for element, _page in structure(reader)
                  if str(element["/S"]) == "/TH" and "/ID" in element}
    for element, _page in structure(reader):
        if str(element["/S"]) != "/TD":
            continue
        attributes = _resolve(element.get("/A")) or {}
        for identifier in _resolve(attributes.get("/Headers", ArrayObject())) if isinstance(attributes, dict) else []:
            if _text(identifier) not in header_ids:
                fail("7.5 (Matterhorn 15)", f"a data cell names a header {_text(identifier)!r} that does not exist")

    # 7.1 / Matterhorn 01: all content is tagged (and in the tree) or an artifact -------------------------
    for index, page in enumerate(reader.pages):
        contents = page.get_contents()
        if contents is None:
            continue
        stack: list[tuple[str, int | None]] = []  # (tag, MCID) of the open marked-content sequences
        untagged = orphaned = 0
        for operands, operator in ContentStream(contents, reader).operations:
            op = operator.decode("latin-1") if isinstance(operator, bytes) else str(operator)
            if op == "BDC":
                properties = operands[1] if len(operands) > 1 else None
                if isinstance(properties, NameObject):
                    properties = _resolve(_resolve(page["/Resources"]).get("/Properties", {})).get(properties)
                properties = _resolve(properties) or {}
                mcid = properties.get("/MCID") if isinstance(properties, dict) else None
                stack.append((str(operands[0]), int(mcid) if mcid is not None else None))
            elif op == "BMC":
                stack.append((str(operands[0]), None))
            elif op == "EMC":
                if stack:
                    stack.pop()
            elif op in PAINTING:
                if any(tag == "/Artifact" for tag, _mcid in stack):
                    continue
                mcid = next((mcid for _tag, mcid in reversed(stack) if mcid is not None), None)
                if mcid is None:
                    untagged += 1
                elif (index, mcid) not in tagged:
                    orphaned += 1
        if untagged:
            fail("7.1 (Matterhorn 01)", f"page {index + 1}: {untagged} drawing operations neither tagged nor artifacts")
        if orphaned:
            fail("7.1 (Matterhorn 01)", f"page {index + 1}: {orphaned} drawing operations in marked content that no "
                                 "element of the structure tree owns")

        # 7.18 / Matterhorn 28: annotations ----------------------------------------------------------------
        annotations = [_resolve(annotation) for annotation in _resolve(page.get("/Annots", ArrayObject()))]
        if annotations and str(page.get("/Tabs", "")) != "/S":
            fail("7.18.3 (Matterhorn 28)", f"page {index + 1} has annotations but no /Tabs /S")
        for annotation in annotations:
            subtype = str(annotation.get("/Subtype", ""))
            if subtype in ("/Popup",):
                continue
            if subtype == "/Link" and not _text(annotation.get("/Contents")).strip():
                fail("7.18.5 (Matterhorn 28)", f"page {index + 1}: a link annotation has no /Contents description")
            if "/StructParent" not in annotation:
                fail("7.18.1 (Matterhorn 28)", f"page {index + 1}: a {subtype[1:]} annotation is outside the tree")

    # 7.21 / Matterhorn 31: fonts embedded and mappable to Unicode -----------------------------------------
    seen: set[int] = set()
    for page in reader.pages:
        fonts = _resolve(_resolve(page.get("/Resources", {})).get("/Font", {})) or {}
        for reference in fonts.values():
            font = _resolve(reference)
            if isinstance(reference, IndirectObject):
                if reference.idnum in seen:
                    continue
                seen.add(reference.idnum)
            name = _text(font.get("/BaseFont"))
            described = font
            if str(font.get("/Subtype")) == "/Type0":
                described = _resolve(_resolve(font["/DescendantFonts"])[0])
            descriptor = _resolve(described.get("/FontDescriptor")) or {}
            if not any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
                fail("7.21.4.1 (Matterhorn 31)", f"font {name} is not embedded")
            if "/ToUnicode" not in font and str(font.get("/Encoding", "")) not in (
                    "/WinAnsiEncoding", "/MacRomanEncoding", "/StandardEncoding"):
                fail("7.21.7 (Matterhorn 31)", f"font {name} has no /ToUnicode map")
    return found


# Which language a screen reader uses for each piece of text --------------------------------------------------

@dataclass(frozen=True)
class SpokenText:
    text: str
    language: str      # the /Lang in force: the nearest on the element or its ancestors, else the catalog's
    element: str       # the structure type of the element that owns the text (/P, /Span, /H1...)


def spoken_texts(data: bytes) -> list[SpokenText]:
    """Every tagged text of the PDF with the language in force for it, in content order."""
    reader = PdfReader(io.BytesIO(data))
    root = reader.trailer["/Root"]
    document_language = _text(root.get("/Lang"))
    tree = _resolve(root["/StructTreeRoot"])
    numbers = _resolve(tree["/ParentTree"]).get("/Nums", [])
    owners = {int(numbers[index]): _resolve(numbers[index + 1]) for index in range(0, len(numbers) - 1, 2)}
    found = []
    for page in reader.pages:
        page_owners = owners.get(int(page.get("/StructParents", -1)))
        if not isinstance(page_owners, list):
            continue
        pieces: dict[int, list[str]] = {}
        stack: list[int | None] = []

        def before(operator, operands, _cm, _tm, stack=stack):
            if operator == b"BDC":
                properties = _resolve(operands[1]) if len(operands) > 1 else None
                mcid = properties.get("/MCID") if isinstance(properties, dict) else None
                stack.append(int(mcid) if mcid is not None else None)
            elif operator == b"BMC":
                stack.append(None)
            elif operator == b"EMC" and stack:
                stack.pop()

        def text(value, _cm, _tm, _font, _size, stack=stack, pieces=pieces):
            mcid = next((mcid for mcid in reversed(stack) if mcid is not None), None)
            if mcid is not None and value.strip():
                pieces.setdefault(mcid, []).append(value)

        page.extract_text(visitor_operand_before=before, visitor_text=text)
        for mcid, parts in sorted(pieces.items()):
            element = _resolve(page_owners[mcid])
            language, node = None, element
            while isinstance(node, DictionaryObject) and language is None:
                language = _text(node.get("/Lang")) or None
                node = _resolve(node.get("/P"))
            found.append(SpokenText("".join(parts).strip(), language or document_language,
                                    str(element.get("/S", ""))[1:]))
    return found
