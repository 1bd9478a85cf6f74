// Dashboards: show the municipality under the pointer or keyboard focus below the map. The map's own
// <title> tooltips and aria-labels work without this file.
(function () {
  "use strict";
  document.querySelectorAll(".map-wrap").forEach(function (wrap) {
    var readout = wrap.querySelector("[data-map-readout]");
    if (!readout) { return; }
    var show = function (event) {
      var area = event.target.closest("[data-map-label]");
      if (area) { readout.textContent = area.getAttribute("data-map-label"); }
    };
    wrap.addEventListener("mouseover", show);
    wrap.addEventListener("focusin", show);
  });
})();
