// ui.checkbox and ui.switch: one checkbox input; the switch is the same input drawn as a toggle
// (the rk-mod-switch class, see theme.css). The label sits after the control.

export default {
  render({ model, el }) {
    const frame = rkFrame(model, el, "Checkbox");
    const input = rkNode("input", "rk-Checkbox-input");
    input.type = "checkbox";
    input.setAttribute("role", model.get("appearance") === "switch" ? "switch" : "checkbox");
    el.classList.toggle("rk-mod-switch", model.get("appearance") === "switch");
    input.id = rkId();
    frame.label.htmlFor = input.id;
    frame.body.append(input, frame.label);

    const show = () => {
      input.checked = Boolean(model.get("value"));
      input.disabled = Boolean(model.get("disabled"));
    };
    const onChange = () => rkSend(model, "value", input.checked);
    input.addEventListener("change", onChange);
    const stop = rkListen(model, ["value", "disabled"], show);
    show();
    return () => {
      stop();
      frame.dispose();
      input.removeEventListener("change", onChange);
    };
  },
};
