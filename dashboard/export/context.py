"""What every export knows: the filter and language it was made for, its date and link, and its file name."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from dashboard import release
from dashboard.catalog import Table
from dashboard.filters import STATE_COLUMN, Filter

#: Timestamp written inside GeoPackages: the brochure's "as of" month, so the
#: bytes depend on the data and filter only.
DATA_TIMESTAMP = "2014-12-31T00:00:00Z"


NAME_COLUMNS = {
    "en": ("name_en", "title_en", "city_en", "partner_en", "topic_en", "feature_id"),
    "ja": ("name_ja", "title_ja", "city_ja", "partner_ja", "topic_ja", "name_en", "title_en", "feature_id"),
}


@dataclass(frozen=True)
class ExportContext:
    """What produced an export, for the files that describe it.

    Attributes
    ----------
    filter : Filter
    lang : str
        Language of READMEs, dictionaries and KML names ('en' or 'ja').
    downloaded : date, optional
        The day the file was made (READMEs say it); None writes the release date,
        so a file made twice from the same data is the same bytes.
    view_url : str
        The link that reopens the view the file came from ('' when made outside the app).
    """

    filter: Filter
    lang: str = "en"
    downloaded: date | None = None
    view_url: str = ""

    @property
    def day(self) -> date:
        return self.downloaded or release.released()

    def filter_sentence(self, tables) -> str:
        """The filter in words for a file holding ``tables``; the state is named whenever one of them has it."""
        return self.filter.sentence(self.lang, state=any(STATE_COLUMN in t.column_names for t in tables))


Part = tuple[Table, pd.DataFrame]
