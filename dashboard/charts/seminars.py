"""The seminars charts: ESC High Level Seminars over time, and the LoCARNet timeline."""

from __future__ import annotations

import math
from datetime import timedelta

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard.charts.figure import (
    INK,
    MUTED,
    NOTE_WIDTH,
    TITLE_WIDTH,
    colour,
    empty_figure,
    finish,
    has_value,
    label_rows,
    partial_date_range,
    pick,
    rows_height,
    wrap,
)
from dashboard.i18n import country_name, format_number, format_partial_date, t

# -- ESC High Level Seminars -------------------------------------------------------------------
SEMINAR_MEASURES = ("participants", "countries", "local_governments", "organizations")
# A panel's title is centred over the panel, inside the axis margins: narrower than the figure's title.
PANEL_TITLE_WIDTH = TITLE_WIDTH - 8


def seminar_label(row, lang: str) -> str:
    """Category label of one seminar: 'No. 3<br>2012'.

    The year only (there is one seminar a year): six labels with months would
    have to turn on a phone, over the notes. The month is in the chart's table.
    """
    year = str(row["held"])[:4]
    return f"{t('charts.seminars.no', lang, no=int(row['seminar_no']))}<br>{format_partial_date(year, lang)}"


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
        return empty_figure(chart_id, title, lang)
    rows = esc_seminars.sort_values("seminar_no")
    labels = [seminar_label(r, lang) for _, r in rows.iterrows()]
    venues = [f"{pick(r, 'city', lang)} ({country_name(r['country_iso3'], lang)})" for _, r in rows.iterrows()]
    titles = [t(f"charts.seminars.{m}", lang) for m in SEMINAR_MEASURES]
    # One panel a row, each the full width: side by side, a phone left each panel
    # too narrow for its title and its seminars' dates.
    fig = make_subplots(
        rows=len(SEMINAR_MEASURES),
        cols=1,
        shared_xaxes=True,
        subplot_titles=[wrap(title, lang, PANEL_TITLE_WIDTH) for title in titles],
        vertical_spacing=0.09,
    )
    planned = [(lab, r) for lab, (_, r) in zip(labels, rows.iterrows(), strict=True) if r["status"] != "held"]
    for i, measure in enumerate(SEMINAR_MEASURES):
        row, col = i + 1, 1
        values = [
            int(v) if has_value(v) and r["status"] == "held" else None
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
    fig.update_xaxes(tickangle=0, tickfont=dict(size=11))
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
    return finish(
        fig,
        chart_id=chart_id,
        title=title,
        lang=lang,
        rows=rows,
        notes=notes,
        height=760,
        legend=False,
        note_width=NOTE_WIDTH - 10,  # the notes start right of the axis title and numbers
    )


# -- LoCARNet --------------------------------------------------------------------------------
def event_name(r, lang: str) -> str:
    """A LoCARNet event as the chart and its table name it: "Workshop · Bangkok"."""
    place = pick(r, "city", lang) or country_name(str(r["country_iso3"] or ""), lang)
    kind = t(f"charts.event_kind.{r['event_kind']}", lang)
    return f"{kind} · {place}" if place else kind


def event_dates(r, lang: str) -> str:
    """An event's date, or its first and last day."""
    when = format_partial_date(r["date_start"], lang)
    if r["date_end"] != r["date_start"]:
        when += f" – {format_partial_date(r['date_end'], lang)}"
    return when


def event_attendance(r, lang: str) -> str:
    """Participants as the source gives them ("120+" for "more than 120"); '' when it gives none."""
    n = r["participants"]
    if not has_value(n):
        return ""
    return format_number(n, lang) + ("+" if r.get("participants_is_minimum") is True else "")


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
        return empty_figure(chart_id, title, lang)
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
        known = has_value(n)
        label = event_attendance(r, lang)
        ticks.append(event_name(r, lang))
        when = event_dates(r, lang)
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
    # Names above the rows, clear of the largest marker (about 28 px across).
    label_rows(fig, list(range(len(rows))), ticks, yshift=10)
    first_all = min(partial_date_range(s, e)[0] for s, e in zip(rows["date_start"], rows["date_end"], strict=True))
    last_all = max(partial_date_range(s, e)[1] for s, e in zip(rows["date_start"], rows["date_end"], strict=True))
    fig.update_xaxes(
        type="date",
        range=[first_all - timedelta(days=90), last_all + timedelta(days=150)],
        tickformat="%Y年" if lang == "ja" else "%Y",
        dtick="M12",  # a tick a year: the span is four years, so they fit a phone without turning
    )
    notes = [t("charts.locarnet.size_note", lang)]
    return finish(
        fig,
        chart_id=chart_id,
        title=title,
        lang=lang,
        rows=rows,
        notes=notes,
        x_title=t("charts.axis.date", lang),
        height=rows_height(len(rows), 46),
    )
