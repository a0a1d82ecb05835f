"""The report as an A4 PDF: a one-page summary with the three charts, then the tables.

Text is set in DejaVu Sans, the font matplotlib ships inside its own package, so a fresh install renders
Vietnamese diacritics without any system font.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final

import matplotlib
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    Image,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from monitor.reports import charts
from monitor.reports.labels import (
    CHANGE_COLUMNS,
    FIGURE_COLUMNS,
    LATE_COLUMNS,
    PROCEDURE_COLUMNS,
    RULE_LABELS,
    TOTAL_NAME,
    TREND_COLUMNS,
    cell_text,
    month_label,
    pct,
    risk,
)

FONT: Final = "DejaVuSans"
FONT_BOLD: Final = "DejaVuSans-Bold"
APPENDIX_LIMIT: Final = 300  # the PDF lists the first rows; the workbook has every late dossier
SUMMARY_COLUMNS: Final = ("unit_name", "in_scope", "early", "on_day", "late", "on_time_rate")
SUMMARY_TAIL: Final = ("satisfaction_proxy", "risk_band")
TEXT_KINDS: Final = {"text", "reason", "month", "risk"}
HEADER_BLUE: Final = colors.HexColor("#dce6f1")
MARGIN: Final = 14 * mm
LEGEND: Final = (
    "Màu cột theo mức rủi ro: xanh thấp (chỉ số hài lòng từ 90%), vàng trung bình (từ 80%), đỏ cao; "
    "đường nét đứt: 90%, mức được điểm tối đa theo Quyết định 766."
)


def _register_fonts() -> None:
    # Registering twice is harmless, and the registry lives inside reportlab, not here.
    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(folder / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont(FONT_BOLD, str(folder / "DejaVuSans-Bold.ttf")))
        pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD)


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=FONT, fontSize=8.5, leading=11)
    return {
        "base": base,
        "title": ParagraphStyle("title", parent=base, fontName=FONT_BOLD, fontSize=15, leading=19),
        "subtitle": ParagraphStyle("subtitle", parent=base, fontSize=9, textColor=colors.HexColor("#555555")),
        "h2": ParagraphStyle(
            "h2", parent=base, fontName=FONT_BOLD, fontSize=11, leading=14, spaceBefore=6, keepWithNext=1
        ),
        "cell": ParagraphStyle("cell", parent=base, fontSize=7.5, leading=9),
        "num": ParagraphStyle("num", parent=base, fontSize=7.5, leading=9, alignment=TA_RIGHT),
        "head": ParagraphStyle("head", parent=base, fontName=FONT_BOLD, fontSize=7.5, leading=9),
        "kpi": ParagraphStyle("kpi", parent=base, fontSize=9.5, leading=13),
    }


def _table(
    columns: Sequence[tuple[str, str, str]],
    records: Sequence[dict[str, Any]],
    styles: dict[str, ParagraphStyle],
    widths: Sequence[float] | None = None,
    bold_last: bool = False,
) -> Table:
    data: list[list[Any]] = [[Paragraph(header, styles["head"]) for _, header, _ in columns]]
    for record in records:
        data.append(
            [
                Paragraph(cell_text(kind, record.get(key)), styles["cell" if kind in TEXT_KINDS else "num"])
                for key, _, kind in columns
            ]
        )
    table = Table(data, colWidths=widths, repeatRows=1)
    commands: list[Any] = [
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_BLUE),
        ("GRID", (0, 0), (-1, -1), 0.3, colors.HexColor("#b0b0b0")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f5f7fa")]),
    ]
    if bold_last and records:
        commands.append(("BACKGROUND", (0, len(records)), (-1, len(records)), colors.HexColor("#eeeeee")))
    table.setStyle(TableStyle(commands))
    return table


def _image(png: bytes, width: float) -> Image:
    image = Image(io.BytesIO(png))
    ratio = image.imageHeight / image.imageWidth
    image.drawWidth, image.drawHeight = width, width * ratio
    return image


def _summary(report: dict[str, Any], styles: dict[str, ParagraphStyle], width: float) -> list[Any]:
    total = report["total"]
    label = month_label(report["month"])
    start = dt.datetime.fromisoformat(report["period"]["start"]).strftime("%d/%m/%Y")
    end = dt.datetime.fromisoformat(report["period"]["end"]).strftime("%d/%m/%Y")
    kpi = (
        f"Toàn Sở: <b>{cell_text('int', total['in_scope'])}</b> hồ sơ trong kỳ, "
        f"<b>{cell_text('int', total['late'])}</b> quá hạn; "
        f"tỷ lệ đúng hạn <b>{pct(total['on_time_rate'])}</b> "
        f"({cell_text('points', total['progress_points'])}/20 điểm tiến độ theo Quyết định 766); chỉ số hài "
        f"lòng ước tính <b>{pct(total['satisfaction_proxy'])}</b>, "
        f"mức rủi ro <b>{risk(total['risk_band'])}</b>; "
        f"<b>{cell_text('int', total['open_overdue_at_end'])}</b> hồ sơ đang quá hạn cuối kỳ."
    )
    columns = [c for c in FIGURE_COLUMNS if c[0] in SUMMARY_COLUMNS + SUMMARY_TAIL]
    rows = [*report["units"], {**total, "unit_name": TOTAL_NAME}]
    table = _table(columns, rows, styles, _widths(width, width - 7 * 18 * mm, columns), bold_last=True)
    half = (width - 4 * mm) / 2
    side_by_side = Table(
        [[_image(charts.six_month_trend(report), half), _image(charts.violations_by_rule(report), half)]],
        colWidths=[half + 2 * mm, half + 2 * mm],
    )
    units_chart_height = min(75 * mm, (0.32 * len(report["units"]) + 0.9) * 25.4 * mm)
    return [
        Paragraph(f"Báo cáo rủi ro mức độ hài lòng — tháng {label}", styles["title"]),
        Paragraph(
            f"Kỳ báo cáo từ {start} đến {end}. Phương pháp: Quyết định 766/QĐ-TTg.", styles["subtitle"]
        ),
        Spacer(1, 3 * mm),
        Paragraph(kpi, styles["kpi"]),
        Spacer(1, 3 * mm),
        table,
        Spacer(1, 3 * mm),
        _fit(_image(charts.on_time_by_unit(report), width), units_chart_height),
        Paragraph(LEGEND, styles["subtitle"]),
        side_by_side,
    ]


def _fit(image: Image, max_height: float) -> Image:
    if image.drawHeight > max_height:
        scale = max_height / image.drawHeight
        image.drawWidth, image.drawHeight = image.drawWidth * scale, max_height
    return image


def _document(buffer: io.BytesIO, label: str) -> BaseDocTemplate:
    """A4 portrait for the one-page summary, A4 landscape for the wide tables that follow."""
    doc = BaseDocTemplate(
        buffer,
        pagesize=A4,
        title=f"Báo cáo rủi ro mức độ hài lòng tháng {label}",
        author="Theo dõi hồ sơ TTHC đúng hạn",
    )
    footer = _footer(label)
    templates = []
    for name, size in (("portrait", A4), ("landscape", landscape(A4))):
        frame = Frame(MARGIN, MARGIN, size[0] - 2 * MARGIN, size[1] - MARGIN - 12 * mm, id=name)
        templates.append(PageTemplate(id=name, frames=[frame], pagesize=size, onPage=footer))
    doc.addPageTemplates(templates)
    return doc


def _tables(report: dict[str, Any], styles: dict[str, ParagraphStyle], width: float) -> list[Any]:
    total = {**report["total"], "unit_name": TOTAL_NAME}
    name_width = 55 * mm
    story: list[Any] = [Paragraph("1. Chỉ số chi tiết theo đơn vị", styles["h2"])]
    detail = [c for c in FIGURE_COLUMNS if c[0] != "unit_code"]
    story.append(_table(detail, [*report["units"], total], styles, _widths(width, name_width, detail), True))

    story.append(Paragraph("2. Vi phạm phát hiện trong tháng, theo quy tắc", styles["h2"]))
    rules = [("unit_name", "Đơn vị", "text"), *((c, text, "int") for c, text in RULE_LABELS.items())]
    counts = [{"unit_name": u["unit_name"], **u["violations"]} for u in [*report["units"], total]]
    story.append(_table(rules, counts, styles, _widths(width, name_width, rules), True))

    change = report["change"]
    story.append(Paragraph(f"3. So với tháng {month_label(change['previous_month'])}", styles["h2"]))
    columns = [c for c in CHANGE_COLUMNS if c[0] != "unit_code"]
    story.append(_table(columns, change["rows"], styles, _widths(width, name_width, columns), True))

    story.append(Paragraph("4. Xu hướng sáu tháng (toàn Sở)", styles["h2"]))
    story.append(_table(TREND_COLUMNS, report["trend"], styles, [width / len(TREND_COLUMNS)] * 7))

    story.append(Paragraph("5. Mười thủ tục có nhiều hồ sơ quá hạn nhất", styles["h2"]))
    story.append(
        _table(PROCEDURE_COLUMNS, report["procedures"], styles, [30 * mm, width - 105 * mm] + [25 * mm] * 3)
    )
    late = report["late_dossiers"]
    story.append(Paragraph(f"6. Phụ lục: hồ sơ quá hạn ({cell_text('int', len(late))} hồ sơ)", styles["h2"]))
    shown = late
    if len(late) > APPENDIX_LIMIT:
        shown = sorted(late, key=lambda r: -(r["late_working_days"] or 0))[:APPENDIX_LIMIT]
        note = f"{APPENDIX_LIMIT} hồ sơ trễ nhiều nhất; danh sách đầy đủ trong tệp Excel kèm theo."
        story.append(Paragraph(note, styles["base"]))
    widths = [45 * mm, 36 * mm, width - 203 * mm, 22 * mm, 22 * mm, 28 * mm, 20 * mm, 30 * mm]
    story.append(_table(LATE_COLUMNS, shown, styles, widths))
    return story


def _widths(width: float, first: float, columns: Sequence[Any]) -> list[float]:
    return [first] + [(width - first) / (len(columns) - 1)] * (len(columns) - 1)


def render_pdf(report: dict[str, Any]) -> bytes:
    """The whole report as A4 PDF bytes."""
    _register_fonts()
    styles = _styles()
    buffer = io.BytesIO()
    doc = _document(buffer, month_label(report["month"]))
    story = _summary(report, styles, A4[0] - 2 * MARGIN)
    story += [NextPageTemplate("landscape"), PageBreak()]
    story += _tables(report, styles, landscape(A4)[0] - 2 * MARGIN)
    doc.build(story)
    return buffer.getvalue()


def _footer(label: str) -> Any:
    def draw(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 7)
        canvas.setFillColor(colors.HexColor("#777777"))
        right = canvas._pagesize[0] - MARGIN
        canvas.drawString(MARGIN, 8 * mm, f"Báo cáo rủi ro mức độ hài lòng tháng {label}")
        canvas.drawRightString(right, 8 * mm, f"Trang {doc.page}")
        canvas.restoreState()

    return draw
