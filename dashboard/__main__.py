"""Command line: ``python -m dashboard {layers,validate,build,coverage,export,brief}``.

The same functions the app uses, so a file exported here equals the one the
Downloads page gives for the same layer, filter and format.

Broken data and failed writes end in plain lines on stderr, never a
traceback: exit code 1 for data problems (one line per issue), 2 for bad
arguments and output that cannot be written.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date
from pathlib import Path

from dashboard.catalog import GEO_DIR, TABLES_DIR, get_table, layer_tables
from dashboard.export import FORMATS, export, export_filename
from dashboard.export.context import ExportContext
from dashboard.filters import DEFAULT_AS_OF, STATES, Filter, FilterError
from dashboard.i18n import LANGS
from dashboard.io import load_layer, validate_all
from dashboard.validate import DataError, Issue


def _report(issues: list[Issue]) -> None:
    for issue in issues:
        print(issue, file=sys.stderr)
    print(f"{len(issues)} problem(s) found", file=sys.stderr)


def _write_failure(path: Path, err: OSError) -> str:
    """Why ``path`` could not be written, in words."""
    if isinstance(err, IsADirectoryError) or path.is_dir():
        return "it is a folder, not a file"
    if isinstance(err, FileNotFoundError) and not path.parent.is_dir():
        return f"the folder {path.parent} does not exist"
    return err.strerror or str(err)


def _stdout_failure(err: OSError | None) -> int:
    """Report a stdout that is closed or failing; 2, the exit code for output that cannot be written."""
    if sys.stdout is not None:
        # Python flushes stdout again at exit; pointing it at /dev/null keeps that
        # flush from failing a second time with an 'Exception ignored' traceback.
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError):
            pass
    if err is None:
        reason = "it is closed"
    elif isinstance(err, BrokenPipeError):
        reason = "the reading end of the pipe was closed"
    else:
        reason = err.strerror or str(err)
    print(f"error: cannot write to stdout: {reason}", file=sys.stderr)
    return 2


def _to_stdout(data: bytes) -> int:
    """Write ``data`` to stdout: 0, or the code of :func:`_stdout_failure`."""
    if sys.stdout is None:
        return _stdout_failure(None)
    try:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    except OSError as err:
        return _stdout_failure(err)
    return 0


def _cmd_layers(args) -> int:
    for table_id, table in layer_tables().items():
        print(f"{table_id:<22} {table.geometry:<13} {table.title}")
    return 0


def _cmd_validate(args) -> int:
    issues = validate_all(args.tables, args.geo)
    if issues:
        _report(issues)
        return 1
    print("all tables valid")
    return 0


def _cmd_build(args) -> int:
    from dashboard.build import build

    try:
        result = build()
    except OSError as err:
        path = Path(err.filename or "")
        print(f"error: cannot write {path}: {_write_failure(path, err)}", file=sys.stderr)
        return 2
    print(result.summary())
    return 0


def _cmd_coverage(args) -> int:
    from dashboard.catalog import load_catalog
    from dashboard.citations import read_seed
    from dashboard.coverage import coverage, spans
    from dashboard.io import read_table_raw, seed_for

    seed_path = seed_for(args.tables)
    if seed_path is None:
        print(f"error: no brochure text for the tables in {args.tables}", file=sys.stderr)
        return 2
    seed = read_seed(seed_path)
    tables = load_catalog(args.tables)
    raws = {table_id: read_table_raw(table, args.tables) for table_id, table in tables.items()}
    result = coverage(seed, tables, raws)
    covered = result.total - len(result.uncovered)
    print(f"source coverage: {result.share:.1%} ({covered} of {result.total} non-blank lines)")
    for first, last in spans(result.uncovered):
        where = f"L{first}" if first == last else f"L{first}-{last}"
        print(f"  uncovered {where}: {seed[first - 1].strip()[:60]}")
    return 0 if not result.uncovered else 1


def _cmd_export(args) -> int:
    try:
        table = get_table(args.layer, args.tables)
    except KeyError as err:
        print(f"error: {err.args[0]}", file=sys.stderr)
        return 2
    if not table.is_layer:
        layer_ids = ", ".join(layer_tables(args.tables))
        print(f"error: {args.layer!r} is a table without geometry; layers: {layer_ids}", file=sys.stderr)
        return 2
    frame = load_layer(args.layer, args.tables, args.geo)
    try:
        filter_ = Filter.from_where(args.where or [], table, frame, as_of=args.as_of)
    except FilterError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    rows = filter_.apply(table, frame)
    # Today's date, as the Downloads page writes it: the same layer, filter, format and language give the same bytes.
    data = export([(table, rows)], args.format, ExportContext(filter_, lang=args.lang, downloaded=date.today()))
    # Each --where value exists in the layer, but together they can still match nothing.
    empty_note = None
    if rows.empty:
        empty_note = f"note: no rows match the filter; wrote an empty file ({filter_.sentence('en')})"
        if not filter_.with_as_of(STATES[-1].id).apply(table, frame).empty:
            empty_note += f"; the rows are outside the brochure's state: add --as-of {STATES[-1].id}"
    if args.output == "-" or (args.output is None and args.format in ("geojson", "csv", "kml")):
        code = _to_stdout(data)
        if code:
            return code
        if empty_note:
            print(empty_note, file=sys.stderr)
        return 0
    out = Path(args.output or export_filename([args.layer], filter_, args.format, date.today()))
    try:
        out.write_bytes(data)
    except OSError as err:
        print(f"error: cannot write {out}: {_write_failure(out, err)}", file=sys.stderr)
        return 2
    if empty_note:
        print(empty_note, file=sys.stderr)
    print(f"wrote {out} ({len(data):,} bytes; {filter_.sentence('en')})", file=sys.stderr)
    return 0


def _cmd_brief(args) -> int:
    from dashboard.brief import FontMissing, brief_filename, make_brief
    from dashboard.content.country import countries_held
    from dashboard.io import load_layers, load_table, load_world

    frames = {layer_id: frame for layer_id, (_, frame) in load_layers(args.tables, args.geo).items()}
    places = load_table("places", args.tables)
    iso3 = args.country.strip().upper()
    held = countries_held(frames, places)
    if iso3 not in held:
        print(f"error: the atlas holds nothing for {args.country!r}; countries: {', '.join(held)}", file=sys.stderr)
        return 2
    stories = {row["city_id"]: row for _, row in load_table("success_stories", args.tables).iterrows()}
    try:
        data = make_brief(
            frames, places, stories, load_table("brochure_facts", args.tables), load_world(), iso3, args.lang
        )
    except FontMissing as err:
        print(f"error: cannot make the brief: {err}", file=sys.stderr)
        return 2
    if args.output == "-":
        return _to_stdout(data)
    out = Path(args.output or brief_filename(iso3, args.lang))
    try:
        out.write_bytes(data)
    except OSError as err:
        print(f"error: cannot write {out}: {_write_failure(out, err)}", file=sys.stderr)
        return 2
    print(f"wrote {out} ({len(data):,} bytes; country brief of {iso3} in {args.lang})", file=sys.stderr)
    return 0


def _add_data_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--tables", type=Path, default=TABLES_DIR, metavar="DIR", help="folder of CSVs and sidecars (data/tables)"
    )
    parser.add_argument("--geo", type=Path, default=GEO_DIR, metavar="DIR", help="folder of built geometry (data/geo)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dashboard", description="Asia Low-Carbon Atlas data tools")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("layers", help="list the map layers").set_defaults(func=_cmd_layers)
    val = sub.add_parser("validate", help="check every table against its schema")
    _add_data_options(val)
    val.set_defaults(func=_cmd_validate)
    sub.add_parser("build", help="regenerate data/geo and the basemap from tables and sources").set_defaults(
        func=_cmd_build
    )
    cov = sub.add_parser("coverage", help="share of brochure lines cited by a record or registered as not data")
    _add_data_options(cov)
    cov.set_defaults(func=_cmd_coverage)
    ex = sub.add_parser("export", help="write a (filtered) layer")
    ex.add_argument("layer")
    ex.add_argument("--format", choices=sorted(FORMATS), default="geojson")
    ex.add_argument(
        "--where",
        action="append",
        metavar="COLUMN=VALUE",
        help="keep rows whose COLUMN (or facet: country, program_year, fiscal_year, theme) equals VALUE; repeat to combine",
    )
    ex.add_argument(
        "--as-of",
        choices=[s.id for s in STATES],
        default=DEFAULT_AS_OF,
        help=f"state of the record, as the app's as_of: {DEFAULT_AS_OF} = the brochure's (default; JCM partners: its 12), "
        "latest = with the partners that signed later (all 31)",
    )
    ex.add_argument("--lang", choices=LANGS, default="en", help="language of READMEs, dictionaries and KML names")
    ex.add_argument("-o", "--output", help="file to write ('-' for stdout; default stdout for text formats)")
    _add_data_options(ex)
    ex.set_defaults(func=_cmd_export)
    br = sub.add_parser("brief", help="write a country's printable brief (PDF), as the country page gives it")
    br.add_argument("country", help="ISO 3166 alpha-3 code, e.g. IDN")
    br.add_argument("--lang", choices=LANGS, default="en", help="language of the brief")
    br.add_argument("-o", "--output", help="file to write ('-' for stdout; default country-brief_<ISO3>_<lang>.pdf)")
    _add_data_options(br)
    br.set_defaults(func=_cmd_brief)
    args = parser.parse_args(argv)
    try:
        code = args.func(args)
    except DataError as err:
        _report(err.issues)
        return 1
    except BrokenPipeError as err:
        return _stdout_failure(err)
    try:
        if sys.stdout is not None:
            sys.stdout.flush()
    except OSError as err:
        return _stdout_failure(err)
    return code


if __name__ == "__main__":
    sys.exit(main())
