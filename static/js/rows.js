// The parts of a record's form (its journalists, its participants): "Add a row" adds an empty row from
// the formset's template (`{{ formset.empty_form }}`, its "__prefix__" replaced by the row's index) and
// counts it in TOTAL_FORMS, up to MAX_NUM_FORMS. Without this file the spare rows the page offers work
// as they are: save and edit again for more.
(function () {
  "use strict";

  function setUp(box) {
    var prefix = box.getAttribute("data-formset");
    var rows = box.querySelector("[data-formset-rows]");
    var template = box.querySelector("template[data-formset-template]");
    var button = box.querySelector("[data-formset-add]");
    var total = box.querySelector('input[name="' + prefix + '-TOTAL_FORMS"]');
    var max = box.querySelector('input[name="' + prefix + '-MAX_NUM_FORMS"]');
    if (!rows || !template || !button || !total) { return null; }
    var full = box.querySelector("[data-formset-full]");
    var help = box.querySelector("[data-formset-help]");

    function count() { return parseInt(total.value, 10) || 0; }
    function limit() { return max ? parseInt(max.value, 10) || Infinity : Infinity; }
    function update() {
      var reached = count() >= limit();
      // Disabled, not hidden, so that the button does not vanish from under the keyboard's focus.
      button.disabled = reached;
      if (full) { full.hidden = !reached; }
    }

    function add() {
      var index = count();
      if (index >= limit()) { return null; }
      var html = template.innerHTML.replace(/__prefix__/g, String(index)).replace(/__number__/g, String(index + 1));
      var holder = document.createElement("div");
      holder.innerHTML = html;
      var row = holder.firstElementChild;
      while (holder.firstChild) { rows.appendChild(holder.firstChild); }
      total.value = String(index + 1);
      update();
      return row;
    }

    button.addEventListener("click", function () {
      var row = add();
      var first = row && row.querySelector("input:not([type=hidden]), select, textarea");
      if (first) { first.focus(); } else if (row) { row.focus(); }
    });
    if (help) { help.hidden = true; }
    button.hidden = false;
    update();
    return { prefix: prefix, add: add, count: count, limit: limit };
  }

  document.querySelectorAll("form").forEach(function (form) {
    var sets = [];
    form.querySelectorAll("[data-formset]").forEach(function (box) {
      var made = setUp(box);
      if (made) { sets.push(made); }
    });
    if (!sets.length) { return; }
    // An offline draft (drafts.js) may hold rows added here before the page was left: it asks for the
    // field by name, and the rows up to it are added.
    form.addEventListener("portal:need-field", function (event) {
      var name = event.detail && event.detail.name;
      sets.forEach(function (made) {
        if (!name || name.indexOf(made.prefix + "-") !== 0) { return; }
        var index = parseInt(name.slice(made.prefix.length + 1), 10);
        while (!isNaN(index) && made.count() <= index && made.count() < made.limit()) {
          if (!made.add()) { break; }
        }
      });
    });
  });
})();
