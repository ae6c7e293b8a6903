"""What each page shows, one module per page (named after ``pages/<stem>.py``), plus ``tables`` for all of them.

Pure: no Streamlit. Pages pass filtered frames in and render what comes out, so
the tests check the exact rows, figures and headings a reader sees.
"""
