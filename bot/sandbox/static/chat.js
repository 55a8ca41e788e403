// The sandbox's chat page: draws the emulated chats and sends what you type as a Telegram
// client would. Plain script, no build step. Errors become a short note on the page, never
// an exception in the console.
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);
  const state = {
    chat: "private", sender: "Alice", replyTo: null, sending: false,
    rows: new Map(), drawn: new Map(), generation: 0, follow: true,
  };
  const names = { private: "The bot", group: "Sandbox group" };

  async function api(path, options) {
    try {
      const response = await fetch(path, options);
      return await response.json();
    } catch (err) {
      return { ok: false, error: "The sandbox is not answering." };
    }
  }

  function toast(text) {
    const el = $("toast");
    el.textContent = text;
    el.hidden = false;
    clearTimeout(toast.timer);
    toast.timer = setTimeout(() => { el.hidden = true; }, 5000);
  }

  // ---- drawing messages -----------------------------------------------------------------
  function element(tag, className, text) {
    const el = document.createElement(tag);
    if (className) el.className = className;
    if (text !== undefined) el.textContent = text;
    return el;
  }

  function mediaPart(m) {
    const part = element("div", "media");
    for (const item of m.media) {
      if (item.kind === "video") {
        const video = element("video");
        video.controls = true;
        video.preload = "metadata";
        video.playsInline = true;
        video.src = item.url;
        video.addEventListener("loadedmetadata", followBottom);
        part.append(video);
      } else if (item.kind === "photo") {
        const img = element("img");
        img.alt = "Photo";
        img.src = item.url;
        img.addEventListener("load", followBottom);
        part.append(img);
      } else {
        const link = element("a", "doc", `📄 ${item.name} (${Math.ceil(item.size / 1024)} KB)`);
        link.href = item.url;
        link.download = item.name;
        part.append(link);
      }
    }
    return part;
  }

  function keyboardPart(m) {
    const part = element("div", "keyboard");
    for (const row of m.buttons) {
      const line = element("div", "kb-row");
      for (const b of row) {
        const button = element("button", "", b.text);
        button.type = "button";
        button.addEventListener("click", () => press(m.id, b));
        line.append(button);
      }
      part.append(line);
    }
    return part;
  }

  function quotePart(m) {
    const part = element("div", "quote");
    part.append(element("b", "", m.reply.sender), element("span", "", m.reply.snippet));
    part.addEventListener("click", () => jumpTo(m.reply.id));
    return part;
  }

  function fill(bubble, m, before) {
    // Keep the video element when only the caption or the keyboard changed, so an edit
    // never restarts a clip that is playing.
    const media = before && JSON.stringify(before.media) === JSON.stringify(m.media)
      ? bubble.querySelector(".media") : null;
    const parts = [];
    if (m.from === "user" && state.chat === "group") parts.push(element("div", "who", m.sender));
    if (m.reply) parts.push(quotePart(m));
    if (m.media.length) parts.push(media || mediaPart(m));
    const text = element("div", "text");
    text.innerHTML = m.html; // built server-side from an allow-list (bot/sandbox/render.py)
    for (const spoiler of text.querySelectorAll(".spoiler")) {
      spoiler.addEventListener("click", () => spoiler.classList.add("shown"));
    }
    parts.push(text);
    if (m.buttons.length) parts.push(keyboardPart(m));
    parts.push(element("div", "meta", m.edited ? "edited" : ""));
    bubble.replaceChildren(...parts);
  }

  function draw(m) {
    const key = JSON.stringify(m);
    let row = state.rows.get(m.id);
    if (row && state.drawn.get(m.id) === key) return false;
    const before = state.drawn.has(m.id) ? JSON.parse(state.drawn.get(m.id)) : null;
    state.drawn.set(m.id, key);
    if (!row) {
      row = element("div", `row ${m.from}`);
      const bubble = element("div", "msg");
      bubble.dataset.from = m.from;
      bubble.dataset.messageId = String(m.id);
      bubble.addEventListener("dblclick", (event) => {
        // A double click on a clip is the player's full screen, not a reply.
        if (!event.target.closest("video, button, a")) startReply(m.id);
      });
      const reply = element("span", "reply-action", "↩");
      reply.title = "Reply";
      reply.setAttribute("role", "link");
      reply.addEventListener("click", () => startReply(m.id));
      row.append(bubble, reply);
      $("messages").append(row);
      state.rows.set(m.id, row);
    }
    fill(row.querySelector(".msg"), m, before);
    return true;
  }

  function jumpTo(id) {
    const row = state.rows.get(id);
    if (!row) return;
    const bubble = row.querySelector(".msg");
    row.scrollIntoView({ block: "center", behavior: "smooth" });
    bubble.classList.add("flash");
    setTimeout(() => bubble.classList.remove("flash"), 1200);
  }

  // Stay at the newest message while the reader is there, also when a clip loads later.
  function followBottom() {
    const box = $("messages");
    if (state.follow) box.scrollTop = box.scrollHeight;
  }

  function clearMessages() {
    state.rows.clear();
    state.drawn.clear();
    $("messages").replaceChildren();
  }

  // ---- polling --------------------------------------------------------------------------
  async function poll() {
    const generation = state.generation;
    const body = await api(`/sandbox/api/chats/${state.chat}/messages`);
    if (generation === state.generation && body.ok) {
      const present = new Set(body.messages.map((m) => m.id));
      for (const [id, row] of state.rows) {
        if (!present.has(id)) {
          row.remove();
          state.rows.delete(id);
          state.drawn.delete(id);
        }
      }
      let changed = false;
      for (const m of body.messages) changed = draw(m) || changed;
      if (changed) followBottom();
    }
    setTimeout(poll, 400);
  }

  // ---- sending --------------------------------------------------------------------------
  function startReply(id) {
    const row = state.rows.get(id);
    if (!row) return;
    const m = JSON.parse(state.drawn.get(id));
    state.replyTo = id;
    $("reply-who").textContent = m.from === "bot" ? "the bot" : m.sender;
    $("reply-what").textContent = row.querySelector(".text").textContent.slice(0, 60)
      || (m.media.length ? m.media[0].kind : "");
    $("reply-bar").hidden = false;
    $("text").focus();
  }

  function cancelReply() {
    state.replyTo = null;
    $("reply-bar").hidden = true;
  }

  function showChosen() {
    const files = [...$("file").files];
    const box = $("chosen");
    box.replaceChildren(...files.map((f) => element("span", "chip", f.name)));
    if (files.length) {
      const clear = element("span", "close", "×");
      clear.title = "Remove the files";
      clear.addEventListener("click", () => { $("file").value = ""; showChosen(); });
      box.append(clear);
    }
    box.hidden = files.length === 0;
  }

  async function send() {
    const text = $("text").value;
    const files = [...$("file").files];
    if (state.sending || (!text.trim() && files.length === 0)) return;
    const form = new FormData();
    form.append("text", text);
    form.append("sender", state.sender);
    if (state.replyTo !== null) form.append("reply_to", String(state.replyTo));
    files.forEach((f, i) => form.append(`file${String(i).padStart(3, "0")}`, f, f.name));
    state.sending = true;
    if (files.length) toast(files.length > 1 ? "Sending the album…" : "Sending the file…");
    const body = await api(`/sandbox/api/chats/${state.chat}/send`, { method: "POST", body: form });
    state.sending = false;
    if (!body.ok) {
      toast(body.error || "That could not be sent.");
      return;
    }
    $("toast").hidden = true;
    $("text").value = "";
    $("file").value = "";
    showChosen();
    cancelReply();
  }

  async function press(messageId, button) {
    if (button.url) {
      window.open(button.url, "_blank", "noopener");
      return;
    }
    const body = await api(`/sandbox/api/chats/${state.chat}/press`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ message_id: messageId, data: button.data, sender: state.sender }),
    });
    if (!body.ok) toast(body.error || "That button did nothing.");
  }

  // ---- chats and senders ----------------------------------------------------------------
  function selectChat(key) {
    if (!(key in names)) return;
    state.chat = key;
    state.generation += 1;
    state.follow = true;
    clearMessages();
    cancelReply();
    for (const el of document.querySelectorAll("[data-chat]")) {
      el.classList.toggle("active", el.dataset.chat === key);
    }
    const group = key === "group";
    $("chat-title").textContent = names[key];
    $("chat-avatar").textContent = group ? "G" : "K";
    $("chat-avatar").className = `avatar ${group ? "group" : "bot"}-avatar`;
    $("senders").hidden = !group;
    $("hint").hidden = !group;
    if (!group) selectSender("Alice");
    const bot = state.bot ? `@${state.bot.username}` : "";
    $("chat-sub").textContent = group ? `Alice, Bob and ${bot}` : `${bot} · bot`;
  }

  function selectSender(name) {
    state.sender = name;
    for (const el of document.querySelectorAll("[data-sender]")) {
      const active = el.dataset.sender === name;
      el.classList.toggle("active", active);
      el.setAttribute("aria-checked", String(active));
    }
  }

  async function start() {
    for (const el of document.querySelectorAll("[data-chat]")) {
      el.addEventListener("click", () => selectChat(el.dataset.chat));
    }
    for (const el of document.querySelectorAll("[data-sender]")) {
      el.addEventListener("click", () => selectSender(el.dataset.sender));
    }
    $("file").addEventListener("change", showChosen);
    $("messages").addEventListener("scroll", () => {
      const box = $("messages");
      state.follow = box.scrollHeight - box.scrollTop - box.clientHeight < 80;
    });
    $("send").addEventListener("click", send);
    $("reply-cancel").addEventListener("click", cancelReply);
    $("text").addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        send();
      } else if (event.key === "Escape") {
        cancelReply();
      }
    });
    const body = await api("/sandbox/api/state");
    if (body.ok) {
      state.bot = body.bot;
      $("private-title").textContent = body.bot.name;
      names.private = body.bot.name;
      $("hint").textContent = "Privacy mode is on, as for a real bot: in this group it sees "
        + `commands, messages that mention @${body.bot.username} (a video too, in its caption) `
        + "and replies to its own messages.";
      $("notices").replaceChildren(...body.notices.map(
        (n) => element("div", `notice ${n.level}`, n.text)));
    }
    selectChat("private");
    poll();
  }

  start();
})();
