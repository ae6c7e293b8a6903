"""Plotly figure builders for the atlas: pure functions from typed tables to figures.

Every builder takes the (already filtered) DataFrames that :mod:`dashboard.io`
returns and a language, and gives a ``go.Figure`` with a title, axis titles
with units, programme colours from :data:`dashboard.catalog.PROGRAMMES`, and a
source line at the bottom naming the brochure sections the rows came from
(read from the rows' ``source_ref``, so a chart can never cite a section its
data did not come from). No Streamlit here: the pages and the presentation
mode render what :func:`chart_registry` lists.

Only bar and scatter traces are used: plotly.js is bundled with Streamlit, so
they render offline (geo traces would fetch a world map from a CDN).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd
import plotly.graph_objects as go
from plotly.colors import sample_colorscale
from plotly.subplots import make_subplots

from dashboard.catalog import PROGRAMMES
from dashboard.i18n import country_name, format_number, format_partial_date, t
from dashboard.i18n import pick as pick_text
from dashboard.text import plotly_escape

FONT = "sans-serif"
GRID = "#e3e7eb"
INK = "#1f2933"
MUTED = "#5b6770"
NOTE_LINE_PX = 17  # height of one line of note text under a chart
# Sequential, colour-blind-safe ramp (viridis: dark purple → green → yellow) for
# the JCM partners by signing date; its light end is close to the programme's
# yellow, and it keeps more hue in the middle than cividis, whose greys blur on a map.
SIGNING_SCALE = "Viridis"


# -- shared pieces ------------------------------------------------------------------------


def pick(row, field: str, lang: str) -> str:
    """A row's text in ``lang``, escaped: plotly renders tags in every label and hover."""
    return plotly_escape(pick_text(row, field, lang))


def colour(programme: str) -> str:
    """The programme's colour, as declared once in the catalogue."""
    return PROGRAMMES[programme].colour


def source_sections(frame: pd.DataFrame) -> list[str]:
    """Brochure section ids cited by the rows' ``source_ref`` cells, in first-seen order.

    Parameters
    ----------
    frame : pandas.DataFrame
        Rows with a ``source_ref`` column such as ``'esc.hls L62-69; esc.outcomes L145-147'``.

    Returns
    -------
    list of str
        E.g. ``['esc.hls', 'esc.outcomes']``; empty when there is no such column.

    Example
    -------
    >>> source_sections(pd.DataFrame({"source_ref": ["esc.hls L62-69; esc.outcomes L145", "esc.hls L1"]}))
    ['esc.hls', 'esc.outcomes']
    """
    if "source_ref" not in frame:
        return []
    seen: dict[str, None] = {}
    for cell in frame["source_ref"].dropna().astype(str):
        for part in cell.split(";"):
            m = re.match(r"\s*([a-z0-9_]+\.[a-z0-9_]+)", part)
            if m:
                seen.setdefault(m.group(1), None)
    return list(seen)


def source_line(sections: Sequence[str], lang: str, extra_key: str | None = None) -> str:
    """'Source: MOEJ brochure (c. 2015), section esc.hls' in ``lang``."""
    if not sections:
        text = t("charts.source_none", lang)
    else:
        key = "charts.source_one" if len(sections) == 1 else "charts.source_many"
        text = t(key, lang, sections=", ".join(sections))
    if extra_key:
        text += t("charts.source_sep", lang) + t(extra_key, lang)
    return text


def wrap(text: str, lang: str, width: int = 120) -> str:
    """Break a note into ``<br>``-joined lines of about ``width`` Latin-character widths.

    A CJK character counts double. Japanese breaks between characters, but a
    run of Latin letters and digits (a section id such as 'jcm.signatories', a
    number) is never split.
    """
    tokens = re.findall(r"[A-Za-z0-9_.,:;/()'’\-+%&]+|\s+|.", text)
    lines, line, used = [], "", 0
    for tok in tokens:
        size = sum(2 if ord(ch) >= 0x2E80 else 1 for ch in tok)
        if line and used + size > width:
            lines.append(line.rstrip())
            line, used = "", 0
            if tok.isspace():
                continue
        line += tok
        used += size
    lines.append(line.rstrip())
    return "<br>".join(lines)


def _finish(
    fig: go.Figure,
    *,
    chart_id: str,
    title: str,
    lang: str,
    sections: Sequence[str],
    notes: Sequence[str] = (),
    x_title: str | None = None,
    y_title: str | None = None,
    extra_source_key: str | None = None,
    height: int = 440,
    legend: bool = True,
    note_width: int = 120,
) -> go.Figure:
    """Title, axis titles, notes and the source line under the plot, and a common look.

    ``note_width`` is the line length of the notes in Latin characters; charts
    meant for half a page use a shorter one so the notes are not cut off.
    """
    lines = [wrap(n, lang, note_width) for n in notes] + [
        wrap(source_line(sections, lang, extra_source_key), lang, note_width)
    ]
    n_lines = sum(line.count("<br>") + 1 for line in lines)
    text = "<br>".join(lines)
    bottom = 70 + NOTE_LINE_PX * n_lines
    fig.add_annotation(
        text=text,
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        xanchor="left",
        yanchor="top",
        yshift=-52,
        showarrow=False,
        align="left",
        font=dict(size=11, color=MUTED),
        name="notes",
    )
    fig.update_layout(
        title=dict(text=title, x=0, xanchor="left", font=dict(size=16, color=INK)),
        font=dict(family=FONT, size=12, color=INK),
        template="plotly_white",
        height=height + NOTE_LINE_PX * n_lines,
        margin=dict(l=10, r=20, t=60, b=bottom),
        showlegend=legend,
        legend=dict(orientation="h", x=0, xanchor="left", y=1.0, yanchor="bottom"),
        meta={"chart_id": chart_id, "lang": lang},
        separators=".,",
    )
    if x_title is not None:
        fig.update_xaxes(title_text=x_title)
    if y_title is not None:
        fig.update_yaxes(title_text=y_title)
    fig.update_xaxes(gridcolor=GRID, automargin=True)
    fig.update_yaxes(gridcolor=GRID, automargin=True)
    return fig


def rows_height(n_rows: int, row_px: int) -> int:
    """Figure height for a chart with one row per item: a filter down to one item
    gives a slim bar, not a block filling a fixed-height plot."""
    return 150 + row_px * max(n_rows, 2)


def _empty(chart_id: str, title: str, lang: str) -> go.Figure:
    """A figure that says no row passes the filter, instead of an empty axis."""
    fig = go.Figure()
    fig.add_annotation(
        text=t("charts.no_data", lang),
        xref="paper",
        yref="paper",
        x=0.5,
        y=0.5,
        showarrow=False,
        font=dict(size=14, color=MUTED),
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return _finish(fig, chart_id=chart_id, title=title, lang=lang, sections=[], height=220, legend=False)


def partial_date_range(start: str, end: str | None = None) -> tuple[date, date]:
    """First and last day covered by 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD' bounds.

    Example
    -------
    >>> partial_date_range("2013-04", "2014-03")
    (datetime.date(2013, 4, 1), datetime.date(2014, 3, 31))
    """

    def bounds(text: str) -> tuple[date, date]:
        parts = [int(p) for p in str(text).split("-")]
        if len(parts) == 3:
            d = date(*parts)
            return d, d
        if len(parts) == 2:
            first = date(parts[0], parts[1], 1)
            nxt = date(parts[0] + (parts[1] == 12), parts[1] % 12 + 1, 1)
            return first, nxt - timedelta(days=1)
        return date(parts[0], 1, 1), date(parts[0], 12, 31)

    first, _ = bounds(start)
    _, last = bounds(end or start)
    return first, last


def date_tickformat(lang: str) -> str:
    """d3 date format for date axes: 'Jan 2014' / '2014年1月' (plotly's own month names are English)."""
    return "%Y年%-m月" if lang == "ja" else "%b %Y"


def _present(value) -> bool:
    return value is not None and value is not pd.NA and not (isinstance(value, float) and math.isnan(value))


# -- model cities ---------------------------------------------------------------------------
def undecided_year2(model_cities: pd.DataFrame) -> list[str]:
    """Countries with year-1 model cities but none listed for year 2.

    The brochure's table gives every country a year-2 cell; the only country
    with no city in it is the one printed as 未定 (undecided), so in the full
    table "year 1 but no year-2 row" means "year 2 undecided", not "none".
    Pass the unfiltered table, or a filter on programme year hides the answer.
    """
    years = model_cities.groupby("country_iso3")["program_year"].agg(lambda s: set(int(v) for v in s))
    return [iso for iso, ys in years.items() if 1 in ys and 2 not in ys]


def model_cities_by_country(
    model_cities: pd.DataFrame, lang: str, years: Sequence[int] | None = None, undecided: Sequence[str] | None = None
) -> go.Figure:
    """Model cities per country, year 1 beside year 2 (grouped bars).

    Parameters
    ----------
    model_cities : pandas.DataFrame
        Rows of ``model_cities`` (filtered).
    lang : str
    years : sequence of int, optional
        Programme years to draw; default the years present in the rows.
    undecided : sequence of str, optional
        ISO3 codes whose year 2 was undecided (see :func:`undecided_year2`);
        their zero bar is labelled as such. Default: computed from the rows.

    Returns
    -------
    plotly.graph_objects.Figure
        One bar trace per year; x holds country names in the brochure's order.
    """
    chart_id = "model_cities_by_country"
    title = t("charts.model_cities.title", lang)
    if model_cities.empty:
        return _empty(chart_id, title, lang)
    years = sorted(years) if years is not None else sorted({int(y) for y in model_cities["program_year"]})
    undecided = list(undecided) if undecided is not None else undecided_year2(model_cities)
    countries = list(dict.fromkeys(model_cities["country_iso3"]))  # table order = brochure order
    names = [country_name(c, lang) for c in countries]
    fig = go.Figure()
    # The bar of a country whose year 2 was undecided is 0 high: its label says why.
    flagged = [c for c in countries if c in undecided] if 2 in years else []
    for year in years:
        rows = model_cities[model_cities["program_year"] == year]
        counts = [int((rows["country_iso3"] == c).sum()) for c in countries]
        labels = [
            f"{n}<br>{t('charts.model_cities.undecided_label', lang)}" if year == 2 and c in flagged else str(n)
            for c, n in zip(countries, counts, strict=True)
        ]
        cities = [
            "<br>".join(pick(r, "name", lang) for _, r in rows[rows["country_iso3"] == c].iterrows()) or "–"
            for c in countries
        ]
        programme = f"esc_y{year}"
        fig.add_bar(
            x=names,
            y=counts,
            name=t(PROGRAMMES[programme].label_key, lang),
            marker=dict(color=colour(programme), line=dict(color="#ffffff", width=1)),
            text=labels,
            textposition="outside",
            cliponaxis=False,
            constraintext="none",
            customdata=cities,
            hovertemplate="%{x}<br>%{y}<br>%{customdata}<extra>%{fullData.name}</extra>",
        )
    notes = [t("charts.model_cities.undecided_note", lang, country=country_name(iso, lang)) for iso in flagged]
    ymax = max(int(model_cities.groupby(["country_iso3", "program_year"]).size().max()), 1)
    fig.update_yaxes(range=[0, ymax * 1.25 + 0.5], dtick=1, rangemode="tozero")
    fig.update_layout(barmode="group", bargap=0.25)
    return _finish(
        fig,
        chart_id=chart_id,
        title=title,
        lang=lang,
        sections=source_sections(model_cities),
        notes=notes,
        x_title=t("charts.axis.country", lang),
        y_title=t("charts.axis.cities", lang),
    )


# -- ESC High Level Seminars -------------------------------------------------------------------
SEMINAR_MEASURES = ("participants", "countries", "local_governments", "organizations")


def seminar_label(row, lang: str) -> str:
    """Category label of one seminar: 'No. 3<br>Mar 2012'."""
    return (
        f"{t('charts.seminars.no', lang, no=int(row['seminar_no']))}<br>{format_partial_date(str(row['held']), lang)}"
    )


def seminars_over_time(esc_seminars: pd.DataFrame, lang: str) -> go.Figure:
    """Participants, countries, local governments and organisations per seminar.

    Four small bar panels sharing the seminar axis, because participants run in
    the hundreds and the other counts in the tens. A planned seminar has no
    figures: its bars are gaps (None, never 0) with a 'planned' label.

    Returns
    -------
    plotly.graph_objects.Figure
        Four bar traces (one per measure, in :data:`SEMINAR_MEASURES` order),
        each with one y per seminar in seminar order.
    """
    chart_id = "seminars_over_time"
    title = t("charts.seminars.title", lang)
    if esc_seminars.empty:
        return _empty(chart_id, title, lang)
    rows = esc_seminars.sort_values("seminar_no")
    labels = [seminar_label(r, lang) for _, r in rows.iterrows()]
    venues = [f"{pick(r, 'city', lang)} ({country_name(r['country_iso3'], lang)})" for _, r in rows.iterrows()]
    titles = [t(f"charts.seminars.{m}", lang) for m in SEMINAR_MEASURES]
    fig = make_subplots(
        rows=2, cols=2, shared_xaxes=True, subplot_titles=titles, vertical_spacing=0.16, horizontal_spacing=0.08
    )
    planned = [(lab, r) for lab, (_, r) in zip(labels, rows.iterrows(), strict=True) if r["status"] != "held"]
    for i, measure in enumerate(SEMINAR_MEASURES):
        row, col = i // 2 + 1, i % 2 + 1
        values = [
            int(v) if _present(v) and r["status"] == "held" else None
            for v, (_, r) in zip(rows[measure], rows.iterrows(), strict=True)
        ]
        fig.add_bar(
            x=labels,
            y=values,
            name=titles[i],
            row=row,
            col=col,
            showlegend=False,
            marker=dict(color=colour("seminars")),
            text=[format_number(v, lang) if v is not None else "" for v in values],
            textposition="outside",
            cliponaxis=False,
            constraintext="none",
            customdata=venues,
            hovertemplate="%{customdata}<br>%{y}<extra>" + titles[i] + "</extra>",
        )
        top = max([v for v in values if v is not None] or [1])
        fig.update_yaxes(range=[0, top * 1.3], row=row, col=col, rangemode="tozero")
        for lab, _r in planned:
            fig.add_annotation(
                x=lab,
                y=0,
                yanchor="bottom",
                row=row,
                col=col,
                showarrow=False,
                text=t("charts.seminars.planned_label", lang),
                font=dict(size=10, color=MUTED),
                bordercolor=colour("seminars"),
                borderwidth=1,
                borderpad=3,
                bgcolor="rgba(255,255,255,0.9)",
            )
    fig.update_yaxes(title_text=t("charts.axis.number", lang), col=1)
    notes = [
        t(
            "charts.seminars.planned_note",
            lang,
            no=int(r["seminar_no"]),
            venue=pick(r, "city", lang),
            when=format_partial_date(str(r["held"]), lang),
        )
        for _, r in planned
    ]
    return _finish(
        fig,
        chart_id=chart_id,
        title=title,
        lang=lang,
        sections=source_sections(rows),
        notes=notes,
        height=520,
        legend=False,
    )


# -- LoCARNet --------------------------------------------------------------------------------
def locarnet_timeline(locarnet_events: pd.DataFrame, lang: str) -> go.Figure:
    """LoCARNet events by date, one row per event; marker size and label show attendance.

    Spans longer than a month and a half (a fiscal year, a season) are drawn as
    a bar from start to end; planned events have open markers.

    Returns
    -------
    plotly.graph_objects.Figure
        Trace 'events' holds one point per event (x = middle date, y = row);
        its ``text`` is the attendance ('171', '70+', '').
    """
    chart_id = "locarnet_timeline"
    title = t("charts.locarnet.title", lang)
    if locarnet_events.empty:
        return _empty(chart_id, title, lang)
    rows = locarnet_events.assign(
        _start=[
            partial_date_range(s, e)[0]
            for s, e in zip(locarnet_events["date_start"], locarnet_events["date_end"], strict=True)
        ]
    )
    rows = rows.sort_values(["_start", "feature_id"]).reset_index(drop=True)
    green = colour("locarnet")
    fig = go.Figure()
    mids, texts, sizes, symbols, hovers, ticks = [], [], [], [], [], []
    for i, r in rows.iterrows():
        first, last = partial_date_range(r["date_start"], r["date_end"])
        mid = first + (last - first) / 2
        if (last - first).days > 45:
            fig.add_scatter(
                x=[first, last],
                y=[i, i],
                mode="lines",
                line=dict(color=green, width=7),
                opacity=0.35,
                hoverinfo="skip",
                showlegend=False,
            )
        n = r["participants"]
        known = _present(n)
        label = ""
        if known:
            label = format_number(n, lang) + ("+" if r.get("participants_is_minimum") is True else "")
        place = pick(r, "city", lang) or country_name(str(r["country_iso3"] or ""), lang)
        kind = t(f"charts.event_kind.{r['event_kind']}", lang)
        ticks.append(f"{kind} · {place}" if place else kind)
        when = format_partial_date(r["date_start"], lang)
        if r["date_end"] != r["date_start"]:
            when += f" – {format_partial_date(r['date_end'], lang)}"
        status = t(f"status.{r['status']}", lang)
        attendance = (
            t("charts.locarnet.attendance", lang, n=label) if label else t("charts.locarnet.no_attendance", lang)
        )
        hovers.append(f"<b>{wrap(pick(r, 'title', lang), lang, 70)}</b><br>{when} · {status}<br>{attendance}")
        mids.append(mid)
        texts.append(label)
        # Area, not radius, follows attendance; unknown attendance gets a small fixed dot.
        sizes.append(10 + 1.4 * math.sqrt(float(n)) if known else 10)
        symbols.append("circle" if r["status"] == "held" else "circle-open")
    fig.add_scatter(
        x=mids,
        y=list(range(len(rows))),
        mode="markers+text",
        name="events",
        text=texts,
        textposition="middle right",
        textfont=dict(size=12, color=INK),
        showlegend=False,
        cliponaxis=False,
        marker=dict(color=green, size=sizes, symbol=symbols, line=dict(color=green, width=2)),
        hovertext=hovers,
        hovertemplate="%{hovertext}<extra></extra>",
    )
    # Legend entries explain the two marker kinds without relying on colour.
    for status, symbol in (("held", "circle"), ("planned", "circle-open")):
        if (rows["status"] == status).any():
            fig.add_scatter(
                x=[None],
                y=[None],
                mode="markers",
                name=t(f"status.{status}", lang),
                marker=dict(color=green, size=11, symbol=symbol, line=dict(color=green, width=2)),
            )
    fig.update_yaxes(
        tickvals=list(range(len(rows))), ticktext=ticks, autorange="reversed", showgrid=False, zeroline=False
    )
    first_all = min(partial_date_range(s, e)[0] for s, e in zip(rows["date_start"], rows["date_end"], strict=True))
    last_all = max(partial_date_range(s, e)[1] for s, e in zip(rows["date_start"], rows["date_end"], strict=True))
    fig.update_xaxes(
        type="date",
        range=[first_all - timedelta(days=90), last_all + timedelta(days=150)],
        tickformat=date_tickformat(lang),
    )
    notes = [t("charts.locarnet.size_note", lang)]
    return _finish(
        fig,
        chart_id=chart_id,
        title=title,
        lang=lang,
        sections=source_sections(rows),
        notes=notes,
        x_title=t("charts.axis.date", lang),
        height=rows_height(len(rows), 34),
    )


# -- JCM partners ------------------------------------------------------------------------------
def signing_colours(jcm_partners: pd.DataFrame) -> dict[str, str]:
    """ISO3 → hex colour on a sequential colour-blind-safe ramp by signing date.

    Earliest signer darkest, latest lightest; spacing follows the dates, so a
    burst of signings in mid-2013 reads as similar shades. Pass the unfiltered
    table so a country keeps its colour whatever the filter.

    Example
    -------
    >>> cols = signing_colours(pd.DataFrame({"country_iso3": ["MNG", "MEX"], "signed_on": ["2013-01-08", "2014-07-25"]}))
    >>> cols["MNG"] != cols["MEX"]
    True
    """
    if jcm_partners.empty:
        return {}
    days = {r["country_iso3"]: date.fromisoformat(str(r["signed_on"])).toordinal() for _, r in jcm_partners.iterrows()}
    lo, hi = min(days.values()), max(days.values())
    span = max(hi - lo, 1)
    fractions = {iso: (d - lo) / span for iso, d in days.items()}
    sampled = sample_colorscale(SIGNING_SCALE, list(fractions.values()))
    return {iso: _rgb_to_hex(c) for iso, c in zip(fractions, sampled, strict=True)}


def _rgb_to_hex(rgb: str) -> str:
    nums = [round(float(v)) for v in re.findall(r"[\d.]+", rgb)[:3]]
    return "#{:02x}{:02x}{:02x}".format(*nums)


def jcm_partners_timeline(jcm_partners: pd.DataFrame, lang: str, colours: Mapping[str, str] | None = None) -> go.Figure:
    """Signing date of each JCM partner, one row per country in signing order.

    Colour follows :func:`signing_colours` (the same ramp shades the map);
    whether a joint committee had been held is told by the marker shape
    (circle: held; diamond: not yet), so it does not rest on colour.

    Returns
    -------
    plotly.graph_objects.Figure
        Two marker traces ('held', 'not held'); x are ISO dates, y country names.
    """
    chart_id = "jcm_partners_timeline"
    title = t("charts.jcm_partners.title", lang)
    if jcm_partners.empty:
        return _empty(chart_id, title, lang)
    rows = jcm_partners.sort_values("signed_on")
    colours = dict(colours) if colours is not None else signing_colours(rows)
    names = [country_name(c, lang) for c in rows["country_iso3"]]
    fig = go.Figure()
    # A thin guide line per row helps the eye from the name to its dot.
    for name, when in zip(names, rows["signed_on"], strict=True):
        fig.add_scatter(
            x=[str(rows["signed_on"].min()), str(when)],
            y=[name, name],
            mode="lines",
            line=dict(color=GRID, width=1),
            hoverinfo="skip",
            showlegend=False,
        )
    held = rows["joint_committee_held"].fillna(False).astype(bool)
    for flag, key, symbol in ((True, "held", "circle"), (False, "not_held", "diamond")):
        part = rows[held == flag]
        if part.empty:
            continue
        dates = [str(d) for d in part["signed_on"]]
        fig.add_scatter(
            x=dates,
            y=[country_name(c, lang) for c in part["country_iso3"]],
            mode="markers+text",
            name=t(f"charts.jcm_partners.{key}", lang),
            text=[format_partial_date(d, lang) for d in dates],
            textposition="middle right",
            textfont=dict(size=11, color=MUTED),
            cliponaxis=False,
            marker=dict(
                size=15,
                symbol=symbol,
                color=[colours.get(c, colour("jcm_partners")) for c in part["country_iso3"]],
                line=dict(color=INK, width=1.2),
            ),
            hovertemplate="%{y}<br>%{text}<extra>%{fullData.name}</extra>",
        )
    fig.update_yaxes(categoryorder="array", categoryarray=names, autorange="reversed", showgrid=False)
    first = date.fromisoformat(str(rows["signed_on"].min()))
    last = date.fromisoformat(str(rows["signed_on"].max()))
    fig.update_xaxes(
        type="date",
        range=[first - timedelta(days=45), last + timedelta(days=200 if lang == "ja" else 160)],
        tickformat=date_tickformat(lang),
    )
    n_held = int(held.sum())
    as_of = str(rows["status_as_of"].dropna().max()) if "status_as_of" in rows else ""
    notes = [t("charts.jcm_partners.note", lang, held=n_held, total=len(rows), as_of=format_partial_date(as_of, lang))]
    return _finish(
        fig,
        chart_id=chart_id,
        title=title,
        lang=lang,
        sections=source_sections(rows),
        notes=notes,
        x_title=t("charts.axis.signed_on", lang),
        extra_source_key="charts.jcm_partners.dates_source",
        height=rows_height(len(rows), 28),
        note_width=64,
    )


# -- F/S studies --------------------------------------------------------------------------------
def fs_counts(fs_studies: pd.DataFrame) -> pd.DataFrame:
    """Studies per country (a study with sites in two countries counts once in each).

    Returns
    -------
    pandas.DataFrame
        Columns country_iso3, studies (int), study_nos (sorted list); most studies first.
    """
    per = (
        fs_studies.groupby("country_iso3")["study_no"]
        .agg(lambda s: sorted({int(v) for v in s}))
        .rename("study_nos")
        .reset_index()
    )
    per["studies"] = per["study_nos"].map(len)
    return per.sort_values(["studies", "country_iso3"], ascending=[False, True]).reset_index(drop=True)


def fs_studies_per_country(fs_studies: pd.DataFrame, lang: str) -> go.Figure:
    """F/S studies per country: horizontal bars, most studies on top, counts labelled.

    Returns
    -------
    plotly.graph_objects.Figure
        One bar trace; x = number of studies, y = country names.
    """
    chart_id = "fs_studies_per_country"
    title = t("charts.fs.title", lang)
    if fs_studies.empty:
        return _empty(chart_id, title, lang)
    per = fs_counts(fs_studies).iloc[::-1]  # horizontal bars draw bottom-up
    names = [country_name(c, lang) for c in per["country_iso3"]]
    themes = {int(r["study_no"]): t(f"theme.{r['theme']}", lang) for _, r in fs_studies.iterrows() if r["theme"]}
    hover = [
        "<br>".join(f"{t('charts.fs.study', lang, no=n)} · {themes.get(n, '')}" for n in nos)
        for nos in per["study_nos"]
    ]
    fig = go.Figure(
        go.Bar(
            x=list(per["studies"]),
            y=names,
            orientation="h",
            name=t("programme.fs", lang),
            marker=dict(color=colour("fs")),
            text=list(per["studies"]),
            textposition="outside",
            cliponaxis=False,
            customdata=hover,
            hovertemplate="%{y}: %{x}<br>%{customdata}<extra></extra>",
        )
    )
    fig.update_xaxes(dtick=1, range=[0, per["studies"].max() * 1.15 + 0.3])
    fig.update_layout(bargap=0.35)
    n_studies = fs_studies["study_no"].nunique()
    bars = int(per["studies"].sum())
    # Only when a study spans countries do the bars outnumber the studies; say so then.
    notes = [
        t("charts.fs.count_note", lang, bars=bars, studies=int(n_studies))
        if bars > n_studies
        else t("charts.fs.count_note_plain", lang)
    ]
    return _finish(
        fig,
        chart_id=chart_id,
        title=title,
        lang=lang,
        sections=source_sections(fs_studies),
        notes=notes,
        x_title=t("charts.axis.studies", lang),
        legend=False,
        height=rows_height(len(per), 30),
    )


# -- JCM model projects --------------------------------------------------------------------------
def project_label(row, lang: str) -> str:
    """'JFE Engineering · Indonesia'."""
    return f"{pick(row, 'representative', lang)} · {country_name(row['country_iso3'], lang)}"


def model_project_reductions(jcm_model_projects: pd.DataFrame, lang: str) -> go.Figure:
    """Expected reductions per year of the JCM model projects, on a log scale.

    The largest project expects about a thousand times the smallest, so a
    linear axis would leave most bars invisible. Projects whose brochure figure
    is a total rather than a yearly one (the first registered project) are
    left out and named in a note.

    Returns
    -------
    plotly.graph_objects.Figure
        One horizontal bar trace sorted ascending (largest drawn on top);
        x axis of type 'log'.
    """
    chart_id = "model_project_reductions"
    title = t("charts.projects.title", lang)
    per_year = jcm_model_projects[jcm_model_projects["expected_reduction_tco2_per_year"].notna()]
    per_year = per_year.sort_values("expected_reduction_tco2_per_year")
    totals = jcm_model_projects[
        jcm_model_projects["expected_reduction_tco2_per_year"].isna()
        & jcm_model_projects["expected_reduction_tco2_total"].notna()
    ]
    notes = []
    for _, r in totals.iterrows():
        until = re.search(r"\d{4}", str(r.get("reduction_period") or ""))
        key = "charts.projects.excluded_until" if until else "charts.projects.excluded"
        notes.append(
            t(
                key,
                lang,
                name=project_label(r, lang),
                total=format_number(r["expected_reduction_tco2_total"], lang),
                year=until.group(0) if until else "",
            )
        )
    if per_year.empty:
        fig = _empty(chart_id, title, lang)
        return fig
    values = [float(v) for v in per_year["expected_reduction_tco2_per_year"]]
    labels = [project_label(r, lang) for _, r in per_year.iterrows()]
    hover = [wrap(pick(r, "title", lang), lang, 70) for _, r in per_year.iterrows()]
    fig = go.Figure(
        go.Bar(
            x=values,
            y=labels,
            orientation="h",
            name=t("programme.jcm_projects", lang),
            marker=dict(color=colour("jcm_projects")),
            text=[format_number(v, lang) for v in values],
            textposition="outside",
            cliponaxis=False,
            constraintext="none",
            customdata=hover,
            hovertemplate="%{y}<br>%{customdata}<br>%{text} tCO2/" + t("unit.year", lang) + "<extra></extra>",
        )
    )
    lo = math.floor(math.log10(min(values))) - 0.3
    hi = math.log10(max(values)) + 0.55  # room for the value label of the longest bar
    fig.update_xaxes(type="log", range=[lo, hi], dtick=1, tickformat=",", minor=dict(showgrid=False))
    # Bars on a log axis start at the left edge; say the scale in the title of the axis too.
    total = format_number(sum(values), lang)
    notes.insert(0, t("charts.projects.log_note", lang, total=total, n=len(values)))
    return _finish(
        fig,
        chart_id=chart_id,
        title=title,
        lang=lang,
        sections=source_sections(jcm_model_projects),
        notes=notes,
        x_title=t("charts.axis.reduction", lang),
        legend=False,
        height=rows_height(len(values), 36),
    )


# -- registry -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class ChartSpec:
    """A chart a page or the presentation mode can draw by id.

    ``tables`` are the table ids the builder needs, in the order of its
    positional arguments; ``build(frames, lang)`` takes a mapping of those ids
    to (filtered) DataFrames.
    """

    id: str
    title_key: str
    tables: tuple[str, ...]
    builder: Callable[..., go.Figure]

    def build(self, frames: Mapping[str, pd.DataFrame], lang: str) -> go.Figure:
        missing = [tid for tid in self.tables if tid not in frames]
        if missing:
            raise KeyError(f"chart {self.id!r} needs table(s) {missing}; got {sorted(frames)}")
        return self.builder(*(frames[tid] for tid in self.tables), lang)


CHARTS: dict[str, ChartSpec] = {
    spec.id: spec
    for spec in (
        ChartSpec("model_cities_by_country", "charts.model_cities.title", ("model_cities",), model_cities_by_country),
        ChartSpec("seminars_over_time", "charts.seminars.title", ("esc_seminars",), seminars_over_time),
        ChartSpec("locarnet_timeline", "charts.locarnet.title", ("locarnet_events",), locarnet_timeline),
        ChartSpec("jcm_partners_timeline", "charts.jcm_partners.title", ("jcm_partners",), jcm_partners_timeline),
        ChartSpec("fs_studies_per_country", "charts.fs.title", ("fs_studies",), fs_studies_per_country),
        ChartSpec(
            "model_project_reductions", "charts.projects.title", ("jcm_model_projects",), model_project_reductions
        ),
    )
}


def chart_registry() -> dict[str, ChartSpec]:
    """Chart id → :class:`ChartSpec`, for pages and the presentation mode.

    Example
    -------
    >>> from dashboard.io import load_table
    >>> spec = chart_registry()["seminars_over_time"]
    >>> fig = spec.build({"esc_seminars": load_table("esc_seminars")}, "ja")
    >>> fig.layout.meta["chart_id"]
    'seminars_over_time'
    """
    return dict(CHARTS)
