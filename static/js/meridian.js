/* Meridian pages: light progressive enhancement, no build step.
 *
 * - Times follow the viewer's zone: on a first visit the browser's zone is detected
 *   (Intl.DateTimeFormat().resolvedOptions().timeZone) and remembered in a cookie (which the
 *   server reads) and in localStorage; the zone form changes it. Times are re-rendered by
 *   fetching the same page for the new zone and swapping the parts marked data-zone-swap, so
 *   every date, time and zone name keeps the server's (Babel's) localization.
 * Without JavaScript the server renders from ?tz= or the cookie, and the form still works.
 */
(function () {
  "use strict";

  function readJSON(id) {
    var element = document.getElementById(id);
    if (!element) return null;
    try {
      return JSON.parse(element.textContent);
    } catch (error) {
      return null;
    }
  }

  function detectZone() {
    try {
      return Intl.DateTimeFormat().resolvedOptions().timeZone || "";
    } catch (error) {
      return "";
    }
  }

  function storedZone(name) {
    var match = document.cookie.match(new RegExp("(?:^|; )" + name + "=([^;]*)"));
    if (match) return decodeURIComponent(match[1]);
    try {
      return window.localStorage.getItem(name) || "";
    } catch (error) {
      return "";
    }
  }

  function rememberZone(name, zone, maxAge) {
    // IANA names are plain cookie characters; written as they are, the server reads them back.
    if (!/^[A-Za-z0-9/_+-]+$/.test(zone)) return;
    document.cookie = name + "=" + zone + "; path=/; max-age=" + maxAge + "; SameSite=Lax";
    try {
      window.localStorage.setItem(name, zone);
    } catch (error) {
      /* private mode: the cookie is enough */
    }
  }

  function setUpZone(data) {
    var form = document.getElementById("zone-form");
    var input = document.getElementById("tz");
    var error = document.getElementById("tz-error");
    var status = document.getElementById("zone-status");
    var detectButton = form.querySelector("[data-detect-zone]");
    var pageURL = new URL(window.location.href);
    var askedInURL = pageURL.searchParams.has(data.param);

    function showError(message) {
      error.textContent = message;
      error.hidden = !message;
      if (message) {
        input.setAttribute("aria-invalid", "true");
        input.setAttribute("aria-describedby", "tz-help tz-error");
      } else {
        input.removeAttribute("aria-invalid");
        input.setAttribute("aria-describedby", "tz-help");
      }
    }

    function showZone(zone) {
      var url = new URL(window.location.href);
      url.searchParams.set(data.param, zone);
      return fetch(url.toString(), { credentials: "same-origin" })
        .then(function (response) {
          return response.text().then(function (html) {
            return { ok: response.ok, html: html };
          });
        })
        .then(function (result) {
          var fresh = new DOMParser().parseFromString(result.html, "text/html");
          if (!result.ok) {
            var freshError = fresh.getElementById("tz-error");
            showError(freshError ? freshError.textContent : "");
            input.focus();
            return;
          }
          document.querySelectorAll("[data-zone-swap]").forEach(function (old) {
            var replacement = fresh.getElementById(old.id);
            if (replacement) old.replaceWith(document.importNode(replacement, true));
          });
          showError("");
          data.zone = zone;
          input.value = zone;
          rememberZone(data.cookie, zone, data.maxAge);
          var summary = document.getElementById("zone-summary");
          status.textContent = summary ? summary.textContent : zone;
          if (askedInURL) window.history.replaceState(null, "", url.toString());
        })
        .catch(function () {
          /* offline or server gone: keep what is shown */
        });
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var zone = input.value.trim();
      if (zone) showZone(zone);
    });
    if (detectButton) {
      detectButton.hidden = false;
      detectButton.addEventListener("click", function () {
        var zone = detectZone();
        if (zone) showZone(zone);
      });
    }

    // First visit (nothing asked, nothing remembered server-side): use the browser's zone.
    if (!askedInURL && data.source === "default") {
      var zone = storedZone(data.cookie) || detectZone();
      if (zone) {
        rememberZone(data.cookie, zone, data.maxAge);
        if (zone !== data.zone) showZone(zone);
      }
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var data = readJSON("zone-data");
    if (data && document.getElementById("zone-form")) setUpZone(data);
  });
})();
