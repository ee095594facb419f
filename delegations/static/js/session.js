// Session limits (issue 6): warns before the login ends for inactivity, so no form is cut off silently,
// and keeps the session alive while the user is typing into a form. Texts come translated from the page.
document.addEventListener("DOMContentLoaded", () => {
  const meta = document.querySelector('meta[name="session-timing"]');
  if (!meta || !window.fetch) return;
  const WARN_SECONDS = 5 * 60;
  const TYPING_KEEP_ALIVE_MS = 2 * 60 * 1000;
  let idleLeft = Number(meta.dataset.idleLeft);
  let absoluteLeft = Number(meta.dataset.absoluteLeft);
  let since = Date.now();
  let lastKeepAlive = Date.now();
  let banner = null;

  const csrfToken = () => {
    const input = document.querySelector('input[name="csrf_token"]');
    return input ? input.value : "";
  };

  const showBanner = (text, withButton) => {
    if (!banner) {
      banner = document.createElement("div");
      banner.className = "kern-alert kern-alert--warning session-warning";
      banner.setAttribute("role", "alert");
      const header = document.createElement("div");
      header.className = "kern-alert__header";
      const message = document.createElement("p");
      message.className = "kern-title";
      header.appendChild(message);
      banner.appendChild(header);
      const button = document.createElement("button");
      button.type = "button";
      button.className = "kern-btn kern-btn--secondary";
      const label = document.createElement("span");
      label.className = "kern-label";
      label.textContent = meta.dataset.stayLabel;
      button.appendChild(label);
      button.addEventListener("click", () => keepAlive());
      banner.appendChild(button);
      const main = document.getElementById("main") || document.body;
      main.insertBefore(banner, main.firstChild);
    }
    banner.querySelector(".kern-title").textContent = text;
    banner.querySelector("button").hidden = !withButton;
  };

  const hideBanner = () => {
    if (banner) { banner.remove(); banner = null; }
  };

  const keepAlive = async () => {
    lastKeepAlive = Date.now();
    try {
      const response = await fetch(meta.dataset.keepAlive, {
        method: "POST", credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(), "X-Requested-With": "fetch" },
      });
      if (!response.ok) return;
      const timing = await response.json();
      if (timing.idle_left === undefined) return;
      idleLeft = timing.idle_left;
      absoluteLeft = timing.absolute_left;
      since = Date.now();
      hideBanner();
      tick();
    } catch (error) {
      // Offline for a moment: the next tick shows the warning again.
    }
  };

  const minutes = (seconds) => String(Math.max(1, Math.ceil(seconds / 60)));

  const tick = () => {
    const elapsed = (Date.now() - since) / 1000;
    const idle = idleLeft - elapsed;
    const absolute = absoluteLeft - elapsed;
    if (idle <= 0 || absolute <= 0) {
      showBanner(meta.dataset.endedText, false);
    } else if (absolute <= WARN_SECONDS && absolute <= idle) {
      showBanner(meta.dataset.absoluteText.replace("%(minutes)s", minutes(absolute)), false);
    } else if (idle <= WARN_SECONDS) {
      showBanner(meta.dataset.idleText.replace("%(minutes)s", minutes(idle)), true);
    } else {
      hideBanner();
    }
  };

  // Typing into a form is activity: keep the session open for it (at most every two minutes).
  document.addEventListener("input", () => {
    if (Date.now() - lastKeepAlive > TYPING_KEEP_ALIVE_MS) keepAlive();
  });
  setInterval(tick, 10000);
  tick();
});
