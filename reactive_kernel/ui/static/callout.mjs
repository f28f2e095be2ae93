// ui.callout: a coloured box (info, warn, danger, success) around a text or HTML message.

export default {
  render({ model, el }) {
    el.classList.add("rk-Ui", "rk-Callout");
    const show = () => {
      el.className = el.className.replace(/\brk-mod-\w+/g, "").trim();
      el.classList.add(`rk-mod-${model.get("kind")}`);
      el.setAttribute("role", model.get("kind") === "info" ? "note" : "alert");
      if (model.get("html")) el.innerHTML = model.get("html");
      else el.textContent = model.get("text");
    };
    const stop = rkListen(model, ["kind", "text", "html"], show);
    show();
    return stop;
  },
};
