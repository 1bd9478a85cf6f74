// Mission Portal: small progressive enhancements. Every page works without this file.
(function () {
  "use strict";

  // Language switcher: change on select, no button needed when scripts run.
  document.querySelectorAll("form[data-autosubmit]").forEach(function (form) {
    form.querySelectorAll(".js-hide").forEach(function (el) { el.hidden = true; });
    form.querySelectorAll("select").forEach(function (select) {
      select.addEventListener("change", function () { form.submit(); });
    });
  });

  // A table wider than the screen scrolls in its box: the box takes keyboard focus then, so that it can
  // be scrolled without a mouse (WCAG 2.1.1). Checked again when the window changes size.
  var wraps = document.querySelectorAll(".table-wrap");
  var focusable = function () {
    wraps.forEach(function (wrap) {
      if (wrap.scrollWidth > wrap.clientWidth) {
        wrap.setAttribute("tabindex", "0");
        var box = wrap.closest("section, figure");
        var heading = box && box.querySelector("h2, h3, figcaption");
        if (heading && !wrap.hasAttribute("aria-label")) {
          wrap.setAttribute("role", "region");
          wrap.setAttribute("aria-label", heading.textContent.trim());
        }
      } else {
        wrap.removeAttribute("tabindex");
      }
    });
  };
  focusable();
  window.addEventListener("resize", focusable);

  // The navigation folds away on small screens behind the Menu button.
  var toggle = document.querySelector(".nav-toggle");
  var nav = document.getElementById("site-nav");
  if (toggle && nav) {
    document.documentElement.classList.add("js-nav");
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") === "true";
      toggle.setAttribute("aria-expanded", String(!open));
      nav.classList.toggle("is-open", !open);
    });
  }

  // A form is sent once: a second click (or Enter) while the first is on its way does nothing. The
  // server recognises a repeated create form too (mission.forms.once_per_form); this saves the trip.
  // Coming back to the page (back button, bfcache) makes it sendable again.
  function sendable(form) {
    delete form.dataset.sending;
    form.removeAttribute("aria-busy");
  }
  document.querySelectorAll('form[method="post"]').forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.sending) {
        event.preventDefault();
        return;
      }
      // Let other handlers refuse the submit first; only a submit that goes out marks the form.
      window.setTimeout(function () {
        if (!event.defaultPrevented) {
          form.dataset.sending = "1";
          form.setAttribute("aria-busy", "true");
        }
      }, 0);
    });
  });
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-sending]").forEach(sendable);
  });
})();
