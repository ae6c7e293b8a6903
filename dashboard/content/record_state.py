"""What the reader is told about the state shown: the brochure's December 2014 or the latest record.

Counts and the last year come from the partner table itself, so a partner
added to the record changes the words without a change here.
"""

from __future__ import annotations

import pandas as pd

from dashboard.filters import DEFAULT_AS_OF, STATE_COLUMN, STATES, Filter
from dashboard.i18n import t
from dashboard.style import signing_span


def _counts(partners: pd.DataFrame) -> dict[str, int]:
    in_brochure = int(partners[STATE_COLUMN].fillna(False).astype(bool).sum())
    span = signing_span(partners)
    return {"brochure": in_brochure, "all": len(partners), "year": span[1].year if span else 0}


def option_label(as_of: str, all_partners: pd.DataFrame, lang: str) -> str:
    """The control's words for one state: 'December 2014, as in the brochure (12 partners)'."""
    c = _counts(all_partners)
    if as_of == DEFAULT_AS_OF:
        return t("as_of.option_brochure", lang, n=c["brochure"])
    return t("as_of.option_latest", lang, n=c["all"], year=c["year"])


def shown_line(filter_: Filter, all_partners: pd.DataFrame, lang: str) -> tuple[str, str, str]:
    """(what is shown, the other state's button label, the other state's id) for the line under a title."""
    c = _counts(all_partners)
    if filter_.as_of == DEFAULT_AS_OF:
        return (
            t("as_of.shown_brochure", lang, n=c["brochure"]),
            t("as_of.switch_to_latest", lang, n=c["all"], year=c["year"]),
            STATES[1].id,
        )
    return (
        t("as_of.shown_latest", lang, n=c["all"], year=c["year"], later=c["all"] - c["brochure"]),
        t("as_of.switch_to_brochure", lang, n=c["brochure"]),
        DEFAULT_AS_OF,
    )
