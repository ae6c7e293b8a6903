"""The country brief as an A4 PDF (fpdf2): the figures, the map, the lists, the sources and the citation.

Why a PDF library rather than a browser's print-to-PDF: a brief is made on
the server for whoever asks, and fpdf2 makes one in well under a second in
the app's own process, with no browser to start. It embeds the subset of the
typeface it uses (Japanese included), and with the creation date pinned the
same country and language give the same bytes from the page and the CLI.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from fpdf import FPDF
from fpdf.enums import WrapMode, XPos, YPos

from dashboard.brief.fonts import face
from dashboard.brief.map_drawing import MapDrawing
from dashboard.catalog import PROGRAMMES
from dashboard.content.country import Profile
from dashboard.i18n import t
from dashboard.maps.builder import BORDER, LAND
from dashboard.maps.symbols import SEA

MARGIN = 14.0  # mm
MAP_W, MAP_H = 104.0, 76.0
# The brief's country is the land, its neighbours a shade darker: no partner-country yellow, which would
# call Japan a partner on its own brief.
FOCUS_FILL, FOCUS_EDGE = LAND, "#4a4438"
NEIGHBOUR_FILL = "#e6e3da"
INK, MUTED = "#1f2328", "#57606a"
FONT = "atlas"


class _Brief(FPDF):
    def __init__(self, footer_left: str, lang: str):
        super().__init__(format="A4", unit="mm")
        self.footer_left = footer_left
        self.lang = lang

    def footer(self) -> None:
        self.set_y(-10)
        self.set_font(FONT, size=6.5)
        self.set_text_color(MUTED)
        self.cell(140, 4, self.footer_left)
        page = t("country.brief_page", self.lang, page=self.page_no(), pages="{nb}")
        self.cell(0, 4, page, align="R")


def country_brief(profile: Profile, drawing: MapDrawing, citation: str, made: str, released: date) -> bytes:
    """The brief's bytes.

    Parameters
    ----------
    profile : Profile
        What the brief says (the country page reads the same one).
    drawing : MapDrawing
        The map, :data:`MAP_W` × :data:`MAP_H` mm.
    citation : str
        How to cite the atlas, in the brief's language.
    made : str
        The footer's line: the data version and where the page is.
    released : date
        The data's release date, the PDF's creation date: the same inputs give the same bytes.
    """
    lang = profile.lang
    pdf = _Brief(made, lang)
    for style in ("", "B"):
        font = face(style)
        pdf.add_font(FONT, style, str(font.path), collection_font_number=font.index)
    pdf.set_creation_date(datetime(released.year, released.month, released.day, tzinfo=UTC))
    pdf.set_title(t("country.brief_title", lang, country=profile.name))
    pdf.set_author(t("app.title", lang))
    pdf.set_lang(lang)
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(True, margin=14)
    pdf.alias_nb_pages()
    pdf.add_page()
    wrap = WrapMode.CHAR if lang == "ja" else WrapMode.WORD

    def text(size: float, body: str, colour: str = INK, bold: bool = False, width: float = 0, height=None, indent=0.0):
        pdf.set_font(FONT, "B" if bold else "", size)
        pdf.set_text_color(colour)
        pdf.set_x(pdf.l_margin + indent)
        pdf.multi_cell(width or pdf.epw - indent, height or size * 0.48, body, wrapmode=wrap, align="L",
                       new_x=XPos.LMARGIN, new_y=YPos.NEXT)  # fmt: skip

    text(17, t("country.brief_title", lang, country=profile.name), bold=True, height=8)
    text(9, t("country.brief_subtitle", lang), MUTED)
    pdf.ln(3)
    top = pdf.get_y()
    _draw_map(pdf, drawing, pdf.l_margin, top)
    pdf.set_y(top + MAP_H + 1.5)
    text(7, t("country.brief_map_caption", lang, country=profile.name), MUTED, width=MAP_W)
    _legend(pdf, drawing, lang)
    below_map = pdf.get_y()
    _figures(pdf, profile, pdf.l_margin + MAP_W + 6, top, lang)
    pdf.set_y(max(below_map, pdf.get_y()) + 3)
    for note in profile.notes:
        text(7.5, note, MUTED)
    pdf.ln(1)
    numbers = {source: i for i, source in enumerate(profile.sources, start=1)}
    for section in profile.sections:
        pdf.ln(1.5)
        if pdf.get_y() > pdf.h - 40:  # a heading never ends a page
            pdf.add_page()
        text(10.5, section.heading, bold=True, height=5.5)
        if section.headline:
            text(8.5, section.headline, height=4.2)
        for item in section.items:
            refs = "".join(f" [{numbers[s]}]" for s in item.sources)
            text(8, f"•  {item.text}{refs}", height=3.9, indent=2)
            if item.detail:
                text(7.5, item.detail, MUTED, height=3.6, indent=6)
    pdf.ln(2)
    text(9, t("country.brief_sources", lang), bold=True, height=5)
    for source, i in numbers.items():
        text(6.5, f"[{i}] {source}", MUTED, height=3.1)
    pdf.ln(1.5)
    text(9, t("country.brief_cite", lang), bold=True, height=5)
    text(6.5, citation, MUTED, height=3.1)
    return bytes(pdf.output())


def _draw_map(pdf: FPDF, drawing: MapDrawing, x0: float, y0: float) -> None:
    def shifted(points):
        return [(x0 + x, y0 + y) for x, y in points]

    with pdf.rect_clip(x0, y0, drawing.width, drawing.height):
        pdf.set_fill_color(SEA)
        pdf.rect(x0, y0, drawing.width, drawing.height, style="F")
        pdf.set_line_width(0.15)
        for iso3, rings in drawing.countries:
            focus = iso3 == drawing.focus
            pdf.set_fill_color(FOCUS_FILL if focus else NEIGHBOUR_FILL)
            pdf.set_draw_color(FOCUS_EDGE if focus else BORDER)
            pdf.set_line_width(0.35 if focus else 0.15)
            for ring in rings:
                pdf.polygon(shifted(ring), style="DF")
        pdf.set_line_width(0.5)
        for programme, points in drawing.lines:
            pdf.set_draw_color(PROGRAMMES[programme].colour)
            pdf.polyline(shifted(points))
        pdf.set_line_width(0.2)
        pdf.set_draw_color("#ffffff")
        for mark in drawing.marks:
            if mark.count:
                _badge(pdf, mark.programme, x0 + mark.x, y0 + mark.y, mark.count)
            else:
                _symbol(pdf, mark.programme, x0 + mark.x, y0 + mark.y, 1.3)
    pdf.set_draw_color(BORDER)
    pdf.set_line_width(0.2)
    pdf.rect(x0, y0, drawing.width, drawing.height)


def _symbol(pdf: FPDF, programme: str, x: float, y: float, r: float) -> None:
    p = PROGRAMMES[programme]
    # fpdf2 skips a fill colour equal to the one it last set, even when text drawn since has changed the
    # PDF's fill colour: a legend symbol after a line of text came out in the text's black. Set another first.
    pdf.set_fill_color("#ffffff" if p.colour.lower() != "#ffffff" else "#000000")
    pdf.set_fill_color(p.colour)
    pdf.set_draw_color("#ffffff")
    if p.symbol == "square":
        pdf.rect(x - r, y - r, 2 * r, 2 * r, style="DF")
    elif p.symbol == "triangle":
        pdf.polygon([(x, y - r * 1.2), (x + r * 1.1, y + r * 0.8), (x - r * 1.1, y + r * 0.8)], style="DF")
    elif p.symbol == "diamond":
        pdf.polygon([(x, y - r * 1.25), (x + r * 1.25, y), (x, y + r * 1.25), (x - r * 1.25, y)], style="DF")
    elif p.symbol == "line":
        pdf.set_draw_color(p.colour)
        pdf.set_line_width(0.6)
        pdf.line(x - r * 1.4, y, x + r * 1.4, y)
        pdf.set_line_width(0.2)
    else:
        pdf.circle(x, y, r, style="DF")


def _badge(pdf: FPDF, programme: str, x: float, y: float, count: int) -> None:
    """A white disc ringed in the programme's colour, with the number of rows placed by country only."""
    pdf.set_fill_color("#000000")
    pdf.set_fill_color("#ffffff")
    pdf.set_draw_color(PROGRAMMES[programme].colour)
    pdf.set_line_width(0.45)
    pdf.circle(x, y, 1.9, style="DF")
    pdf.set_font(FONT, "B", 5.5)
    pdf.set_text_color(INK)
    pdf.set_xy(x - 1.9, y - 1.4)
    pdf.cell(3.8, 2.8, str(count), align="C")
    pdf.set_line_width(0.2)


def _legend(pdf: FPDF, drawing: MapDrawing, lang: str) -> None:
    pdf.set_font(FONT, size=7)
    pdf.set_text_color(INK)
    x, y = pdf.l_margin, pdf.get_y() + 1
    for programme in drawing.programmes:
        label = t(PROGRAMMES[programme].label_key, lang)
        width = pdf.get_string_width(label) + 7
        if x + width > pdf.l_margin + MAP_W:
            x, y = pdf.l_margin, y + 4
        _symbol(pdf, programme, x + 1.5, y + 1.8, 1.1)
        pdf.set_xy(x + 3.5, y)
        pdf.cell(width - 3.5, 3.6, label)
        x += width
    if drawing.has_badges:
        y += 4.5
        _badge(pdf, "jcm_projects", pdf.l_margin + 1.9, y + 1.8, 5)
        pdf.set_font(FONT, size=7)
        pdf.set_text_color(INK)
        pdf.set_xy(pdf.l_margin + 4.5, y)
        pdf.cell(MAP_W - 4.5, 3.6, t("map.country_level", lang))
    pdf.set_xy(pdf.l_margin, y + 4.5)


def _figures(pdf: FPDF, profile: Profile, x: float, y: float, lang: str) -> None:
    width = pdf.w - pdf.r_margin - x
    pdf.set_xy(x, y)
    pdf.set_font(FONT, "B", 10.5)
    pdf.set_text_color(INK)
    pdf.cell(width, 5.5, t("country.brief_figures", lang), new_x=XPos.LEFT, new_y=YPos.NEXT)
    wrap = WrapMode.CHAR if lang == "ja" else WrapMode.WORD
    for label, value in profile.figures:
        pdf.set_x(x)
        pdf.set_font(FONT, size=7)
        pdf.set_text_color(MUTED)
        pdf.multi_cell(width, 3.4, label, wrapmode=wrap, align="L", new_x=XPos.LEFT, new_y=YPos.NEXT)
        pdf.set_x(x)
        pdf.set_font(FONT, "B", 11)
        pdf.set_text_color(INK)
        pdf.multi_cell(width, 5.2, value, wrapmode=wrap, align="L", new_x=XPos.LEFT, new_y=YPos.NEXT)
        pdf.ln(0.8)
