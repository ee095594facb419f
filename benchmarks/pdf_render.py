"""How long a printed programme takes through our code, against WeasyPrint rendering the same HTML alone.

A 5-day, 40-item programme (translated into Chinese, so CJK fonts are subset too) in a throwaway
SQLite database. Measured, as medians over --runs:

  weasyprint alone   weasyprint.HTML(string=html).write_pdf(pdf_tags=True), in this process, warm
  ours, first        load from the database, build, Jinja, hash, render in the time-limited worker, store
  ours, in-process   the same without the worker process (PDF_RENDER_ISOLATED=False): the worker's cost
  ours, cached       the same request again: everything but the render, then the file from the cache

Run:  .venv/bin/python benchmarks/pdf_render.py [--runs 7] [--lang zh]
"""
from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path


def build_programme(days: int = 5, per_day: int = 8, language: str = "zh") -> int:
    from delegations.constants import ItemKind, ItemStatus
    from delegations.extensions import db
    from delegations.models import ContactPerson, Delegation, Member, ProgrammeItem, ProgrammeItemTranslation, Venue
    from delegations.zones import attach_zone

    contacts = [ContactPerson(name=f"Kontakt {n}", function="Referentin", phone=f"+49 511 168-4100{n}",
                              email=f"kontakt{n}@example.org") for n in range(4)]
    venues = [Venue(name=f"Veranstaltungsort {n}", room="Saal", address=f"Trammplatz {n}\n30159 Hannover")
              for n in range(6)]
    start = attach_zone(datetime(2027, 5, 10, 8, 0), "Europe/Berlin")
    delegation = Delegation(title="Wirtschaftsdelegation aus Shenzhen", country_code="CN", city="Shenzhen",
                            head_name="王建国", head_function="Deputy Director General", arrival_at=start,
                            departure_at=start + timedelta(days=days - 1, hours=12), timezone="Europe/Berlin",
                            languages=[language, "en"], hotel="Kastens Hotel Luisenhof\nLuisenstraße 1–3",
                            lead_contact=contacts[0], deputy_contact=contacts[1], notes="intern")
    db.session.add_all([*contacts, *venues, delegation])
    for number in range(12):
        db.session.add(Member(delegation=delegation, name=f"Mitglied {number}", position=number))
    for day in range(days):
        for slot in range(per_day):
            begins = start + timedelta(days=day, minutes=75 * slot)
            item = ProgrammeItem(
                delegation=delegation, title=f"Programmpunkt {day + 1}.{slot + 1}: Gespräch und Besichtigung",
                kind=ItemKind.MEETING, starts_at=begins, ends_at=begins + timedelta(minutes=60),
                venue=venues[slot % len(venues)], responsible=contacts[slot % len(contacts)],
                dress_code="Business", status=ItemStatus.CONFIRMED, internal_note="nur intern",
                description="Begrüßung, Vorstellung der Projekte und anschließender Rundgang durch die Anlage. " * 2)
            item.translations.append(ProgrammeItemTranslation(
                language=language, title=f"第{day + 1}天活动{slot + 1}：会谈与参观",
                description="欢迎致辞，介绍项目，随后参观设施。" * 3))
            db.session.add(item)
    db.session.commit()
    return delegation.id


def median_seconds(action, runs: int, before=None) -> float:
    times = []
    for _ in range(runs):
        if before:
            before()
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--lang", default="zh")
    arguments = parser.parse_args()

    import weasyprint

    from delegations import create_app
    from delegations.extensions import db
    from delegations.printing import documents, queries
    from delegations.printing.cache import PdfCache
    from delegations.printing.pdf import static_base_url

    with tempfile.TemporaryDirectory() as folder:
        cache_dir = Path(folder) / "pdf-cache"
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.db", "SECRET_KEY": "bench",
                          "PDF_CACHE_DIR": str(cache_dir), "TESTING": True})
        with app.app_context():
            db.create_all()
            delegation_id = build_programme(language=arguments.lang)

            def through_our_code():
                delegation = queries.delegation_for_print(delegation_id)
                documents.produce(documents.PROGRAMME, delegation, arguments.lang, documents.current_settings(),
                                  filename_stem="bench")

            def empty_cache():
                PdfCache(cache_dir).clear()

            delegation = queries.delegation_for_print(delegation_id)
            html = documents.render_html(documents.PROGRAMME, delegation, arguments.lang, documents.current_settings())
            base_url = static_base_url(app.static_folder)
            document = weasyprint.HTML(string=html, base_url=base_url).render()
            pages = len(document.pages)

            def weasyprint_alone():
                weasyprint.HTML(string=html, base_url=base_url).write_pdf(pdf_tags=True)

            weasyprint_alone()  # warm fonts in this process: the fairest baseline
            alone = median_seconds(weasyprint_alone, arguments.runs)
            first = median_seconds(through_our_code, arguments.runs, before=empty_cache)
            app.config["PDF_RENDER_ISOLATED"] = False
            in_process = median_seconds(through_our_code, arguments.runs, before=empty_cache)
            app.config["PDF_RENDER_ISOLATED"] = True
            through_our_code()
            cached = median_seconds(through_our_code, arguments.runs * 3)

    items = 40
    print(f"Programme: 5 days, {items} items, language {arguments.lang}, {pages} pages; median of {arguments.runs} runs")
    print(f"{'weasyprint alone (same HTML)':34} {alone * 1000:8.0f} ms   ratio 1.00")
    print(f"{'ours, first (time-limited worker)':34} {first * 1000:8.0f} ms   ratio {first / alone:.2f}")
    print(f"{'ours, first (in-process)':34} {in_process * 1000:8.0f} ms   ratio {in_process / alone:.2f}")
    print(f"{'ours, cached':34} {cached * 1000:8.0f} ms   ratio {cached / alone:.3f}")


if __name__ == "__main__":
    main()
