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

  /*
   * The header's search field suggests communities, wiki pages and people
   * while one types (a combobox with a listbox): Up and Down choose, Enter
   * opens the chosen one (or searches when none is chosen), Escape closes.
   * Without JavaScript the form searches.
   */
  function initSearchSuggestions(form) {
    var input = form.querySelector("input[name=q]");
    var listbox = form.querySelector("[role=listbox]");
    var status = form.querySelector("[data-search-status]");
    var url = form.getAttribute("data-search-suggest");
    if (!input || !listbox || !url || !window.fetch) {
      return;
    }
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", listbox.id);
    input.setAttribute("aria-expanded", "false");
    var items = [];
    var active = -1;
    var timer = null;
    var request = null;

    function close() {
      listbox.hidden = true;
      listbox.textContent = "";
      if (items.length) {
        status.textContent = ""; // no list: nothing to choose any more
      }
      items = [];
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function setActive(index) {
      var options = listbox.querySelectorAll("[role=option]");
      options.forEach(function (option, i) {
        option.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      active = index;
      if (index >= 0 && options[index]) {
        input.setAttribute("aria-activedescendant", options[index].id);
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function show(results) {
      close();
      items = results;
      if (!items.length) {
        return;
      }
      items.forEach(function (item, index) {
        var option = document.createElement("li");
        option.id = listbox.id + "-" + index;
        option.className = "suggest-listbox__option";
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        var title = document.createElement("span");
        title.className = "suggest-listbox__name";
        title.textContent = item.title;
        var kind = document.createElement("span");
        kind.className = "suggest-listbox__detail";
        kind.textContent = item.type_label;
        option.appendChild(title);
        option.appendChild(document.createTextNode(" "));
        option.appendChild(kind);
        option.addEventListener("mousedown", function (event) {
          event.preventDefault(); // keep the focus in the field
          window.location.assign(item.url);
        });
        listbox.appendChild(option);
      });
      listbox.hidden = false;
      input.setAttribute("aria-expanded", "true");
      status.textContent = interpolate(
        ngettext("%s Vorschlag, mit Pfeil nach unten wählen.", "%s Vorschläge, mit Pfeil nach unten wählen.", items.length),
        [items.length]
      );
    }

    function lookup() {
      var text = input.value.trim();
      if (request) {
        request.abort();
        request = null;
      }
      if (text.length < 2) {
        close();
        return;
      }
      request = new AbortController();
      fetch(url + "?q=" + encodeURIComponent(text), {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        signal: request.signal,
      })
        .then(function (response) {
          return response.ok ? response.json() : { results: [] };
        })
        .then(function (data) {
          request = null;
          if (document.activeElement === input && input.value.trim() === text) {
            show((data && data.results) || []);
          }
        })
        .catch(function () {
          // Aborted or offline: suggestions are optional, the form searches.
        });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(lookup, 200);
    });
    input.addEventListener("keydown", function (event) {
      if (listbox.hidden || !items.length) {
        return;
      }
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        var step = event.key === "ArrowDown" ? 1 : -1;
        setActive(active < 0 ? (step > 0 ? 0 : items.length - 1) : (active + step + items.length) % items.length);
      } else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        window.location.assign(items[active].url);
      } else if (event.key === "Escape") {
        event.preventDefault();
        window.clearTimeout(timer);
        close();
      }
    });
    input.addEventListener("blur", function () {
      window.clearTimeout(timer);
      close();
    });
  }

  /* The search page's facets come before the hits; on a narrow screen
   * they start closed so that the hits are in view. */
  function initSearchFacets(details) {
    if (window.matchMedia && window.matchMedia("(max-width: 48rem)").matches) {
      details.open = false;
    }
  }

  function init() {
    var facets = document.querySelector("[data-search-facets]");
    if (facets) {
      initSearchFacets(facets);
    }
    var searchForm = document.querySelector("[data-search-suggest]");
    if (searchForm) {
      initSearchSuggestions(searchForm);
    }
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
