"""Rendered PDFs on disk, keyed by a hash of everything the document shows.

The key hashes the complete HTML (every name, time, text and the QR code's address), the print
stylesheet and the renderer's version: a change anywhere gives a new key, an unchanged document
finds its PDF again. Old files are pruned, least recently used first.
"""
from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

# Bump when the rendering pipeline changes in a way the HTML does not show (options, fetcher).
PIPELINE_VERSION = "2"  # 2: /Lang on structure elements, PDF/UA-1 metadata (issue 11)


def document_key(document_name: str, html: str, assets: bytes = b"", renderer_version: str = "") -> str:
    digest = hashlib.sha256()
    for part in (PIPELINE_VERSION, renderer_version, document_name):
        digest.update(part.encode() + b"\0")
    digest.update(hashlib.sha256(assets).digest())
    digest.update(html.encode("utf-8"))
    return digest.hexdigest()


class PdfCache:
    """A folder of `<key>.pdf` files, written atomically, at most `max_files` of them."""

    def __init__(self, directory: str | os.PathLike, max_files: int = 500):
        self.directory = Path(directory)
        self.max_files = max_files

    def path_for(self, key: str) -> Path:
        if not key.isalnum():
            raise ValueError("cache keys are hex digests")
        return self.directory / f"{key}.pdf"

    def get(self, key: str) -> bytes | None:
        path = self.path_for(key)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return None
        try:
            os.utime(path)  # recently used: pruned last
        except OSError:
            pass
        return data

    def put(self, key: str, data: bytes) -> Path:
        self.directory.mkdir(parents=True, exist_ok=True)
        path = self.path_for(key)
        # Write next to the target and rename: a reader never sees half a PDF.
        handle, temporary = tempfile.mkstemp(dir=self.directory, prefix=".render-", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        self.prune()
        return path

    def prune(self) -> int:
        """Remove the least recently used PDFs beyond `max_files`; returns how many went."""
        files = []
        for entry in os.scandir(self.directory):
            if entry.name.endswith(".pdf"):
                try:
                    files.append((entry.stat().st_mtime, entry.path))
                except FileNotFoundError:
                    continue
        surplus = len(files) - self.max_files
        if surplus <= 0:
            return 0
        for _mtime, path in sorted(files)[:surplus]:
            Path(path).unlink(missing_ok=True)
        return surplus

    def clear(self) -> int:
        removed = 0
        if self.directory.is_dir():
            for path in self.directory.glob("*.pdf"):
                path.unlink(missing_ok=True)
                removed += 1
        return removed
