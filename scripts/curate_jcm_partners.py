"""Rewrite data/tables/jcm_partners.csv from the public record of JCM partners and the brochure's rows.

    .venv/bin/python scripts/curate_jcm_partners.py          # write the table
    .venv/bin/python scripts/curate_jcm_partners.py --check  # exit 1 if the table is not what it makes

The brochure's rows are the table's own ``in_brochure`` rows (all rows of a
table that has no such column yet), so running it twice changes nothing.
Then run ``make build`` for the geometry.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dashboard.catalog import TABLES_DIR  # noqa: E402
from dashboard.partners_source import SOURCE_PATH, merged_rows, read_csv, to_csv  # noqa: E402

TABLE = TABLES_DIR / "jcm_partners.csv"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args()
    brochure = [r for r in read_csv(TABLE) if r.get("in_brochure", "true") == "true"]
    text = to_csv(merged_rows(read_csv(SOURCE_PATH), brochure))
    if args.check:
        same = TABLE.read_text(encoding="utf-8") == text
        print("up to date" if same else f"{TABLE} differs from what the record and the brochure rows give")
        return 0 if same else 1
    TABLE.write_text(text, encoding="utf-8")
    print(f"wrote {TABLE} ({text.count(chr(10)) - 1} rows)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
