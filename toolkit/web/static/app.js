// scaffold serve's page: keeps the choices, the link and the commands in step with the
// form (the server resolves every change at /spec, with the CLI's own messages), and
// shows the files of the project (/preview). No library; nothing loaded from elsewhere.
"use strict";

(() => {
  const form = document.getElementById("form");
  const meta = JSON.parse(document.getElementById("metadata").textContent);
  const problem = document.getElementById("problem");
  const status = document.getElementById("status");
  const byId = (id) => document.getElementById(id);
  let current = null; // the last answer of /spec; null while the form is refused
  let asked = 0;
  let timer = 0;
  let pending = false; // a change waits for its (debounced) turn to be resolved
  let latest = Promise.resolve();
  let explored = null; // the answer whose files the explorer shows

  const radios = (name) => [...form.querySelectorAll(`input[type=radio][name="${name}"]`)];
  const chosen = (name) => radios(name).find((input) => input.checked)?.value;
  const formQuery = () => new URLSearchParams(new FormData(form)).toString();

  // Why a framework (any database) or a database is not offered: the server's reason.
  function reason(kind, framework, database) {
    const cells = meta.combinations.filter(
      (c) => c.kind === kind && c.framework === framework &&
        (database === undefined || c.database === database));
    if (cells.some((c) => c.offered)) return null;
    return cells.length ? cells[0].reason : "not offered";
  }

  function offer(input, why) {
    input.disabled = why !== null;
    const note = input.closest("label").querySelector(".reason");
    note.textContent = why || "";
    note.hidden = why === null;
  }

  // Keep a choice that is still offered, else take the kind's default.
  function keepOrDefault(name, fallback) {
    const inputs = radios(name);
    if (inputs.some((input) => input.checked && !input.disabled)) return;
    const next = inputs.find((i) => i.value === fallback && !i.disabled) ||
      inputs.find((i) => !i.disabled);
    if (next) next.checked = true;
  }

  function applyChoices() {
    const kind = chosen("kind");
    const info = meta.kinds[kind];
    radios("framework").forEach((input) => offer(input, reason(kind, input.value)));
    keepOrDefault("framework", info.defaults.framework);
    const framework = chosen("framework");
    radios("database").forEach((input) => offer(input, reason(kind, framework, input.value)));
    keepOrDefault("database", info.defaults.database[framework]);
    document.querySelectorAll(".kind-info").forEach((el) => {
      el.hidden = el.dataset.kind !== kind;
    });
    byId("name").placeholder = kind;
  }

  function markInvalid(parameter) {
    byId("name").setAttribute("aria-invalid", parameter === "name" ? "true" : "false");
  }

  function refresh() {
    clearTimeout(timer);
    pending = false;
    latest = resolveForm();
    return latest;
  }

  // The answer for the form as it is now: what Download and Explore act on.
  async function settled() {
    if (pending) await refresh();
    else await latest;
    return current;
  }

  async function resolveForm() {
    const ask = ++asked;
    let response, body;
    try {
      response = await fetch(`/spec?${formQuery()}`, { headers: { accept: "application/json" } });
      body = await response.json();
    } catch (error) {
      if (ask === asked) problem.textContent = "The server did not answer; try again.";
      return;
    }
    if (ask !== asked) return; // a later change has asked again
    if (!response.ok) {
      current = null;
      problem.textContent = body.detail;
      markInvalid(body.parameter);
      return;
    }
    current = body;
    problem.textContent = "";
    markInvalid(null);
    const link = new URL(`/?${body.query}`, window.location.href).href;
    byId("share-url").value = link;
    byId("cmd-new").textContent = body.commands.scaffold;
    byId("cmd-curl").textContent = body.commands.curl;
    history.replaceState(null, "", `/?${body.query}`);
  }

  function schedule(delay) {
    clearTimeout(timer);
    pending = true;
    timer = setTimeout(refresh, delay);
  }

  // -- Explore ------------------------------------------------------------------------------

  function treeOf(files) {
    const root = { folders: new Map(), files: [] };
    for (const file of files) {
      const parts = file.path.split("/");
      let node = root;
      for (const part of parts.slice(0, -1)) {
        if (!node.folders.has(part)) node.folders.set(part, { folders: new Map(), files: [] });
        node = node.folders.get(part);
      }
      node.files.push({ ...file, name: parts[parts.length - 1] });
    }
    return root;
  }

  function listOf(node, depth) {
    const list = document.createElement("ul");
    for (const [name, child] of node.folders) {
      const item = document.createElement("li");
      const details = document.createElement("details");
      details.open = depth === 0;
      const summary = document.createElement("summary");
      summary.textContent = `${name}/`;
      details.append(summary, listOf(child, depth + 1));
      item.append(details);
      list.append(item);
    }
    for (const file of node.files) {
      const item = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "file";
      button.dataset.path = file.path;
      button.textContent = file.name + (file.executable ? " *" : "");
      button.title = `${file.path}, ${file.size} bytes${file.executable ? ", executable" : ""}`;
      item.append(button);
      list.append(item);
    }
    return list;
  }

  async function getJson(url) {
    const response = await fetch(url, { headers: { accept: "application/json" } });
    const body = await response.json();
    if (!response.ok) throw new Error(body.detail);
    return body;
  }

  function showProblem() {
    byId(byId("name").getAttribute("aria-invalid") === "true" ? "name" : "problem").focus();
  }

  async function explore() {
    const state = await settled();
    if (!state) {
      showProblem();
      return;
    }
    status.textContent = "Making the project…";
    let body;
    try {
      body = await getJson(`/preview?${state.query}`);
    } catch (error) {
      status.textContent = "";
      problem.textContent = error.message;
      return;
    }
    explored = state;
    const tree = byId("tree");
    tree.replaceChildren(listOf(treeOf(body.files), 0));
    byId("explorer-name").textContent = body.name;
    byId("viewer-path").textContent = "Choose a file";
    byId("viewer-code").replaceChildren();
    byId("explorer").hidden = false;
    status.textContent = `${body.files.length} files in ${body.name}.`;
    byId("explorer-title").focus();
    const readme = tree.querySelector('button[data-path="README.md"]');
    if (readme) openFile(readme, false);
  }

  async function openFile(button, focus = true) {
    const path = button.dataset.path;
    let body;
    try {
      body = await getJson(`/preview?${explored.query}&path=${encodeURIComponent(path)}`);
    } catch (error) {
      status.textContent = error.message;
      return;
    }
    byId("tree").querySelectorAll("[aria-current]").forEach((el) => el.removeAttribute("aria-current"));
    button.setAttribute("aria-current", "true");
    byId("viewer-path").textContent = path + (body.executable ? " (executable)" : "");
    const code = byId("viewer-code");
    if (body.html === null) {
      const note = document.createElement("p");
      note.textContent = `A binary file of ${body.size} bytes.`;
      code.replaceChildren(note);
    } else {
      code.innerHTML = body.html; // made and escaped by the server (Pygments)
    }
    if (focus) code.focus();
  }

  // -- Copy ---------------------------------------------------------------------------------

  async function copy(button) {
    const target = byId(button.dataset.copy);
    const text = "value" in target ? target.value : target.textContent;
    try {
      await navigator.clipboard.writeText(text);
      status.textContent = "Copied.";
    } catch (error) {
      // No clipboard (a page not served from localhost or HTTPS): select it instead.
      const range = document.createRange();
      if ("select" in target) target.select();
      else {
        range.selectNodeContents(target);
        getSelection().removeAllRanges();
        getSelection().addRange(range);
      }
      status.textContent = "Selected: copy it with Ctrl+C.";
    }
  }

  // -- Wiring -------------------------------------------------------------------------------

  form.addEventListener("change", (event) => {
    if (event.target.name === "kind" || event.target.name === "framework") applyChoices();
    schedule(0);
  });
  form.addEventListener("input", (event) => {
    if (event.target.name === "name") schedule(250);
  });
  // Without this script the form itself downloads; with it, the canonical link does,
  // once the form as it is now has been resolved.
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const format = event.submitter && event.submitter.id === "download-tgz" ? "tgz" : "zip";
    const state = await settled();
    if (state) window.location.assign(state.downloads[format]);
    else showProblem();
  });
  problem.tabIndex = -1;
  byId("explore").addEventListener("click", explore);
  byId("tree").addEventListener("click", (event) => {
    const button = event.target.closest("button.file");
    if (button) openFile(button);
  });
  document.querySelectorAll("[data-copy]").forEach((button) => {
    button.addEventListener("click", () => copy(button));
  });

  applyChoices();
  refresh();
})();
