/*
 * Kommunect – "Diese Seite wird gerade auch von … bearbeitet."
 *
 * On the edit page of a wiki page, this script tells the server over the
 * websocket /ws/ that the page is open in the editor (``edit_wiki``), says
 * so again every 20 seconds (``editing``; the server forgets a silent editor
 * after about a minute) and, on leaving the page, ``stop_editing``. The
 * server sends ``wiki_editors`` with everyone editing the page; the notice
 * in #wiki-presence names the others (the reader is left out) and is hidden
 * when nobody else edits. A lost connection is opened again after growing
 * pauses. The page works without this script: saving never loses an edit,
 * concurrent saves are merged.
 */
(function () {
  "use strict";

  var HEARTBEAT_MS = 20000;
  var RETRY_FIRST_MS = 1000;
  var RETRY_MAX_MS = 30000;
  // A socket refused at the handshake (signed out: the server closes with
  // 4401 before accepting, which browsers report as 1006) is tried this many
  // times before the page gives up, unless it has been open before.
  var MAX_REFUSED = 4;
  var CLOSE_NORMAL = 1000;
  var CLOSE_NOT_AUTHENTICATED = 4401;
  // Answers after which asking again does not help.
  var FINAL_ERRORS = ["not_found", "forbidden", "invalid_page"];

  // Django's JavaScript catalogue (/jsi18n/) translates where a page loads it;
  // the message ids are the German texts.
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

  function socketUrl(path) {
    if (/^wss?:\/\//.test(path)) {
      return path;
    }
    var scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
    return scheme + "//" + window.location.host + path;
  }

  // The notice for the other editors' names (at least one).
  function noticeText(names) {
    if (names.length === 1) {
      return interpolate(
        gettext("Diese Seite wird gerade auch von %(name)s bearbeitet."),
        { name: names[0] },
        true
      );
    }
    if (names.length === 2) {
      return interpolate(
        gettext("Diese Seite wird gerade auch von %(first)s und %(second)s bearbeitet."),
        { first: names[0], second: names[1] },
        true
      );
    }
    if (names.length === 3) {
      return interpolate(
        gettext(
          "Diese Seite wird gerade auch von %(first)s, %(second)s und %(third)s bearbeitet."
        ),
        { first: names[0], second: names[1], third: names[2] },
        true
      );
    }
    var others = names.length - 2;
    return interpolate(
      ngettext(
        "Diese Seite wird gerade auch von %(first)s, %(second)s und %(count)s weiteren Person bearbeitet.",
        "Diese Seite wird gerade auch von %(first)s, %(second)s und %(count)s weiteren Personen bearbeitet.",
        others
      ),
      { first: names[0], second: names[1], count: others },
      true
    );
  }

  function WikiPresence(element) {
    this.element = element;
    this.pageId = parseInt(element.getAttribute("data-page-id"), 10);
    this.userId = String(element.getAttribute("data-user-id") || "");
    this.socketUrl = socketUrl(element.getAttribute("data-ws-url") || "/ws/");
    this.socket = null;
    this.editing = false;
    this.heartbeat = null;
    this.retryMs = RETRY_FIRST_MS;
    this.retryTimer = null;
    this.everOpened = false;
    this.refused = 0;
    this.stopped = false;
    this.text = "";
  }

  // --- the connection ------------------------------------------------------

  WikiPresence.prototype.send = function (type) {
    var socket = this.socket;
    if (socket && socket.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify({ type: type, page: this.pageId }));
      return true;
    }
    return false;
  };

  WikiPresence.prototype.connect = function () {
    var self = this;
    if (self.stopped || self.socket) {
      return;
    }
    var socket;
    try {
      socket = new WebSocket(self.socketUrl);
    } catch (error) {
      self.scheduleReconnect();
      return;
    }
    var opened = false;
    self.socket = socket;
    socket.addEventListener("open", function () {
      opened = self.everOpened = true;
      self.refused = 0;
      self.editing = false;
      self.send("edit_wiki");
      self.startHeartbeat();
    });
    socket.addEventListener("message", function (event) {
      if (self.socket !== socket) {
        return;
      }
      var frame;
      try {
        frame = JSON.parse(event.data);
      } catch (error) {
        return;
      }
      self.receive(frame);
    });
    socket.addEventListener("close", function (event) {
      if (self.socket !== socket) {
        return; // an old socket, already replaced
      }
      self.socket = null;
      self.editing = false;
      self.stopHeartbeat();
      // Whoever edits now is not known until the socket is back.
      self.show([]);
      if (!opened) {
        self.refused += 1;
      }
      if (
        event.code === CLOSE_NOT_AUTHENTICATED ||
        (!self.everOpened && self.refused >= MAX_REFUSED)
      ) {
        self.stopped = true; // signed out: saving shows the sign-in
        return;
      }
      // 4403 (access changed) too: the next edit_wiki asks again.
      self.scheduleReconnect();
    });
  };

  WikiPresence.prototype.startHeartbeat = function () {
    var self = this;
    self.stopHeartbeat();
    self.heartbeat = window.setInterval(function () {
      self.beat();
    }, HEARTBEAT_MS);
  };

  WikiPresence.prototype.beat = function () {
    this.send(this.editing ? "editing" : "edit_wiki");
  };

  WikiPresence.prototype.stopHeartbeat = function () {
    if (this.heartbeat) {
      window.clearInterval(this.heartbeat);
      this.heartbeat = null;
    }
  };

  WikiPresence.prototype.scheduleReconnect = function () {
    var self = this;
    if (self.stopped || self.retryTimer) {
      return;
    }
    // Jitter, so that a restarted server is not met by every tab at once.
    var delay = self.retryMs / 2 + (Math.random() * self.retryMs) / 2;
    self.retryMs = Math.min(self.retryMs * 2, RETRY_MAX_MS);
    self.retryTimer = window.setTimeout(function () {
      self.retryTimer = null;
      self.connect();
    }, delay);
  };

  WikiPresence.prototype.reconnectNow = function () {
    if (this.retryTimer) {
      window.clearTimeout(this.retryTimer);
      this.retryTimer = null;
    }
    this.retryMs = RETRY_FIRST_MS;
    this.connect();
  };

  // Leaving: the others see at once that this editor is gone.
  WikiPresence.prototype.stop = function () {
    var socket = this.socket;
    if (this.editing) {
      this.send("stop_editing");
    }
    this.stopped = true;
    this.socket = null;
    this.editing = false;
    this.stopHeartbeat();
    if (this.retryTimer) {
      window.clearTimeout(this.retryTimer);
      this.retryTimer = null;
    }
    if (socket) {
      socket.close(CLOSE_NORMAL);
    }
    this.show([]);
  };

  WikiPresence.prototype.receive = function (frame) {
    if (!frame || typeof frame !== "object") {
      return;
    }
    if (frame.type === "error") {
      if (FINAL_ERRORS.indexOf(frame.code) !== -1) {
        this.stop(); // the page is gone or not for this user: stop asking
      } else if (frame.code === "not_editing") {
        this.editing = false;
        this.send("edit_wiki");
      } else if (!this.editing && this.socket) {
        this.socket.close(CLOSE_NORMAL); // e.g. a server error: try again later
      }
      return;
    }
    if (frame.type !== "wiki_editors" || frame.page !== this.pageId) {
      return;
    }
    this.editing = true;
    this.retryMs = RETRY_FIRST_MS;
    var self = this;
    var names = [];
    (Array.isArray(frame.editors) ? frame.editors : []).forEach(function (editor) {
      if (editor && String(editor.id) !== self.userId && editor.display_name) {
        names.push(String(editor.display_name));
      }
    });
    this.show(names);
  };

  // --- the notice ------------------------------------------------------------

  WikiPresence.prototype.show = function (names) {
    var self = this;
    var element = self.element;
    var text = names.length ? noticeText(names) : "";
    if (text === self.text) {
      return;
    }
    self.text = text;
    if (!text) {
      element.hidden = true;
      element.replaceChildren();
      return;
    }
    var fill = function () {
      var paragraph = document.createElement("p");
      paragraph.className = "kern-body";
      paragraph.textContent = self.text;
      element.replaceChildren(paragraph);
    };
    if (!element.hidden) {
      fill();
      return;
    }
    // A live region is announced when its content changes while it is
    // shown: show it first, fill it a moment later (with the latest text).
    element.hidden = false;
    window.setTimeout(function () {
      if (!element.hidden && self.text) {
        fill();
      }
    }, 50);
  };

  // --- start -----------------------------------------------------------------

  function init() {
    var element = document.getElementById("wiki-presence");
    if (!element || !window.WebSocket) {
      return;
    }
    var presence = new WikiPresence(element);
    if (!presence.pageId) {
      return;
    }
    presence.connect();
    window.addEventListener("online", function () {
      if (!presence.stopped && !presence.socket) {
        presence.reconnectNow();
      }
    });
    // A tab in the background may have had its timers slowed down: coming
    // back, it says at once that it is still there.
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "visible" && !presence.stopped) {
        if (presence.socket) {
          presence.beat();
        } else {
          presence.reconnectNow();
        }
      }
    });
    // Leaving the page (also when saving) ends the editing; coming back
    // through the back/forward cache starts it again.
    window.addEventListener("pagehide", function () {
      presence.stop();
    });
    window.addEventListener("pageshow", function (event) {
      if (event.persisted) {
        presence.stopped = false;
        presence.reconnectNow();
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
