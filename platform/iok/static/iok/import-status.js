// While an import runs, its page asks the server how it is going — at first every 3 seconds, then less and
// less often (up to a minute), never while the tab is hidden — and shows the result once, when the import
// ends. (A page that reloads itself every few seconds disturbs screen readers and keyboard users.)
"use strict";

(() => {
  const marker = document.querySelector("[data-import-status]");
  if (!marker) {
    return;
  }
  let delay = 3000;
  const check = () => {
    if (document.hidden) {
      document.addEventListener("visibilitychange", check, { once: true });
      return;
    }
    fetch(marker.dataset.importStatus, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then((response) => (response.ok ? response.json() : { in_progress: true }))
      .catch(() => ({ in_progress: true }))
      .then((state) => {
        if (state.in_progress) {
          delay = Math.min(delay * 1.5, 60000);
          window.setTimeout(check, delay);
        } else {
          window.location.reload();
        }
      });
  };
  window.setTimeout(check, delay);
})();
