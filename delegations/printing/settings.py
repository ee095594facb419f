"""What documents need to know about the installation, as plain values (read once from the app's config)."""
from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from delegations.config import public_base_url


@dataclass(frozen=True)
class PrintSettings:
    home_zone: str = "Europe/Berlin"
    home_city: str = "Hannover"
    home_country: str = "DE"
    unit_phone: str = ""
    public_base_url: str | None = None
    static_root: str = str(Path(__file__).resolve().parent.parent / "static")
    cache_dir: str = "instance/pdf-cache"
    cache_max_files: int = 500
    render_timeout: float = 20.0
    render_isolated: bool = True  # False: render in this process (no hard time limit; for tests and debugging)

    @classmethod
    def from_config(cls, config: Mapping, instance_path: str, static_root: str) -> "PrintSettings":
        return cls(
            home_zone=config.get("HOME_TIMEZONE", cls.home_zone),
            home_city=config.get("HOME_CITY", cls.home_city),
            home_country=(config.get("HOME_COUNTRY") or cls.home_country).upper(),
            unit_phone=config.get("UNIT_PHONE") or "",
            public_base_url=public_base_url(config),
            static_root=static_root,
            cache_dir=config.get("PDF_CACHE_DIR") or os.path.join(instance_path, "pdf-cache"),
            cache_max_files=int(config.get("PDF_CACHE_MAX_FILES", cls.cache_max_files)),
            render_timeout=float(config.get("PDF_RENDER_TIMEOUT", cls.render_timeout)),
            render_isolated=bool(config.get("PDF_RENDER_ISOLATED", cls.render_isolated)),
        )
