/* Meridian pages: light progressive enhancement, no build step.
 *
 * - Times follow the viewer's zone: on a first visit the browser's zone is detected
 *   (Intl.DateTimeFormat().resolvedOptions().timeZone) and remembered in a cookie (which the
 *   server reads) and in localStorage; the zone form changes it. Times are re-rendered by
 *   fetching the same page for the new zone and swapping the parts marked data-zone-swap, so
 *   every date, time and zone name keeps the server's (Babel's) localization.
 * - Registration: the country suggests the zone and shows the region; copy buttons for links.
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

  // A form page (registration, digest) speaks in the viewer's zone like the schedule: on a
  // first visit it asks the server again with the browser's zone, which the form then offers.
  function followBrowserZone(data) {
    var url = new URL(window.location.href);
    if (data.source !== "default" || url.searchParams.has(data.param)) return;
    var zone = storedZone(data.cookie) || detectZone();
    if (!zone || zone === data.zone) return;
    rememberZone(data.cookie, zone, data.maxAge);
    url.searchParams.set(data.param, zone);
    window.location.replace(url.toString());
  }

  // Registration: choosing a country suggests its zone (unless the person typed one) and
  // shows its region, from the server's map (pytz's country data through registrations'
  // own suggestion rule). Without script the "Suggest" button does the same by a round trip.
  function setUpCountryHints(hints) {
    var country = document.getElementById("id_country");
    var zone = document.getElementById("id_timezone");
    var hint = document.getElementById("region-hint");
    var regionName = document.getElementById("region-name");
    if (!country || !zone) return;
    document.querySelectorAll(".no-script-only").forEach(function (element) {
      element.hidden = true;
    });
    var suggested = zone.value;
    var several = document.getElementById("country-zones");
    var choice = document.getElementById("country-zone");
    if (choice) {
      choice.addEventListener("change", function () {
        zone.value = choice.value;
        suggested = choice.value;
      });
    }
    country.addEventListener("change", function () {
      var found = hints[country.value];
      if (found && found.zone && (!zone.value || zone.value === suggested)) {
        zone.value = found.zone;
        suggested = found.zone;
      }
      // A country of several zones: its zones to choose from, the suggested one first.
      if (several && choice) {
        var zones = (found && found.zones) || [];
        choice.replaceChildren();
        zones.forEach(function (pair) {
          var option = document.createElement("option");
          option.value = pair[0];
          option.textContent = pair[1];
          option.selected = pair[0] === zone.value;
          choice.appendChild(option);
        });
        several.hidden = zones.length === 0;
      }
      if (hint && regionName) {
        regionName.textContent = found ? found.region : "";
        hint.hidden = !(found && found.region);
      }
    });
  }

  // Copy buttons: <button data-copy="input-id"> copies that input's value.
  function setUpCopyButtons() {
    document.querySelectorAll("[data-copy]").forEach(function (button) {
      var input = document.getElementById(button.getAttribute("data-copy"));
      var status = button.parentNode.querySelector(".copy-status");
      if (!input) return;
      button.hidden = false;
      button.addEventListener("click", function () {
        function done() {
          if (status) status.textContent = status.getAttribute("data-copied") || "";
        }
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(input.value).then(done, function () {
            input.select();
          });
        } else {
          input.select();
          if (document.execCommand && document.execCommand("copy")) done();
        }
      });
    });
  }

  // The server marks the first field at fault with autofocus; a page whose error is not tied
  // to a field (manage actions) focuses the message so that it is read first.
  function focusFirstError() {
    if (document.querySelector("[autofocus]")) return;
    var message = document.getElementById("page-error") || document.getElementById("confirm");
    if (message) message.focus();
  }

  // A join page before its session opens: count down (H:MM:SS), then reload, so that the
  // page sends the visitor to the meeting when it is time.
  function setUpCountdown() {
    var element = document.querySelector("[data-countdown]");
    if (!element) return;
    var value = element.querySelector(".countdown-value");
    var ends = Date.now() + Number(element.getAttribute("data-countdown")) * 1000;
    function pad(number) { return (number < 10 ? "0" : "") + number; }
    function tick() {
      var left = Math.max(0, Math.round((ends - Date.now()) / 1000));
      if (value) {
        value.textContent = Math.floor(left / 3600) + ":" + pad(Math.floor(left / 60) % 60) +
          ":" + pad(left % 60);
      }
      if (left <= 0) { window.location.reload(); return; }
      window.setTimeout(tick, 1000);
    }
    tick();
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUpCountdown();
    var data = readJSON("zone-data");
    if (data && document.getElementById("zone-form")) setUpZone(data);
    var follow = readJSON("follow-zone");
    if (follow) followBrowserZone(follow);
    var hints = readJSON("country-hints");
    if (hints) setUpCountryHints(hints);
    setUpCopyButtons();
    focusFirstError();
  });
})();
