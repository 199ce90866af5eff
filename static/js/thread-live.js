/*
 * Kommunect – new replies appear on a thread page while it is open.
 *
 * The page works without this script (a reload shows every reply). With it,
 * the page watches the thread over the websocket /ws/ (``watch_thread``,
 * shared/API.md) and, for each ``post`` event:
 *   - on the last page of the thread, fetches the post rendered for this
 *     reader from the fragment URL and appends it; a reader who is not at
 *     the end of the replies gets a banner "N neue Beiträge" that scrolls to
 *     the first of them;
 *   - on an earlier page, only shows the banner, linking to the new post.
 * ``post_edited`` and ``post_deleted`` replace a shown post with its current
 * rendering. A lost connection is opened again after growing pauses; on the
 * last page ``watch_thread`` carries ``after`` (the highest post id shown),
 * so the server first sends the posts that were missed.
 */
(function () {
  "use strict";

  var NEAR_END_PX = 150;
  var RETRY_FIRST_MS = 1000;
  var RETRY_MAX_MS = 30000;
  // A socket refused at the handshake (signed out: the server closes with
  // 4401 before accepting, which browsers report as 1006) is tried this many
  // times before the page gives up, unless it has been open before.
  var MAX_REFUSED = 4;
  var CLOSE_NORMAL = 1000;
  var CLOSE_NOT_AUTHENTICATED = 4401;

  // Django's JavaScript catalogue (/jsi18n/) translates where a page loads it;
  // the message ids are the German texts.
  var gettext = window.gettext || function (text) { return text; };
  var ngettext = window.ngettext || function (singular, plural, count) {
    return count === 1 ? singular : plural;
  };
  var interpolate = window.interpolate || function (format, args) {
    return format.replace("%s", args[0]);
  };

  function socketUrl(path) {
    if (/^wss?:\/\//.test(path)) {
      return path;
    }
    var scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
    return scheme + "//" + window.location.host + path;
  }

  function postElement(id) {
    return document.getElementById("beitrag-" + id);
  }

  function ThreadLive(section, banner) {
    this.section = section;
    this.banner = banner;
    this.threadId = parseInt(section.getAttribute("data-thread-id"), 10);
    this.fragmentTemplate = section.getAttribute("data-fragment-url-template");
    this.lastPage = section.getAttribute("data-last-page") === "true";
    this.socketUrl = socketUrl(section.getAttribute("data-ws-url") || "/ws/");
    this.highestId = 0;
    this.unseen = []; // {id, url} of new posts the reader has not reached yet
    this.loading = {}; // id → true while its fragment is on its way
    this.failed = {}; // id → url of posts whose fragment could not be loaded
    this.queue = Promise.resolve(); // fragments load one after another, in order
    this.bannerControl = null;
    this.socket = null;
    this.retryMs = RETRY_FIRST_MS;
    this.retryTimer = null;
    this.watching = false;
    this.everOpened = false;
    this.refused = 0;
    this.stopped = false;

    var self = this;
    document.querySelectorAll("article.post[data-post-id]").forEach(function (el) {
      var id = parseInt(el.getAttribute("data-post-id"), 10) || 0;
      self.highestId = Math.max(self.highestId, id);
    });
  }

  // --- the connection ------------------------------------------------------

  ThreadLive.prototype.connect = function () {
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
      self.watching = false;
      var frame = { type: "watch_thread", thread: self.threadId };
      // Only the last page catches up: on an earlier page the later posts
      // are the next pages, not news.
      if (self.lastPage) {
        frame.after = self.highestId;
      }
      socket.send(JSON.stringify(frame));
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
      // The connection state, for styles and for the browser tests.
      self.section.setAttribute("data-live-state", "offline");
      if (!opened) {
        self.refused += 1;
      }
      if (
        event.code === CLOSE_NOT_AUTHENTICATED ||
        (!self.everOpened && self.refused >= MAX_REFUSED)
      ) {
        self.stopped = true; // signed out: a reload shows the sign-in
        return;
      }
      // 4403 (access changed) too: the next watch_thread asks again.
      self.scheduleReconnect();
    });
  };

  ThreadLive.prototype.scheduleReconnect = function () {
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

  ThreadLive.prototype.reconnectNow = function () {
    if (this.retryTimer) {
      window.clearTimeout(this.retryTimer);
      this.retryTimer = null;
    }
    this.retryMs = RETRY_FIRST_MS;
    this.connect();
  };

  ThreadLive.prototype.stop = function () {
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
  };

  ThreadLive.prototype.receive = function (frame) {
    if (!frame || typeof frame !== "object") {
      return;
    }
    if (frame.type === "error") {
      if (frame.code === "not_found" || frame.code === "invalid_thread") {
        this.stop(); // the thread is gone or no longer visible: stop asking
      } else if (!this.watching && this.socket) {
        this.socket.close(CLOSE_NORMAL); // e.g. a server error: try again later
      }
      return;
    }
    if (frame.thread !== this.threadId) {
      return;
    }
    if (frame.type === "watching") {
      this.watching = true;
      this.section.setAttribute("data-live-state", "watching");
      this.retryMs = RETRY_FIRST_MS;
      this.retryFailed();
      if (frame.more) {
        this.showReloadBanner();
      }
    } else if (frame.type === "post") {
      this.announce(parseInt(frame.id, 10), frame.url || "");
    } else if (frame.type === "post_edited" || frame.type === "post_deleted") {
      this.refresh(parseInt(frame.id, 10));
    }
  };

  // --- new posts -------------------------------------------------------------

  ThreadLive.prototype.announce = function (id, url) {
    var known = this.unseen.some(function (post) { return post.id === id; });
    if (!id || known || postElement(id) || this.loading[id]) {
      return;
    }
    this.highestId = Math.max(this.highestId, id);
    if (this.lastPage) {
      this.load(id, url);
    } else {
      this.unseen.push({ id: id, url: url });
      this.showBanner();
    }
  };

  ThreadLive.prototype.load = function (id, url) {
    var self = this;
    self.loading[id] = true;
    delete self.failed[id];
    self.queue = self.queue.then(function () {
      return self.fetchPost(id).then(
        function (article) {
          delete self.loading[id];
          if (article) {
            self.append(article, id);
          }
        },
        function () {
          delete self.loading[id];
          self.failed[id] = url; // tried again once the socket is back
        }
      );
    });
  };

  ThreadLive.prototype.retryFailed = function () {
    var self = this;
    Object.keys(self.failed).forEach(function (key) {
      self.load(parseInt(key, 10), self.failed[key]);
    });
  };

  // The rendered <article> for this reader, or null when the post is not
  // (or no longer) there for them; rejects on a network or server error.
  ThreadLive.prototype.fetchPost = function (id) {
    var url = this.fragmentTemplate.replace("/0/", "/" + id + "/");
    return fetch(url, {
      credentials: "same-origin",
      headers: { Accept: "text/html" },
    }).then(function (response) {
      if (response.status === 403 || response.status === 404) {
        return null;
      }
      if (!response.ok) {
        throw new Error("HTTP " + response.status);
      }
      return response.text().then(function (html) {
        var template = document.createElement("template");
        template.innerHTML = html.trim();
        return template.content.querySelector("article.post");
      });
    });
  };

  ThreadLive.prototype.append = function (article, id) {
    if (postElement(id)) {
      return;
    }
    var atEnd = this.readerAtEnd();
    var empty = this.section.querySelector(".post-list__empty");
    if (empty) {
      empty.remove();
    }
    // In id order, even if a post arrived late (a retried fragment).
    var later = null;
    this.section.querySelectorAll("article.post[data-post-id]").forEach(function (el) {
      if (!later && parseInt(el.getAttribute("data-post-id"), 10) > id) {
        later = el;
      }
    });
    this.section.insertBefore(article, later);
    activate(article);
    if (!atEnd) {
      this.unseen.push({ id: id, url: "" });
      this.showBanner();
    }
  };

  // --- edits and deletions ---------------------------------------------------

  ThreadLive.prototype.refresh = function (id) {
    var self = this;
    if (!id || !postElement(id)) {
      return;
    }
    self.queue = self.queue.then(function () {
      return self.fetchPost(id).then(
        function (article) {
          var current = postElement(id);
          // Someone typing inside the post keeps their text.
          if (article && current && !typingIn(current)) {
            current.replaceWith(article);
            activate(article);
          }
        },
        function () {} // the next reload shows it
      );
    });
  };

  function typingIn(element) {
    var active = document.activeElement;
    return Boolean(
      active &&
        element.contains(active) &&
        /^(TEXTAREA|INPUT|SELECT)$/.test(active.tagName)
    );
  }

  // Buttons inside a new post work like those rendered with the page; other
  // scripts (the editor's reply and quote buttons) hear of it by the event.
  function activate(article) {
    if (window.htmx && typeof window.htmx.process === "function") {
      window.htmx.process(article);
    }
    article.dispatchEvent(new CustomEvent("kommunect:post-shown", { bubbles: true }));
  }

  // --- the banner ------------------------------------------------------------

  ThreadLive.prototype.readerAtEnd = function () {
    var viewport = window.innerHeight;
    var postsEnd = this.section.getBoundingClientRect().bottom;
    var pageEnd =
      viewport + window.scrollY >= document.documentElement.scrollHeight - NEAR_END_PX;
    return pageEnd || postsEnd <= viewport + NEAR_END_PX;
  };

  ThreadLive.prototype.showBanner = function () {
    var self = this;
    var count = self.unseen.length;
    var control;
    if (self.lastPage) {
      control = document.createElement("button");
      control.type = "button";
      control.addEventListener("click", function () {
        self.goToFirstUnseen();
      });
    } else if (self.unseen[0].url) {
      control = document.createElement("a");
      control.href = self.unseen[0].url;
    } else {
      control = document.createElement("span");
    }
    control.textContent = interpolate(
      ngettext("%s neuer Beitrag", "%s neue Beiträge", count),
      [count]
    );
    self.fillBanner(control);
  };

  ThreadLive.prototype.showReloadBanner = function () {
    var link = document.createElement("a");
    link.href = window.location.pathname + window.location.search;
    link.textContent = gettext("Es gibt viele neue Beiträge. Seite neu laden");
    this.fillBanner(link);
  };

  ThreadLive.prototype.fillBanner = function (control) {
    var self = this;
    var banner = self.banner;
    if (!banner) {
      return;
    }
    self.bannerControl = control;
    if (!banner.hidden) {
      banner.replaceChildren(control);
      return;
    }
    // A live region is announced when its content changes while it is
    // shown: show it first, fill it a moment later (with the latest text).
    banner.hidden = false;
    window.setTimeout(function () {
      if (!banner.hidden && self.bannerControl) {
        banner.replaceChildren(self.bannerControl);
      }
    }, 50);
  };

  ThreadLive.prototype.hideBanner = function () {
    this.unseen = [];
    this.bannerControl = null;
    if (this.banner) {
      this.banner.hidden = true;
      this.banner.replaceChildren();
    }
  };

  ThreadLive.prototype.goToFirstUnseen = function () {
    var first = this.unseen.length ? postElement(this.unseen[0].id) : null;
    this.hideBanner();
    if (!first) {
      return;
    }
    first.scrollIntoView({ block: "start" });
    // Keyboard and screen reader users go on reading from there.
    if (!first.hasAttribute("tabindex")) {
      first.setAttribute("tabindex", "-1");
    }
    first.focus({ preventScroll: true });
  };

  ThreadLive.prototype.hideBannerAtEnd = function () {
    var self = this;
    var pending = false;
    window.addEventListener(
      "scroll",
      function () {
        if (pending || !self.lastPage || !self.unseen.length) {
          return;
        }
        pending = true;
        window.requestAnimationFrame(function () {
          pending = false;
          if (self.readerAtEnd()) {
            self.hideBanner();
          }
        });
      },
      { passive: true }
    );
  };

  // --- start -----------------------------------------------------------------

  function init() {
    var section = document.getElementById("posts");
    if (
      !section ||
      !window.WebSocket ||
      !window.fetch ||
      !section.getAttribute("data-thread-id") ||
      !section.getAttribute("data-fragment-url-template")
    ) {
      return;
    }
    var live = new ThreadLive(section, document.getElementById("new-posts-banner"));
    if (!live.threadId) {
      return;
    }
    live.hideBannerAtEnd();
    live.connect();
    window.addEventListener("online", function () {
      if (!live.stopped && !live.socket) {
        live.reconnectNow();
      }
    });
    // Leaving the page closes the socket; coming back through the
    // back/forward cache opens it again, and it catches up.
    window.addEventListener("pagehide", function () {
      live.stop();
    });
    window.addEventListener("pageshow", function (event) {
      if (event.persisted) {
        live.stopped = false;
        live.reconnectNow();
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
