/* Copy buttons for the read-only texts people pass on: the reply to the group, a clarification's
   link and text, a release's citation. Progressive enhancement: without JavaScript each text
   stays in its box, ready to select and copy by hand. No inline script, so the strict
   Content-Security-Policy (script-src 'self') holds. */
(function () {
  "use strict";

  function selectAll(field) {
    field.focus();
    field.select();
    field.setSelectionRange(0, field.value.length);
  }

  function copyBySelection(field) {
    selectAll(field);
    try {
      return document.execCommand("copy");
    } catch (error) {
      return false;
    }
  }

  function addButton(field) {
    var button = document.createElement("button");
    var status = document.createElement("span");
    button.type = "button";
    button.className = "copy-button secondary";
    button.textContent = field.getAttribute("data-copy-label") || "Salin";
    status.className = "copy-status";
    status.setAttribute("role", "status");

    function report(copied) {
      // The text stays selected either way, so a person can still copy it by hand.
      selectAll(field);
      // The page says these in its language (base.html); the Indonesian is the fallback.
      var root = document.documentElement;
      status.textContent = copied
        ? root.getAttribute("data-copied") || "Tersalin. Tinggal tempel."
        : root.getAttribute("data-selected") || "Teks sudah dipilih; salin dengan menu atau Ctrl+C.";
    }

    button.addEventListener("click", function () {
      selectAll(field);
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(
          function () { report(true); },
          function () { report(copyBySelection(field)); }
        );
      } else {
        report(copyBySelection(field));
      }
    });
    field.insertAdjacentElement("afterend", status);
    field.insertAdjacentElement("afterend", button);
  }

  document.querySelectorAll("textarea.copy, input.copy").forEach(addButton);
})();
