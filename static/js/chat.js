/*
 * Kommunect – the chat page, live over the websocket (live-socket.js).
 *
 * Without this script the page works with forms (send, edit, delete, report,
 * older messages). With it:
 *   - the page subscribes to every room of the list with the newest id it
 *     shows (``after``), so it misses nothing after a reconnect; messages of
 *     the open room appear in id order, those of other rooms count as unread;
 *   - a message written here gets a ``client_id`` and shows "wird gesendet"
 *     until its ``ack``. Unacknowledged messages are kept (also across a
 *     reload, in sessionStorage) and sent again with the same ``client_id``
 *     after a reconnect, so the server stores each once. A refused message
 *     shows the German reason and "Erneut senden";
 *   - typing, presence, read markers (the open room is read while the tab is
 *     visible), edits and deletions, older messages as the reader scrolls up.
 * A page of older messages (a search hit opens the room around its message,
 * ``data-live="false"``) stays as it is: new messages count as unread, and
 * the form posts as without the script, which opens the room at its newest.
 */
(function () {
  "use strict";

  var live = window.KommunectLive;
  if (!live) {
    return;
  }
  var gettext = live.i18n.gettext;
  var ngettext = live.i18n.ngettext;
  var interpolate = live.i18n.interpolate;

  var TYPING_SEND_MS = 3000;
  var TYPING_SHOW_MS = 5000;
  var PENDING_KEY = "kommunect-chat-pending";
  // Errors after which sending the same message again cannot help.
  var FINAL_ERRORS = ["required", "max_length", "invalid_body", "client_id_reused"];

  function uuid4() {
    if (window.crypto && window.crypto.randomUUID) {
      return window.crypto.randomUUID();
    }
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) {
      return (b + 0x100).toString(16).slice(1);
    }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" +
      hex.slice(16, 20) + "-" + hex.slice(20);
  }

  function formatTime(iso) {
    var date = new Date(iso);
    if (isNaN(date.getTime())) {
      return "";
    }
    return date.toLocaleString(document.documentElement.lang || "de", {
      day: "2-digit", month: "2-digit", year: "numeric", hour: "2-digit", minute: "2-digit",
    });
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  }

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function Chat(section) {
    this.section = section;
    this.roomId = parseInt(section.getAttribute("data-room-id"), 10);
    this.userId = parseInt(section.getAttribute("data-user-id"), 10);
    this.apiUrl = section.getAttribute("data-api-url");
    this.canPost = section.getAttribute("data-can-post") === "true";
    this.live = section.getAttribute("data-live") !== "false";
    this.list = section.querySelector("[data-chat-messages]");
    this.stateLine = section.querySelector("[data-chat-state]");
    this.typingLine = section.querySelector("[data-chat-typing]");
    this.presenceLine = section.querySelector("[data-chat-presence]");
    this.composer = section.querySelector("[data-chat-composer]");
    this.input = this.composer ? this.composer.querySelector("textarea") : null;
    this.socket = live.socket(section.getAttribute("data-ws-url") || "/ws/");
    this.lastIds = {}; // room → newest message id this page has
    this.subscribed = {};
    this.catchingUp = {}; // room → true while missed messages come from the store
    this.typing = {}; // user id → {name, timer}
    this.lastTypingSent = 0;
    this.readUpTo = 0;
    this.loadingOlder = false;
    this.pending = this.loadPending(); // client_id → {room, body, state, detail}

    var self = this;
    document.querySelectorAll(".chat-rooms__item[data-room-id]").forEach(function (item) {
      var id = parseInt(item.getAttribute("data-room-id"), 10);
      self.lastIds[id] = parseInt(item.getAttribute("data-last-id"), 10) || 0;
    });
    self.lastIds[self.roomId] = Math.max(
      self.lastIds[self.roomId] || 0,
      parseInt(section.getAttribute("data-last-id"), 10) || 0,
      self.highestShown()
    );
    self.readUpTo = self.lastIds[self.roomId];
  }

  Chat.prototype.highestShown = function () {
    var highest = 0;
    this.list.querySelectorAll("[data-message-id]").forEach(function (item) {
      highest = Math.max(highest, parseInt(item.getAttribute("data-message-id"), 10) || 0);
    });
    return highest;
  };

  // --- unacknowledged messages, kept across reloads ------------------------------

  Chat.prototype.loadPending = function () {
    try {
      var stored = JSON.parse(window.sessionStorage.getItem(PENDING_KEY) || "{}");
      return stored && typeof stored === "object" ? stored : {};
    } catch (error) {
      return {};
    }
  };

  Chat.prototype.savePending = function () {
    try {
      window.sessionStorage.setItem(PENDING_KEY, JSON.stringify(this.pending));
    } catch (error) {
      // Private mode or full: the messages stay in memory for this page.
    }
  };

  // --- the connection ----------------------------------------------------------

  Chat.prototype.start = function () {
    var self = this;
    self.socket.listen({
      open: function () {
        self.subscribed = {};
        self.catchingUp = {};
        Object.keys(self.lastIds).forEach(function (room) {
          self.socket.send({ type: "subscribe", room: parseInt(room, 10), after: self.lastIds[room] });
        });
      },
      frame: function (frame) { self.receive(frame); },
      state: function (state) { self.showState(state); },
    });
    if (self.composer && self.input) {
      self.composer.addEventListener("submit", function (event) {
        if (self.live) {
          event.preventDefault();
          self.submit();
        }
      });
      self.input.addEventListener("keydown", function (event) {
        if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
          event.preventDefault();
          if (self.live) {
            self.submit();
          } else if (self.input.value.trim()) {
            self.composer.requestSubmit();
          }
        }
      });
      self.input.addEventListener("input", function () { self.sendTyping(); });
      var mentionUrl = self.composer.getAttribute("data-mention-url");
      var listbox = self.composer.querySelector("[data-chat-mentions]");
      var status = self.composer.querySelector("[data-chat-status]");
      if (mentionUrl && listbox && window.KommunectEditor && window.KommunectEditor.attachMentions) {
        // In the capture phase: while the list is open, Enter picks a person
        // instead of sending.
        window.KommunectEditor.attachMentions(self.input, listbox, status, mentionUrl, function (text) {
          status.textContent = text;
        });
      }
    }
    self.list.addEventListener("click", function (event) { self.onListClick(event); });
    var older = self.section.querySelector("[data-chat-older]");
    if (older) {
      older.addEventListener("click", function (event) {
        event.preventDefault();
        self.loadOlder();
      });
    }
    self.list.addEventListener("scroll", function () {
      if (self.list.scrollTop < 40) {
        self.loadOlder();
      }
      self.markReadIfSeen();
    });
    document.addEventListener("visibilitychange", function () { self.markReadIfSeen(); });
    // Messages that were not acknowledged before the last reload.
    Object.keys(self.pending).forEach(function (clientId) {
      var item = self.pending[clientId];
      if (item.room === self.roomId && self.live) {
        self.showPending(clientId, item);
      }
    });
    var target = self.section.getAttribute("data-target");
    var targetItem = target && self.list.querySelector('[data-message-id="' + target + '"]');
    if (targetItem) {
      targetItem.scrollIntoView({ block: "center" });
    } else {
      self.scrollToEnd();
    }
  };

  Chat.prototype.showState = function (state) {
    this.section.setAttribute("data-chat-connection", state);
    if (state === "open") {
      this.stateLine.textContent = "";
    } else if (state === "stopped") {
      this.stateLine.textContent = gettext("Keine Live-Verbindung. Bitte laden Sie die Seite neu.");
    } else if (state === "offline") {
      this.stateLine.textContent = gettext(
        "Verbindung unterbrochen. Ihre Nachrichten werden gesendet, sobald die Verbindung wieder besteht."
      );
    }
  };

  Chat.prototype.receive = function (frame) {
    switch (frame.type) {
      case "subscribed":
        this.subscribed[frame.room] = true;
        delete this.catchingUp[frame.room];
        if (frame.room === this.roomId) {
          this.section.setAttribute("data-chat-connection", "subscribed");
          this.resendPending();
          this.markReadIfSeen();
        }
        break;
      case "message":
        this.onMessage(frame);
        break;
      case "ack":
        this.onAck(frame);
        break;
      case "edited":
        this.onEdited(frame);
        break;
      case "deleted":
        this.onDeleted(frame);
        break;
      case "typing":
        this.onTyping(frame);
        break;
      case "presence":
        this.onPresence(frame);
        break;
      case "unread":
        this.setUnread(frame.room, frame.count, frame.mentions);
        break;
      case "error":
        this.onError(frame);
        break;
    }
  };

  // --- sending --------------------------------------------------------------------

  Chat.prototype.submit = function () {
    var body = this.input.value;
    if (!body.trim()) {
      return;
    }
    var clientId = uuid4();
    var item = { room: this.roomId, body: body, state: "sending", detail: "" };
    this.pending[clientId] = item;
    this.savePending();
    this.input.value = "";
    this.showPending(clientId, item);
    this.sendPending(clientId);
    this.scrollToEnd();
  };

  Chat.prototype.sendPending = function (clientId) {
    var item = this.pending[clientId];
    if (!item) {
      return;
    }
    item.state = "sending";
    this.updatePending(clientId);
    this.socket.send({ type: "send", room: item.room, body: item.body, client_id: clientId });
  };

  Chat.prototype.resendPending = function () {
    var self = this;
    Object.keys(self.pending).forEach(function (clientId) {
      var item = self.pending[clientId];
      if (item.state === "sending" && self.subscribed[item.room]) {
        self.sendPending(clientId);
      }
    });
  };

  Chat.prototype.pendingElement = function (clientId) {
    return this.list.querySelector('[data-pending="' + clientId + '"]');
  };

  Chat.prototype.showPending = function (clientId, item) {
    var empty = this.list.querySelector("[data-chat-empty]");
    if (empty) {
      empty.remove();
    }
    var li = el("li", "chat-message chat-message--own chat-message--pending");
    li.setAttribute("data-pending", clientId);
    var meta = el("p", "chat-message__meta");
    meta.appendChild(el("span", "chat-message__author", gettext("Sie")));
    li.appendChild(meta);
    var body = el("div", "chat-message__body prose");
    body.appendChild(el("p", "kern-body chat-message__text", item.body));
    li.appendChild(body);
    li.appendChild(el("p", "chat-message__status kern-body kern-body--small"));
    this.list.appendChild(li);
    this.updatePending(clientId);
  };

  Chat.prototype.updatePending = function (clientId) {
    var item = this.pending[clientId];
    var li = this.pendingElement(clientId);
    if (!item || !li) {
      return;
    }
    var status = li.querySelector(".chat-message__status");
    status.textContent = "";
    li.classList.toggle("chat-message--failed", item.state === "failed");
    if (item.state === "failed") {
      status.appendChild(el("span", "chat-message__error", interpolate(
        gettext("Nicht gesendet: %(detail)s"), { detail: item.detail }, true
      )));
      status.appendChild(document.createTextNode(" "));
      var retry = el("button", "kern-btn kern-btn--secondary kern-btn--x-small");
      retry.type = "button";
      retry.setAttribute("data-chat-retry", clientId);
      retry.appendChild(el("span", "kern-label", gettext("Erneut senden")));
      status.appendChild(retry);
      var discard = el("button", "kern-btn kern-btn--tertiary kern-btn--x-small");
      discard.type = "button";
      discard.setAttribute("data-chat-discard", clientId);
      discard.appendChild(el("span", "kern-label", gettext("Verwerfen")));
      status.appendChild(discard);
    } else {
      status.textContent = gettext("wird gesendet …");
    }
  };

  Chat.prototype.onAck = function (frame) {
    var item = this.pending[frame.client_id];
    if (!item) {
      return;
    }
    delete this.pending[frame.client_id];
    this.savePending();
    var li = this.pendingElement(frame.client_id);
    if (li && !this.list.querySelector('[data-message-id="' + frame.id + '"]')) {
      // The message frame comes too; until then it is sent, not sending.
      li.setAttribute("data-message-id", frame.id);
      li.classList.remove("chat-message--pending");
      li.querySelector(".chat-message__status").textContent = gettext("gesendet");
    } else if (li) {
      li.remove();
    }
  };

  Chat.prototype.onError = function (frame) {
    if (frame.client_id && this.pending[frame.client_id]) {
      var item = this.pending[frame.client_id];
      item.state = "failed";
      item.detail = frame.detail;
      this.savePending();
      this.updatePending(frame.client_id);
      return;
    }
    if (frame.code === "not_found" || frame.code === "forbidden") {
      return; // a room of the list that is gone: nothing to follow
    }
    this.stateLine.textContent = frame.detail || "";
  };

  // --- messages -------------------------------------------------------------------

  Chat.prototype.renderMessage = function (frame) {
    var li = el("li", "chat-message");
    li.id = "nachricht-" + frame.id;
    li.setAttribute("data-message-id", frame.id);
    li.setAttribute("data-client-id", frame.client_id || "");
    li.setAttribute("data-author-id", frame.author ? frame.author.id : "");
    if (frame.author && frame.author.id === this.userId) {
      li.classList.add("chat-message--own");
    }
    var meta = el("p", "chat-message__meta");
    meta.appendChild(el("span", "chat-message__author",
      frame.author ? frame.author.display_name : gettext("Gelöschtes Konto")));
    if (frame.author && frame.author.organisation) {
      meta.appendChild(document.createTextNode(" "));
      meta.appendChild(el("span", "chat-message__org", "(" + frame.author.organisation.name + ")"));
    }
    meta.appendChild(document.createTextNode(" "));
    var time = el("time", "chat-message__time", formatTime(frame.created));
    time.setAttribute("datetime", frame.created);
    meta.appendChild(time);
    li.appendChild(meta);
    var body = el("div", "chat-message__body prose");
    li.appendChild(body);
    li.appendChild(el("div", "chat-message__actions"));
    this.fillMessage(li, frame);
    return li;
  };

  // Body, "bearbeitet" and the actions of a rendered message.
  Chat.prototype.fillMessage = function (li, frame) {
    var body = li.querySelector(".chat-message__body");
    var meta = li.querySelector(".chat-message__meta");
    var actions = li.querySelector(".chat-message__actions");
    var edited = meta.querySelector(".chat-message__edited");
    if (frame.deleted) {
      li.classList.add("chat-message--deleted");
      body.textContent = "";
      body.appendChild(el("p", "kern-body chat-message__gone", gettext("Nachricht gelöscht")));
      if (actions) {
        actions.remove();
      }
      if (edited) {
        edited.remove();
      }
      return;
    }
    // body_html was rendered and sanitised by the server (kommunect.markdown).
    body.innerHTML = frame.body_html;
    li.setAttribute("data-body", frame.body || "");
    if (frame.edited && !edited) {
      meta.appendChild(document.createTextNode(" "));
      meta.appendChild(el("span", "chat-message__edited", gettext("bearbeitet")));
    }
    if (actions && !actions.childNodes.length) {
      var own = frame.author && frame.author.id === this.userId;
      if (own && this.canPost) {
        actions.appendChild(this.actionButton("data-chat-edit-inline", gettext("Bearbeiten")));
      }
      if (own || this.section.getAttribute("data-moderator") === "true") {
        actions.appendChild(this.actionButton("data-chat-delete-inline", gettext("Löschen")));
      }
      if (!own) {
        actions.appendChild(this.actionButton("data-chat-flag-inline", gettext("Melden")));
      }
    }
  };

  Chat.prototype.actionButton = function (attribute, label) {
    var button = el("button", "kern-btn kern-btn--tertiary kern-btn--x-small");
    button.type = "button";
    button.setAttribute(attribute, "");
    button.appendChild(el("span", "kern-label", label));
    return button;
  };

  Chat.prototype.insertInOrder = function (li, id) {
    var items = this.list.querySelectorAll("[data-message-id]");
    for (var i = items.length - 1; i >= 0; i--) {
      if ((parseInt(items[i].getAttribute("data-message-id"), 10) || 0) < id) {
        items[i].after(li);
        return;
      }
    }
    var first = this.list.querySelector("[data-message-id]");
    if (first) {
      first.before(li);
    } else {
      this.list.insertBefore(li, this.list.querySelector("[data-pending]"));
    }
  };

  Chat.prototype.onMessage = function (frame) {
    // A live message names the one before it in the room (``prev_id``). If
    // that one never came here (the server dropped frames for a socket that
    // fell behind), the page subscribes again after the last message it has
    // and gets what is missing from the store, in order; live messages that
    // come meanwhile are part of that.
    var known = this.lastIds[frame.room] || 0;
    if (typeof frame.prev_id === "number" && this.subscribed[frame.room]) {
      if (this.catchingUp[frame.room]) {
        return;
      }
      if (frame.prev_id > known) {
        this.catchingUp[frame.room] = true;
        this.socket.send({ type: "subscribe", room: frame.room, after: known });
        return;
      }
    }
    this.lastIds[frame.room] = Math.max(known, frame.id);
    if (frame.room !== this.roomId || !this.live) {
      if (!frame.author || frame.author.id !== this.userId) {
        this.bumpUnread(frame.room, frame.mentions && frame.mentions.indexOf(this.userId) !== -1);
      }
      return;
    }
    var existing = this.list.querySelector('[data-message-id="' + frame.id + '"]');
    if (existing && !existing.hasAttribute("data-pending")) {
      return; // already shown
    }
    var atEnd = this.nearEnd();
    var li = this.renderMessage(frame);
    var pending = this.pendingElement(frame.client_id) || existing;
    var empty = this.list.querySelector("[data-chat-empty]");
    if (empty) {
      empty.remove();
    }
    if (pending && frame.author && frame.author.id === this.userId) {
      pending.replaceWith(li);
      if (this.pending[frame.client_id]) {
        delete this.pending[frame.client_id];
        this.savePending();
      }
    } else {
      this.insertInOrder(li, frame.id);
    }
    if (atEnd) {
      this.scrollToEnd();
    }
    this.clearTyping(frame.author && frame.author.id);
    this.markReadIfSeen();
  };

  Chat.prototype.onEdited = function (frame) {
    var li = this.list.querySelector('[data-message-id="' + frame.id + '"]');
    if (li) {
      this.fillMessage(li, frame);
    }
  };

  Chat.prototype.onDeleted = function (frame) {
    var li = this.list.querySelector('[data-message-id="' + frame.id + '"]');
    if (li) {
      this.fillMessage(li, { deleted: true });
    }
  };

  Chat.prototype.onListClick = function (event) {
    var self = this;
    var target = event.target.closest("button, a");
    if (!target) {
      return;
    }
    var li = target.closest("[data-message-id], [data-pending]");
    if (target.hasAttribute("data-chat-retry")) {
      self.sendPending(target.getAttribute("data-chat-retry"));
      return;
    }
    if (target.hasAttribute("data-chat-discard")) {
      var clientId = target.getAttribute("data-chat-discard");
      delete self.pending[clientId];
      self.savePending();
      if (li) {
        li.remove();
      }
      return;
    }
    if (!li || !li.hasAttribute("data-message-id")) {
      return;
    }
    var id = parseInt(li.getAttribute("data-message-id"), 10);
    if (target.hasAttribute("data-chat-edit") || target.hasAttribute("data-chat-edit-inline")) {
      if (!self.socket.isOpen()) {
        return; // the link's page edits without the socket
      }
      event.preventDefault();
      self.editInline(li, id);
    } else if (target.hasAttribute("data-chat-delete-inline")) {
      if (window.confirm(gettext("Diese Nachricht löschen?"))) {
        self.socket.send({ type: "delete", id: id });
      }
    } else if (target.hasAttribute("data-chat-flag-inline")) {
      var reason = window.prompt(gettext("Warum melden Sie diese Nachricht? (optional)"), "");
      if (reason !== null) {
        self.flag(id, reason);
      }
    }
  };

  Chat.prototype.editInline = function (li, id) {
    var self = this;
    if (li.querySelector("form.chat-edit")) {
      return;
    }
    var body = li.querySelector(".chat-message__body");
    var form = el("form", "chat-edit");
    var label = el("label", "kern-label visually-hidden", gettext("Nachricht bearbeiten"));
    var area = el("textarea", "kern-form-input__input");
    area.id = "chat-edit-" + id;
    label.setAttribute("for", area.id);
    area.maxLength = 4000;
    area.value = li.getAttribute("data-body") || body.textContent.trim();
    var save = el("button", "kern-btn kern-btn--primary kern-btn--x-small");
    save.type = "submit";
    save.appendChild(el("span", "kern-label", gettext("Speichern")));
    var cancel = el("button", "kern-btn kern-btn--tertiary kern-btn--x-small");
    cancel.type = "button";
    cancel.appendChild(el("span", "kern-label", gettext("Abbrechen")));
    form.appendChild(label);
    form.appendChild(area);
    form.appendChild(save);
    form.appendChild(cancel);
    body.hidden = true;
    body.after(form);
    area.focus();
    cancel.addEventListener("click", function () {
      form.remove();
      body.hidden = false;
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (self.socket.send({ type: "edit", id: id, body: area.value })) {
        form.remove();
        body.hidden = false;
      }
    });
  };

  Chat.prototype.flag = function (id, reason) {
    var self = this;
    window.fetch("/api/v1/chat/messages/" + id + "/flag", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify({ reason: reason }),
    }).then(function (response) {
      return response.json().then(function (data) {
        self.stateLine.textContent = response.ok
          ? gettext("Danke. Die Moderation sieht sich die Nachricht an.")
          : data.detail || "";
      });
    }).catch(function () {
      self.stateLine.textContent = gettext("Die Meldung konnte nicht gesendet werden.");
    });
  };

  // --- older messages -----------------------------------------------------------

  Chat.prototype.loadOlder = function () {
    var self = this;
    var link = self.section.querySelector("[data-chat-older]");
    if (!link || self.loadingOlder) {
      return;
    }
    self.loadingOlder = true;
    var first = self.list.querySelector("[data-message-id]");
    var before = first ? first.getAttribute("data-message-id") : link.getAttribute("data-chat-older");
    var height = self.list.scrollHeight;
    window.fetch(self.apiUrl + "?before=" + encodeURIComponent(before) + "&limit=50", {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    }).then(function (response) {
      if (!response.ok) {
        throw new Error(String(response.status));
      }
      return response.json();
    }).then(function (page) {
      var anchor = self.list.firstChild;
      page.items.forEach(function (frame) {
        if (!self.list.querySelector('[data-message-id="' + frame.id + '"]')) {
          self.list.insertBefore(self.renderMessage(frame), anchor);
        }
      });
      // Keep the reader where they were.
      self.list.scrollTop += self.list.scrollHeight - height;
      if (!page.has_more) {
        link.closest("p").remove();
      }
    }).catch(function () {
      self.stateLine.textContent = gettext("Ältere Nachrichten konnten nicht geladen werden.");
    }).then(function () {
      self.loadingOlder = false;
    });
  };

  // --- typing, presence, unread -------------------------------------------------

  Chat.prototype.sendTyping = function () {
    var now = Date.now();
    if (now - this.lastTypingSent > TYPING_SEND_MS && this.subscribed[this.roomId]) {
      this.lastTypingSent = now;
      this.socket.send({ type: "typing", room: this.roomId });
    }
  };

  Chat.prototype.onTyping = function (frame) {
    var self = this;
    if (frame.room !== self.roomId || !frame.user || frame.user.id === self.userId) {
      return;
    }
    var entry = self.typing[frame.user.id];
    if (entry) {
      window.clearTimeout(entry.timer);
    }
    self.typing[frame.user.id] = {
      name: frame.user.display_name,
      timer: window.setTimeout(function () { self.clearTyping(frame.user.id); }, TYPING_SHOW_MS),
    };
    self.showTyping();
  };

  Chat.prototype.clearTyping = function (userId) {
    if (userId && this.typing[userId]) {
      window.clearTimeout(this.typing[userId].timer);
      delete this.typing[userId];
      this.showTyping();
    }
  };

  Chat.prototype.showTyping = function () {
    var self = this;
    var names = Object.keys(self.typing).map(function (id) { return self.typing[id].name; });
    if (!names.length) {
      self.typingLine.textContent = "";
    } else if (names.length === 1) {
      self.typingLine.textContent = interpolate(gettext("%(name)s schreibt …"), { name: names[0] }, true);
    } else {
      self.typingLine.textContent = interpolate(
        gettext("%(names)s schreiben …"), { names: names.join(", ") }, true
      );
    }
  };

  Chat.prototype.onPresence = function (frame) {
    if (frame.room !== this.roomId || !this.presenceLine) {
      return;
    }
    var names = (frame.people || []).map(function (person) { return person.display_name; });
    // A big room lists the first names only; ``count`` is everyone online.
    var count = Math.max(frame.count || 0, names.length);
    var text = interpolate(
      ngettext("Online: %(names)s", "Online (%(count)s): %(names)s", count),
      { names: names.join(", "), count: count.toLocaleString("de-DE") },
      true
    );
    if (count > names.length) {
      text += " " + interpolate(
        ngettext("und %(count)s weitere Person", "und %(count)s weitere Personen", count - names.length),
        { count: (count - names.length).toLocaleString("de-DE") },
        true
      );
    }
    this.presenceLine.textContent = text;
  };

  Chat.prototype.roomItem = function (room) {
    return document.querySelector('.chat-rooms__item[data-room-id="' + room + '"]');
  };

  Chat.prototype.setUnread = function (room, count, mentions) {
    var item = this.roomItem(room);
    if (!item) {
      return;
    }
    var unread = item.querySelector(".chat-unread");
    var mention = item.querySelector(".chat-mention");
    unread.setAttribute("data-unread", count);
    unread.textContent = interpolate(ngettext("%(count)s ungelesen", "%(count)s ungelesen", count), { count: count }, true);
    unread.hidden = !count;
    mentions = mentions || 0;
    mention.setAttribute("data-mentions", mentions);
    mention.textContent = interpolate(
      ngettext("%(count)s Erwähnung", "%(count)s Erwähnungen", mentions), { count: mentions }, true
    );
    mention.hidden = !mentions;
    document.dispatchEvent(new CustomEvent("kommunect:chat-unread")); // the header badge
  };

  Chat.prototype.bumpUnread = function (room, mentioned) {
    var item = this.roomItem(room);
    if (!item) {
      return;
    }
    var count = (parseInt(item.querySelector(".chat-unread").getAttribute("data-unread"), 10) || 0) + 1;
    var mentions = parseInt(item.querySelector(".chat-mention").getAttribute("data-mentions"), 10) || 0;
    this.setUnread(room, count, mentions + (mentioned ? 1 : 0));
  };

  Chat.prototype.nearEnd = function () {
    return this.list.scrollHeight - this.list.scrollTop - this.list.clientHeight < 80;
  };

  Chat.prototype.scrollToEnd = function () {
    this.list.scrollTop = this.list.scrollHeight;
  };

  Chat.prototype.markReadIfSeen = function () {
    var last = this.lastIds[this.roomId] || 0;
    if (!this.live || document.visibilityState !== "visible" || last <= this.readUpTo || !this.nearEnd()) {
      return;
    }
    if (this.socket.send({ type: "read", room: this.roomId, last_id: last })) {
      this.readUpTo = last;
    }
  };

  function init() {
    var section = document.querySelector(".chat-room[data-room-id]");
    if (!section) {
      return;
    }
    var chat = new Chat(section);
    chat.start();
    window.kommunectChat = chat; // for the browser tests
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
