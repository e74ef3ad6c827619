// Small behaviours of buttons, kept out of the pages (the Content-Security-Policy allows no inline script):
// <button data-print> prints the page; <button data-copy="element-id" data-copied="Copied"> copies that
// element's text (an input's value) and says so in its own label for two seconds.
"use strict";

document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-print], [data-copy]");
  if (!button) {
    return;
  }
  if (button.hasAttribute("data-print")) {
    window.print();
    return;
  }
  const source = document.getElementById(button.dataset.copy);
  const text = source && (source.value !== undefined ? source.value : source.textContent);
  if (!text || !navigator.clipboard) {
    return;
  }
  navigator.clipboard.writeText(text.trim()).then(() => {
    const label = button.textContent;
    button.textContent = button.dataset.copied || label;
    window.setTimeout(() => { button.textContent = label; }, 2000);
  });
});
