"""Start the atlas server: ``streamlit run app.py`` with the atlas's server settings.

See :mod:`dashboard.ui.serving` for what they are and why (no ``pages/`` folder
mode, no cache clearing from a browser, security headers, no public metrics).

    python scripts/serve.py [streamlit run options, e.g. --server.port 8502]
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from streamlit.web import cli  # noqa: E402

from dashboard.ui import serving  # noqa: E402

APP = ROOT / "app.py"


def main() -> int:
    serving.configure()
    sys.argv = ["streamlit", "run", str(APP), *sys.argv[1:]]
    return cli.main()


if __name__ == "__main__":
    sys.exit(main())
