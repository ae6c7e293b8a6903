"""The presentation, without Streamlit.

- :mod:`~dashboard.present.steps`: the steps as data and their headline figures;
- :mod:`~dashboard.present.step_maps`: each step's map, for the page and the HTML file;
- :mod:`~dashboard.present.takeaway`: the files a presenter takes away (chart PNG/SVG, map HTML).
"""
