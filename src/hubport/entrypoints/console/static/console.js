// hubport console: refresh the panels that ask for it, and submit the language switch.
// No text lives here: the server renders every word in the user's language.
"use strict";

function refresh(panel) {
  const every = Number(panel.dataset.every || "5") * 1000;
  const load = async () => {
    try {
      const answer = await fetch(panel.dataset.refresh, { credentials: "same-origin" });
      if (answer.ok) {
        panel.innerHTML = await answer.text();
        panel.dataset.refreshed = String(Date.now());
      } else if (answer.status === 401 || answer.redirected) {
        window.location.assign("/console/login");
      }
    } catch (error) {
      panel.dataset.stale = "1";
    }
    window.setTimeout(load, every);
  };
  window.setTimeout(load, every);
}

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-refresh]").forEach(refresh);
  document.querySelectorAll("[data-submit-on-change]").forEach((select) => {
    select.addEventListener("change", () => select.form.submit());
  });
});
