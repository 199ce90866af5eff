/*
 * Kommunect – "Diese Seite wird gerade auch von … bearbeitet."
 *
 * On the edit page of a wiki page, this script tells the server over the
 * tab's shared websocket /ws/ (live-socket.js) that the page is open in the
 * editor (``edit_wiki``, again on every (re)open of the socket), says so
 * again every 20 seconds (``editing``; the server forgets a silent editor
 * after about a minute) and, on leaving the page, ``stop_editing``. The
 * server sends ``wiki_editors`` with everyone editing the page; the notice
 * in #wiki-presence names the others (the reader is left out) and is hidden
 * when nobody else edits or the socket is down. A page that is gone or not
 * for this user ends it; other refusals (e.g. a server error) are asked
 * again after growing pauses, without closing the socket the tab shares.
 * The page works without this script: saving never loses an edit,
 * concurrent saves are merged.
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

  var HEARTBEAT_MS = 20000;
  // ``edit_wiki`` refused for a passing reason is sent again after these
  // growing pauses (the socket stays open for the other scripts of the tab).
  // Answers after which asking again does not help.
  var FINAL_ERRORS = ["not_found", "forbidden", "invalid_page"];

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
    this.socketUrl = element.getAttribute("data-ws-url") || "/ws/";
    this.socket = null; // the tab's shared LiveSocket while listening
    this.unlisten = null;
    this.asking = false; // edit_wiki sent, not answered yet
    this.editing = false;
    this.heartbeat = null;
    this.askAgain = new window.KommunectLive.Backoff();
    this.stopped = false;
    this.text = "";
  }

  // --- the connection (live-socket.js) ---------------------------------------

  WikiPresence.prototype.start = function () {
    var self = this;
    if (self.unlisten) {
      return;
    }
    self.stopped = false;
    // A socket stopped before (the page left) is replaced by a new one.
    self.socket = live.socket(self.socketUrl);
    self.unlisten = self.socket.listen({
      open: function () {
        self.askAgain.reset();
        self.editing = false;
        self.ask();
        self.startHeartbeat();
      },
      frame: function (frame) { self.receive(frame); },
      state: function (state) { self.onState(state); },
    });
  };

  WikiPresence.prototype.send = function (type) {
    return this.socket.send({ type: type, page: this.pageId });
  };

  WikiPresence.prototype.ask = function () {
    this.askAgain.cancel();
    this.asking = this.send("edit_wiki");
  };

  WikiPresence.prototype.onState = function (state) {
    if (state !== "offline" && state !== "stopped") {
      return;
    }
    // The next open sends edit_wiki again (4403, access changed, too).
    this.askAgain.cancel();
    this.asking = false;
    this.editing = false;
    this.stopHeartbeat();
    // Whoever edits now is not known until the socket is back.
    this.show([]);
  };

  WikiPresence.prototype.startHeartbeat = function () {
    var self = this;
    self.stopHeartbeat();
    self.heartbeat = window.setInterval(function () {
      self.beat();
    }, HEARTBEAT_MS);
  };

  WikiPresence.prototype.beat = function () {
    if (this.editing) {
      this.send("editing");
    } else {
      this.ask();
    }
  };

  WikiPresence.prototype.stopHeartbeat = function () {
    if (this.heartbeat) {
      window.clearInterval(this.heartbeat);
      this.heartbeat = null;
    }
  };

  WikiPresence.prototype.askAgainLater = function () {
    var self = this;
    self.askAgain.later(function () {
      if (!self.stopped && !self.editing) {
        self.ask();
      }
    });
  };

  // Leaving: the others see at once that this editor is gone. The shared
  // socket closes once no script of the tab listens any more.
  WikiPresence.prototype.stop = function () {
    if (this.editing) {
      this.send("stop_editing");
    }
    this.stopped = true;
    this.asking = false;
    this.editing = false;
    this.stopHeartbeat();
    this.askAgain.cancel();
    if (this.unlisten) {
      var unlisten = this.unlisten;
      this.unlisten = null;
      unlisten();
    }
    this.show([]);
  };

  WikiPresence.prototype.receive = function (frame) {
    if (frame.type === "error") {
      this.onError(frame);
      return;
    }
    if (frame.type !== "wiki_editors" || frame.page !== this.pageId) {
      return;
    }
    this.asking = false;
    this.editing = true;
    this.askAgain.reset();
    var self = this;
    var names = [];
    (Array.isArray(frame.editors) ? frame.editors : []).forEach(function (editor) {
      if (editor && String(editor.id) !== self.userId && editor.display_name) {
        names.push(String(editor.display_name));
      }
    });
    this.show(names);
  };

  WikiPresence.prototype.onError = function (frame) {
    if (frame.code === "not_editing") {
      // The heartbeat came before (or without) an accepted edit_wiki.
      this.editing = false;
      this.ask();
      return;
    }
    // The socket is shared: only an error while edit_wiki waits for its
    // answer is taken as that answer (one with a client_id is the chat's).
    if (!this.asking || frame.client_id) {
      return;
    }
    this.asking = false;
    if (FINAL_ERRORS.indexOf(frame.code) !== -1) {
      this.stop(); // the page is gone or not for this user: stop asking
    } else if (!this.editing) {
      this.askAgainLater(); // e.g. a server error: try again later
    }
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
    presence.start();
    // A tab in the background may have had its timers slowed down: coming
    // back, it says at once that it is still there. (Going online and
    // showing the page again reconnect the shared socket itself.)
    document.addEventListener("visibilitychange", function () {
      if (
        document.visibilityState === "visible" &&
        !presence.stopped &&
        presence.socket.isOpen()
      ) {
        presence.beat();
      }
    });
    // Leaving the page (also when saving) ends the editing; coming back
    // through the back/forward cache starts it again.
    window.addEventListener("pagehide", function () {
      presence.stop();
    });
    window.addEventListener("pageshow", function (event) {
      if (event.persisted) {
        presence.start();
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
