// ui.number: a number input; sends on change (Enter, blur, the spin buttons). An empty or
// unparsable entry is not sent: the input shows the kernel's value again.

export default {
  render({ model, el }) {
    const frame = rkFrame(model, el, "Number");
    const input = rkNode("input", "rk-Ui-input rk-Number-input");
    input.type = "number";
    input.id = rkId();
    frame.label.htmlFor = input.id;
    frame.body.append(input);

    const show = () => {
      const start = model.get("start");
      const stop = model.get("stop");
      input.min = start === null ? "" : String(start);
      input.max = stop === null ? "" : String(stop);
      const step = model.get("step");
      input.step = step !== null ? String(step) : model.get("integer") ? "1" : "any";
      input.disabled = Boolean(model.get("disabled"));
      input.value = String(model.get("value"));
    };
    const onChange = () => {
      const value = input.valueAsNumber;
      if (Number.isFinite(value)) rkSend(model, "value", value);
      else show();
    };
    input.addEventListener("change", onChange);
    const stop = rkListen(model, ["value", "start", "stop", "step", "integer", "disabled"], show);
    show();
    return () => {
      stop();
      frame.dispose();
      input.removeEventListener("change", onChange);
    };
  },
};
