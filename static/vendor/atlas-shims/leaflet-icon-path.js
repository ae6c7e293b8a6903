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
