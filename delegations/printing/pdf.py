"""HTML string in, PDF bytes out: WeasyPrint behind a fetcher that reads only our static files, with a time limit.

Knows nothing of Flask. Renders run in a separate worker process that is killed when a render overruns
its time limit, so a pathological document cannot hold a web worker.
"""
from __future__ import annotations

import atexit
import logging
import mimetypes
import os
import pickle
import select
import struct
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

log = logging.getLogger(__name__)

# Static files larger than this are not embedded (a font or a logo is far smaller).
MAX_STATIC_BYTES = 8 * 1024 * 1024
DEFAULT_TIMEOUT = 20.0


class RenderError(RuntimeError):
    """WeasyPrint could not produce the PDF."""


class RenderTimeout(RenderError):
    """The render took longer than its time limit and was stopped."""


@dataclass(frozen=True)
class RenderedPdf:
    data: bytes
    seconds: float
    pages: int = 0
    fetched: tuple[str, ...] = ()
    refused: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()  # WeasyPrint's own warnings, e.g. ".notdef glyph rendered"


def static_base_url(static_root: str | os.PathLike) -> str:
    """The base URL that resolves a template's relative `css/print.css` inside the static folder."""
    return Path(static_root).resolve().as_uri() + "/"


def _fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        """Serves files below `static_root` and data: URLs; refuses everything else, and never redirects.

        No network, no other file (/etc/passwd, /dev/urandom), no symlink out of the folder.
        """

        def __init__(self, static_root: str | os.PathLike):
            super().__init__(timeout=1, allowed_protocols={"data"}, allow_redirects=False)
            self.static_root = Path(static_root).resolve()
            self.fetched: list[str] = []
            self.refused: list[str] = []

        def fetch(self, url, headers=None):
            scheme = url.split(":", 1)[0].lower() if ":" in url else ""
            if scheme == "data":
                self.fetched.append(url[:40])
                return super().fetch(url, headers)
            if scheme == "file":
                path = self._static_path(url)
                if path is not None:
                    self.fetched.append(url)
                    content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                    return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": content_type})
            self.refused.append(url)
            raise ValueError(f"refused to fetch {url!r}: only the app's static files may be embedded")

        def _static_path(self, url: str) -> Path | None:
            parts = urlsplit(url)
            if parts.netloc not in ("", "localhost"):
                return None
            try:
                path = Path(unquote(parts.path)).resolve(strict=True)
            except (OSError, RuntimeError):
                return None
            if not path.is_relative_to(self.static_root) or not path.is_file():
                return None
            if path.stat().st_size > MAX_STATIC_BYTES:
                return None
            return path

    return StaticOnlyFetcher


class _WarningCollector(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _render(html: str, static_root: str, options: dict) -> RenderedPdf:
    import weasyprint

    from delegations.printing import tagging

    tagging.install()  # /Lang on text in another language, running heads as artifacts (once per process)
    started = time.perf_counter()
    fetcher = _fetcher_class()(static_root)
    collector = _WarningCollector()
    weasy_log = logging.getLogger("weasyprint")
    weasy_log.addHandler(collector)
    try:
        source = weasyprint.HTML(string=html, base_url=static_base_url(static_root), url_fetcher=fetcher)
        document = source.render(**options)
        data = document.write_pdf(**options)
    except Exception as error:  # WeasyPrint raises many kinds; the caller needs one
        raise RenderError(f"{type(error).__name__}: {error}") from error
    finally:
        weasy_log.removeHandler(collector)
    return RenderedPdf(data=data, seconds=time.perf_counter() - started, pages=len(document.pages),
                       fetched=tuple(fetcher.fetched),
                       refused=tuple(fetcher.refused), warnings=tuple(collector.messages))


# The render worker -------------------------------------------------------------------------------------
# A separate Python process (`python -m delegations.printing.worker`) renders one document at a time and
# stays warm between renders. It is started with exec, never forked from the app (whose threads hold
# database connections), and killed when a render overruns its time; the next render starts a new one.

MAX_RENDERS_PER_WORKER = 200  # then a fresh process: no slow growth of WeasyPrint's caches
_HEADER = struct.Struct(">Q")


def write_message(stream, payload) -> None:
    data = pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(data)) + data)
    stream.flush()


def read_message(stream):
    """The next message from a blocking stream; EOFError when it ends."""
    header = stream.read(_HEADER.size)
    if len(header) < _HEADER.size:
        raise EOFError
    (length,) = _HEADER.unpack(header)
    data = stream.read(length)
    if len(data) < length:
        raise EOFError
    return pickle.loads(data)


def _read_before(fd: int, size: int, deadline: float) -> bytes:
    chunks, missing = [], size
    while missing:
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
            raise TimeoutError
        chunk = os.read(fd, min(missing, 1 << 20))
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        missing -= len(chunk)
    return b"".join(chunks)


class RenderWorker:
    """One warm renderer process per app process; renders are taken one at a time."""

    def __init__(self):
        self._lock = threading.Lock()
        self._process: subprocess.Popen | None = None
        self._renders = 0
        self._owner = os.getpid()

    def render(self, request: tuple, timeout: float):
        if self._owner != os.getpid():  # this app process was forked: the worker belongs to the parent
            self.__init__()
        with self._lock:
            deadline = time.monotonic() + timeout
            if self._process is None or self._process.poll() is not None or self._renders >= MAX_RENDERS_PER_WORKER:
                self._stop()
                self._start()
            try:
                write_message(self._process.stdin, request)
                fd = self._process.stdout.fileno()
                (length,) = _HEADER.unpack(_read_before(fd, _HEADER.size, deadline))
                reply = pickle.loads(_read_before(fd, length, deadline))
            except TimeoutError:
                self._stop()
                raise RenderTimeout(f"rendering took longer than {timeout:g} s and was stopped") from None
            except (EOFError, OSError, pickle.UnpicklingError):
                self._stop()
                raise RenderError("the PDF renderer stopped without a result") from None
            self._renders += 1
            return reply

    def _start(self) -> None:
        package_root = str(Path(__file__).resolve().parents[2])
        environment = dict(os.environ)
        environment["PYTHONPATH"] = os.pathsep.join(filter(None, [package_root, environment.get("PYTHONPATH")]))
        self._process = subprocess.Popen([sys.executable, "-m", "delegations.printing.worker"],
                                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=environment,
                                         close_fds=True)
        self._renders = 0

    def _stop(self) -> None:
        if self._process is not None:
            if self._process.poll() is None:
                self._process.kill()
            self._process.wait()
            for stream in (self._process.stdin, self._process.stdout):
                try:
                    stream.close()
                except OSError:
                    pass
        self._process = None

    def stop(self) -> None:
        with self._lock:
            self._stop()


_worker = RenderWorker()
atexit.register(_worker.stop)


def render_pdf(html: str, *, static_root: str | os.PathLike, timeout: float = DEFAULT_TIMEOUT,
               isolate: bool = True, **options) -> RenderedPdf:
    """Render `html` (a complete document) to a tagged PDF.

    Relative URLs resolve inside `static_root`, the only folder the document may read.
    Raises RenderTimeout after `timeout` seconds, RenderError when WeasyPrint fails.
    `isolate=False` renders in this process, without the time limit (tests, debugging).
    """
    # PDF/UA-1: tags, plus the XMP metadata (dc:title, pdfuaid:part) and PDF 1.7 (see docs/accessibility.md)
    options = {"pdf_tags": True, "pdf_variant": "pdf/ua-1", **options}
    static_root = str(static_root)
    if not isolate:
        return _render(html, static_root, options)
    status, payload = _worker.render((html, static_root, options), timeout)
    if status != "ok":
        raise RenderError(payload)
    for url in payload.refused:
        log.warning("PDF render refused to fetch %s", url)
    return payload
