"""The park's monthly report: its KPIs (the formulas of ``domain/kpis.py``), requests by
channel and by state, received per day; as JSON, and as Markdown and PDF with charts."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from hubport.domain.hub_time import HUB_TIME
from hubport.park.adapters.queries import ParkQueries, month_window
from hubport.park.domain.kpis import RequestKpis, request_kpis
from hubport.park.domain.projects import Portfolio

#: The park's own reported figures, shown beside the computed ones.
REPORTED = {"completion_rate": 0.96, "satisfaction": 0.98}
#: Where a CJK font may be (the PDF names enterprises in Chinese); the first found is used.
CJK_FONTS = (
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"),
)


@dataclass(frozen=True)
class ParkReport:
    month: str
    kpis: RequestKpis
    by_channel: dict[str, int]
    by_state: dict[str, int]
    received_per_day: dict[str, int]
    portfolio: Portfolio
    carried_over: int

    def as_json(self) -> dict[str, Any]:
        figures = asdict(self.kpis)
        figures["undefined"] = list(self.kpis.undefined)
        rates = {
            name: round(float(figures[name]), 4)
            for name in ("completion_rate", "on_time_rate", "satisfaction", "reopen_rate")
        }
        return {
            "month": self.month,
            **rates,
            "kpis": {**rates, **{k: v for k, v in figures.items() if k not in rates}},
            "reported_by_the_park": REPORTED,
            "by_channel": self.by_channel,
            "by_state": self.by_state,
            "received_per_day": self.received_per_day,
            "carried_over_between_joint_meetings": self.carried_over,
            "projects": {
                "count": self.portfolio.projects,
                "in_production": self.portfolio.producing,
                "by_stage": dict(self.portfolio.by_stage),
                "by_sector": dict(self.portfolio.by_sector),
                "investment_signed_cny": str(self.portfolio.investment_signed_cny),
                "investment_in_production_cny": str(self.portfolio.investment_producing_cny),
                "late_milestones": self.portfolio.late_milestones,
                "at_risk_milestones": self.portfolio.at_risk_milestones,
            },
        }


def report_data(queries: ParkQueries, month: str) -> ParkReport:
    requests = queries.month(month)
    per_day = Counter(r.received.astimezone(HUB_TIME).date().isoformat() for r in requests)
    _start, end = month_window(month)
    return ParkReport(
        month,
        request_kpis(requests),
        dict(sorted(Counter(r.channel for r in requests).items())),
        dict(sorted(Counter(r.state.value for r in requests).items())),
        dict(sorted(per_day.items())),
        queries.portfolio(end.date() - timedelta(days=1)),
        queries.carried_over(month),
    )


def _charts(report: ParkReport, folder: Path) -> list[Path]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    paths = []
    figure, axis = plt.subplots(figsize=(7, 3))
    names = ["completion_rate", "on_time_rate", "satisfaction", "reopen_rate"]
    values = [getattr(report.kpis, name) for name in names]
    axis.barh(names, values, color="#0b5fa5")
    for name, target in REPORTED.items():
        axis.plot([target], [names.index(name)], marker="|", markersize=22, color="#d62728")
    axis.set_xlim(0, 1)
    axis.set_title(f"Requests received in {report.month}: rates (red: the park's reported)")
    figure.tight_layout()
    rates = folder / f"park-{report.month}-rates.png"
    figure.savefig(rates, dpi=110)
    plt.close(figure)
    paths.append(rates)
    figure, axis = plt.subplots(figsize=(7, 3))
    days = list(report.received_per_day)
    axis.bar([d[-2:] for d in days], list(report.received_per_day.values()), color="#2ca02c")
    axis.set_title(f"Requests received per day, {report.month}")
    axis.set_xlabel("day")
    figure.tight_layout()
    daily = folder / f"park-{report.month}-received.png"
    figure.savefig(daily, dpi=110)
    plt.close(figure)
    paths.append(daily)
    figure, (stages, money) = plt.subplots(1, 2, figsize=(9, 3.2))
    by_stage = report.portfolio.by_stage
    stages.barh(
        [name.replace("_", " ") for name in by_stage], list(by_stage.values()), color="#9467bd"
    )
    stages.invert_yaxis()
    stages.set_title("Projects by stage reached")
    signed = float(report.portfolio.investment_signed_cny) / 1e8
    producing = float(report.portfolio.investment_producing_cny) / 1e8
    money.bar(["signed", "in production"], [signed, producing], color=["#8c8c8c", "#2ca02c"])
    money.set_title("Investment, hundred million CNY")
    figure.tight_layout()
    projects = folder / f"park-{report.month}-projects.png"
    figure.savefig(projects, dpi=110)
    plt.close(figure)
    paths.append(projects)
    return paths


def report_markdown(report: ParkReport, charts: list[Path]) -> str:
    k = report.kpis
    lines = [
        f"# Park requests: {report.month}",
        "",
        f"{k.received} requests received, {k.closed} closed, {k.returned} returned to the "
        f"desk, {k.rated} rated, {k.escalated} taken up by supervision.",
        "",
        "| KPI | value | formula |",
        "|---|---:|---|",
        f"| completion rate | {k.completion_rate:.1%} | closed ÷ (received - returned) "
        f"(the park reports {REPORTED['completion_rate']:.0%}) |",
        f"| on-time rate | {k.on_time_rate:.1%} | closed by their deadline ÷ closed |",
        f"| satisfaction | {k.satisfaction:.1%} | ratings 4–5 ÷ rated "
        f"(the park reports above {REPORTED['satisfaction']:.0%}) |",
        f"| reopen rate | {k.reopen_rate:.1%} | reopened at least once ÷ received |",
        f"| days to close | mean {k.mean_days_to_close:.1f}, p90 {k.p90_days_to_close:.1f} | "
        "receipt to the last closing |",
        "",
    ]
    if k.undefined:
        lines += [f"No denominator for: {', '.join(k.undefined)} (shown as 0).", ""]
    lines += ["| channel | requests |", "|---|---:|"]
    lines += [f"| {name} | {count} |" for name, count in report.by_channel.items()]
    lines += ["", "| state at the report | requests |", "|---|---:|"]
    lines += [f"| {name} | {count} |" for name, count in report.by_state.items()]
    p = report.portfolio
    lines += [
        "",
        f"Items carried over between the month's joint meetings: {report.carried_over}.",
        "",
        f"Projects: {p.projects}, {p.producing} in production; investment signed "
        f"{p.investment_signed_cny / 100_000_000:,.1f} hundred million CNY, in production "
        f"{p.investment_producing_cny / 100_000_000:,.1f}; milestones late {p.late_milestones}, "
        f"at risk {p.at_risk_milestones}.",
        "",
        "| sector | projects |",
        "|---|---:|",
        *[f"| {name.replace('_', ' ')} | {count} |" for name, count in p.by_sector.items()],
        "",
        "| stage reached | projects |",
        "|---|---:|",
        *[f"| {name.replace('_', ' ')} | {count} |" for name, count in p.by_stage.items()],
    ]
    lines += [""] + [f"![{path.stem}]({path.name})" for path in charts]
    return "\n".join(lines) + "\n"


def report_pdf(report: ParkReport, charts: list[Path], path: Path) -> None:
    import logging

    from fpdf import FPDF

    # fontTools tells of the CJK font's bitmap tables it does not subset: not our matter
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    pdf = FPDF()
    pdf.add_page()
    font = next((f for f in CJK_FONTS if f.exists()), None)
    if font is not None:
        pdf.add_font("body", fname=str(font))
        pdf.set_font("body", size=11)
    else:
        pdf.set_font("helvetica", size=11)
    width = pdf.w - pdf.l_margin - pdf.r_margin
    for line in report_markdown(report, []).splitlines():
        if line.startswith("|---") or not line.strip():
            pdf.ln(2)
            continue
        text = (
            line.lstrip("# ").replace("|", "  ").strip() if font is not None else ascii_line(line)
        )
        pdf.multi_cell(width, 6, text)
    for chart in charts:
        pdf.image(str(chart), w=width)
    pdf.output(str(path))


def ascii_line(line: str) -> str:
    """A line a Latin-1 PDF font can show (where no CJK font is found)."""
    return (
        line.lstrip("# ")
        .replace("|", "  ")
        .replace("÷", "/")
        .replace("−", "-")
        .encode("latin-1", "replace")
        .decode("latin-1")
        .strip()
    )


def write_report(report: ParkReport, folder: Path) -> list[Path]:
    """``park-MONTH.md``, ``.pdf`` and their charts in ``folder``; their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    charts = _charts(report, folder)
    markdown = folder / f"park-{report.month}.md"
    markdown.write_text(report_markdown(report, charts), encoding="utf-8")
    pdf = folder / f"park-{report.month}.pdf"
    report_pdf(report, charts, pdf)
    return [markdown, pdf, *charts]


__all__ = [
    "CJK_FONTS",
    "ParkReport",
    "ascii_line",
    "report_data",
    "report_markdown",
    "write_report",
]
