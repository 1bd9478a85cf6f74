// Report form: offer only the formats of the report chosen (the server refuses the others anyway).
(function () {
  "use strict";
  var type = document.querySelector("select[data-formats]");
  var format = type && type.form && type.form.querySelector('select[name="format"]');
  if (!format) { return; }
  var formats = JSON.parse(type.getAttribute("data-formats"));
  var every = Array.prototype.map.call(format.options, function (o) { return { value: o.value, label: o.text }; });
  var offer = function () {
    var allowed = formats[type.value];
    var current = format.value;
    format.textContent = "";
    every.forEach(function (o) {
      if (!allowed || allowed.indexOf(o.value) !== -1) { format.add(new Option(o.label, o.value)); }
    });
    if (Array.prototype.some.call(format.options, function (o) { return o.value === current; })) { format.value = current; }
  };
  type.addEventListener("change", offer);
  offer();
})();

// Report job page: follow the job without reloading. Without this file the page says to refresh.
(function () {
  "use strict";
  var box = document.querySelector("[data-report-status]");
  if (!box) { return; }
  var url = box.getAttribute("data-report-status");
  var field = function (name) { return box.querySelector('[data-report-field="' + name + '"]'); };
  var bar = box.querySelector("[data-report-progress]");
  var download = box.querySelector("[data-report-download]");
  var poll = function () {
    fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (state) {
        if (!state) { window.setTimeout(poll, 5000); return; }
        field("status_label").textContent = state.status_label;
        field("status_label").className = "status status--" + state.status;
        field("note").textContent = state.note;
        field("progress_text").textContent = state.progress + " %";
        bar.value = state.progress;
        var error = field("error");
        error.textContent = state.error;
        error.hidden = !state.error;
        if (state.download && download) { download.hidden = false; }
        if (!state.finished) { window.setTimeout(poll, 1000); }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  };
  poll();
})();
