/* IOK platform: small enhancements of server-rendered pages. Everything works without this file;
   with it, phones get a collapsible menu, values marked data-copy get a "copy" button and buttons
   marked data-print print the page (the Content-Security-Policy allows no inline handlers). */
(function () {
  "use strict";

  /* <nav class="main-nav" data-menu-label="Menu"><ul id="main-menu">: on a narrow screen the list hides
     behind one button, so the page starts with its content instead of rows of links. */
  function collapsibleMenu(nav) {
    var list = nav.querySelector("ul[id]");
    if (!list) { return; }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "menu-toggle";
    button.textContent = nav.getAttribute("data-menu-label");
    button.setAttribute("aria-controls", list.id);
    button.setAttribute("aria-expanded", "false");
    var current = list.querySelector("[aria-current=page]");
    if (current) {
      var where = document.createElement("span");
      where.className = "menu-current";
      where.textContent = current.textContent;
      button.appendChild(document.createTextNode(" · "));
      button.appendChild(where);
    }
    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-expanded") !== "true";
      button.setAttribute("aria-expanded", open ? "true" : "false");
      nav.classList.toggle("menu-open", open);
    });
    var row = document.createElement("div");
    row.className = "wrap menu-row";
    row.appendChild(button);
    nav.insertBefore(row, list);
    nav.classList.add("menu-collapsible");
  }

  /* <dd data-copy="text to copy" data-copy-label="Copy" data-copied-label="Copied">: a real button after
     the value; the result is announced through a polite live region. */
  function copyButton(element) {
    if (!navigator.clipboard) { return; }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy-button";
    button.textContent = element.getAttribute("data-copy-label");
    var label = element.getAttribute("data-copy-name");
    if (label) { button.setAttribute("aria-label", button.textContent + ": " + label); }
    var status = document.createElement("span");
    status.className = "copy-status";
    status.setAttribute("role", "status");
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(element.getAttribute("data-copy")).then(function () {
        status.textContent = element.getAttribute("data-copied-label");
      }, function () {
        status.textContent = element.getAttribute("data-copy-failed-label");
      });
    });
    element.appendChild(document.createTextNode(" "));
    element.appendChild(button);
    element.appendChild(status);
  }

  function printButton(button) {
    button.addEventListener("click", function () { window.print(); });
  }

  function enhance() {
    Array.prototype.forEach.call(document.querySelectorAll("button[data-print]"), printButton);
    Array.prototype.forEach.call(document.querySelectorAll("nav[data-menu-label]"), collapsibleMenu);
    Array.prototype.forEach.call(document.querySelectorAll("[data-copy]"), copyButton);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", enhance);
  } else {
    enhance();
  }
}());
