"""Folium maps, without Streamlit's runtime (render.py borrows only streamlit-folium's HTML writers).

- :mod:`~dashboard.maps.layers`: the layer model, what a view shows, hit-testing a click;
- :mod:`~dashboard.maps.builder`: the folium map of a view (symbols, legend, labels);
- :mod:`~dashboard.maps.assets`: vendored Leaflet assets and the basemap layer the browser fetches;
- :mod:`~dashboard.maps.render`: a map rendered once into frozen strings, safe to share between sessions;
- :mod:`~dashboard.maps.standalone`: a map as one HTML file that needs no network.
"""
