// Leaflet for the other modules. index.html loads Leaflet's minified build
// (dist/leaflet.js, 42 kB gzipped) as a deferred classic script, which runs
// before any module; its ES module build is unminified source, 112 kB
// gzipped. This module hands the global over, so the rest import it as usual.
const L = window.L;
if (!L) throw new Error('Leaflet did not load from /vendor/leaflet/leaflet.js');
export default L;
