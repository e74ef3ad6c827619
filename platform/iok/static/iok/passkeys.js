/* IOK platform: passkeys (WebAuthn). The server makes every challenge and checks every answer
   (tenants_portal/accounts/passkeys.py); this file only carries them between the page and the browser's
   navigator.credentials, and shows the outcome. Without it (or without WebAuthn) the pages work with the
   password as before: the passkey parts stay hidden.

   <div data-passkey-sign-in data-options-url data-sign-in-url data-next>: the sign-in page's button, and the
   login field's autofill (conditional mediation) where the browser offers it; the same button checks a staff
   member's or operator's passkey as the second factor (the second step, the step-up check).
   <form data-passkey-add data-options-url data-add-url>: adding a passkey (a resident's own-account page, the
   second factor's set-up and status pages). */
(function () {
  "use strict";

  if (!window.PublicKeyCredential || !navigator.credentials) { return; }

  function toBytes(text) {
    var base64 = text.replace(/-/g, "+").replace(/_/g, "/");
    var binary = atob(base64 + "===".slice((base64.length + 3) % 4));
    return Uint8Array.from(binary, function (c) { return c.charCodeAt(0); }).buffer;
  }

  function fromBytes(buffer) {
    var binary = String.fromCharCode.apply(null, new Uint8Array(buffer));
    return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function withIds(list) {
    return (list || []).map(function (item) { return Object.assign({}, item, { id: toBytes(item.id) }); });
  }

  function creationOptions(json) {
    if (PublicKeyCredential.parseCreationOptionsFromJSON) { return PublicKeyCredential.parseCreationOptionsFromJSON(json); }
    return Object.assign({}, json, {
      challenge: toBytes(json.challenge),
      user: Object.assign({}, json.user, { id: toBytes(json.user.id) }),
      excludeCredentials: withIds(json.excludeCredentials)
    });
  }

  function requestOptions(json) {
    if (PublicKeyCredential.parseRequestOptionsFromJSON) { return PublicKeyCredential.parseRequestOptionsFromJSON(json); }
    return Object.assign({}, json, { challenge: toBytes(json.challenge), allowCredentials: withIds(json.allowCredentials) });
  }

  /* The credential in the JSON shape the server reads (PublicKeyCredential.toJSON(), written out for
     browsers that lack it). */
  function credentialJSON(credential) {
    if (typeof credential.toJSON === "function") { return credential.toJSON(); }
    var answer = credential.response;
    var response = { clientDataJSON: fromBytes(answer.clientDataJSON) };
    if (answer.attestationObject) {
      response.attestationObject = fromBytes(answer.attestationObject);
      response.transports = answer.getTransports ? answer.getTransports() : [];
    } else {
      response.authenticatorData = fromBytes(answer.authenticatorData);
      response.signature = fromBytes(answer.signature);
      if (answer.userHandle) { response.userHandle = fromBytes(answer.userHandle); }
    }
    return {
      id: credential.id, rawId: fromBytes(credential.rawId), type: credential.type, response: response,
      authenticatorAttachment: credential.authenticatorAttachment || undefined,
      clientExtensionResults: credential.getClientExtensionResults()
    };
  }

  function post(url, form, data) {
    return fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": form.querySelector("[name=csrfmiddlewaretoken]").value },
      body: JSON.stringify(data || {})
    });
  }

  function show(element, text) {
    element.textContent = text;
    element.hidden = !text;
  }

  function signIn(box) {
    var form = box.closest(".panel").querySelector("form");
    var error = box.querySelector("[role=alert]");
    var waiting = null;  // the autofill's request, ended before the button starts its own

    function attempt(mediation) {
      var controller = new AbortController();
      var chosen = false;  // a passkey was picked: after a refusal the autofill may offer them again
      if (mediation === "conditional") { waiting = controller; }
      return post(box.dataset.optionsUrl, form).then(function (response) {
        if (!response.ok) { throw new Error("options"); }
        return response.json();
      }).then(function (json) {
        return navigator.credentials.get({ publicKey: requestOptions(json), mediation: mediation, signal: controller.signal });
      }).then(function (credential) {
        chosen = true;
        return post(box.dataset.signInUrl, form, { credential: credentialJSON(credential), next: box.dataset.next });
      }).then(function (response) {
        if (response.status === 429) { throw new Error(box.dataset.lockedMessage); }
        return response.json().then(function (json) {
          if (!response.ok) { throw new Error(json.error || box.dataset.failedMessage); }
          window.location.assign(json.redirect);
        });
      }).catch(function (problem) {
        if (problem && problem.name === "AbortError") { return; }
        var text = problem && problem.message;
        show(error, problem instanceof DOMException || !text || text === "options" ? box.dataset.failedMessage : text);
        if (mediation !== "conditional" || chosen) { autofill(); }
      });
    }

    function autofill() {
      // Only on the sign-in page, whose login field offers the passkeys; the second step has a button alone.
      var login = form.querySelector("[name=username]");
      if (!login || !PublicKeyCredential.isConditionalMediationAvailable) { return; }
      PublicKeyCredential.isConditionalMediationAvailable().then(function (available) {
        if (!available) { return; }
        // The autofill token is added here, not in the page: the HTML checker does not know it yet, and a
        // browser without conditional mediation has no use for it.
        if (!/\bwebauthn\b/.test(login.getAttribute("autocomplete") || "")) {
          login.setAttribute("autocomplete", (login.getAttribute("autocomplete") || "username") + " webauthn");
        }
        attempt("conditional");
      });
    }

    box.hidden = false;
    box.querySelector("[data-passkey-button]").addEventListener("click", function () {
      show(error, "");
      if (waiting) { waiting.abort(); waiting = null; }
      attempt("optional");
    });
    autofill();
  }

  function add(form) {
    var error = form.querySelector("[role=alert]");
    var name = form.querySelector("[name=name]");
    var unsupported = document.querySelector("[data-passkey-unsupported]");
    if (unsupported) { unsupported.hidden = true; }
    form.hidden = false;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      show(error, "");
      if (!name.value.trim()) { show(error, form.dataset.nameMessage); name.focus(); return; }
      var button = form.querySelector("button[type=submit]");
      button.disabled = true;
      post(form.dataset.optionsUrl, form).then(function (response) {
        if (!response.ok) { throw new Error(""); }
        return response.json();
      }).then(function (json) {
        return navigator.credentials.create({ publicKey: creationOptions(json) });
      }).then(function (credential) {
        return post(form.dataset.addUrl, form, { name: name.value, credential: credentialJSON(credential) });
      }).then(function (response) {
        return response.json().then(function (json) {
          if (!response.ok) { throw new Error(json.error || ""); }
          window.location.assign(json.redirect);
        });
      }).catch(function (problem) {
        var text = problem && !(problem instanceof DOMException) && problem.message;
        show(error, text || form.dataset.failedMessage);
        button.disabled = false;
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-passkey-sign-in]").forEach(signIn);
    document.querySelectorAll("[data-passkey-add]").forEach(add);
  });
}());
