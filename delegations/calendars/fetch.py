"""Downloading a subscribed calendar over HTTP(S), politely: ETag and If-Modified-Since, a timeout, a size cap."""
from __future__ import annotations

import ipaddress
import socket
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from flask_babel import lazy_gettext as _l

from delegations.calendars.reader import CalendarError

USER_AGENT = "delegation-planner calendar refresh (+https://www.hannover.de)"
ALLOWED_SCHEMES = ("http", "https")


@dataclass
class Download:
    not_modified: bool
    body: bytes = b""
    etag: str = ""
    last_modified: str = ""
    status: int = 200


def normalise_url(url: str) -> str:
    """The URL to fetch: webcal:// (as Outlook and Apple publish it) becomes https://; only http(s) allowed."""
    url = (url or "").strip()
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme in ("webcal", "webcals"):
        parts = parts._replace(scheme="https")
        scheme = "https"
    if scheme not in ALLOWED_SCHEMES or not parts.netloc:
        raise CalendarError(_l("Only http:// and https:// addresses (or webcal://) can be subscribed to."))
    return urlunsplit(parts)


def refuse_internal_host(url: str) -> None:
    """Refuse addresses inside the city's network or on this machine (no server-side request forgery).

    A planner can type any address; without this check the server would fetch, say, the cloud metadata
    service at 169.254.169.254 or an intranet page on the planner's behalf.
    """
    host = urlsplit(url).hostname or ""
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except (socket.gaierror, UnicodeError) as error:
        raise CalendarError(_l("The calendar server cannot be reached: %(reason)s", reason=error)) from error
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%")[0])
        if not ip.is_global:
            raise CalendarError(_l("The calendar address points into a private network (%(address)s); "
                                   "only public calendar servers can be subscribed to.", address=address))


class _SafeRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects only to public http(s) addresses: never to file://, ftp:// or the internal network."""

    def __init__(self, allow_private: bool):
        super().__init__()
        self.allow_private = allow_private

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if urlsplit(newurl).scheme.lower() not in ALLOWED_SCHEMES:
            raise CalendarError(_l("The calendar address redirects to a place that is not http(s)."))
        if not self.allow_private:
            refuse_internal_host(newurl)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def download_calendar(url: str, *, etag: str = "", last_modified: str = "", timeout: float = 20,
                      max_bytes: int = 5 * 1024 * 1024, allow_private: bool = False) -> Download:
    """Fetch `url`; a 304 answer to our validators means the calendar is unchanged and nothing is read."""
    url = normalise_url(url)
    if not allow_private:
        refuse_internal_host(url)
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT,
                                                                  "Accept": "text/calendar, */*;q=0.5"})
    if etag:
        request.add_header("If-None-Match", etag)
    if last_modified:
        request.add_header("If-Modified-Since", last_modified)
    opener = urllib.request.build_opener(_SafeRedirects(allow_private))
    try:
        with opener.open(request, timeout=timeout) as response:
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise _too_large(max_bytes)
            body = response.read(max_bytes + 1)
            if len(body) > max_bytes:
                raise _too_large(max_bytes)
            return Download(False, body, response.headers.get("ETag", "") or "",
                            response.headers.get("Last-Modified", "") or "", response.status)
    except urllib.error.HTTPError as error:
        if error.code == 304:
            return Download(True, b"", error.headers.get("ETag", "") or etag,
                            error.headers.get("Last-Modified", "") or last_modified, 304)
        raise CalendarError(_l("The calendar server answered %(code)s %(reason)s.", code=error.code,
                               reason=error.reason)) from error
    except (TimeoutError, socket.timeout) as error:
        raise CalendarError(_l("The calendar server did not answer within %(seconds)s seconds.",
                               seconds=timeout)) from error
    except urllib.error.URLError as error:
        reason = error.reason
        if isinstance(reason, (TimeoutError, socket.timeout)):
            raise CalendarError(_l("The calendar server did not answer within %(seconds)s seconds.",
                                   seconds=timeout)) from error
        raise CalendarError(_l("The calendar server cannot be reached: %(reason)s", reason=reason)) from error
    except (OSError, ValueError) as error:
        raise CalendarError(_l("The calendar could not be downloaded: %(reason)s", reason=error)) from error


def _too_large(max_bytes: int) -> CalendarError:
    return CalendarError(_l("The calendar is larger than %(limit)s MB; it is refused.",
                            limit=f"{max_bytes / (1024 * 1024):.1f}"))
