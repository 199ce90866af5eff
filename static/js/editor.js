/*
 * Kommunect – the Markdown editor of posts (and, later, wiki pages).
 *
 * Progressive enhancement of templates/includes/markdown_editor.html and
 * templates/includes/tag_input.html: without this script both are plain
 * form fields and the server does all the work. With it:
 *
 * - a toolbar (one tab stop, arrow keys inside) and Ctrl/Cmd+B, Ctrl/Cmd+I,
 * - tabs "Schreiben" / "Vorschau"; the preview is rendered by the server with
 *   the same function that renders the saved text (kommunect.markdown),
 * - @mentions and tags suggested in a listbox (combobox pattern),
 * - files attached by button, drag and drop or paste,
 * - a warning before leaving the page with unsaved text,
 * - "Zitieren" and "Antworten" on the posts of a thread page.
 *
 * The editor's text changes go through execCommand("insertText") where the
 * browser has it, so Ctrl+Z undoes a toolbar action like typing.
 */
(function () {
  "use strict";

  // Django's JavaScript catalogue (/jsi18n/) translates where a page loads it.
  var gettext = window.gettext || function (text) { return text; };
  var ngettext = window.ngettext || function (singular, plural, count) {
    return count === 1 ? singular : plural;
  };

  function format(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (match, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : match;
    });
  }

  var SUGGEST_DELAY = 200;
  var editors = [];
  var editorOf = new WeakMap();

  // --- requests -------------------------------------------------------------

  function csrfToken(element) {
    var form = element && element.closest ? element.closest("form") : null;
    var input =
      (form && form.querySelector("input[name=csrfmiddlewaretoken]")) ||
      document.querySelector("input[name=csrfmiddlewaretoken]");
    if (input && input.value) {
      return input.value;
    }
    var headers = document.body.getAttribute("hx-headers");
    if (headers) {
      try {
        var token = JSON.parse(headers)["X-CSRFToken"];
        if (token) {
          return token;
        }
      } catch (error) {
        // not JSON: fall through to the cookie
      }
    }
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  /* fetch() that resolves to {ok, status, data}; data is {} for answers that
   * are not JSON (a CSRF failure page, a proxy error). */
  function requestJSON(url, options, element) {
    options = options || {};
    var headers = { Accept: "application/json", "X-Requested-With": "XMLHttpRequest" };
    if (options.method && options.method !== "GET") {
      headers["X-CSRFToken"] = csrfToken(element);
    }
    return fetch(url, {
      method: options.method || "GET",
      body: options.body,
      headers: headers,
      credentials: "same-origin",
      signal: options.signal,
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (type.indexOf("application/json") === -1) {
        return { ok: false, status: response.status, data: {} };
      }
      return response.json().then(function (data) {
        return { ok: response.ok, status: response.status, data: data || {} };
      });
    });
  }

  function errorText(result, fallback) {
    if (result && result.data && result.data.detail) {
      return result.data.detail;
    }
    if (result && result.status === 403) {
      return gettext(
        "Die Sicherheitsprüfung ist fehlgeschlagen. Bitte laden Sie die Seite neu."
      );
    }
    if (result && result.status === 413) {
      return gettext("Die Datei ist zu groß.");
    }
    return fallback;
  }

  function debounce(fn, delay) {
    var timer = null;
    var debounced = function () {
      var args = arguments;
      window.clearTimeout(timer);
      timer = window.setTimeout(function () { fn.apply(null, args); }, delay);
    };
    debounced.cancel = function () { window.clearTimeout(timer); };
    return debounced;
  }

  // --- editing the text -----------------------------------------------------

  /* Replace value[start:end] with text and select [selectStart, selectEnd]
   * (default: caret after the text). */
  function replaceRange(textarea, start, end, text, selectStart, selectEnd) {
    textarea.focus();
    textarea.setSelectionRange(start, end);
    var inserted = false;
    if (text) {
      try {
        inserted = document.execCommand("insertText", false, text);
      } catch (error) {
        inserted = false;
      }
    }
    if (!inserted) {
      textarea.setRangeText(text, start, end, "end");
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    }
    var caret = start + text.length;
    textarea.setSelectionRange(
      selectStart === undefined ? caret : selectStart,
      selectEnd === undefined ? caret : selectEnd
    );
  }

  // Characters that would end a link text or start emphasis or code.
  function escapeLinkText(text) {
    return String(text).replace(/\s+/g, " ").replace(/([\\\[\]*_`~<])/g, "\\$1");
  }

  function wrapSelection(textarea, before, after, placeholder) {
    var start = textarea.selectionStart;
    var end = textarea.selectionEnd;
    var value = textarea.value;
    var selected = value.slice(start, end);
    // Already wrapped (markers just outside or at the edges of the selection):
    // the same button takes the formatting off again.
    if (
      value.slice(start - before.length, start) === before &&
      value.slice(end, end + after.length) === after &&
      selected
    ) {
      replaceRange(
        textarea, start - before.length, end + after.length, selected,
        start - before.length, end - before.length
      );
      return;
    }
    if (
      selected.length > before.length + after.length &&
      selected.indexOf(before) === 0 &&
      selected.slice(-after.length) === after
    ) {
      var inner = selected.slice(before.length, selected.length - after.length);
      replaceRange(textarea, start, end, inner, start, start + inner.length);
      return;
    }
    // "**Wort **" is no emphasis: spaces at the edges stay outside.
    var lead = selected.match(/^\s*/)[0];
    var core = selected.slice(lead.length).replace(/\s+$/, "");
    var trail = selected.slice(lead.length + core.length);
    var text = core || placeholder;
    var from = start + lead.length + before.length;
    replaceRange(
      textarea, start, end, lead + before + text + after + trail, from, from + text.length
    );
  }

  var LINE_FORMATS = {
    heading: { pattern: /^#{1,6} /, prefix: function () { return "## "; }, placeholder: gettext("Überschrift") },
    list: { pattern: /^[-*+] /, prefix: function () { return "- "; }, placeholder: gettext("Listenpunkt") },
    numbered: {
      pattern: /^\d+[.)] /,
      prefix: function (index) { return index + 1 + ". "; },
      placeholder: gettext("Listenpunkt"),
    },
    quote: { pattern: /^> ?/, prefix: function () { return "> "; }, placeholder: gettext("Zitat") },
  };

  /* Prefix every selected line (or take the prefix off if all have it). */
  function formatLines(textarea, kind) {
    var rule = LINE_FORMATS[kind];
    var value = textarea.value;
    var start = textarea.selectionStart;
    var end = textarea.selectionEnd;
    if (end > start && value[end - 1] === "\n") {
      end -= 1;
    }
    var lineStart = value.lastIndexOf("\n", start - 1) + 1;
    var lineEnd = value.indexOf("\n", end);
    if (lineEnd === -1) {
      lineEnd = value.length;
    }
    var block = value.slice(lineStart, lineEnd);
    if (!block.trim()) {
      var prefix = rule.prefix(0);
      var placeholder = rule.placeholder;
      replaceRange(
        textarea, lineStart, lineEnd, prefix + placeholder,
        lineStart + prefix.length, lineStart + prefix.length + placeholder.length
      );
      return;
    }
    var lines = block.split("\n");
    var filled = lines.filter(function (line) { return line.trim(); });
    var remove = filled.every(function (line) { return rule.pattern.test(line); });
    var number = 0;
    var changed = lines.map(function (line) {
      if (!line.trim()) {
        return line;
      }
      if (remove) {
        return line.replace(rule.pattern, "");
      }
      // A heading replaces another heading level instead of adding to it.
      var bare = kind === "heading" ? line.replace(rule.pattern, "") : line;
      return rule.prefix(number++) + bare;
    }).join("\n");
    if (lines.length === 1) {
      replaceRange(textarea, lineStart, lineEnd, changed);
    } else {
      replaceRange(textarea, lineStart, lineEnd, changed, lineStart, lineStart + changed.length);
    }
  }

  function insertLink(textarea) {
    var start = textarea.selectionStart;
    var end = textarea.selectionEnd;
    var selected = textarea.value.slice(start, end).trim();
    var label = gettext("Linktext");
    if (/^https?:\/\/\S+$/.test(selected)) {
      replaceRange(textarea, start, end, "[" + label + "](" + selected + ")", start + 1, start + 1 + label.length);
    } else if (selected) {
      var text = "[" + selected + "](https://)";
      var urlStart = start + selected.length + 3;
      replaceRange(textarea, start, end, text, urlStart, urlStart + "https://".length);
    } else {
      replaceRange(textarea, start, end, "[" + label + "](https://)", start + 1, start + 1 + label.length);
    }
  }

  /* Text before and after an inserted block, so it stands in its own
   * paragraph (blank lines around it). */
  function blockSpacing(value, start, end) {
    var before = value.slice(0, start);
    var after = value.slice(end);
    var lead = !before || /\n\n$/.test(before) ? "" : /\n$/.test(before) ? "\n" : "\n\n";
    var trail = !after || /^\n\n/.test(after) ? "" : /^\n/.test(after) ? "\n" : "\n\n";
    return { lead: lead, trail: trail };
  }

  function insertCode(textarea) {
    var start = textarea.selectionStart;
    var end = textarea.selectionEnd;
    var value = textarea.value;
    var selected = value.slice(start, end);
    var lineStart = value.lastIndexOf("\n", start - 1) + 1;
    var lineEnd = value.indexOf("\n", end);
    var onEmptyLine = !selected && !value.slice(lineStart, lineEnd === -1 ? value.length : lineEnd).trim();
    if (selected.indexOf("\n") === -1 && !onEmptyLine) {
      wrapSelection(textarea, "`", "`", gettext("Code"));
      return;
    }
    var content = selected.replace(/\n$/, "") || gettext("Code");
    var spacing = blockSpacing(value, start, end);
    var text = spacing.lead + "```\n" + content + "\n```" + spacing.trail;
    var from = start + spacing.lead.length + 4;
    replaceRange(textarea, start, end, text, from, from + content.length);
  }

  function insertTable(textarea) {
    var end = textarea.selectionEnd;
    var column = gettext("Spalte");
    var cell = gettext("Inhalt");
    var table =
      "| " + column + " 1 | " + column + " 2 |\n" +
      "| --- | --- |\n" +
      "| " + cell + " | " + cell + " |";
    var spacing = blockSpacing(textarea.value, end, end);
    var from = end + spacing.lead.length + 2;
    replaceRange(
      textarea, end, end, spacing.lead + table + spacing.trail,
      from, from + column.length + 2
    );
  }

  // --- suggestions in a listbox (combobox pattern) ----------------------------

  /* A listbox that a text field controls: the field keeps focus, the active
   * option is named by aria-activedescendant. ``render(item, li)`` fills an
   * option; ``onChoose(item)`` takes one. */
  function Suggestions(field, listbox, status, render, onChoose, isCombobox) {
    this.field = field;
    this.listbox = listbox;
    this.status = status;
    this.render = render;
    this.onChoose = onChoose;
    this.isCombobox = isCombobox;
    this.items = [];
    this.active = -1;
    this.request = null;
    var self = this;
    listbox.addEventListener("mousedown", function (event) {
      event.preventDefault(); // keep the focus (and caret) in the field
    });
    listbox.addEventListener("click", function (event) {
      var option = event.target.closest("[role=option]");
      if (option) {
        self.choose(Number(option.getAttribute("data-index")));
      }
    });
    field.addEventListener("blur", function () { self.close(); });
  }

  Suggestions.prototype.isOpen = function () {
    return !this.listbox.hidden;
  };

  /* Ask ``url`` for {"results": [...]}; ``keep(item)`` may leave some out.
   * Resolves to the items shown, or null when nothing was asked or shown. */
  Suggestions.prototype.fetch = function (url, activateFirst, keep) {
    var self = this;
    if (this.request) {
      this.request.abort();
    }
    this.request = new AbortController();
    return requestJSON(url, { signal: this.request.signal }, this.field)
      .then(function (result) {
        self.request = null;
        if (document.activeElement !== self.field) {
          return null;
        }
        var items = result.ok && Array.isArray(result.data.results) ? result.data.results : [];
        if (keep) {
          items = items.filter(keep);
        }
        self.show(items, activateFirst);
        return items;
      })
      .catch(function () {
        // Aborted by a newer request or offline: suggestions are optional.
        return null;
      });
  };

  Suggestions.prototype.show = function (items, activateFirst) {
    var self = this;
    this.items = items;
    this.listbox.textContent = "";
    if (!items.length) {
      this.close();
      return;
    }
    items.forEach(function (item, index) {
      var option = document.createElement("li");
      option.id = self.listbox.id + "-" + index;
      option.className = "suggest-listbox__option";
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.setAttribute("data-index", String(index));
      self.render(item, option);
      self.listbox.appendChild(option);
    });
    this.listbox.hidden = false;
    if (this.isCombobox) {
      this.field.setAttribute("aria-expanded", "true");
    }
    this.setActive(activateFirst ? 0 : -1);
    this.status.textContent = format(
      ngettext(
        "%(count)s Vorschlag. Pfeiltasten zum Auswählen, Eingabetaste zum Übernehmen.",
        "%(count)s Vorschläge. Pfeiltasten zum Auswählen, Eingabetaste zum Übernehmen.",
        items.length
      ),
      { count: items.length }
    );
  };

  Suggestions.prototype.setActive = function (index) {
    var options = this.listbox.querySelectorAll("[role=option]");
    this.active = index;
    options.forEach(function (option, i) {
      option.setAttribute("aria-selected", i === index ? "true" : "false");
    });
    if (index >= 0 && options[index]) {
      this.field.setAttribute("aria-activedescendant", options[index].id);
      options[index].scrollIntoView({ block: "nearest" });
    } else {
      this.field.removeAttribute("aria-activedescendant");
    }
  };

  Suggestions.prototype.move = function (step) {
    var count = this.items.length;
    if (!count) {
      return;
    }
    var next = this.active < 0 ? (step > 0 ? 0 : count - 1) : (this.active + step + count) % count;
    this.setActive(next);
  };

  Suggestions.prototype.choose = function (index) {
    var item = this.items[index];
    this.close();
    if (item) {
      this.onChoose(item);
    }
  };

  Suggestions.prototype.close = function () {
    if (this.request) {
      this.request.abort();
      this.request = null;
    }
    this.items = [];
    this.active = -1;
    this.listbox.hidden = true;
    this.listbox.textContent = "";
    this.field.removeAttribute("aria-activedescendant");
    if (this.isCombobox) {
      this.field.setAttribute("aria-expanded", "false");
    }
  };

  /* Keys while the list is open; true when the key was used. */
  Suggestions.prototype.handleKey = function (event) {
    if (!this.isOpen()) {
      return false;
    }
    switch (event.key) {
      case "ArrowDown":
        this.move(1);
        return true;
      case "ArrowUp":
        this.move(-1);
        return true;
      case "Enter":
      case "Tab":
        if (this.active < 0) {
          return false;
        }
        this.choose(this.active);
        return true;
      case "Escape":
        this.close();
        return true;
      default:
        return false;
    }
  };

  // --- the editor -----------------------------------------------------------

  function MarkdownEditor(root) {
    this.root = root;
    this.textarea = root.querySelector("textarea");
    this.form = this.textarea.form;
    this.bar = root.querySelector("[data-editor-bar]");
    this.toolbar = root.querySelector("[data-editor-toolbar]");
    this.tabs = Array.prototype.slice.call(root.querySelectorAll("[data-editor-tab]"));
    this.writePanel = root.querySelector("[data-editor-write]");
    this.previewPanel = root.querySelector("[data-editor-preview]");
    this.errorBox = root.querySelector("[data-editor-error]");
    this.status = root.querySelector("[data-editor-status]");
    this.previewUrl = root.getAttribute("data-preview-url");
    this.mentionUrl = root.getAttribute("data-mention-url");
    this.uploadUrl = root.getAttribute("data-upload-url");
    this.baseline = this.textarea.value;
    this.previewedText = null;
    this.previewRequest = null;
    this.pendingUploads = 0;

    this.bar.hidden = false;
    root.querySelectorAll("[data-editor-js-only]").forEach(function (element) {
      element.hidden = false;
    });
    this.writePanel.setAttribute("role", "tabpanel");
    this.writePanel.setAttribute("aria-labelledby", this.tabs[0].id);
    var hint = root.querySelector(".markdown-editor__hint");
    if (hint && hint.id) {
      var describedBy = this.textarea.getAttribute("aria-describedby");
      this.textarea.setAttribute("aria-describedby", (describedBy ? describedBy + " " : "") + hint.id);
    }

    this.initToolbar();
    this.initTabs();
    this.initShortcuts();
    if (this.mentionUrl) {
      this.initMentions();
    }
    this.initFiles();
    this.initForm();
  }

  MarkdownEditor.prototype.isDirty = function () {
    var value = this.textarea.value;
    return value.trim() !== "" && value !== this.baseline;
  };

  MarkdownEditor.prototype.showError = function (message) {
    this.errorBox.textContent = "";
    if (!message) {
      return;
    }
    var icon = document.createElement("span");
    icon.className = "kern-icon kern-icon--danger kern-icon--small";
    icon.setAttribute("aria-hidden", "true");
    var text = document.createElement("span");
    text.className = "kern-body";
    text.textContent = message;
    this.errorBox.appendChild(icon);
    this.errorBox.appendChild(text);
  };

  MarkdownEditor.prototype.announce = function (message) {
    this.status.textContent = message;
  };

  MarkdownEditor.prototype.applyFormat = function (name) {
    var textarea = this.textarea;
    switch (name) {
      case "bold":
        wrapSelection(textarea, "**", "**", gettext("fetter Text"));
        break;
      case "italic":
        wrapSelection(textarea, "_", "_", gettext("kursiver Text"));
        break;
      case "link":
        insertLink(textarea);
        break;
      case "code":
        insertCode(textarea);
        break;
      case "table":
        insertTable(textarea);
        break;
      case "attach":
        this.root.querySelector("[data-editor-file]").click();
        break;
      default:
        if (LINE_FORMATS[name]) {
          formatLines(textarea, name);
        }
    }
  };

  MarkdownEditor.prototype.initToolbar = function () {
    var self = this;
    var buttons = Array.prototype.slice.call(this.toolbar.querySelectorAll("button"));
    this.toolbar.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-format]");
      if (!button) {
        return;
      }
      buttons.forEach(function (other) { other.tabIndex = other === button ? 0 : -1; });
      self.applyFormat(button.getAttribute("data-format"));
    });
    // One tab stop for the whole toolbar; arrow keys move inside it.
    this.toolbar.addEventListener("keydown", function (event) {
      var index = buttons.indexOf(document.activeElement);
      if (index < 0) {
        return;
      }
      var next = {
        ArrowRight: (index + 1) % buttons.length,
        ArrowLeft: (index - 1 + buttons.length) % buttons.length,
        Home: 0,
        End: buttons.length - 1,
      }[event.key];
      if (next === undefined) {
        return;
      }
      event.preventDefault();
      buttons[index].tabIndex = -1;
      buttons[next].tabIndex = 0;
      buttons[next].focus();
    });
  };

  MarkdownEditor.prototype.initTabs = function () {
    var self = this;
    this.tabs.forEach(function (tab, index) {
      tab.addEventListener("click", function () { self.selectTab(tab.getAttribute("data-editor-tab")); });
      tab.addEventListener("keydown", function (event) {
        var next = {
          ArrowRight: (index + 1) % self.tabs.length,
          ArrowLeft: (index - 1 + self.tabs.length) % self.tabs.length,
          Home: 0,
          End: self.tabs.length - 1,
        }[event.key];
        if (next === undefined) {
          return;
        }
        event.preventDefault();
        self.selectTab(self.tabs[next].getAttribute("data-editor-tab"));
        self.tabs[next].focus();
      });
    });
  };

  MarkdownEditor.prototype.selectTab = function (name) {
    var preview = name === "preview";
    this.tabs.forEach(function (tab) {
      var selected = tab.getAttribute("data-editor-tab") === name;
      tab.setAttribute("aria-selected", selected ? "true" : "false");
      tab.tabIndex = selected ? 0 : -1;
    });
    if (preview) {
      // The preview takes the textarea's place without the page jumping.
      this.previewPanel.style.minHeight = this.writePanel.offsetHeight + "px";
    }
    this.writePanel.hidden = preview;
    this.previewPanel.hidden = !preview;
    this.toolbar.hidden = preview;
    this.root.classList.toggle("markdown-editor--preview", preview);
    if (preview) {
      this.loadPreview();
    }
  };

  MarkdownEditor.prototype.showWrite = function () {
    if (this.writePanel.hidden) {
      this.selectTab("write");
    }
  };

  MarkdownEditor.prototype.loadPreview = function () {
    var self = this;
    var panel = this.previewPanel;
    var text = this.textarea.value;
    if (text === this.previewedText) {
      return;
    }
    if (this.previewRequest) {
      this.previewRequest.abort();
    }
    this.showError("");
    if (!text.trim()) {
      this.previewedText = text;
      panel.innerHTML = "";
      var empty = document.createElement("p");
      empty.className = "kern-body markdown-editor__empty";
      empty.textContent = gettext("Noch kein Text für die Vorschau.");
      panel.appendChild(empty);
      return;
    }
    this.previewRequest = new AbortController();
    panel.setAttribute("aria-busy", "true");
    panel.textContent = gettext("Vorschau wird geladen …");
    var body = new URLSearchParams();
    body.set("text", text);
    requestJSON(this.previewUrl, { method: "POST", body: body, signal: this.previewRequest.signal }, this.textarea)
      .then(function (result) {
        self.previewRequest = null;
        panel.removeAttribute("aria-busy");
        if (result.ok && typeof result.data.html === "string") {
          // Sanitised by the server (nh3) exactly as when the text is saved.
          panel.innerHTML = result.data.html;
          self.previewedText = text;
          return;
        }
        panel.textContent = "";
        self.showError(errorText(result, gettext("Die Vorschau konnte nicht geladen werden.")));
      })
      .catch(function (error) {
        if (error && error.name === "AbortError") {
          return;
        }
        self.previewRequest = null;
        panel.removeAttribute("aria-busy");
        panel.textContent = "";
        self.showError(gettext("Die Vorschau konnte nicht geladen werden. Bitte prüfen Sie Ihre Internetverbindung."));
      });
  };

  MarkdownEditor.prototype.initShortcuts = function () {
    var self = this;
    this.textarea.addEventListener("keydown", function (event) {
      if (event.isComposing) {
        return; // Enter confirms the input method's text, nothing else
      }
      if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) {
        return;
      }
      var key = (event.key || "").toLowerCase();
      if (key === "b" || key === "i") {
        event.preventDefault();
        self.applyFormat(key === "b" ? "bold" : "italic");
      }
    });
  };

  // --- @mentions ---------------------------------------------------------------

  // "@" at the start or after a space or "(", then a letter and at most two
  // more words (first and last names).
  var MENTION_PATTERN = /(^|[\s(])@(\p{L}[^\s@\[\]()]*(?: [^\s@\[\]()]+){0,2})$/u;

  MarkdownEditor.prototype.initMentions = function () {
    var self = this;
    this.mentions = attachMentions(
      this.textarea,
      this.root.querySelector("[data-editor-mentions]"),
      this.status,
      this.mentionUrl,
      function (message) { self.announce(message); }
    );
  };

  // @mention suggestions for any textarea (the editor's, the chat's): the
  // listbox below it offers members for the "@…" being typed; choosing one
  // puts its Markdown link in place. Up, Down, Enter and Escape work the list
  // while it is open (in the capture phase: a chat's Enter does not send).
  function attachMentions(textarea, listbox, status, url, announce) {
    // A textarea keeps its own role (a combobox cannot be multi-line), so it
    // gets aria-autocomplete and aria-activedescendant, but no aria-expanded,
    // which is not allowed on a textbox; the status line says when the list
    // opens.
    textarea.setAttribute("aria-autocomplete", "list");
    textarea.setAttribute("aria-controls", listbox.id);
    var state = {
      mention: null, // {start, query} of the "@…" being typed
      dismissedAt: -1,
      emptyQuery: null, // a query without results: longer ones have none
    };
    var mentions = new Suggestions(
      textarea,
      listbox,
      status,
      function (item, option) {
        var name = document.createElement("span");
        name.className = "suggest-listbox__name";
        name.textContent = item.display_name;
        option.appendChild(name);
        if (item.organisation) {
          var organisation = document.createElement("span");
          organisation.className = "suggest-listbox__detail";
          organisation.textContent = item.organisation;
          option.appendChild(document.createTextNode(" "));
          option.appendChild(organisation);
        }
      },
      function (item) {
        var mention = state.mention;
        if (!mention) {
          return;
        }
        state.mention = null;
        // A lookup still waiting for its delay must not open the list
        // again, or the next Enter would pick instead of sending.
        suggest.cancel();
        var end = mention.start + 1 + mention.query.length;
        replaceRange(textarea, mention.start, end, item.markdown + " ");
        announce(format(gettext("%(name)s erwähnt."), { name: item.display_name }));
      },
      false
    );
    var suggest = debounce(function (query) {
      if (!state.mention || state.mention.query !== query) {
        return; // the "@…" was picked, dismissed or changed meanwhile
      }
      mentions.fetch(url + "?q=" + encodeURIComponent(query), true).then(function (items) {
        if (items && !items.length) {
          state.emptyQuery = query;
        }
      });
    }, SUGGEST_DELAY);

    var check = function (event) {
      if (event && event.isComposing) {
        return;
      }
      var caret = textarea.selectionStart;
      var found = null;
      if (caret === textarea.selectionEnd) {
        var from = Math.max(0, caret - 80);
        var match = textarea.value.slice(from, caret).match(MENTION_PATTERN);
        var start = match ? from + match.index + match[1].length : -1;
        if (match && (start === 0 || /[\s(]/.test(textarea.value[start - 1]))) {
          found = { start: start, query: match[2] };
        }
      }
      if (!found || found.start === state.dismissedAt) {
        state.mention = null;
        suggest.cancel();
        mentions.close();
        return;
      }
      state.dismissedAt = -1;
      if (state.mention && state.mention.start === found.start && state.mention.query === found.query) {
        return;
      }
      state.mention = found;
      if (state.emptyQuery && found.query.toLowerCase().indexOf(state.emptyQuery.toLowerCase()) === 0) {
        mentions.close();
        return;
      }
      state.emptyQuery = null;
      suggest(found.query);
    };
    textarea.addEventListener("input", check);
    textarea.addEventListener("click", function () { check(); });
    textarea.addEventListener("keydown", function (event) {
      if (event.isComposing) {
        return; // Enter confirms the input method's text, nothing else
      }
      if (event.key === "Escape" && state.mention) {
        // Escape closes the list for this "@"; a new "@" opens it again.
        state.dismissedAt = state.mention.start;
        state.mention = null;
        suggest.cancel();
      }
      if (mentions.handleKey(event)) {
        event.preventDefault();
        event.stopImmediatePropagation();
      }
    }, true);
    return mentions;
  }

  // --- files -------------------------------------------------------------------

  MarkdownEditor.prototype.initFiles = function () {
    var self = this;
    var textarea = this.textarea;
    var input = this.root.querySelector("[data-editor-file]");
    if (input) {
      input.addEventListener("change", function () {
        var files = Array.prototype.slice.call(input.files || []);
        input.value = "";
        self.uploadFiles(files);
        textarea.focus();
      });
    }
    var hasFiles = function (event) {
      return event.dataTransfer && Array.prototype.indexOf.call(event.dataTransfer.types || [], "Files") !== -1;
    };
    textarea.addEventListener("dragover", function (event) {
      if (!hasFiles(event)) {
        return;
      }
      // Without an upload address, a dropped file must not replace the page.
      event.preventDefault();
      event.dataTransfer.dropEffect = self.uploadUrl ? "copy" : "none";
      self.root.classList.toggle("markdown-editor--dragover", Boolean(self.uploadUrl));
    });
    textarea.addEventListener("dragleave", function () {
      self.root.classList.remove("markdown-editor--dragover");
    });
    textarea.addEventListener("drop", function (event) {
      self.root.classList.remove("markdown-editor--dragover");
      if (!hasFiles(event)) {
        return;
      }
      event.preventDefault();
      if (!self.uploadUrl) {
        self.showError(gettext("Hier können keine Dateien angehängt werden."));
        return;
      }
      self.uploadFiles(Array.prototype.slice.call(event.dataTransfer.files));
    });
    textarea.addEventListener("paste", function (event) {
      var data = event.clipboardData;
      if (!self.uploadUrl || !data || !data.files || !data.files.length) {
        return;
      }
      // Text copied from Word or a browser also carries a picture of itself:
      // where there is text, paste the text.
      if (data.getData("text/plain")) {
        return;
      }
      event.preventDefault();
      self.uploadFiles(Array.prototype.slice.call(data.files));
    });
  };

  MarkdownEditor.prototype.uploadFiles = function (files) {
    var self = this;
    this.showError("");
    files.forEach(function (file) { self.uploadFile(file); });
  };

  MarkdownEditor.prototype.uploadFile = function (file) {
    var self = this;
    var textarea = this.textarea;
    var name = file.name || gettext("Datei");
    var placeholder = "[" + format(gettext("Wird hochgeladen: %(name)s …"), { name: name.replace(/[[\]]/g, "") }) + "]";
    var start = textarea.selectionStart;
    var end = textarea.selectionEnd;
    var before = textarea.value.slice(0, start);
    var space = before && !/\s$/.test(before) ? " " : "";
    replaceRange(textarea, start, end, space + placeholder + " ");
    this.pendingUploads += 1;
    this.announce(format(gettext("%(name)s wird hochgeladen …"), { name: name }));

    var replacePlaceholder = function (text) {
      var index = textarea.value.indexOf(placeholder);
      if (index === -1) {
        return; // the writer removed it
      }
      var end = index + placeholder.length;
      if (!text && textarea.value[end] === " ") {
        end += 1; // the space inserted after the placeholder goes with it
      }
      // "preserve" keeps the writer's caret where it is.
      textarea.setRangeText(text, index, end, "preserve");
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    };
    var body = new FormData();
    body.append("file", file, name);
    requestJSON(this.uploadUrl, { method: "POST", body: body }, textarea)
      .then(function (result) {
        if (result.ok && result.data.markdown) {
          replacePlaceholder(result.data.markdown);
          self.addAttachment(result.data.id);
          self.announce(format(gettext("%(name)s wurde angehängt."), { name: name }));
          return;
        }
        replacePlaceholder("");
        self.showError(format(gettext("„%(name)s“ konnte nicht hochgeladen werden: %(detail)s"), {
          name: name,
          detail: errorText(result, gettext("Unbekannter Fehler.")),
        }));
      })
      .catch(function () {
        replacePlaceholder("");
        self.showError(format(gettext("„%(name)s“ konnte nicht hochgeladen werden: %(detail)s"), {
          name: name,
          detail: gettext("Bitte prüfen Sie Ihre Internetverbindung."),
        }));
      })
      .then(function () {
        self.pendingUploads -= 1;
      });
  };

  /* The server links the uploaded files to the post it saves. */
  MarkdownEditor.prototype.addAttachment = function (id) {
    if (!this.form || id === undefined || id === null) {
      return;
    }
    var input = document.createElement("input");
    input.type = "hidden";
    input.name = "attachments";
    input.value = String(id);
    this.form.appendChild(input);
  };

  MarkdownEditor.prototype.initForm = function () {
    var self = this;
    if (!this.form) {
      return;
    }
    this.form.addEventListener("submit", function (event) {
      if (self.pendingUploads > 0) {
        event.preventDefault();
        self.showError(gettext("Bitte warten Sie, bis alle Dateien hochgeladen sind."));
        return;
      }
      self.showWrite();
    });
    // A required, empty textarea hidden behind the preview: show it, so the
    // browser can point at it.
    this.textarea.addEventListener("invalid", function () { self.showWrite(); });
    this.form.addEventListener("reset", function () {
      window.setTimeout(function () {
        self.baseline = self.textarea.value;
        self.previewedText = null;
      }, 0);
    });
  };

  // --- tag input ---------------------------------------------------------------

  function initTagInput(root) {
    var input = root.querySelector("input[type=text], input:not([type])");
    var listbox = root.querySelector("[data-tag-suggestions]");
    var status = root.querySelector("[data-tag-status]");
    var url = root.getAttribute("data-suggest-url");
    if (!input || !listbox || !url) {
      return;
    }
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listbox.id);
    input.setAttribute("autocomplete", "off");

    var parts = function () {
      var all = input.value.split(",");
      return { done: all.slice(0, -1), current: all[all.length - 1].trim() };
    };
    var suggestions = new Suggestions(
      input,
      listbox,
      status,
      function (item, option) { option.textContent = item.name; },
      function (item) {
        var done = parts().done.map(function (tag) { return tag.trim(); }).filter(Boolean);
        done.push(item.name);
        input.value = done.join(", ") + ", ";
        input.setSelectionRange(input.value.length, input.value.length);
        status.textContent = format(gettext("Schlagwort %(name)s übernommen."), { name: item.name });
      },
      true
    );
    var suggest = debounce(function (query) {
      // Tags already entered are not offered again.
      var taken = parts().done.map(function (tag) { return tag.trim().toLowerCase(); });
      suggestions.fetch(url + "?q=" + encodeURIComponent(query), false, function (item) {
        return taken.indexOf(item.name.toLowerCase()) === -1;
      });
    }, SUGGEST_DELAY);

    input.addEventListener("input", function (event) {
      if (event.isComposing) {
        return;
      }
      var current = parts().current;
      if (current) {
        suggest(current);
      } else {
        suggest.cancel();
        suggestions.close();
      }
    });
    input.addEventListener("keydown", function (event) {
      if (event.isComposing) {
        return;
      }
      if (event.key === "ArrowDown" && !suggestions.isOpen()) {
        // Down opens the list, with the most used tags for an empty entry.
        event.preventDefault();
        suggest(parts().current);
        return;
      }
      var choosing = event.key === "Tab";
      if (suggestions.handleKey(event) && !choosing) {
        event.preventDefault();
      }
    });
  }

  // --- quoting and replying on a thread page ------------------------------------

  function replyTextarea() {
    return document.querySelector("#reply-form textarea[name=body]");
  }

  function focusAtEnd(textarea) {
    var editor = editorOf.get(textarea);
    if (editor) {
      editor.showWrite();
    }
    textarea.focus();
    textarea.setSelectionRange(textarea.value.length, textarea.value.length);
  }

  // The selection may be gone by the time "click" fires (Safari): keep it
  // from the moment the button is pressed.
  var pressedSelection = null;

  function selectionWithin(body) {
    var selection = window.getSelection();
    if (!body || !selection || selection.isCollapsed || !selection.rangeCount) {
      return "";
    }
    var range = selection.getRangeAt(0);
    return body.contains(range.commonAncestorContainer) ? selection.toString() : "";
  }

  function quotePost(button) {
    var textarea = replyTextarea();
    if (!textarea) {
      return;
    }
    var id = button.getAttribute("data-quote-post");
    var article = button.closest("article.post") || document.getElementById("beitrag-" + id);
    if (!article) {
      return;
    }
    var body = article.querySelector(".post-body");
    var text = selectionWithin(body);
    if (!text && pressedSelection && pressedSelection.button === button) {
      text = pressedSelection.text;
    }
    if (!text) {
      var source = article.querySelector("template.post-source");
      text = source ? source.content.textContent : body ? body.textContent : "";
    }
    pressedSelection = null;
    text = text.replace(/\r\n?/g, "\n").replace(/^\n+|\s+$/g, "");
    if (!text) {
      return;
    }
    var author = button.getAttribute("data-quote-author") || gettext("Gelöschtes Konto");
    var heading = format(gettext("[%(name)s schrieb](%(url)s):"), {
      name: escapeLinkText(author),
      url: button.getAttribute("data-quote-url") || "#beitrag-" + id,
    });
    var quoted = text.split("\n").map(function (line) {
      return line.trim() ? "> " + line : ">";
    }).join("\n");
    var value = textarea.value;
    var separator = !value || /\n\n$/.test(value) ? "" : /\n$/.test(value) ? "\n" : "\n\n";
    focusAtEnd(textarea);
    replaceRange(textarea, value.length, value.length, separator + heading + "\n" + quoted + "\n\n");
    textarea.scrollTop = textarea.scrollHeight;
  }

  function replyNotice() {
    var notice = document.getElementById("reply-to-notice");
    if (notice && !notice.hasAttribute("role")) {
      notice.setAttribute("role", "status");
    }
    return notice;
  }

  function setReplyTo(button) {
    var form = document.getElementById("reply-form");
    var input = form && form.querySelector("input[name=reply_to]");
    if (!input) {
      return;
    }
    input.value = button.getAttribute("data-reply-to");
    var author = button.getAttribute("data-reply-author");
    var notice = replyNotice();
    if (notice) {
      notice.textContent = "";
      var text = document.createElement("span");
      text.className = "kern-body";
      text.textContent = author
        ? format(gettext("Antwort auf den Beitrag von %(name)s"), { name: author })
        : gettext("Antwort auf einen Beitrag");
      var cancel = document.createElement("button");
      cancel.type = "button";
      cancel.className = "kern-btn kern-btn--tertiary kern-btn--x-small";
      cancel.setAttribute("data-reply-cancel", "");
      var label = document.createElement("span");
      label.className = "kern-label";
      label.textContent = gettext("Abbrechen");
      cancel.appendChild(label);
      notice.appendChild(text);
      notice.appendChild(document.createTextNode(" "));
      notice.appendChild(cancel);
      notice.hidden = false;
    }
    var textarea = replyTextarea();
    if (textarea) {
      focusAtEnd(textarea);
    }
  }

  function cancelReplyTo() {
    var form = document.getElementById("reply-form");
    var input = form && form.querySelector("input[name=reply_to]");
    if (input) {
      input.value = "";
    }
    var notice = replyNotice();
    if (notice) {
      notice.hidden = true;
      notice.textContent = "";
    }
    var textarea = replyTextarea();
    if (textarea) {
      focusAtEnd(textarea);
    }
  }

  // Delegated on the document: posts that arrive live work as well.
  document.addEventListener("pointerdown", function (event) {
    var button = event.target.closest && event.target.closest("[data-quote-post]");
    if (!button) {
      return;
    }
    var article = button.closest("article.post");
    var text = article ? selectionWithin(article.querySelector(".post-body")) : "";
    pressedSelection = text ? { button: button, text: text } : null;
  });

  document.addEventListener("click", function (event) {
    if (!event.target.closest) {
      return;
    }
    var quote = event.target.closest("[data-quote-post]");
    if (quote) {
      event.preventDefault();
      quotePost(quote);
      return;
    }
    var reply = event.target.closest("[data-reply-to]");
    if (reply) {
      event.preventDefault();
      setReplyTo(reply);
      return;
    }
    if (event.target.closest("#reply-to-notice [data-reply-cancel]")) {
      event.preventDefault();
      cancelReplyTo();
    }
  });

  document.addEventListener("reset", function (event) {
    if (event.target.id === "reply-form") {
      var notice = replyNotice();
      if (notice) {
        notice.hidden = true;
        notice.textContent = "";
      }
    }
  });

  // --- leaving the page ------------------------------------------------------------

  // Sending the form is not leaving: its text counts as saved.
  document.addEventListener("submit", function (event) {
    if (event.defaultPrevented) {
      return;
    }
    editors.forEach(function (editor) {
      if (editor.form === event.target) {
        editor.baseline = editor.textarea.value;
      }
    });
  });

  window.addEventListener("beforeunload", function (event) {
    var dirty = editors.some(function (editor) {
      return document.contains(editor.textarea) && editor.isDirty();
    });
    if (dirty) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  // --- start ---------------------------------------------------------------------

  function init(scope) {
    (scope || document).querySelectorAll("[data-markdown-editor]").forEach(function (root) {
      if (root.hasAttribute("data-editor-ready") || !root.querySelector("textarea")) {
        return;
      }
      root.setAttribute("data-editor-ready", "");
      var editor = new MarkdownEditor(root);
      editors.push(editor);
      editorOf.set(editor.textarea, editor);
    });
    (scope || document).querySelectorAll("[data-tag-input]").forEach(function (root) {
      if (root.hasAttribute("data-editor-ready")) {
        return;
      }
      root.setAttribute("data-editor-ready", "");
      initTagInput(root);
    });
    replyNotice();
  }

  window.KommunectEditor = { init: init, attachMentions: attachMentions };

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { init(); });
  } else {
    init();
  }
  // Content that htmx swaps in (a reply form after sending, an edit form).
  document.addEventListener("htmx:load", function (event) {
    if (event.target && event.target.querySelectorAll) {
      init(event.target);
    }
  });
})();
