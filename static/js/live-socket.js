/*
 * Kommunect – the one websocket of a browser tab (/ws/, shared/API.md).
 *
 * Scripts of a page share one connection: each calls
 * ``KommunectLive.socket(url).listen({open, frame, state})``. ``open`` runs
 * on every (re)connect, so that each listener subscribes again to what it
 * follows; ``frame`` gets every frame from the server; ``state`` hears
 * "connecting", "open", "offline" and "stopped"; ``watch(frame)`` hears the
 * frames without opening a connection of its own. A lost connection is opened
 * again after growing pauses with jitter, at once when the browser comes
 * back online or the page is shown again. A socket refused at the handshake
 * (signed out: 4401, which browsers report as 1006) is tried a few times and
 * then given up.
 */
(function () {
  "use strict";

  var RETRY_FIRST_MS = 1000;
  var RETRY_MAX_MS = 30000;
  var MAX_REFUSED = 4;
  var CLOSE_NORMAL = 1000;
  var CLOSE_NOT_AUTHENTICATED = 4401;

  // Django's JavaScript catalogue (/jsi18n/) translates where a page loads it;
  // the message ids are the German texts.
  var i18n = {
    gettext: window.gettext || function (text) { return text; },
    ngettext: window.ngettext || function (singular, plural, count) {
      return count === 1 ? singular : plural;
    },
    interpolate: window.interpolate || function (format, args, named) {
      if (named) {
        return format.replace(/%\(\w+\)s/g, function (match) {
          return String(args[match.slice(2, -2)]);
        });
      }
      return format.replace("%s", args[0]);
    },
  };

  function absoluteUrl(path) {
    if (/^wss?:\/\//.test(path)) {
      return path;
    }
    var scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
    return scheme + "//" + window.location.host + path;
  }

  function LiveSocket(url) {
    this.url = absoluteUrl(url);
    this.listeners = [];
    this.watchers = [];
    this.socket = null;
    this.state = "idle";
    this.retryMs = RETRY_FIRST_MS;
    this.retryTimer = null;
    this.everOpened = false;
    this.refused = 0;
    this.stopped = false;
  }

  LiveSocket.prototype.setState = function (state) {
    this.state = state;
    this.listeners.slice().forEach(function (listener) {
      if (listener.state) {
        listener.state(state);
      }
    });
  };

  LiveSocket.prototype.listen = function (listener) {
    var self = this;
    self.listeners.push(listener);
    if (self.state === "open" && listener.open) {
      listener.open();
    } else {
      self.connect();
    }
    return function remove() {
      self.listeners = self.listeners.filter(function (other) {
        return other !== listener;
      });
      if (!self.listeners.length) {
        self.stop();
      }
    };
  };

  // Hear the frames of a socket the page opens anyway, without opening one
  // (the header's unread badge on a page with live parts).
  LiveSocket.prototype.watch = function (frame) {
    this.watchers.push(frame);
  };

  LiveSocket.prototype.isOpen = function () {
    return !!this.socket && this.socket.readyState === WebSocket.OPEN && this.state === "open";
  };

  LiveSocket.prototype.send = function (frame) {
    if (!this.isOpen()) {
      return false;
    }
    this.socket.send(JSON.stringify(frame));
    return true;
  };

  LiveSocket.prototype.connect = function () {
    var self = this;
    if (self.stopped || self.socket) {
      return;
    }
    var socket;
    try {
      socket = new WebSocket(self.url);
    } catch (error) {
      self.scheduleReconnect();
      return;
    }
    var opened = false;
    self.socket = socket;
    self.setState("connecting");
    socket.addEventListener("open", function () {
      if (self.socket !== socket) {
        return;
      }
      opened = self.everOpened = true;
      self.refused = 0;
      self.retryMs = RETRY_FIRST_MS;
      self.setState("open");
      self.listeners.slice().forEach(function (listener) {
        if (listener.open) {
          listener.open();
        }
      });
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
      if (!frame || typeof frame !== "object") {
        return;
      }
      self.listeners.slice().forEach(function (listener) {
        if (listener.frame) {
          listener.frame(frame);
        }
      });
      self.watchers.forEach(function (watcher) {
        watcher(frame);
      });
    });
    socket.addEventListener("close", function (event) {
      if (self.socket !== socket) {
        return; // an old socket, already replaced
      }
      self.socket = null;
      if (!opened) {
        self.refused += 1;
      }
      if (
        event.code === CLOSE_NOT_AUTHENTICATED ||
        (!self.everOpened && self.refused >= MAX_REFUSED)
      ) {
        self.stopped = true; // signed out: a reload shows the sign-in
        self.setState("stopped");
        return;
      }
      self.setState("offline");
      // 4403 (access changed) too: the listeners subscribe again on open.
      self.scheduleReconnect();
    });
  };

  LiveSocket.prototype.scheduleReconnect = function () {
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

  LiveSocket.prototype.reconnectNow = function () {
    if (this.stopped || this.socket) {
      return;
    }
    if (this.retryTimer) {
      window.clearTimeout(this.retryTimer);
      this.retryTimer = null;
    }
    this.retryMs = RETRY_FIRST_MS;
    this.connect();
  };

  // Close and open again (a listener that wants a fresh start).
  LiveSocket.prototype.restart = function () {
    var socket = this.socket;
    this.socket = null;
    if (socket) {
      socket.close(CLOSE_NORMAL);
    }
    this.setState("offline");
    this.scheduleReconnect();
  };

  LiveSocket.prototype.stop = function () {
    var socket = this.socket;
    this.stopped = true;
    this.socket = null;
    if (this.retryTimer) {
      window.clearTimeout(this.retryTimer);
      this.retryTimer = null;
    }
    if (socket) {
      socket.close(CLOSE_NORMAL);
    }
    this.setState("stopped");
  };

  // A question to the server that failed for a passing reason (a server
  // error) is asked again after growing pauses: ``later(ask)`` once at a
  // time, ``reset()`` after an answer, ``cancel()`` when the question is gone.
  function Backoff() {
    this.delayMs = RETRY_FIRST_MS;
    this.timer = null;
  }

  Backoff.prototype.later = function (ask) {
    var self = this;
    if (self.timer) {
      return;
    }
    var delay = self.delayMs;
    self.delayMs = Math.min(delay * 2, RETRY_MAX_MS);
    self.timer = window.setTimeout(function () {
      self.timer = null;
      ask();
    }, delay);
  };

  Backoff.prototype.reset = function () {
    this.delayMs = RETRY_FIRST_MS;
  };

  Backoff.prototype.cancel = function () {
    if (this.timer) {
      window.clearTimeout(this.timer);
      this.timer = null;
    }
  };

  var sockets = {};

  function shared(url) {
    var key = absoluteUrl(url || "/ws/");
    if (!sockets[key] || sockets[key].stopped) {
      sockets[key] = new LiveSocket(key);
    }
    return sockets[key];
  }

  window.addEventListener("online", function () {
    Object.keys(sockets).forEach(function (key) {
      sockets[key].reconnectNow();
    });
  });
  // Back from the back-forward cache or a hidden tab: reconnect at once.
  window.addEventListener("pageshow", function () {
    Object.keys(sockets).forEach(function (key) {
      sockets[key].reconnectNow();
    });
  });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") {
      Object.keys(sockets).forEach(function (key) {
        sockets[key].reconnectNow();
      });
    }
  });

  window.KommunectLive = { socket: shared, i18n: i18n, Backoff: Backoff };
})();
