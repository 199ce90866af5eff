/*
 * Kommunect – small progressive enhancements, loaded with defer on every page.
 * Everything here is optional: without JavaScript the server does the same.
 */
(function () {
  "use strict";

  var SUGGEST_URL = "/konto/organisation-vorschlag/";

  // Django's JavaScript catalogue (/jsi18n/) translates where a page loads it.
  var gettext = window.gettext || function (text) { return text; };
  var interpolate = window.interpolate || function (format, args) {
    return format.replace("%s", args[0]);
  };

  /*
   * Sign-up: suggest the organisation from the e-mail domain while the user
   * types. Only an empty select is filled (or one we filled ourselves); a
   * choice the user made is never overwritten. Without JavaScript the server
   * assigns the same suggestion when the field is left empty.
   */
  function initOrganisationSuggestion(form) {
    var email = form.querySelector("input[name=email]");
    var select = form.querySelector("select[name=organisation]");
    if (!email || !select || !window.fetch) {
      return;
    }

    // The live region exists before it is filled, so screen readers announce it.
    var status = document.createElement("p");
    status.className = "kern-hint organisation-suggestion";
    status.id = select.id ? select.id + "_suggestion" : "organisation_suggestion";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    var anchor = select.closest(".kern-form-input__select-wrapper") || select;
    anchor.insertAdjacentElement("afterend", status);

    var suggestedValue = null;
    var pending = null;

    select.addEventListener("change", function () {
      suggestedValue = null;
      status.textContent = "";
    });

    email.addEventListener("change", function () {
      var value = email.value.trim();
      var userChose = select.value !== "" && select.value !== suggestedValue;
      if (userChose || value.indexOf("@") < 1) {
        return;
      }
      if (pending) {
        pending.abort();
      }
      pending = new AbortController();
      var url = SUGGEST_URL + "?email=" + encodeURIComponent(value);
      fetch(url, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        signal: pending.signal,
      })
        .then(function (response) {
          return response.ok ? response.json() : { organisation: null };
        })
        .then(function (data) {
          applySuggestion(data && data.organisation);
        })
        .catch(function () {
          // Network error or aborted request: the server suggests on submit.
        });
    });

    function applySuggestion(organisation) {
      if (select.value !== "" && select.value !== suggestedValue) {
        return; // the user chose while the request was on its way
      }
      var option = organisation
        ? Array.prototype.find.call(select.options, function (opt) {
            return opt.value === String(organisation.id);
          })
        : null;
      if (!option) {
        if (suggestedValue !== null) {
          select.value = "";
          suggestedValue = null;
          status.textContent = "";
        }
        return;
      }
      select.value = option.value;
      suggestedValue = option.value;
      status.textContent = interpolate(
        gettext("Organisation anhand Ihrer E-Mail-Domain vorgeschlagen: %s"),
        [option.text]
      );
    }
  }

  function init() {
    document.querySelectorAll("form").forEach(function (form) {
      if (
        form.querySelector("input[name=email]") &&
        form.querySelector("select[name=organisation]")
      ) {
        initOrganisationSuggestion(form);
      }
    });
  }

  /*
   * htmx swaps only successful answers. A refusal (a German error fragment or
   * JSON {"detail"}) is shown next to the element that asked, as an alert.
   */
  function showHtmxError(event) {
    var detail = event.detail || {};
    var source = detail.elt;
    var xhr = detail.xhr;
    if (!source || !xhr) {
      return;
    }
    var text = "";
    var type = xhr.getResponseHeader("Content-Type") || "";
    if (type.indexOf("application/json") === 0) {
      try {
        text = JSON.parse(xhr.responseText).detail || "";
      } catch (error) {
        text = "";
      }
    } else if (xhr.responseText && xhr.responseText.length < 2000) {
      // Parsed inert (DOMParser runs nothing), only its text is used.
      var parsed = new DOMParser().parseFromString(xhr.responseText, "text/html");
      text = (parsed.body.textContent || "").trim();
    }
    if (!text || text.length > 300) {
      text = gettext("Das hat nicht geklappt. Bitte laden Sie die Seite neu.");
    }
    var alert = source.nextElementSibling;
    if (!alert || !alert.classList.contains("htmx-error")) {
      alert = document.createElement("p");
      alert.className = "kern-error htmx-error";
      alert.setAttribute("role", "alert");
      source.insertAdjacentElement("afterend", alert);
    }
    alert.textContent = text;
  }

  document.addEventListener("htmx:responseError", showHtmxError);

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
