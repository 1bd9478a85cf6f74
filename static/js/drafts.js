// Drafts that survive a dropped connection, a crashed browser or an expired session.
// A form with data-draft-key keeps what the user types in this device's localStorage; when the page
// comes back with the same record version and nothing newer was saved, the input is restored. A
// successful save tells the page (through a message tagged "draft:<key>") to forget the copy.
(function () {
  "use strict";
  var PREFIX = "mission-draft:";
  var store;
  try { store = window.localStorage; store.setItem(PREFIX + "probe", "1"); store.removeItem(PREFIX + "probe"); }
  catch (e) { return; }  // no storage (private mode): the server-side draft is all there is

  document.querySelectorAll("[data-tags]").forEach(function (el) {
    el.getAttribute("data-tags").split(/\s+/).forEach(function (tag) {
      if (tag.indexOf("draft:") === 0) {
        var suffix = tag.slice(6);
        Object.keys(store).forEach(function (key) {
          if (key.indexOf(PREFIX) === 0 && key.slice(PREFIX.length).split(":").slice(1).join(":") === suffix) {
            store.removeItem(key);
          }
        });
      }
    });
  });

  function fields(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.name !== "csrfmiddlewaretoken" && el.name !== "version" &&
        ["hidden", "submit", "button", "file", "password"].indexOf(el.type) === -1;
    });
  }

  function snapshot(form) {
    var values = {};
    fields(form).forEach(function (el) {
      if (el.type === "radio") { if (el.checked) values[el.name] = el.value; else if (!(el.name in values)) values[el.name] = null; }
      else if (el.type === "checkbox") values[el.name] = el.checked;
      else values[el.name] = el.value;
    });
    return values;
  }

  function apply(form, values) {
    fields(form).forEach(function (el) {
      if (!(el.name in values)) return;
      var value = values[el.name];
      if (el.type === "radio") el.checked = value !== null && el.value === value;
      else if (el.type === "checkbox") el.checked = !!value;
      else el.value = value;
    });
  }

  document.querySelectorAll("form[data-draft-key]").forEach(function (form) {
    var key = PREFIX + form.getAttribute("data-draft-key");
    var version = form.getAttribute("data-draft-version") || "0";
    var saved = null;
    try { saved = JSON.parse(store.getItem(key) || "null"); } catch (e) { saved = null; }

    if (saved && !form.hasAttribute("data-draft-bound") && String(saved.version) === version &&
        JSON.stringify(saved.values) !== JSON.stringify(snapshot(form))) {
      apply(form, saved.values);
      var banner = document.createElement("div");
      banner.className = "alert alert--warn draft-banner";
      banner.setAttribute("role", "status");
      var text = document.createElement("p");
      text.textContent = form.getAttribute("data-draft-restored-text");
      var discard = document.createElement("button");
      discard.type = "button";
      discard.className = "button button--secondary button--small";
      discard.textContent = form.getAttribute("data-draft-discard-text");
      discard.addEventListener("click", function () { store.removeItem(key); window.location.reload(); });
      banner.appendChild(text);
      banner.appendChild(discard);
      form.parentNode.insertBefore(banner, form);
    }

    var timer = null;
    function save() {
      timer = null;
      store.setItem(key, JSON.stringify({ version: version, savedAt: Date.now(), values: snapshot(form) }));
    }
    form.addEventListener("input", function () { if (timer) clearTimeout(timer); timer = setTimeout(save, 250); });
    form.addEventListener("change", save);
    // Typing right before the page goes away still counts.
    window.addEventListener("pagehide", function () { if (timer) { clearTimeout(timer); save(); } });
  });
})();
