"""The JCM partner table: the brochure's 12 of December 2014 joined with the public record of all 31.

``data/sources/jcm-partners/jcm_partners_to_2025.csv`` lists every partner
country to 2025 with the date of signing, how well that date is verified, the
page that gives it and the words on that page. The brochure names 12 of them
(``jcm.signatories``), with which had held a joint committee. This module
makes ``data/tables/jcm_partners.csv`` from the two, so the table can be
rebuilt (``scripts/curate_jcm_partners.py``) and a test can check that the
committed table is exactly that: no status promoted, no date changed.

Rules:

- order, date, status, place, source and evidence come from the public record;
- the brochure's fields (its printed name, the joint committee, the citation,
  the curator's note) stay on its 12 rows;
- where the record has only the month and the brochure rows carried a day in
  that month (Bangladesh, Palau), the day is kept, still ``partly verified``,
  with a note saying no source confirmed it;
- a brochure row whose date disagrees with the record is an error, never
  silently replaced.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from dashboard.catalog import SOURCES_DIR
from dashboard.i18n import country_name

SOURCE_PATH = SOURCES_DIR / "jcm-partners" / "jcm_partners_to_2025.csv"

COLUMNS = (
    "feature_id",
    "country_iso3",
    "name_en",
    "name_ja",
    "name_ja_brochure",
    "signing_order",
    "signed_on",
    "signed_on_status",
    "signed_on_place",
    "signed_on_source",
    "signed_on_evidence",
    "in_brochure",
    "joint_committee_held",
    "status_as_of",
    "source_ref",
    "note",
    "note_ja",
)
BROCHURE_FIELDS = ("name_en", "name_ja", "name_ja_brochure", "joint_committee_held", "status_as_of", "source_ref")
STATUSES = ("verified", "partly verified", "unverified")

DAY_NOT_CONFIRMED = (
    "The day ({day}) was carried from an earlier check that no stored source confirmed; "
    "the sources seen give only the month."
)
DAY_NOT_CONFIRMED_JA = (
    "日付（{day}）は以前の確認によるもので、保存された出典では確認できていない。確認できた出典は月のみを示す。"
)
# Facts the record's notes state about a row, kept with the row so a reader of the table sees them.
RECORD_NOTES = {
    "IDN": "Signed in two stages: by Japan in Tokyo on 2013-08-07 and by Indonesia in Jakarta on 2013-08-26.",
    "PHL": "An aide-mémoire was signed on 2015-12-07 (Paris); the MoC on 2017-01-12 (Manila).",
    "ARE": "No date found. Signed between 2023-04-06 and 2023-08-17: absent from GEC's 25-country list of "
    "2023-04-06, present in its 27-country list of 2023-08-17.",
    "KGZ": "No date found. Signed between 2023-07-05 and 2023-08-17: the Kyrgyz cabinet approved signing on "
    "2023-07-05; present in GEC's 27-country list of 2023-08-17.",
}
RECORD_NOTES_JA = {
    "IDN": "署名は2段階：日本側が2013-08-07に東京で、インドネシア側が2013-08-26にジャカルタで署名。",
    "PHL": "2015-12-07に覚書（エード・メモワール）をパリで署名し、MoCは2017-01-12にマニラで署名。",
    "ARE": "署名日は見つかっていない。署名は2023-04-06から2023-08-17の間：GECの2023-04-06の25か国の一覧になく、"
    "2023-08-17の27か国の一覧にある。",
    "KGZ": "署名日は見つかっていない。署名は2023-07-05から2023-08-17の間：キルギス政府が2023-07-05に署名を承認し、"
    "GECの2023-08-17の27か国の一覧にある。",
}


class SourceError(ValueError):
    """The public record and the brochure rows disagree, or the record is malformed."""


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def merged_rows(record: Iterable[Mapping[str, str]], brochure: Iterable[Mapping[str, str]]) -> list[dict[str, str]]:
    """One row per partner of the record, in signing order, with the brochure's fields on its 12.

    Raises
    ------
    SourceError
        For a status outside :data:`STATUSES`, a brochure country the record lacks, or a brochure date
        the record contradicts; the message names the country and both values.
    """
    by_iso = {row["country_iso3"]: row for row in brochure}
    out = []
    for line, rec in enumerate(record, start=2):
        iso3, status, signed = rec["iso3"], rec["signed_on_status"], rec["signed_on"]
        if status not in STATUSES:
            raise SourceError(f"{SOURCE_PATH.name} line {line}, signed_on_status: {status!r} is not one of {STATUSES}")
        old = by_iso.pop(iso3, None)
        notes, notes_ja = [], []
        if old is not None and old["signed_on"] != signed:
            if len(signed) == 7 and old["signed_on"].startswith(signed + "-"):
                notes.append(DAY_NOT_CONFIRMED.format(day=old["signed_on"]))
                notes_ja.append(DAY_NOT_CONFIRMED_JA.format(day=old["signed_on"]))
                signed = old["signed_on"]
            else:
                raise SourceError(
                    f"{iso3}: the table has signed_on {old['signed_on']!r}, the record {signed or '(none)'!r}"
                )
        if iso3 in RECORD_NOTES:
            notes.append(RECORD_NOTES[iso3])
            notes_ja.append(RECORD_NOTES_JA[iso3])
        own = _curators_note(old.get("note", ""), iso3) if old is not None else ""
        if own:
            notes.insert(0, own)
        row = {
            "feature_id": iso3,
            "country_iso3": iso3,
            "name_en": country_name(iso3, "en"),
            "name_ja": country_name(iso3, "ja"),
            "name_ja_brochure": "",
            "signing_order": rec["partner_no"],
            "signed_on": signed,
            "signed_on_status": status,
            "signed_on_place": " ".join(rec["place"].split()),
            "signed_on_source": rec["source_url"],
            "signed_on_evidence": " ".join(rec["evidence"].split()),
            "in_brochure": "true" if old is not None else "false",
            "joint_committee_held": "",
            "status_as_of": "",
            "source_ref": "",
            "note": " ".join(notes),
            # Only where every sentence has its Japanese: a curator's own English note leaves it empty.
            "note_ja": "".join(notes_ja) if not own else "",
        }
        if old is not None:
            row.update({k: old[k] for k in BROCHURE_FIELDS})
        out.append(row)
    if by_iso:
        raise SourceError(f"brochure partners missing from {SOURCE_PATH.name}: {', '.join(sorted(by_iso))}")
    return out


def _curators_note(note: str, iso3: str) -> str:
    """A brochure row's own note, without the sentences this module adds (so a rebuild is unchanged)."""
    generated = [RECORD_NOTES.get(iso3, "")] + [
        DAY_NOT_CONFIRMED.format(day=d) for d in re.findall(r"\((\d{4}-\d{2}-\d{2})\)", note)
    ]
    for text in filter(None, generated):
        note = note.replace(text, "")
    return " ".join(note.split())


def to_csv(rows: Iterable[Mapping[str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()
