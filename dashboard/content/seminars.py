"""What the seminars page shows: the ESC High Level Seminars and LoCARNet tables, and seminar outcomes."""

from __future__ import annotations

import pandas as pd

from dashboard.charts.figure import partial_date_range
from dashboard.content.tables import col_label
from dashboard.i18n import country_name, format_number, format_partial_date, pick, t
from dashboard.text import cell_text


def seminar_table(esc_seminars: pd.DataFrame, lang: str) -> pd.DataFrame:
    """One row per seminar: number, date, venue, status and the four attendance counts.

    Counts are shown as text so a planned seminar reads '–' rather than 'None'.
    """
    rows = esc_seminars.sort_values("seminar_no")

    def counts(name: str) -> list[str]:
        return [format_number(v, lang) if cell_text(v) else "–" for v in rows[name]]

    return pd.DataFrame(
        {
            col_label("seminar_no", lang): rows["seminar_no"].reset_index(drop=True),
            col_label("held", lang): [format_partial_date(cell_text(v), lang) for v in rows["held"]],
            col_label("venue", lang): [pick(r, "city", lang) for _, r in rows.iterrows()],
            col_label("country", lang): [country_name(cell_text(v), lang) for v in rows["country_iso3"]],
            col_label("status", lang): [t(f"status.{v}", lang) for v in rows["status"]],
            col_label("participants", lang): counts("participants"),
            col_label("countries", lang): counts("countries"),
            col_label("local_governments", lang): counts("local_governments"),
            col_label("organizations", lang): counts("organizations"),
        }
    )


def seminar_outcomes(outcomes: pd.DataFrame, esc_seminars: pd.DataFrame, lang: str) -> list[tuple[str, list[str]]]:
    """(heading, outcome texts) per seminar present in ``esc_seminars``, in seminar order."""
    out = []
    for _, s in esc_seminars.sort_values("seminar_no").iterrows():
        rows = outcomes[outcomes["seminar_no"] == s["seminar_no"]].sort_values("outcome_no")
        if rows.empty:
            continue
        heading = t(
            "page.seminars.outcome_heading",
            lang,
            no=int(s["seminar_no"]),
            venue=pick(s, "city", lang),
            when=format_partial_date(cell_text(s["held"]), lang),
        )
        out.append((heading, [pick(r, "outcome", lang) for _, r in rows.iterrows()]))
    return out


def locarnet_table(events: pd.DataFrame, lang: str) -> pd.DataFrame:
    """LoCARNet events in date order: date, event, kind, place, status, attendance, outcome."""
    if events.empty:
        return pd.DataFrame(
            columns=[
                col_label(k, lang) for k in ("date", "kind", "place", "status", "participants", "event", "outcome")
            ]
        )
    rows = events.assign(
        _start=[partial_date_range(s, e)[0] for s, e in zip(events["date_start"], events["date_end"], strict=True)]
    )
    rows = rows.sort_values(["_start", "feature_id"])

    def when(r) -> str:
        text = format_partial_date(r["date_start"], lang)
        return text if r["date_end"] == r["date_start"] else f"{text} – {format_partial_date(r['date_end'], lang)}"

    def attendance(r) -> str:
        if not cell_text(r["participants"]):
            return ""
        n = format_number(r["participants"], lang)
        return t("page.seminars.more_than", lang, n=n) if r["participants_is_minimum"] is True else n

    return pd.DataFrame(
        {
            col_label("date", lang): [when(r) for _, r in rows.iterrows()],
            col_label("kind", lang): [t(f"charts.event_kind.{k}", lang) for k in rows["event_kind"]],
            col_label("place", lang): [
                pick(r, "city", lang) or country_name(cell_text(r["country_iso3"]), lang) for _, r in rows.iterrows()
            ],
            col_label("status", lang): [t(f"status.{v}", lang) for v in rows["status"]],
            col_label("participants", lang): [attendance(r) for _, r in rows.iterrows()],
            col_label("event", lang): [pick(r, "title", lang) for _, r in rows.iterrows()],
            col_label("outcome", lang): [pick(r, "outcome", lang) for _, r in rows.iterrows()],
        }
    )
