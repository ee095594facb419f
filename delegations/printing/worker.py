"""The PDF render worker: `python -m delegations.printing.worker`, driven by printing/pdf.py over stdin/stdout.

Reads (html, static_root, options) messages, answers ("ok", RenderedPdf) or ("error", message), one at a
time, until its input ends. Anything printed by accident goes to stderr, never into the answers.
"""
from __future__ import annotations

import os
import sys


def main() -> None:
    requests = sys.stdin.buffer
    answers = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())

    import weasyprint  # noqa: F401  loaded before the first request

    from delegations.printing.pdf import RenderError, _render, read_message, write_message

    while True:
        try:
            html, static_root, options = read_message(requests)
        except EOFError:
            return
        try:
            answer = ("ok", _render(html, static_root, options))
        except RenderError as error:
            answer = ("error", str(error))
        write_message(answers, answer)


if __name__ == "__main__":
    main()
