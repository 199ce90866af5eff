/*
 * Kommunect – new replies appear on a thread page while it is open.
 *
 * The page works without this script (a reload shows every reply). With it,
 * the page watches the thread over the tab's shared websocket /ws/
 * (live-socket.js; ``watch_thread``, shared/API.md) and, for each ``post``
 * event:
 *   - on the last page of the thread, fetches the post rendered for this
 *     reader from the fragment URL and appends it; a reader who is not at
 *     the end of the replies gets a banner "N neue Beiträge" that scrolls to
 *     the first of them;
 *   - on an earlier page, only shows the banner, linking to the new post.
 * ``post_edited`` and ``post_deleted`` replace a shown post with its current
 * rendering. The shared socket opens a lost connection again; on every
 * (re)open the page sends ``watch_thread`` again, on the last page with
 * ``after`` (the highest post id shown), so the server first sends the posts
 * that were missed. A thread that is gone ends the watching; other refusals
 * (e.g. a server error) are asked again after growing pauses, without
 * closing the socket the tab shares. ``#posts[data-live-state]`` is
 * "watching" or "offline" (for styles and the browser tests).
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

  var NEAR_END_PX = 150;
  // ``watch_thread`` refused for a passing reason is sent again after these
  // growing pauses (the socket stays open for the other scripts of the tab).
  // Answers after which asking again does not help: the thread is gone or
  // no longer visible.
  var FINAL_ERRORS = ["not_found", "invalid_thread"];

  function postElement(id) {
    return document.getElementById("beitrag-" + id);
  }

  function ThreadLive(section, banner) {
    this.section = section;
    this.banner = banner;
    this.threadId = parseInt(section.getAttribute("data-thread-id"), 10);
    this.fragmentTemplate = section.getAttribute("data-fragment-url-template");
    this.lastPage = section.getAttribute("data-last-page") === "true";
    this.socketUrl = section.getAttribute("data-ws-url") || "/ws/";
    this.highestId = 0;
    this.unseen = []; // {id, url} of new posts the reader has not reached yet
    this.loading = {}; // id → true while its fragment is on its way
    this.failed = {}; // id → url of posts whose fragment could not be loaded
    this.queue = Promise.resolve(); // fragments load one after another, in order
    this.bannerControl = null;
    this.socket = null; // the tab's shared LiveSocket while listening
    this.unlisten = null;
    this.asking = false; // watch_thread sent, not answered yet
    this.watching = false;
    this.askAgain = new window.KommunectLive.Backoff();
    this.stopped = false;

    var self = this;
    document.querySelectorAll("article.post[data-post-id]").forEach(function (el) {
      var id = parseInt(el.getAttribute("data-post-id"), 10) || 0;
      self.highestId = Math.max(self.highestId, id);
    });
  }

  // --- the connection (live-socket.js) ---------------------------------------

  ThreadLive.prototype.start = function () {
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
        self.watch();
      },
      frame: function (frame) { self.receive(frame); },
      state: function (state) { self.onState(state); },
    });
  };

  ThreadLive.prototype.watch = function () {
    this.askAgain.cancel();
    this.watching = false;
    var frame = { type: "watch_thread", thread: this.threadId };
    // Only the last page catches up: on an earlier page the later posts
    // are the next pages, not news.
    if (this.lastPage) {
      frame.after = this.highestId;
    }
    this.asking = this.socket.send(frame);
  };

  ThreadLive.prototype.onState = function (state) {
    if (state !== "offline" && state !== "stopped") {
      return;
    }
    // The next open sends watch_thread again (4403, access changed, too).
    this.askAgain.cancel();
    this.asking = false;
    this.watching = false;
    // The connection state, for styles and for the browser tests.
    this.section.setAttribute("data-live-state", "offline");
  };

  ThreadLive.prototype.askAgainLater = function () {
    var self = this;
    self.askAgain.later(function () {
      if (!self.stopped && !self.watching) {
        self.watch();
      }
    });
  };

  // Stop listening. The shared socket closes once no script of the tab
  // listens any more; while another one does, the thread is unwatched.
  ThreadLive.prototype.stop = function () {
    this.stopped = true;
    this.askAgain.cancel();
    if (this.watching) {
      this.socket.send({ type: "unwatch_thread", thread: this.threadId });
    }
    this.asking = false;
    this.watching = false;
    if (this.unlisten) {
      var unlisten = this.unlisten;
      this.unlisten = null;
      unlisten();
    }
  };

  ThreadLive.prototype.receive = function (frame) {
    if (frame.type === "error") {
      // The socket is shared: only an error while watch_thread waits for its
      // answer is taken as that answer (one with a client_id is the chat's).
      if (!this.asking || frame.client_id) {
        return;
      }
      this.asking = false;
      if (FINAL_ERRORS.indexOf(frame.code) !== -1) {
        this.stop(); // the thread is gone or no longer visible: stop asking
      } else {
        this.askAgainLater(); // e.g. a server error: try again later
      }
      return;
    }
    if (frame.thread !== this.threadId) {
      return;
    }
    if (frame.type === "watching") {
      this.asking = false;
      this.watching = true;
      this.askAgain.reset();
      this.section.setAttribute("data-live-state", "watching");
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
    var thread = new ThreadLive(section, document.getElementById("new-posts-banner"));
    if (!thread.threadId) {
      return;
    }
    thread.hideBannerAtEnd();
    thread.start();
    // Leaving the page stops listening; coming back through the back/forward
    // cache listens again, and watch_thread catches up. (Going online and
    // showing the page again reconnect the shared socket itself.)
    window.addEventListener("pagehide", function () {
      thread.stop();
    });
    window.addEventListener("pageshow", function (event) {
      if (event.persisted) {
        thread.start();
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
