"""A map as one HTML file that opens from ``file://`` with no server and no network."""

from __future__ import annotations

import base64
import json
import mimetypes
import posixpath
import re
from pathlib import Path

import folium

from dashboard.maps.assets import _ASSET_TAG, _INLINE_DATA_VAR, STATIC_URL, UrlGeoJson, walk_elements

_CSS_URL = re.compile(r"url\(\s*([\"']?)([^\"')]+)\1\s*\)")
# Plain comments only: /*! ... */ is the convention for licence headers.
_CSS_COMMENT = re.compile(r"/\*(?!!).*?\*/", re.DOTALL)
_SOURCE_MAP = re.compile(r"^\s*//# sourceMappingURL=.*$", re.MULTILINE)


def inline_html(folium_map: folium.Map, static_dir: str | Path, prefix: str = STATIC_URL) -> str:
    """Return a map as one HTML page that needs no server and no network.

    Every vendored script and style sheet is copied into the page, images
    referenced by the style sheets become ``data:`` URIs, and the data of
    every :class:`UrlGeoJson` is embedded, so the file opens from
    ``file://``.

    Parameters
    ----------
    folium_map : folium.Map
        Map whose assets point at ``prefix`` (see :func:`use_local_assets`).
    static_dir : str or pathlib.Path
        Folder that ``prefix`` stands for (the repository's ``static/``).
    prefix : str, default STATIC_URL
        URL prefix of the asset and data links in the rendered map.

    Returns
    -------
    str
        The standalone HTML document.

    Raises
    ------
    ValueError
        If a script, style sheet or UrlGeoJson URL does not start with
        ``prefix`` (it could not be inlined and would need the network).
    FileNotFoundError
        If a referenced file is missing from ``static_dir``.
    """
    static_dir = Path(static_dir)
    base = prefix.rstrip("/")
    html = folium_map.get_root().render()

    def local_path(url: str) -> Path:
        if not url.startswith(base + "/"):
            raise ValueError(f"{url!r} is not under {base!r}; call use_local_assets() before building the map")
        path = static_dir / url[len(base) + 1 :]
        if not path.is_file():
            raise FileNotFoundError(f"{url!r} -> {path} does not exist")
        return path

    def inline_script(url: str) -> str:
        path = local_path(url)
        code = _SOURCE_MAP.sub("", path.read_text(encoding="utf-8"))
        tag = f"<script>/* {posixpath.basename(url)} */\n{_escape_end_tag(code, 'script')}</script>"
        if path.name == "leaflet.js":
            tag += _default_icon_script(path.parent / "images")
        return tag

    def inline_style(url: str) -> str:
        path = local_path(url)
        css = _CSS_COMMENT.sub("", path.read_text(encoding="utf-8"))
        css = _CSS_URL.sub(lambda m: _css_url_to_data(m, path.parent), css)
        return f"<style>{_escape_end_tag(css, 'style')}</style>"

    data = {}
    for layer in walk_elements(folium_map):
        if isinstance(layer, UrlGeoJson) and layer.url not in data:
            data[layer.url] = json.loads(local_path(layer.url).read_text(encoding="utf-8"))
    if data:
        payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        # "<" only occurs inside JSON strings, where \u003c means the same,
        # and it keeps "</script>" in a feature name from ending the tag.
        payload = payload.replace("<", "\\u003c")
        script = f"<script>window[{json.dumps(_INLINE_DATA_VAR)}] = {payload};</script>"
        html = html.replace("</head>", script + "\n</head>", 1)

    # One pass over the page as folium wrote it, so text inside code that
    # was just inlined is never mistaken for another tag.
    def inline_asset(match: re.Match) -> str:
        if match.group("script"):
            return inline_script(match.group("script"))
        return inline_style(match.group("link"))

    return _ASSET_TAG.sub(inline_asset, html)


def _escape_end_tag(code: str, tag: str) -> str:
    """Stop inlined code from closing its own ``<script>``/``<style>`` tag."""
    return re.sub(rf"</({tag})", r"<\\/\1", code, flags=re.IGNORECASE)


def _data_uri(path: Path) -> str:
    """Return a file as a base64 ``data:`` URI."""
    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def _css_url_to_data(match: re.Match, css_dir: Path) -> str:
    """Replace a relative CSS ``url()`` with the file's data URI."""
    ref = match.group(2).strip()
    # Fragment-only (#default#VML) and data: URLs need no file.
    if ref.startswith(("#", "data:")):
        return match.group(0)
    target = css_dir / ref.split("?")[0].split("#")[0]
    if not target.is_file():
        raise FileNotFoundError(f"CSS url({ref}) -> {target} does not exist")
    return f'url("{_data_uri(target)}")'


def _default_icon_script(images_dir: Path) -> str:
    """Return a script giving L.Icon.Default data-URI images.

    Leaflet finds its marker images by reading the CSS background of a probe
    element and stripping ``marker-icon.png`` from it; with a data URI that
    fails and the marker points at a missing relative file.
    """
    urls = {
        "iconUrl": "marker-icon.png",
        "iconRetinaUrl": "marker-icon-2x.png",
        "shadowUrl": "marker-shadow.png",
    }
    options = {key: _data_uri(images_dir / name) for key, name in urls.items() if (images_dir / name).is_file()}
    if not options:
        return ""
    return f'<script>L.Icon.Default.imagePath = "";L.Icon.Default.mergeOptions({json.dumps(options)});</script>'
