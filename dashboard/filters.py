"""One filter model for the map, the charts, the URL, the downloads and the CLI.

A :class:`Filter` holds, per facet or column, the values a feature may have
(OR within a facet, AND across facets), like datasette's ``column__in=``.
Facets are declared once in :data:`FACETS`; each layer maps a facet to one of
its columns (``country`` is ``partner_country_iso3`` for city partnerships). A
facet that a layer has no column for does not narrow that layer: choosing
programme year 2 still shows the seminars.

The same object parses from query parameters (bad values fall back with a
notice), from CLI ``--where column=value`` pairs (bad values raise), and
renders back to a query string, a sentence in either language and a file-name
slug.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

from dashboard.catalog import Table
from dashboard.i18n import country_name, reading, t
from dashboard.search import normalise


@dataclass(frozen=True)
class Facet:
    """A filter dimension shared by several layers."""

    id: str
    column: str
    label_key: str


FACETS: tuple[Facet, ...] = (
    Facet("country", "country_iso3", "facet.country"),
    Facet("program_year", "program_year", "facet.program_year"),
    Facet("fiscal_year", "fiscal_year", "facet.fiscal_year"),
    Facet("theme", "theme", "facet.theme"),
)
FACETS_BY_ID = {f.id: f for f in FACETS}


@dataclass(frozen=True)
class State:
    """A state of the record the atlas shows: the brochure's of December 2014, or the latest one.

    Unlike a facet it has one value and a default, like datasette's ``_sort``:
    every layer is the brochure's, except JCM partners, whose later signatories
    are rows with ``in_brochure`` false that only the latest state shows.
    """

    id: str  # the URL value: ?as_of=2014-12 | ?as_of=latest
    label_key: str
    brochure_only: bool


AS_OF_KEY = "as_of"
STATE_COLUMN = "in_brochure"  # a layer with this column has rows outside the brochure's state
STATES: tuple[State, ...] = (State("2014-12", "as_of.brochure", True), State("latest", "as_of.latest", False))
STATES_BY_ID = {s.id: s for s in STATES}
DEFAULT_AS_OF = STATES[0].id


class FilterError(ValueError):
    """A filter names a column or value the data does not have."""


def facet_columns(facet: Facet, table: Table) -> tuple[str, ...]:
    """The columns of ``table`` that implement ``facet`` (any may match), or ().

    A sidecar can map a facet to one column (city partnerships: ``country`` is
    ``partner_country_iso3``) or to several (knowledge sharing: either end's
    country).
    """
    declared = table.facet_columns.get(facet.id, facet.column)
    columns = (declared,) if isinstance(declared, str) else tuple(declared)
    return tuple(c for c in columns if c in table.column_names)


def as_text(series: pd.Series) -> pd.Series:
    """Cell values as the strings used in URLs and ``--where`` ('true', '2', 'IDN', '')."""
    if pd.api.types.is_bool_dtype(series):
        return series.map(lambda v: "" if v is pd.NA else ("true" if v else "false"))
    return series.astype("string").fillna("").astype(str)


@dataclass(frozen=True)
class Filter:
    """Allowed values per facet id or column name.

    Example
    -------
    >>> f = Filter.from_mapping({"country": ["IDN"], "program_year": [2]})
    >>> f.to_query()
    {'country': 'IDN', 'program_year': '2'}
    """

    values: tuple[tuple[str, tuple[str, ...]], ...] = ()
    as_of: str = DEFAULT_AS_OF

    @classmethod
    def from_mapping(cls, mapping: Mapping[str, Iterable], as_of: str = DEFAULT_AS_OF) -> Filter:
        if as_of not in STATES_BY_ID:
            raise FilterError(f"as_of {as_of!r}: expected one of {', '.join(STATES_BY_ID)}")
        items = []
        for key, vals in mapping.items():
            vals = tuple(sorted({str(v) for v in vals if str(v) != ""}))
            if vals:
                items.append((key, vals))
        order = {f.id: i for i, f in enumerate(FACETS)}
        return cls(tuple(sorted(items, key=lambda kv: (order.get(kv[0], len(order)), kv[0]))), as_of)

    @property
    def as_dict(self) -> dict[str, tuple[str, ...]]:
        return dict(self.values)

    def get(self, key: str) -> tuple[str, ...]:
        return self.as_dict.get(key, ())

    def is_empty(self) -> bool:
        """Whether no facet narrows anything (the state is not a facet: see :attr:`state`)."""
        return not self.values

    @property
    def state(self) -> State:
        return STATES_BY_ID[self.as_of]

    def with_values(self, key: str, values: Iterable) -> Filter:
        mapping = self.as_dict
        mapping[key] = tuple(values)
        return Filter.from_mapping(mapping, self.as_of)

    def with_as_of(self, as_of: str) -> Filter:
        return Filter.from_mapping(self.as_dict, as_of)

    # -- applying -------------------------------------------------------------------
    def columns_for(self, key: str, table: Table) -> tuple[str, ...]:
        """The columns a facet id or column name refers to in ``table``."""
        if key in FACETS_BY_ID:
            return facet_columns(FACETS_BY_ID[key], table)
        return (key,) if key in table.column_names else ()

    def column_for(self, key: str, table: Table) -> str | None:
        columns = self.columns_for(key, table)
        return columns[0] if columns else None

    def applies_to(self, table: Table) -> bool:
        """Whether any condition narrows this table."""
        narrows_state = self.state.brochure_only and STATE_COLUMN in table.column_names
        return narrows_state or any(self.columns_for(key, table) for key, _ in self.values)

    def mask(self, table: Table, frame: pd.DataFrame) -> pd.Series:
        keep = pd.Series(True, index=frame.index)
        if self.state.brochure_only and STATE_COLUMN in table.column_names:
            keep &= as_text(frame[STATE_COLUMN]) == "true"
        for key, allowed in self.values:
            columns = self.columns_for(key, table)
            if columns:
                hit = pd.Series(False, index=frame.index)
                for column in columns:
                    hit |= as_text(frame[column]).isin(allowed)
                keep &= hit
        return keep

    def apply(self, table: Table, frame: pd.DataFrame) -> pd.DataFrame:
        """The rows of ``frame`` (a layer or table) that pass the filter, in order."""
        return frame[self.mask(table, frame)]

    # -- rendering ------------------------------------------------------------------
    def to_query(self) -> dict[str, str]:
        """Query parameters; an empty filter in the default state adds nothing to the URL."""
        query = {key: ",".join(vals) for key, vals in self.values}
        if self.as_of != DEFAULT_AS_OF:
            query[AS_OF_KEY] = self.as_of
        return query

    def sentence(self, lang: str, state: bool | None = None) -> str:
        """A human sentence: 'Country is Indonesia or Viet Nam; programme year is 2'.

        ``state``: name the state always (True: a file that holds JCM partners
        says which of them it holds), never (False: a file the state does not
        narrow), or when it is not the default (None, for a screen).
        """
        named = self.as_of != DEFAULT_AS_OF if state is None else state
        state = t("filter.state_clause", lang, state=t(self.state.label_key, lang)) if named else ""
        if self.is_empty():
            return t("filter.none_in_state", lang, state=state) if state else t("filter.none", lang)
        parts = [state] if state else []
        for key, vals in self.values:
            label = t(FACETS_BY_ID[key].label_key, lang) if key in FACETS_BY_ID else key
            shown = [value_label(key, v, lang) for v in vals]
            parts.append(t("filter.clause", lang, label=label, values=t("filter.or", lang).join(shown)))
        return t("filter.sentence", lang, clauses=t("filter.and", lang).join(parts))

    def slug(self, state: bool | None = None) -> str:
        """File-name part: 'country-IDN+VNM_program_year-2', 'as_of-latest', or 'all'.

        ``state`` as in :meth:`sentence` ('as_of-2014-12' with True).
        """
        named = self.as_of != DEFAULT_AS_OF if state is None else state
        values = self.values + (((AS_OF_KEY, (self.as_of,)),) if named else ())
        if not values:
            return "all"
        text = "_".join(f"{key}-{'+'.join(vals)}" for key, vals in values)
        return re.sub(r"[^A-Za-z0-9_+\-]", "", text)[:120]

    # -- parsing ----------------------------------------------------------------------
    @classmethod
    def from_query(
        cls, params: Mapping[str, str | list[str]], options: Mapping[str, list[str]]
    ) -> tuple[Filter, list[tuple[str, str]]]:
        """Read facets from query parameters, dropping values that are not options.

        Parameters
        ----------
        params : mapping
            Query parameters (a value may be 'IDN,VNM' or a list).
        options : mapping
            Valid values per facet id (see :func:`facet_options`).

        Returns
        -------
        (Filter, list of (facet id, value))
            The filter and every rejected value, as given.
        """
        mapping, notices = {}, []
        as_of = params.get(AS_OF_KEY) or DEFAULT_AS_OF
        as_of = as_of[-1] if isinstance(as_of, list) else str(as_of)
        if as_of not in STATES_BY_ID:
            notices.append((AS_OF_KEY, as_of))
            as_of = DEFAULT_AS_OF
        for facet in FACETS:
            raw = params.get(facet.id)
            if raw is None:
                continue
            items = raw if isinstance(raw, list) else [raw]
            values = [v.strip() for item in items for v in str(item).split(",") if v.strip()]
            # Case aside: a hand-typed ?country=idn means IDN.
            allowed = {v.casefold(): v for v in options.get(facet.id, ())}
            good = [allowed[v.casefold()] for v in values if v.casefold() in allowed]
            for bad in (v for v in values if v.casefold() not in allowed):
                notices.append((facet.id, bad))
            if good:
                mapping[facet.id] = good
        return cls.from_mapping(mapping, as_of), notices

    @classmethod
    def from_where(cls, pairs: Iterable[str], table: Table, frame: pd.DataFrame, as_of: str = DEFAULT_AS_OF) -> Filter:
        """Parse CLI ``column=value`` pairs for one layer; repeated columns are OR-ed.

        Raises
        ------
        FilterError
            For a malformed pair, an unknown column or a value the column never has.
        """
        mapping: dict[str, list[str]] = {}
        for pair in pairs:
            if "=" not in pair:
                raise FilterError(f"--where {pair!r}: expected COLUMN=VALUE")
            key, value = (s.strip() for s in pair.split("=", 1))
            columns = cls().columns_for(key, table)
            if not columns:
                known = ", ".join(table.column_names)
                raise FilterError(f"--where {pair!r}: layer {table.id!r} has no column {key!r}; columns: {known}")
            present = sorted(set().union(*(set(as_text(frame[c])) for c in columns)) - {""})
            if value not in present:
                shown = ", ".join(present[:30]) + (" …" if len(present) > 30 else "")
                raise FilterError(
                    f"--where {pair!r}: no row of {table.id!r} has {'/'.join(columns)}={value!r}; values: {shown}"
                )
            mapping.setdefault(key, []).append(value)
        return cls.from_mapping(mapping, as_of)


def value_label(key: str, value: str, lang: str) -> str:
    """How a facet value is shown: country names, 'Year 2', theme names."""
    if key in ("country",) or key.endswith("country_iso3"):
        return country_name(value, lang)
    if key == "program_year":
        return t("value.program_year", lang, year=value)
    if key == "fiscal_year":
        return t("value.fiscal_year", lang, year=value)
    if key == "theme":
        return t(f"theme.{value}", lang)
    return value


def value_order(key: str, value: str, lang: str) -> tuple:
    """Sort key of a facet value as the reader looks for it: years by number, names by how they read.

    >>> sorted(["VNM", "IDN", "WSM", "IND"], key=lambda v: value_order("country", v, "en"))
    ['IND', 'IDN', 'WSM', 'VNM']
    >>> sorted(["VNM", "IDN", "JPN", "KHM"], key=lambda v: value_order("country", v, "ja"))
    ['IDN', 'KHM', 'JPN', 'VNM']
    """
    if value.isdigit():
        return (0, int(value), "")
    # Folded as the search folds names: width, case, marks and katakana/hiragana do not reorder them.
    return (1, 0, normalise(reading(key, value, lang) or value_label(key, value, lang)))


def facet_options(frames: Mapping[str, tuple[Table, pd.DataFrame]]) -> dict[str, list[str]]:
    """Every value each facet takes in any layer, sorted (years numerically)."""
    options: dict[str, set[str]] = {f.id: set() for f in FACETS}
    for table, frame in frames.values():
        for facet in FACETS:
            for column in facet_columns(facet, table):
                options[facet.id] |= set(as_text(frame[column])) - {""}

    def order(v: str):
        return (0, int(v), "") if v.isdigit() else (1, 0, v)

    return {k: sorted(v, key=order) for k, v in options.items()}
