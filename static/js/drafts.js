// Drafts that survive a dropped connection, a crashed browser or an expired session.
// A form with data-draft-key keeps what the user types in this device's localStorage; when the page
// comes back with the same record version and nothing newer was saved, the input is restored. A
// successful save tells the page (through a message tagged "draft:<key>") to forget the copy.
//
// What stays on the device, and for how long (docs/trial-monitoring.md, "Nothing typed is lost"):
// - restricted fields (inputs marked data-draft-restricted: party names) are never kept in plain text.
//   They are sealed with AES-GCM under the session's key (data-draft-seal, made by the server from the
//   session and never stored here), so they die with the session; without WebCrypto they are not kept;
// - signing out forgets every draft; a page seen signed out (the login page after the session expired)
//   drops the sealed parts, and a page of another user drops the previous user's drafts;
// - a draft older than data-draft-max-age (DRAFT_MAX_AGE_HOURS) is discarded;
// - the copy is written at most a quarter of a second after each change, while the user types on, and
//   at once when the page is hidden or left.
(function () {
  "use strict";
  var PREFIX = "mission-draft:";
  var WRITE_DELAY_MS = 250;
  var store;
  try { store = window.localStorage; store.setItem(PREFIX + "probe", "1"); store.removeItem(PREFIX + "probe"); }
  catch (e) { return; }  // no storage (private mode): the server-side draft is all there is

  var body = document.body;
  var owner = body.getAttribute("data-draft-owner") || "";  // "u<id>" when signed in
  var maxAge = Number(body.getAttribute("data-draft-max-age")) || 0;
  var subtle = window.crypto && window.crypto.subtle;  // only in secure contexts (HTTPS, localhost)

  function draftKeys() {
    return Object.keys(store).filter(function (key) { return key.indexOf(PREFIX) === 0; });
  }
  function read(key) {
    try { return JSON.parse(store.getItem(key) || "null"); } catch (e) { return null; }
  }
  var signedOut = false;  // once the user signs out, nothing is written again (not even on pagehide)
  function forgetAll() { signedOut = true; draftKeys().forEach(function (key) { store.removeItem(key); }); }

  // Housekeeping on every page, signed in or not.
  draftKeys().forEach(function (key) {
    var draft = read(key);
    if (!draft || typeof draft.savedAt !== "number" || (maxAge && Date.now() - draft.savedAt > maxAge)) {
      store.removeItem(key);
    } else if (owner && key.indexOf(PREFIX + owner + ":") !== 0) {
      store.removeItem(key);  // someone else signed in on this device
    } else if (!owner && draft.sealed) {
      delete draft.sealed;  // signed out or expired: the key of the sealed values is gone
      store.setItem(key, JSON.stringify(draft));
    }
  });

  document.querySelectorAll("form[data-sign-out]").forEach(function (form) {
    form.addEventListener("submit", forgetAll);
  });

  document.querySelectorAll("[data-tags]").forEach(function (el) {
    el.getAttribute("data-tags").split(/\s+/).forEach(function (tag) {
      if (tag.indexOf("draft:") === 0) {
        var suffix = tag.slice(6);
        draftKeys().forEach(function (key) {
          if (key.slice(PREFIX.length).split(":").slice(1).join(":") === suffix) store.removeItem(key);
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

  function restrictedNames(form) {
    var names = {};
    fields(form).forEach(function (el) { if (el.hasAttribute("data-draft-restricted")) names[el.name] = true; });
    return names;
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

  function toBase64(buffer) { return btoa(String.fromCharCode.apply(null, new Uint8Array(buffer))); }
  function fromBase64(text) { return Uint8Array.from(atob(text), function (c) { return c.charCodeAt(0); }); }

  function sealKey(form) {
    var raw = form.getAttribute("data-draft-seal");
    if (!raw || !subtle || !owner) return Promise.resolve(null);
    return subtle.importKey("raw", fromBase64(raw), "AES-GCM", false, ["encrypt", "decrypt"])
      .catch(function () { return null; });
  }

  function seal(key, values) {
    var iv = window.crypto.getRandomValues(new Uint8Array(12));
    return subtle.encrypt({ name: "AES-GCM", iv: iv }, key, new TextEncoder().encode(JSON.stringify(values)))
      .then(function (data) { return { iv: toBase64(iv), data: toBase64(data) }; });
  }

  function unseal(key, sealed) {
    if (!key || !sealed) return Promise.resolve(null);
    return subtle.decrypt({ name: "AES-GCM", iv: fromBase64(sealed.iv) }, key, fromBase64(sealed.data))
      .then(function (data) { return JSON.parse(new TextDecoder().decode(data)); })
      .catch(function () { return null; });  // sealed in another session: it cannot be opened any more
  }

  function showBanner(form, key) {
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

  document.querySelectorAll("form[data-draft-key]").forEach(function (form) {
    var key = PREFIX + form.getAttribute("data-draft-key");
    var version = form.getAttribute("data-draft-version") || "0";
    var keyPromise = sealKey(form);
    var saved = read(key);
    var sealed = null;  // the latest sealed restricted values, written with every plain copy
    var sealedText = "{}";  // what `sealed` holds, to seal again only when a restricted value changed
    var sealing = 0;

    function split(values) {
      // Read each time: "Add a row" (rows.js) adds restricted fields (a person's name) to the form.
      var restricted = restrictedNames(form);
      var plain = {}, secret = {};
      Object.keys(values).forEach(function (name) { (restricted[name] ? secret : plain)[name] = values[name]; });
      return { plain: plain, secret: secret };
    }

    var timer = null;
    function save() {
      if (timer) { clearTimeout(timer); timer = null; }
      if (signedOut) return;
      var parts = split(snapshot(form));
      var text = JSON.stringify(parts.secret);
      var hasSecret = Object.keys(parts.secret).some(function (name) { return parts.secret[name]; });
      if (!hasSecret) { sealed = null; sealedText = text; }
      // The plain part is written now, synchronously: it is what survives a browser killed right after.
      store.setItem(key, JSON.stringify({ version: version, savedAt: Date.now(), values: parts.plain, sealed: sealed }));
      if (!hasSecret || text === sealedText) return;
      var ticket = ++sealing;
      keyPromise.then(function (cryptoKey) {
        if (!cryptoKey) return null;  // no session key or no WebCrypto: names are not kept offline
        return seal(cryptoKey, parts.secret);
      }).then(function (result) {
        if (!result || ticket !== sealing || signedOut) return;
        sealed = result;
        sealedText = text;
        var current = read(key);
        if (current) { current.sealed = sealed; store.setItem(key, JSON.stringify(current)); }
      });
    }

    function restore() {
      if (!saved || form.hasAttribute("data-draft-bound") || String(saved.version) !== version) return Promise.resolve();
      return keyPromise.then(function (cryptoKey) { return unseal(cryptoKey, saved.sealed); }).then(function (secret) {
        var values = Object.assign({}, saved.values || {}, secret || {});
        if (secret) { sealed = saved.sealed; sealedText = JSON.stringify(secret); }
        // Rows added with "Add a row" before the page was left are added again (rows.js).
        Object.keys(values).forEach(function (name) {
          if (!form.elements.namedItem(name)) {
            form.dispatchEvent(new CustomEvent("portal:need-field", { detail: { name: name } }));
          }
        });
        var now = snapshot(form);
        var differs = Object.keys(values).some(function (name) {
          return name in now && JSON.stringify(values[name]) !== JSON.stringify(now[name]);
        });
        if (differs) {
          apply(form, values);
          showBanner(form, key);
        }
      });
    }

    // Typing is written at most WRITE_DELAY_MS after the first unsaved change, however fast the user
    // types on (a delay restarted by every key would write nothing until they pause).
    restore().then(function () {
      form.addEventListener("input", function () { if (!timer) timer = setTimeout(save, WRITE_DELAY_MS); });
      form.addEventListener("change", save);
    });
    // Typing right before the page goes away or is hidden (a phone switching apps) still counts.
    window.addEventListener("pagehide", function () { if (timer) save(); });
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden" && timer) save();
    });
  });
})();
