"""What is wrong in a table's sidecar (``*.meta.yml``), each problem with its line: keys, column specs, layer settings."""

from __future__ import annotations

import re

import yaml

from dashboard.catalog import COLUMN_TYPES, GEOMETRY_KINDS, PROGRAMMES, Column

_COLUMN_FIELDS = {f for f in Column.__dataclass_fields__ if f != "name"}
_TOP_KEYS = ("title", "title_ja", "description", "key", "layer", "source", "license", "extra_sources", "columns")
_LAYER_KEYS = ("geometry", "from_place", "from_country", "programme", "facet_columns")
_YAML_TYPES = {dict: "a mapping", list: "a list", str: "text", bool: "true/false", int: "a number", float: "a number"}


def _kind(value) -> str:
    """A YAML value's kind in words, for messages."""
    return "nothing" if value is None else _YAML_TYPES.get(type(value), type(value).__name__)


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_names(value) -> bool:
    """One column name, or a non-empty list of them."""
    if isinstance(value, str):
        return bool(value)
    return isinstance(value, list) and bool(value) and all(isinstance(v, str) and v for v in value)


def _names(value) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


def _key_line(node, *path: str) -> int | None:
    """1-based line of the deepest key of ``path`` found in a composed YAML mapping."""
    line = None
    for key in path:
        if not isinstance(node, yaml.MappingNode):
            break
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
                line, node = key_node.start_mark.line + 1, value_node
                break
        else:
            break
    return line


def yaml_error_line(err: yaml.YAMLError, text: str) -> int | None:
    mark = getattr(err, "problem_mark", None)
    if mark is not None:
        return mark.line + 1
    position = getattr(err, "position", None)  # ReaderError: a character the YAML reader refuses
    return text.count("\n", 0, position) + 1 if position is not None else None


def yaml_error_message(err: yaml.YAMLError) -> str:
    problem = getattr(err, "problem", None)
    if problem is None:
        return f"is not valid YAML: {' '.join(str(err).split())}"
    context = getattr(err, "context", None)
    return f"is not valid YAML: {problem}" + (f" ({context})" if context else "")


def _column_problems(name, spec, line: int | None) -> list[tuple[int | None, str | None, str]]:
    """(line, column, message) for each thing wrong with one column's declaration."""
    if not isinstance(name, str) or not name:
        return [(line, None, f"column name {name!r} must be text")]
    if spec is None:
        return []
    if not isinstance(spec, dict):
        return [(line, name, f"must be a mapping of settings (type, required, ...), not {_kind(spec)}")]
    out = []
    unknown = sorted(str(k) for k in spec if k not in _COLUMN_FIELDS)
    if unknown:
        out.append(
            (line, name, f"has unknown setting(s) {', '.join(unknown)}; known: {', '.join(sorted(_COLUMN_FIELDS))}")
        )
    for flag in ("required", "unique"):
        if flag in spec and not isinstance(spec[flag], bool):
            out.append((line, name, f"'{flag}' must be true or false, not {spec[flag]!r}"))
    for bound in ("min", "max"):
        if spec.get(bound) is not None and not _is_number(spec[bound]):
            out.append((line, name, f"'{bound}' must be a number, not {spec[bound]!r}"))
    for text_key in ("type", "title", "title_ja", "unit", "description"):
        if spec.get(text_key) is not None and not isinstance(spec[text_key], str):
            out.append((line, name, f"'{text_key}' must be text, not {_kind(spec[text_key])}"))
    if spec.get("type") is not None and isinstance(spec["type"], str) and spec["type"] not in COLUMN_TYPES:
        out.append((line, name, f"unknown type {spec['type']!r}; known: {', '.join(COLUMN_TYPES)}"))
    if spec.get("enum") is not None and not isinstance(spec["enum"], list):
        out.append((line, name, f"'enum' must be a list of values, not {_kind(spec['enum'])}"))
    pattern = spec.get("pattern")
    if pattern is not None:
        try:
            re.compile(pattern)
        except (re.error, TypeError) as err:
            out.append((line, name, f"'pattern' {pattern!r} is not a regular expression: {err}"))
    ref = spec.get("references")
    if ref is not None and not (isinstance(ref, str) and re.fullmatch(r"[^.\s]+\.[^.\s]+", ref)):
        out.append((line, name, f"'references' must be 'table.column', not {ref!r}"))
    return out


def sidecar_problems(meta, node) -> list[tuple[int | None, str | None, str]]:
    """(line, column, message) for each reason ``meta`` cannot become a :class:`Table`."""
    if meta is None:
        return [(None, None, "is empty; it must declare at least title, key and columns")]
    if not isinstance(meta, dict):
        return [(node.start_mark.line + 1, None, f"must be a mapping (title:, key:, columns:, ...), not {_kind(meta)}")]
    out = []
    for required in ("title", "key", "columns"):
        if meta.get(required) is None:
            out.append((_key_line(node, required), None, f"has no '{required}'"))
    for text_key in ("title", "title_ja", "description"):
        if meta.get(text_key) is not None and not isinstance(meta[text_key], str):
            out.append((_key_line(node, text_key), None, f"'{text_key}' must be text, not {_kind(meta[text_key])}"))
    for mapping_key in ("source", "license", "layer"):
        if meta.get(mapping_key) is not None and not isinstance(meta[mapping_key], dict):
            out.append(
                (
                    _key_line(node, mapping_key),
                    None,
                    f"'{mapping_key}' must be a mapping, not {_kind(meta[mapping_key])}",
                )
            )
    extra = meta.get("extra_sources")
    if extra is not None and not (isinstance(extra, list) and all(isinstance(e, dict) for e in extra)):
        out.append((_key_line(node, "extra_sources"), None, "'extra_sources' must be a list of mappings"))
    unknown = sorted(str(k) for k in meta if k not in _TOP_KEYS)
    if unknown:
        out.append((_key_line(node, unknown[0]), None, f"has unknown key(s) {', '.join(unknown)}"))
    columns = meta.get("columns")
    names: set = set()
    if columns is not None:
        if not isinstance(columns, dict) or not columns:
            out.append(
                (_key_line(node, "columns"), None, f"'columns' must map column names to settings, not {_kind(columns)}")
            )
        else:
            names = set(columns)
            for name, spec in columns.items():
                out += _column_problems(name, spec, _key_line(node, "columns", str(name)))
    key = meta.get("key")
    if key is not None:
        if not _is_names(key):
            out.append((_key_line(node, "key"), None, f"'key' must be a column name or a list of them, not {key!r}"))
        elif names:
            out += [
                (_key_line(node, "key"), k, "is the key but is not declared in columns")
                for k in _names(key)
                if k not in names
            ]
    layer = meta.get("layer")
    if isinstance(layer, dict):
        out += _layer_problems(layer, node, names)
    return out


def _layer_problems(layer: dict, node, names: set) -> list[tuple[int | None, str | None, str]]:
    out = []

    def line(key: str) -> int | None:
        return _key_line(node, "layer", key) or _key_line(node, "layer")

    unknown = sorted(str(k) for k in layer if k not in _LAYER_KEYS)
    if unknown:
        out.append((line(unknown[0]), None, f"layer has unknown key(s) {', '.join(unknown)}"))
    geometry = layer.get("geometry")
    if geometry not in GEOMETRY_KINDS:
        out.append((line("geometry"), None, f"layer.geometry {geometry!r} is not one of {', '.join(GEOMETRY_KINDS)}"))
    place, country = layer.get("from_place"), layer.get("from_country")
    if (place is None) == (country is None):
        out.append((_key_line(node, "layer"), None, "layer needs exactly one of from_place or from_country"))
    for setting, value in (("from_place", place), ("from_country", country)):
        if value is None:
            continue
        if not _is_names(value) or (setting == "from_country" and not isinstance(value, str)):
            out.append((line(setting), None, f"layer.{setting} must name column(s), not {value!r}"))
        elif names:
            out += [
                (line(setting), c, f"is layer.{setting} but is not declared in columns")
                for c in _names(value)
                if c not in names
            ]
    programme = layer.get("programme")
    if programme is not None and programme not in PROGRAMMES:
        out.append((line("programme"), None, f"layer.programme {programme!r} is not one of {', '.join(PROGRAMMES)}"))
    facets = layer.get("facet_columns")
    if facets is not None and not (isinstance(facets, dict) and all(_is_names(v) for v in facets.values())):
        out.append((line("facet_columns"), None, "layer.facet_columns must map each facet to column name(s)"))
    return out
