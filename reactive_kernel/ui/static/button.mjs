// ui.button: each click adds one to `value` (the click count) and sends it.

export default {
  render({ model, el }) {
    el.classList.add("rk-Ui", "rk-Button");
    const button = rkNode("button", "rk-Button-button");
    button.type = "button";
    el.replaceChildren(button);

    const show = () => {
      button.textContent = model.get("label") || "Click";
      button.disabled = Boolean(model.get("disabled"));
      button.className = `rk-Button-button rk-mod-${model.get("kind")}`;
    };
    const onClick = () => rkSend(model, "value", (model.get("value") || 0) + 1);
    button.addEventListener("click", onClick);
    const stop = rkListen(model, ["label", "disabled", "kind"], show);
    show();
    return () => {
      stop();
      button.removeEventListener("click", onClick);
    };
  },
};
