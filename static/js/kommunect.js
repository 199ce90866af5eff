/*
 * Kommunect – small progressive enhancements, loaded with defer on every page.
 * Everything here is optional: without JavaScript the server does the same.
 */
(function () {
  "use strict";

  var SUGGEST_URL = "/konto/organisation-vorschlag/";

  // Django's JavaScript catalogue (/jsi18n/) translates where a page loads it.
  var gettext = window.gettext || function (text) { return text; };
  var ngettext = window.ngettext || function (singular, plural, count) {
    return count === 1 ? singular : plural;
  };
  var interpolate = window.interpolate || function (format, args, named) {
    if (named) {
      return format.replace(/%\(\w+\)s/g, function (match) {
        return String(args[match.slice(2, -2)]);
      });
    }
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

  /*
   * The "Chat" link in the header shows what is unread in the user's rooms
   * (GET /api/v1/chat/unread). It asks again when the tab is shown again,
   * when another tab or device read a room (an "unread" frame on a socket the
   * page already has) and when the chat page counted something new.
   */
  function initChatBadge(link) {
    var badge = link.querySelector("[data-chat-badge]");
    var url = link.getAttribute("data-chat-unread");
    if (!badge || !url || !window.fetch) {
      return;
    }
    var pending = null;
    var timer = null;

    function show(total) {
      var count = total.unread || 0;
      var mentions = total.mentions || 0;
      badge.hidden = !count;
      badge.classList.toggle("site-nav__badge--mention", mentions > 0);
      badge.querySelector("[data-chat-badge-count]").textContent = count > 99 ? "99+" : String(count);
      var text = interpolate(
        ngettext("%(count)s ungelesene Nachricht", "%(count)s ungelesene Nachrichten", count),
        { count: count },
        true
      );
      if (mentions) {
        text += ", " + interpolate(
          ngettext("%(count)s Erwähnung", "%(count)s Erwähnungen", mentions),
          { count: mentions },
          true
        );
      }
      badge.querySelector("[data-chat-badge-text]").textContent = text;
    }

    function refresh() {
      if (pending) {
        pending.abort();
      }
      pending = new AbortController();
      fetch(url, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        signal: pending.signal,
      })
        .then(function (response) {
          return response.ok ? response.json() : null;
        })
        .then(function (total) {
          if (total) {
            show(total);
          }
        })
        .catch(function () {
          // Offline or aborted: the badge keeps what it showed.
        });
    }

    // Several changes in a row (a room read, a burst of messages): ask once.
    function refreshSoon() {
      window.clearTimeout(timer);
      timer = window.setTimeout(refresh, 500);
    }

    refresh();
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "visible") {
        refreshSoon();
      }
    });
    document.addEventListener("kommunect:chat-unread", refreshSoon);
    if (window.KommunectLive) {
      window.KommunectLive.socket("/ws/").watch(function (frame) {
        if (frame.type === "unread") {
          refreshSoon();
        }
      });
    }
  }

  function init() {
    var chatLink = document.querySelector("[data-chat-unread]");
    if (chatLink) {
      initChatBadge(chatLink);
    }
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
