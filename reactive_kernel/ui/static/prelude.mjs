// Shared helpers of every reactive_kernel.ui widget, prepended to each widget's module by
// reactive_kernel/ui/base.py (anywidget loads one module per widget, so they cannot import each
// other). Plain DOM, no imports: the notebook may have no internet.

let rkNextId = 0;

function rkNode(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

function rkId() {
  rkNextId += 1;
  return `rk-ui-${Date.now().toString(36)}-${rkNextId}`;
}

/** Set a trait and send it to the kernel. */
function rkSend(model, key, value) {
  model.set(key, value);
  model.save_changes();
}

/** Listen to `change:<key>` for each key; returns the function that stops listening. */
function rkListen(model, keys, callback) {
  for (const key of keys) model.on(`change:${key}`, callback);
  return () => {
    for (const key of keys) model.off(`change:${key}`, callback);
  };
}

/**
 * The widget's frame: `el` gets the classes rk-Ui and rk-<Name>, a label (hidden when empty)
 * and a body for the control. Returns { label, body, dispose }.
 */
function rkFrame(model, el, name) {
  el.classList.add("rk-Ui", `rk-${name}`);
  const label = rkNode("label", "rk-Ui-label");
  const body = rkNode("div", "rk-Ui-body");
  const sync = () => {
    const text = model.get("label") || "";
    label.textContent = text;
    label.hidden = text === "";
    el.classList.toggle("rk-mod-disabled", Boolean(model.get("disabled")));
  };
  sync();
  el.replaceChildren(label, body);
  const stopListening = rkListen(model, ["label", "disabled"], sync);
  rkGuardKeys();
  return { label, body, dispose: stopListening };
}

const RK_CONTROL_KEYS = new Set([
  "ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown", "Home", "End", "PageUp", "PageDown", " ", "Enter",
]);

/**
 * Keeps the keys a focused control uses itself inside the widget. JupyterLab's command mode binds
 * the arrow keys to notebook navigation for any focused element in a cell that is not a text field
 * (a range input, a select, a checkbox), and prevents their default: a slider would not move with
 * the keyboard. Notebook 7 sees the keys in the capture phase, before any listener of the widget,
 * so the guard listens on the window, capturing, which comes first of all (once per page, shared
 * by every widget module). Modified keys (Shift+Enter, Ctrl+Arrow...) still reach the notebook.
 */
function rkGuardKeys() {
  if (window.__rkKeyGuard) return;
  window.__rkKeyGuard = true;
  window.addEventListener("keydown", rkKeepKeys, true);
}

function rkKeepKeys(event) {
  if (event.ctrlKey || event.altKey || event.metaKey || event.shiftKey) return;
  if (!RK_CONTROL_KEYS.has(event.key)) return;
  const target = event.target;
  if (
    target instanceof Element &&
    target.matches("input, select, button, textarea") &&
    target.closest(".rk-Ui") !== null
  ) {
    event.stopPropagation();
  }
}

/**
 * Calls `send` with the latest arguments at most once every `ms` milliseconds while calls keep
 * coming (leading call delayed, trailing call kept), so a drag sends a few values and the last
 * one always arrives. `cancel()` drops a pending call; `flush()` makes it now.
 */
function rkThrottle(send, ms) {
  let timer = null;
  let args = null;
  const fire = () => {
    timer = null;
    const pending = args;
    args = null;
    if (pending !== null) send(...pending);
  };
  const throttled = (...next) => {
    args = next;
    if (timer === null) timer = setTimeout(fire, ms);
  };
  throttled.cancel = () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    args = null;
  };
  throttled.flush = () => {
    if (timer !== null) clearTimeout(timer);
    fire();
  };
  return throttled;
}

function rkFormat(value) {
  if (typeof value !== "number") return String(value);
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(6)));
}
