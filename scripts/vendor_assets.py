"""Reproduce the vendored front-end assets and the world basemap source.

The app must run with no internet, so every script, style sheet and image
that the maps load is copied from its official npm package into
``static/vendor/<package>/`` and served by Streamlit's static file server.
The Natural Earth country boundaries (npm ``world-atlas``) are raw data for
the basemap build, so they go to ``data/sources/world-atlas/`` instead.

Each package is fetched with ``npm pack <name>@<version>`` into a temporary
directory (npm checks the tarball against the registry's integrity hash) and
only the files listed in :data:`PACKAGES` are extracted. The script also
writes the project's own small shims (:data:`LOCAL_FILES`) to
``static/vendor/atlas-shims/``, then ``static/vendor/MANIFEST.json`` (name,
version, licence, tarball integrity, and size and sha256 of every file) and
``data/sources/world-atlas/SOURCE.yml``. Nothing carries a timestamp, so
running the script again with the same pins gives byte-identical output.

Usage::

    python scripts/vendor_assets.py
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

REPO_ROOT = Path(__file__).resolve().parent.parent
VENDOR_DIR = REPO_ROOT / "static" / "vendor"
WORLD_ATLAS_DIR = REPO_ROOT / "data" / "sources" / "world-atlas"
# Tools the browser tests inject into pages; never served by the app.
TEST_VENDOR_DIR = REPO_ROOT / "tests" / "browser" / "vendor"


@dataclass(frozen=True)
class VendorPackage:
    """One npm package and the files to take from it.

    Attributes
    ----------
    name : str
        npm package name.
    version : str
        Exact version; never a range, so a rebuild fetches the same bytes.
    files : dict of str to str
        Path inside the package (relative to ``package/``) mapped to the
        destination path relative to ``dest``.
    dest : pathlib.Path
        Directory the files are written to. It is emptied first, so files
        dropped from ``files`` do not linger.
    folium_url_fragment : str or None
        Text that folium's own CDN URL for this package contains (for
        example ``"leaflet@1.9.3"``). Used to fail loudly when a folium
        upgrade expects a different version than the one pinned here.
    in_manifest : bool
        Whether the package is listed in ``static/vendor/MANIFEST.json``
        (front-end assets the app serves) or described by a ``SOURCE.yml``
        of its own in ``dest`` (data, and tools only the tests use).
    """

    name: str
    version: str
    files: dict[str, str]
    dest: Path
    folium_url_fragment: str | None = None
    in_manifest: bool = True


PACKAGES: tuple[VendorPackage, ...] = (
    VendorPackage(
        name="leaflet",
        version="1.9.3",
        files={
            "dist/leaflet.js": "leaflet.js",
            "dist/leaflet.css": "leaflet.css",
            # leaflet.css refers to these by relative url(images/...), and
            # L.Icon.Default derives the marker image path from the CSS.
            "dist/images/layers.png": "images/layers.png",
            "dist/images/layers-2x.png": "images/layers-2x.png",
            "dist/images/marker-icon.png": "images/marker-icon.png",
            "dist/images/marker-icon-2x.png": "images/marker-icon-2x.png",
            "dist/images/marker-shadow.png": "images/marker-shadow.png",
            "LICENSE": "LICENSE",
        },
        dest=VENDOR_DIR / "leaflet",
        folium_url_fragment="leaflet@1.9.3",
    ),
    VendorPackage(
        name="jquery",
        version="3.7.1",
        files={
            # folium's popup template calls $(...), so Leaflet alone is not
            # enough.
            "dist/jquery.min.js": "jquery.min.js",
            "LICENSE.txt": "LICENSE.txt",
        },
        dest=VENDOR_DIR / "jquery",
        folium_url_fragment="jquery-3.7.1",
    ),
    VendorPackage(
        name="leaflet.fullscreen",
        version="3.0.0",
        files={
            # folium points at Control.FullScreen.min.js, which only exists
            # on jsDelivr (minified on the fly); the npm package ships the
            # unminified file only.
            "Control.FullScreen.js": "Control.FullScreen.js",
            "Control.FullScreen.css": "Control.FullScreen.css",
            "icon-fullscreen.svg": "icon-fullscreen.svg",
            "LICENSE": "LICENSE",
        },
        dest=VENDOR_DIR / "leaflet.fullscreen",
        folium_url_fragment="leaflet.fullscreen@3.0.0",
    ),
    VendorPackage(
        name="topojson-client",
        version="3.1.0",
        files={
            # Decodes the basemap, shipped as TopoJSON (a third of the GeoJSON's bytes).
            "dist/topojson-client.min.js": "topojson-client.min.js",
            "LICENSE": "LICENSE",
        },
        dest=VENDOR_DIR / "topojson-client",
    ),
    VendorPackage(
        name="world-atlas",
        version="2.0.2",
        files={
            "countries-50m.json": "countries-50m.json",
            "LICENSE": "LICENSE",
        },
        dest=WORLD_ATLAS_DIR,
        in_manifest=False,
    ),
    VendorPackage(
        name="axe-core",
        version="4.14.1",
        files={
            # The accessibility checker the browser tests run in every page
            # and map frame (tests/browser/accessibility.py).
            "axe.min.js": "axe.min.js",
            "LICENSE": "LICENSE",
        },
        dest=TEST_VENDOR_DIR / "axe-core",
        in_manifest=False,
    ),
)


# Small scripts of this project's own that the vendored libraries need when
# they run inside the streamlit-folium iframe. Written verbatim, listed in the
# manifest as not coming from npm.
LOCAL_DIR = VENDOR_DIR / "atlas-shims"
LOCAL_FILES: dict[str, str] = {
    "leaflet-icon-path.js": """\
/* Asia Low-Carbon Atlas shim, written by scripts/vendor_assets.py (not npm).
 *
 * Leaflet 1.9.x finds its default marker images by reading a background
 * image from leaflet.css. streamlit-folium adds the CSS only after the map
 * script has run, and Leaflet's fallback (the <link> href) drops the
 * "/images/" part, so default markers show no image. Set the path from this
 * file's own URL instead. Loaded right after leaflet.js; does nothing when
 * inlined (no src), where dashboard.maps.standalone.inline_html sets data: URIs.
 */
(function () {
  var script = document.currentScript;
  if (window.L && script && script.src) {
    L.Icon.Default.imagePath = new URL("../leaflet/images/", script.src).href;
  }
})();
""",
}


def write_local_files() -> dict:
    """Write :data:`LOCAL_FILES` and describe them like a package.

    Returns
    -------
    dict
        Manifest entry for the project's own shims.
    """
    if LOCAL_DIR.exists():
        shutil.rmtree(LOCAL_DIR)
    LOCAL_DIR.mkdir(parents=True)
    files = []
    for name, text in sorted(LOCAL_FILES.items()):
        out = LOCAL_DIR / name
        out.write_text(text, encoding="utf-8")
        files.append(
            {
                "path": out.relative_to(REPO_ROOT).as_posix(),
                "source": f"scripts/vendor_assets.py:LOCAL_FILES[{name!r}]",
                "bytes": out.stat().st_size,
                "sha256": sha256_file(out),
            }
        )
    return {
        "name": "atlas-shims",
        "version": "local",
        "licence": "same as this project",
        "integrity": None,
        "tarball": None,
        "files": files,
    }


def sha256_file(path: Path) -> str:
    """Return the hex sha256 digest of a file.

    Parameters
    ----------
    path : pathlib.Path
        File to hash.

    Returns
    -------
    str
        Lower-case hexadecimal digest.
    """
    return hashlib.sha256(path.read_bytes()).hexdigest()


def folium_default_urls() -> list[str]:
    """Return every CDN URL folium uses for the classes vendored here.

    Returns
    -------
    list of str
        URLs from ``folium.Map`` and ``folium.plugins.Fullscreen``.
    """
    import folium
    import folium.plugins

    urls = []
    for cls in (folium.Map, folium.plugins.Fullscreen):
        urls += [url for _, url in cls.default_js + cls.default_css]
    return urls


def check_pins_match_folium(packages: tuple[VendorPackage, ...]) -> None:
    """Fail if installed folium expects other versions than the pins.

    Parameters
    ----------
    packages : tuple of VendorPackage
        Packages whose ``folium_url_fragment`` is checked.

    Raises
    ------
    SystemExit
        If a fragment is missing from folium's default URLs.
    """
    urls = folium_default_urls()
    for pkg in packages:
        if pkg.folium_url_fragment is None:
            continue
        if not any(pkg.folium_url_fragment in url for url in urls):
            found = [u for u in urls if pkg.name in u]
            raise SystemExit(
                f"folium no longer uses {pkg.folium_url_fragment!r} "
                f"(its URLs: {found}); update the pin in {Path(__file__).name}"
            )


def npm_pack(spec: str, workdir: Path) -> tuple[Path, dict]:
    """Download one package tarball with ``npm pack``.

    Parameters
    ----------
    spec : str
        ``name@version``.
    workdir : pathlib.Path
        Directory for the tarball; also npm's working directory, so nothing
        is written into the repository.

    Returns
    -------
    tarball : pathlib.Path
        Path of the downloaded ``.tgz``.
    info : dict
        npm's JSON description of the tarball (``integrity``, ``shasum``...).
    """
    result = subprocess.run(
        ["npm", "pack", spec, "--json", "--pack-destination", str(workdir)],
        cwd=workdir,
        check=True,
        capture_output=True,
        text=True,
    )
    info = json.loads(result.stdout)[0]
    return workdir / info["filename"], info


def extract(pkg: VendorPackage, tarball: Path) -> tuple[dict, list[dict]]:
    """Copy the wanted files of one tarball into ``pkg.dest``.

    Members are read as bytes and written to paths built from
    ``pkg.files`` only, so nothing in the archive chooses where it lands.

    Parameters
    ----------
    pkg : VendorPackage
        Package description.
    tarball : pathlib.Path
        Tarball from :func:`npm_pack`.

    Returns
    -------
    package_json : dict
        The package's own ``package.json``.
    files : list of dict
        ``path`` (relative to the repository), ``source`` (path in the
        package), ``bytes`` and ``sha256`` of every written file.
    """
    if pkg.dest.exists():
        shutil.rmtree(pkg.dest)
    pkg.dest.mkdir(parents=True)
    written = []
    with tarfile.open(tarball, "r:gz") as tar:
        package_json = json.load(tar.extractfile("package/package.json"))
        if package_json["version"] != pkg.version:
            raise SystemExit(f"npm returned {pkg.name} {package_json['version']}, expected {pkg.version}")
        for source, target in sorted(pkg.files.items()):
            member = tar.extractfile(f"package/{source}")
            if member is None:
                raise SystemExit(f"{pkg.name}: {source} is not a regular file")
            out = pkg.dest / target
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(member.read())
            written.append(
                {
                    "path": out.relative_to(REPO_ROOT).as_posix(),
                    "source": f"{pkg.name}@{pkg.version}/{source}",
                    "bytes": out.stat().st_size,
                    "sha256": sha256_file(out),
                }
            )
    return package_json, written


def licence_of(package_json: dict) -> str:
    """Return the licence declared in a package.json.

    Parameters
    ----------
    package_json : dict
        Parsed package.json.

    Returns
    -------
    str
        The ``license`` field, or the joined types of the old ``licenses``
        list form.
    """
    if "license" in package_json:
        lic = package_json["license"]
        return lic["type"] if isinstance(lic, dict) else str(lic)
    return " OR ".join(item["type"] for item in package_json.get("licenses", []))


def write_manifest(entries: list[dict], path: Path) -> None:
    """Write MANIFEST.json deterministically.

    Parameters
    ----------
    entries : list of dict
        One entry per vendored package.
    path : pathlib.Path
        Output file.
    """
    manifest = {
        "generated_by": "scripts/vendor_assets.py",
        "note": (
            "Files taken unchanged from the npm packages named here, except "
            "atlas-shims (this project's own, written by the script)."
        ),
        "packages": sorted(entries, key=lambda e: e["name"]),
    }
    path.write_text(
        json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )


def write_world_atlas_source(entry: dict, readme: str, path: Path) -> None:
    """Write SOURCE.yml describing the Natural Earth boundaries.

    Parameters
    ----------
    entry : dict
        Manifest-style entry for the world-atlas package.
    readme : str
        The package README, read for the Natural Earth edition it states.
    path : pathlib.Path
        Output file.
    """
    edition = re.search(r"version (\d+\.\d+\.\d+)", readme)
    data_file = next(f for f in entry["files"] if f["path"].endswith(".json"))
    source = {
        "name": "Natural Earth Admin 0 countries, 1:50m, as TopoJSON",
        "package": entry["name"],
        "version": entry["version"],
        "npm_integrity": entry["integrity"],
        "licence": {
            "world-atlas": f"{entry['licence']} (see LICENSE)",
            "natural_earth": "Public domain (naturalearthdata.com/about/terms-of-use)",
        },
        "natural_earth_version": edition.group(1) if edition else "unknown",
        "file": data_file["path"],
        "bytes": data_file["bytes"],
        "sha256": data_file["sha256"],
        "layers": ["countries", "land"],
        "obtained": (
            f"npm pack {entry['name']}@{entry['version']} "
            "(registry.npmjs.org), file extracted unchanged by "
            "scripts/vendor_assets.py"
        ),
        "notes": (
            "Feature property 'id' is the ISO 3166-1 numeric code as a "
            "zero-padded string (missing for a few disputed areas); 'name' "
            "is the English short name. Boundaries follow Natural Earth's "
            "de facto depiction and imply no position on disputed territory."
        ),
    }
    path.write_text(
        yaml.safe_dump(source, sort_keys=False, allow_unicode=True, width=88),
        encoding="utf-8",
    )


def write_tool_source(entry: dict, path: Path) -> None:
    """Write SOURCE.yml for a tool the tests use (never served by the app).

    Parameters
    ----------
    entry : dict
        Manifest-style entry for the package.
    path : pathlib.Path
        Output file.
    """
    source = {
        "name": entry["name"],
        "version": entry["version"],
        "licence": f"{entry['licence']} (see LICENSE)",
        "npm_integrity": entry["integrity"],
        "files": [{k: f[k] for k in ("path", "bytes", "sha256")} for f in entry["files"]],
        "obtained": (
            f"npm pack {entry['name']}@{entry['version']} "
            "(registry.npmjs.org), files extracted unchanged by "
            "scripts/vendor_assets.py"
        ),
        "used_by": "the browser tests only; the app never serves it",
    }
    path.write_text(
        yaml.safe_dump(source, sort_keys=False, allow_unicode=True, width=88),
        encoding="utf-8",
    )


def main(argv: list[str] | None = None) -> int:
    """Fetch, extract and describe every pinned package.

    Parameters
    ----------
    argv : list of str, optional
        Command-line arguments (none are required).

    Returns
    -------
    int
        Process exit status.
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--skip-folium-check",
        action="store_true",
        help="do not compare the pins with installed folium's CDN URLs",
    )
    args = parser.parse_args(argv)
    if not args.skip_folium_check:
        check_pins_match_folium(PACKAGES)

    VENDOR_DIR.mkdir(parents=True, exist_ok=True)
    manifest_entries = []
    with tempfile.TemporaryDirectory(prefix="vendor-npm-") as tmp:
        for pkg in PACKAGES:
            tarball, info = npm_pack(f"{pkg.name}@{pkg.version}", Path(tmp))
            package_json, files = extract(pkg, tarball)
            entry = {
                "name": pkg.name,
                "version": package_json["version"],
                "licence": licence_of(package_json),
                "integrity": info["integrity"],
                "tarball": f"{pkg.name}-{pkg.version}.tgz",
                "files": files,
            }
            if pkg.in_manifest:
                manifest_entries.append(entry)
            elif pkg.dest == WORLD_ATLAS_DIR:
                with tarfile.open(tarball, "r:gz") as tar:
                    readme = tar.extractfile("package/README.md").read().decode()
                write_world_atlas_source(entry, readme, pkg.dest / "SOURCE.yml")
            else:
                write_tool_source(entry, pkg.dest / "SOURCE.yml")
            total = sum(f["bytes"] for f in files)
            print(f"{pkg.name}@{pkg.version}: {len(files)} files, {total} bytes")
    manifest_entries.append(write_local_files())
    write_manifest(manifest_entries, VENDOR_DIR / "MANIFEST.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
