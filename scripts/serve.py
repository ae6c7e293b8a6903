"""Start the atlas server: ``streamlit run app.py`` plus one start-up setting.

Streamlit treats a ``pages/`` folder next to the main script as an old-style
multipage app until ``st.navigation`` first runs. On a freshly started server
the first deep link (``/downloads``) would then run that page file alone,
without the frame in app.py, and ``/map`` would show a "Page not found" box.
app.py routes every page with ``st.navigation``, so the folder convention is
switched off before the first session instead of after it.

    python scripts/serve.py [streamlit run options, e.g. --server.port 8502]
"""

from __future__ import annotations

import sys
from pathlib import Path

from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli

APP = Path(__file__).resolve().parent.parent / "app.py"


def main() -> int:
    PagesManager.uses_pages_directory = False
    sys.argv = ["streamlit", "run", str(APP), *sys.argv[1:]]
    return cli.main()


if __name__ == "__main__":
    sys.exit(main())
