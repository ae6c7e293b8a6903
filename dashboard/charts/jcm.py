"""The JCM charts: partner signings, F/S studies per country, model projects' expected reductions."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from datetime import date, timedelta

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts.figure import (
    GRID,
    INK,
    MUTED,
    NOTE_WIDTH,
    colour,
    date_tickformat,
    empty_figure,
    finish,
    label_rows,
    pick,
    rows_height,
    wrap,
    year_format,
)
from dashboard.counts import yearly_reduction_rows
from dashboard.i18n import country_name, format_number, format_partial_date, signing_date, signing_marks, t
from dashboard.style import NO_DATE_COLOUR, signing_colours, signing_day, signing_span
from dashboard.text import join_names, plotly_escape

# -- JCM partners -------------------------------------------------------------------------------
# A partner's joint-committee record: the brochure says held or not yet held for its 12 (December
# 2014); for a later partner the atlas holds no record at all, which is not "not held".
COMMITTEE_SYMBOLS = {"held": "circle", "not_held": "diamond", "no_record": "square"}
NOT_FOUND_SYMBOL = "circle-open"


# The record's note on a partner whose date was not found bounds it: 'Signed between 2023-04-06 and 2023-08-17'.
BOUNDS = re.compile(r"between (\d{4}-\d{2}-\d{2}) and (\d{4}-\d{2}-\d{2})")


def bounded_dates(note) -> tuple[date, date] | None:
    """The first and last day the record's note leaves for an undated signing, or None.

    >>> bounded_dates("No date found. Signed between 2023-07-05 and 2023-08-17: the cabinet ...")
    (datetime.date(2023, 7, 5), datetime.date(2023, 8, 17))
    """
    m = BOUNDS.search(note if isinstance(note, str) else "")
    return (date.fromisoformat(m.group(1)), date.fromisoformat(m.group(2))) if m else None


def partner_rows(jcm_partners: pd.DataFrame) -> pd.DataFrame:
    """The partners in the order they signed (``signing_order``: a month-only or missing date cannot sort them)."""
    return jcm_partners.sort_values("signing_order", kind="stable")


def committee_group(row) -> str:
    """'held', 'not_held' or 'no_record' (a partner the brochure does not list: no record, not 'not held')."""
    held = row.get("joint_committee_held")
    if pd.isna(held):
        return "no_record"
    return "held" if bool(held) else "not_held"


def window_text(start: date, end: date, lang: str) -> str:
    """'date not found: 5 Jul – 17 Aug 2023' (the record's window for an undated signing); short, for a phone."""
    if start.year == end.year:
        first = f"{start.month}月{start.day}日" if lang == "ja" else f"{start.day} {start:%b}"
    else:
        first = format_partial_date(start.isoformat(), lang)
    return t("signing.window", lang, start=first, end=format_partial_date(end.isoformat(), lang))


def date_text(row, lang: str) -> str:
    """A partner's date as the timeline gives it: :func:`signing_date`, or the record's window where no day is known."""
    window = None if signing_day(row["signed_on"]) else bounded_dates(row.get("note"))
    return window_text(*window, lang) if window else signing_date(row["signed_on"], row["signed_on_status"], lang)


def _date_axis(span: tuple[date, date]) -> dict:
    """Range and ticks of a signing-date axis over ``span`` (whole years).

    Half-yearly ticks for the brochure's two years; yearly for a few years;
    over a longer span (2013-2025) a label every other year with a tick and
    grid line each year, so the labels do not run together on a phone.
    """
    lo, hi = span
    pad = timedelta(days=max(20, round((hi - lo).days * 0.03)))
    years = hi.year - lo.year + 1
    axis = dict(range=[(lo - pad).isoformat(), (hi + pad).isoformat()], tick0=lo.isoformat())
    if years <= 2:
        return axis | dict(dtick="M6")
    axis |= dict(dtick="M12" if years <= 6 else "M24")
    if years > 6:
        axis |= dict(minor=dict(dtick="M12", showgrid=True, gridcolor=GRID, ticks="outside"))
    return axis


def jcm_partners_timeline(jcm_partners: pd.DataFrame, lang: str, colours: Mapping[str, str] | None = None) -> go.Figure:
    """Signing date of each JCM partner, one row per country in signing order.

    Colour follows :func:`signing_colours` (the same ramp shades the map);
    the joint-committee record is told by the marker shape (circle: held,
    diamond: not yet held, both as of December 2014; square: signed after the
    brochure, so the atlas holds no record), so it does not rest on colour.
    Each marker's label is :func:`signing_date` (≈ for a partly verified
    date). A partner whose date was not found keeps its row, with a hollow
    marker on the axis's left edge labelled 'date not found': no date is
    drawn for it.

    Returns
    -------
    plotly.graph_objects.Figure
        A marker trace per committee record present ('held', 'not held',
        'no record') and one for dates not found; x are ISO dates (the
        first of the month for a month-only date), y country names.
    """
    chart_id = "jcm_partners_timeline"
    title = t("charts.jcm_partners.title", lang)
    if jcm_partners.empty:
        return empty_figure(chart_id, title, lang)
    rows = partner_rows(jcm_partners)
    colours = dict(colours) if colours is not None else signing_colours(rows)
    names = [country_name(c, lang) for c in rows["country_iso3"]]
    days = [signing_day(v) for v in rows["signed_on"]]
    # The axis needs some span even when no row has a date; it is only the axis, no row is placed by it.
    today = date.today()
    span = signing_span(rows) or (date(today.year, 1, 1), date(today.year, 12, 31))
    axis = _date_axis(span)
    edge = axis["range"][0]
    lo, hi = (d.toordinal() for d in span)
    fig = go.Figure()
    # A thin guide line per dated row helps the eye from the name to its dot; one trace for all of
    # them (breaks between rows), since every trace is sent to the browser on every rerun.
    first = min((d for d in days if d is not None), default=None)
    guide_x, guide_y = [], []
    for name, day in zip(names, days, strict=True):
        if day is not None:
            guide_x += [first.isoformat(), day.isoformat(), None]
            guide_y += [name, name, None]
    if guide_x:
        fig.add_scatter(
            x=guide_x,
            y=guide_y,
            mode="lines",
            line=dict(color=GRID, width=1),
            hoverinfo="skip",
            showlegend=False,
            connectgaps=False,
        )
    big = len(rows) > 20  # 31 rows beside a map: smaller markers so the rows can sit closer
    groups = [committee_group(r) for _, r in rows.iterrows()]
    labels = [signing_date(v, s, lang) for v, s in zip(rows["signed_on"], rows["signed_on_status"], strict=True)]
    isos = list(rows["country_iso3"])
    for key, symbol in COMMITTEE_SYMBOLS.items():
        idx = [i for i, g in enumerate(groups) if g == key and days[i] is not None]
        if not idx:
            continue
        # Labels of the late dates go left of their dot: on a phone there is no room right of the axis's end.
        late = [(days[i].toordinal() - lo) / max(1, hi - lo) > 0.7 for i in idx]
        fig.add_scatter(
            x=[days[i].isoformat() for i in idx],
            y=[names[i] for i in idx],
            mode="markers+text",
            name=t(f"charts.jcm_partners.{key}", lang),
            text=[labels[i] for i in idx],
            textposition=["middle left" if lt else "middle right" for lt in late],
            textfont=dict(size=11, color=MUTED),
            cliponaxis=False,
            marker=dict(
                size=12 if big else 15,
                symbol=symbol,
                color=[colours.get(isos[i], NO_DATE_COLOUR) for i in idx],
                line=dict(color=INK, width=1.2),
            ),
            hovertemplate="%{y}<br>%{text}<extra>%{fullData.name}</extra>",
        )
    missing = [i for i, d in enumerate(days) if d is None]
    notes_of = list(rows["note"]) if "note" in rows else [None] * len(rows)
    windows = {i: bounded_dates(notes_of[i]) for i in missing}
    for i in (i for i in missing if windows[i]):
        # The record bounds the signing to a window: drawn as that window, a bar with no dot, never as a day.
        start, end = windows[i]
        fig.add_scatter(
            x=[start.isoformat(), end.isoformat()],
            y=[names[i], names[i]],
            mode="lines",
            line=dict(color=NO_DATE_COLOUR, width=9),
            name=t("charts.jcm_partners.window", lang),
            legendgroup="window",
            showlegend=i == next(j for j in missing if windows[j]),
            hovertemplate=f"{plotly_escape(names[i])}<br>{plotly_escape(window_text(start, end, lang))}<extra></extra>",
        )
        fig.add_annotation(
            x=start.isoformat(),
            y=names[i],
            text=plotly_escape(window_text(start, end, lang)),
            xanchor="right",
            showarrow=False,
            xshift=-6,
            font=dict(size=11, color=INK),
        )
    bare = [i for i in missing if not windows[i]]
    if bare:
        # Not a date: the hollow marker stands on the axis's left edge, beside the words 'date not found'.
        fig.add_scatter(
            x=[edge] * len(bare),
            y=[names[i] for i in bare],
            mode="markers+text",
            name=t("charts.jcm_partners.not_found", lang),
            text=[labels[i] for i in bare],
            textposition="middle right",
            textfont=dict(size=11, color=INK),
            cliponaxis=False,
            marker=dict(size=12 if big else 15, symbol=NOT_FOUND_SYMBOL, color=NO_DATE_COLOUR, line=dict(width=2)),
            hovertemplate="%{y}<br>%{text}<extra></extra>",
        )
    fig.update_yaxes(categoryorder="array", categoryarray=names, autorange="reversed")
    label_rows(fig, names, names)
    fig.update_yaxes(showgrid=False)  # the guide lines already lead from each name to its dot
    fig.update_xaxes(
        type="date", tickformat=date_tickformat(lang) if axis["dtick"] == "M6" else year_format(lang), **axis
    )
    notes = []
    brochure = rows[[g != "no_record" for g in groups]]
    if len(brochure):
        n_held = groups.count("held")
        as_of = str(brochure["status_as_of"].dropna().max())
        notes.append(
            t(
                "charts.jcm_partners.note",
                lang,
                held=n_held,
                total=len(brochure),
                as_of=format_partial_date(as_of, lang),
            )
        )
    marks = signing_marks(rows["signed_on_status"], lang)
    if marks:
        notes.append(marks)
    return finish(
        fig,
        chart_id=chart_id,
        title=title,
        lang=lang,
        rows=rows,
        notes=notes,
        x_title=t("charts.axis.signed_on", lang),
        extra_source_key="charts.jcm_partners.dates_source",
        height=rows_height(len(rows), 36 if big else 40),
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
        return empty_figure(chart_id, title, lang)
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
    return finish(
        fig,
        chart_id=chart_id,
        title=title,
        lang=lang,
        rows=fs_studies,
        notes=notes,
        x_title=t("charts.axis.studies", lang),
        legend=False,
        height=rows_height(len(per), 30),
        note_width=NOTE_WIDTH - 12,  # the notes start right of the country names
    )


# -- JCM model projects --------------------------------------------------------------------------
def project_labels(projects: pd.DataFrame, lang: str) -> list[str]:
    """One label per row of ``projects``, no two alike: 'JFE Engineering · Indonesia'.

    The place is the project's site where the table names one, else its
    country. One company can have two projects in one country (Ebara's
    FY2014 model project and the first registered project, at Batang), and
    plotly draws bars sharing a label as one: any label still shared gets
    the project's title as well.

    Example
    -------
    >>> rows = pd.DataFrame({"representative_en": ["A", "A"], "country_iso3": ["IDN", "IDN"],
    ...                      "site_en": ["", "Batang"], "title_en": ["x", "y"]})
    >>> project_labels(rows, "en")
    ['A · Indonesia', 'A · Batang']
    """
    labels = [
        f"{pick(r, 'representative', lang)} · {pick(r, 'site', lang) or country_name(r['country_iso3'], lang)}"
        for _, r in projects.iterrows()
    ]
    shared = {label for label, n in Counter(labels).items() if n > 1}
    return [
        f"{label} · {pick(r, 'title', lang)}" if label in shared else label
        for label, (_, r) in zip(labels, projects.iterrows(), strict=True)
    ]


def model_project_reductions(jcm_model_projects: pd.DataFrame, lang: str) -> go.Figure:
    """Expected reductions per year of the JCM model projects: a dot plot on a linear axis from 0.

    The largest project expects about a thousand times the smallest. A log
    axis would draw 104 t as a fifth of 122,000 t, and bars from 0 would leave
    the small ones invisible; so each project is a dot at its value on a
    linear axis, the value written beside it, and the largest is named in a
    note with its share. Each project's name stands above its row, inside the
    plot, so the names take no width from the axis on a phone. Projects whose
    brochure figure is a total rather than a yearly one (the first registered
    project) are left out and named in a note.

    Returns
    -------
    plotly.graph_objects.Figure
        One marker trace, rows sorted ascending (largest drawn on top): x the
        expected reductions, y the project labels, text the values as written;
        x axis linear, from 0.
    """
    chart_id = "model_project_reductions"
    title = t("charts.projects.title", lang)
    per_year = reduction_rows(jcm_model_projects)
    totals = jcm_model_projects[
        jcm_model_projects["expected_reduction_tco2_per_year"].isna()
        & jcm_model_projects["expected_reduction_tco2_total"].notna()
    ]
    notes = []
    for (_, r), label in zip(totals.iterrows(), project_labels(totals, lang), strict=True):
        until = re.search(r"\d{4}", str(r.get("reduction_period") or ""))
        key = "charts.projects.excluded_until" if until else "charts.projects.excluded"
        registered = bool(r.get("first_registered"))
        notes.append(
            t(
                key,
                lang,
                name=t("counts.chart_registered", lang, name=label) if registered else label,
                total=format_number(r["expected_reduction_tco2_total"], lang),
                year=until.group(0) if until else "",
            )
        )
    if per_year.empty:
        fig = empty_figure(chart_id, title, lang)
        return fig
    values = [float(v) for v in per_year["expected_reduction_tco2_per_year"]]
    labels = project_labels(per_year, lang)
    largest = max(values)
    texts = [format_number(v, lang) for v in values]
    # The largest dot sits at the right end of the axis: its value goes to its left, with
    # the unit, so it needs no room beyond the axis and says what the numbers count.
    positions = ["middle right"] * len(values)
    if len(values) > 1:
        positions[-1] = "middle left"
        texts[-1] = t("charts.projects.largest_label", lang, value=texts[-1])
    hover = [wrap(pick(r, "title", lang), lang, 50) for _, r in per_year.iterrows()]
    fig = go.Figure(
        go.Scatter(
            x=values,
            y=labels,
            mode="markers+text",
            name=t("programme.jcm_projects", lang),
            marker=dict(color=colour("jcm_projects"), size=11, line=dict(color="#ffffff", width=1)),
            text=texts,
            textposition=positions,
            textfont=dict(size=12, color=INK),
            cliponaxis=False,
            customdata=hover,
            hovertemplate="%{y}<br>%{customdata}<br>%{x:,.0f} tCO2/" + t("unit.year", lang) + "<extra></extra>",
        )
    )
    # Linear from 0; a little room on the right so the largest dot is not cut in half.
    fig.update_xaxes(type="linear", range=[0, largest * 1.04], rangemode="tozero", tickformat=",", nticks=6)
    label_rows(fig, labels, labels)
    fig.update_yaxes(showgrid=True)
    total = sum(values)
    notes.insert(0, t("charts.projects.linear_note", lang, total=format_number(total, lang), n=len(values)))
    if len(values) > 1:
        notes.insert(
            1,
            t(
                "charts.projects.largest_note",
                lang,
                name=labels[-1],
                share=format_number(100 * largest / total, lang),
                times=format_number(largest / values[-2], lang, decimals=1),
            ),
        )
    return finish(
        fig,
        chart_id=chart_id,
        title=title,
        lang=lang,
        rows=jcm_model_projects,
        notes=notes,
        x_title=t("charts.axis.reduction", lang),
        legend=False,
        height=rows_height(len(values), 44),
    )


def reduction_rows(jcm_model_projects: pd.DataFrame) -> pd.DataFrame:
    """The projects :func:`model_project_reductions` draws, in its order (smallest first)."""
    return yearly_reduction_rows(jcm_model_projects).sort_values("expected_reduction_tco2_per_year", kind="stable")


# -- JCM partners by year -------------------------------------------------------------------------
def bounded_year(note) -> int | None:
    """The year the record's bounds put an undated signing in, or None when they span years (or there are none).

    >>> bounded_year("No date found. Signed between 2023-04-06 and 2023-08-17: absent from ...")
    2023
    """
    bounds = bounded_dates(note)
    return bounds[0].year if bounds and bounds[0].year == bounds[1].year else None


def partners_by_year(jcm_partners: pd.DataFrame) -> tuple[pd.DataFrame, list[str], list[str]]:
    """New partners per signing year and the running total.

    A partner whose date was not found counts in a year only where the
    record's bounds fall in that one year (:func:`bounded_year`); otherwise it
    counts in the total only.

    Returns
    -------
    (pandas.DataFrame, list of str, list of str)
        Columns year, dated, bounded (undated, counted by the bounds) and
        cumulative, every year from the first to the last; the ISO3 codes
        counted by their bounds; those counted in the total only.
    """
    dated: Counter = Counter()
    bounded: Counter = Counter()
    by_bounds, total_only = [], []
    for _, r in partner_rows(jcm_partners).iterrows():
        day = signing_day(r["signed_on"])
        if day is not None:
            dated[day.year] += 1
        elif (year := bounded_year(r.get("note"))) is not None:
            bounded[year] += 1
            by_bounds.append(r["country_iso3"])
        else:
            total_only.append(r["country_iso3"])
    years = sorted(dated | bounded)
    span = list(range(years[0], years[-1] + 1)) if years else []
    per = pd.DataFrame(
        {"year": span, "dated": [dated[y] for y in span], "bounded": [bounded[y] for y in span]}, dtype="int64"
    )
    per["cumulative"] = (per["dated"] + per["bounded"]).cumsum()
    if total_only and len(per):
        per.loc[per.index[-1], "cumulative"] += len(total_only)
    return per, by_bounds, total_only


def jcm_partners_by_year(jcm_partners: pd.DataFrame, lang: str) -> go.Figure:
    """New JCM partners per year of signing (bars) and the running total (line with its figures).

    Returns
    -------
    plotly.graph_objects.Figure
        Stacked bars 'dated' (and 'bounded' where an undated partner is
        counted by its record's bounds), and the 'cumulative' line; x are
        years.
    """
    chart_id = "jcm_partners_by_year"
    title = t("charts.by_year.title", lang)
    per, by_bounds, total_only = partners_by_year(jcm_partners)
    if per.empty:
        return empty_figure(chart_id, title, lang)
    years = list(per["year"])
    fig = go.Figure()
    fig.add_bar(
        x=years,
        y=list(per["dated"]),
        name=t("charts.by_year.dated", lang),
        marker=dict(color=colour("jcm_partners"), line=dict(color=INK, width=0.8)),
        hovertemplate="%{x}: %{y}<extra>%{fullData.name}</extra>",
    )
    if by_bounds:
        fig.add_bar(
            x=years,
            y=list(per["bounded"]),
            name=t("charts.by_year.bounded", lang),
            marker=dict(
                color=NO_DATE_COLOUR, pattern=dict(shape="/", fgcolor="#ffffff"), line=dict(color=INK, width=0.8)
            ),
            hovertemplate="%{x}: %{y}<extra>%{fullData.name}</extra>",
        )
    fig.add_scatter(
        x=years,
        y=list(per["cumulative"]),
        mode="lines+markers+text",
        name=t("charts.by_year.cumulative", lang),
        line=dict(color=INK, width=2),
        marker=dict(size=7, color=INK),
        text=[str(v) for v in per["cumulative"]],
        textposition="top center",
        textfont=dict(size=11, color=INK),
        cliponaxis=False,
        hovertemplate="%{x}: %{y}<extra>%{fullData.name}</extra>",
    )
    fig.update_layout(barmode="stack", bargap=0.3)
    # A label every other year over a long span: thirteen year labels run together on a phone.
    fig.update_xaxes(tickformat="d", dtick=2 if len(years) > 8 else 1, tick0=years[0])
    fig.update_yaxes(rangemode="tozero", range=[0, per["cumulative"].max() * 1.15 + 1])
    notes = []
    later = jcm_partners[~jcm_partners["in_brochure"].fillna(False).astype(bool)]
    if len(later):
        status = Counter(later["signed_on_status"])
        notes.append(
            t(
                "charts.by_year.record_note",
                lang,
                later=len(later),
                verified=status["verified"],
                partly=status["partly verified"],
                missing=status["unverified"],
            )
        )
    bounds = {r["country_iso3"]: bounded_year(r.get("note")) for _, r in jcm_partners.iterrows()}
    for year in sorted({bounds[c] for c in by_bounds}):
        these = [country_name(c, lang) for c in by_bounds if bounds[c] == year]
        notes.append(t("charts.by_year.bounded_note", lang, names=join_names(these, lang), year=year))
    if total_only:
        these = [country_name(c, lang) for c in total_only]
        notes.append(t("charts.by_year.total_only_note", lang, n=len(total_only), names=join_names(these, lang)))
    return finish(
        fig,
        chart_id=chart_id,
        title=title,
        lang=lang,
        rows=jcm_partners,
        notes=notes,
        x_title=t("charts.axis.signing_year", lang),
        y_title=t("charts.axis.partners", lang),
        extra_source_key="charts.jcm_partners.dates_source",
        height=380,
    )
