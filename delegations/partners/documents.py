"""Uploaded agreement files: recognised by their content (never by the name or the browser's claim), stored
under a random name in a folder of the instance, read back only by name this module wrote.

Allowed: PDF, Word (DOCX), OpenDocument text (ODT), and scans as JPEG, PNG or WebP (re-encoded, so their
metadata such as a GPS position does not travel with them)."""
from __future__ import annotations

import io
import os
import re
import secrets
import unicodedata
import zipfile
from dataclasses import dataclass

from flask_babel import gettext as _

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT_TYPE = "application/vnd.oasis.opendocument.text"
IMAGE_TYPES = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png"), "WEBP": ("image/webp", "webp")}
MAX_IMAGE_PIXELS = 60_000_000


class DocumentError(ValueError):
    """The upload is not a document we keep; the message says why, for the user."""


@dataclass(frozen=True)
class StoredDocument:
    name: str           # the random name in the folder
    original_name: str  # a safe version of the user's file name, for the download
    content_type: str
    size: int


def _pdf(data: bytes) -> bool:
    # A PDF starts with its header (some writers put a little junk before it) and ends with %%EOF.
    return b"%PDF-" in data[:1024] and b"%%EOF" in data[-2048:]


def _zip_names(data: bytes) -> list[str] | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return archive.namelist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return None


def _odt(data: bytes) -> bool:
    # The OpenDocument rule: the first entry is "mimetype", stored uncompressed, holding the type.
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            return bool(names) and names[0] == "mimetype" and \
                archive.read("mimetype").strip() == ODT_TYPE.encode() and "content.xml" in names
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, RuntimeError):
        return False


def recognise(data: bytes) -> tuple[str, str] | None:
    """(content type, extension) of a document we accept, or None."""
    if _pdf(data):
        return "application/pdf", "pdf"
    if data.startswith(b"PK\x03\x04"):
        if _odt(data):
            return ODT_TYPE, "odt"
        names = _zip_names(data) or []
        if "[Content_Types].xml" in names and "word/document.xml" in names:
            return DOCX_TYPE, "docx"
        return None
    head = data[:16]
    if head.startswith(b"\xff\xd8\xff") or head.startswith(b"\x89PNG\r\n\x1a\n") or \
            (head[:4] == b"RIFF" and head[8:12] == b"WEBP"):
        return "image", ""
    return None


def _reencoded_image(data: bytes) -> tuple[bytes, str, str]:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as probe:
            probe.verify()
        image = Image.open(io.BytesIO(data))
        kind = image.format
        if kind not in IMAGE_TYPES or image.width * image.height > MAX_IMAGE_PIXELS:
            raise DocumentError(_("This image could not be read. Please upload a PDF, DOCX, ODT, JPEG, PNG or WebP file."))
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError, ValueError):
        raise DocumentError(_("This image could not be read. Please upload a PDF, DOCX, ODT, JPEG, PNG or WebP file."))
    content_type, extension = IMAGE_TYPES[kind]
    if kind == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, format=kind, **({"quality": 90} if kind in ("JPEG", "WEBP") else {}))
    return buffer.getvalue(), content_type, extension


def safe_original_name(filename: str, extension: str) -> str:
    """The user's file name reduced to letters, digits, dots, dashes and underscores, with the right extension."""
    stem = os.path.splitext(os.path.basename((filename or "").replace("\\", "/")))[0]
    stem = "".join(char for char in unicodedata.normalize("NFKD", stem) if not unicodedata.combining(char))
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip(".-_")[:80] or "document"
    return f"{stem}.{extension}"


def store_document(data: bytes, filename: str, folder: str, max_bytes: int) -> StoredDocument:
    """Check an upload and store it under a random name in `folder`; raises DocumentError with the reason."""
    if len(data) > max_bytes:
        raise DocumentError(_("The file is larger than %(size)s MB. Please upload a smaller one.",
                              size=f"{max_bytes / 1024 / 1024:g}"))
    recognised = recognise(data) if data else None
    if recognised is None:
        raise DocumentError(_("Only PDF, Word (DOCX), OpenDocument (ODT) and image files (JPEG, PNG, WebP) can be "
                              "uploaded. The content of this file is none of these."))
    content_type, extension = recognised
    if content_type == "image":
        data, content_type, extension = _reencoded_image(data)
    os.makedirs(folder, exist_ok=True)
    name = f"{secrets.token_hex(16)}.{extension}"
    with open(os.path.join(folder, name), "wb") as stored:
        stored.write(data)
    return StoredDocument(name, safe_original_name(filename, extension), content_type, len(data))


def document_path(folder: str, name: str) -> str | None:
    """The stored file's path, only for names this module writes (no path tricks)."""
    if not name or not re.fullmatch(r"[0-9a-f]{32}\.(pdf|docx|odt|jpg|png|webp)", name):
        return None
    path = os.path.join(folder, name)
    return path if os.path.isfile(path) else None


def remove_document(folder: str, name: str) -> None:
    path = document_path(folder, name)
    if path is not None:
        os.remove(path)
