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
