// coffre's web client: the one script, and every page works without it. It removes a revealed secret from the page
// after its time (the page says how long, in data-hide-after), adds a copy button, and tells the daemon the
// browser's time zone (a tz database name, in a cookie) so that the next pages show times in it. No network, no
// storage but that cookie, no third party.
"use strict";
(function () {
  try {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone && /^[A-Za-z0-9_+\/-]{1,64}$/.test(zone) && document.cookie.indexOf("__Host-coffre-tz=" + zone) < 0) {
      document.cookie = "__Host-coffre-tz=" + zone + "; Secure; Path=/; SameSite=Strict; Max-Age=31536000";
    }
  } catch (e) { /* no Intl: times stay in the daemon's zone, with their offset */ }
})();
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll(".secret[data-hide-after]").forEach(function (box) {
    var seconds = parseInt(box.getAttribute("data-hide-after"), 10);
    var value = box.querySelector(".value");
    var note = box.querySelector(".hidden-note");
    var copy = box.querySelector("button.copy");
    if (copy && navigator.clipboard) {
      copy.hidden = false;
      copy.addEventListener("click", function () {
        if (value.isConnected) { navigator.clipboard.writeText(value.textContent); }
      });
    }
    if (seconds > 0) {
      setTimeout(function () {
        // Out of the document, not only out of sight: nothing left to select, copy or read from the page.
        value.textContent = "";
        value.remove();
        if (copy) { copy.remove(); }
        if (note) { note.hidden = false; }
      }, seconds * 1000);
    }
  });
});
