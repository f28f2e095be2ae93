// ui.slider: a range input. While dragging it sends the value at most every 60 ms, and the final
// value on release (the `change` event), so the kernel's last value is the one the user let go at.

export default {
  render({ model, el }) {
    const frame = rkFrame(model, el, "Slider");
    const input = rkNode("input", "rk-Slider-input");
    input.type = "range";
    input.id = rkId();
    frame.label.htmlFor = input.id;
    const output = rkNode("output", "rk-Slider-value");
    frame.body.append(input, output);
    let dragging = false;

    const show = () => {
      input.min = String(model.get("start"));
      input.max = String(model.get("stop"));
      input.step = String(model.get("step"));
      input.disabled = Boolean(model.get("disabled"));
      output.hidden = !model.get("show_value");
      // While the user drags, an echo of an older value must not move the thumb back.
      if (!dragging) {
        input.value = String(model.get("value"));
        output.textContent = rkFormat(model.get("value"));
      }
    };
    const send = rkThrottle((value) => rkSend(model, "value", value), 60);
    const onInput = () => {
      dragging = true;
      const value = Number(input.value);
      output.textContent = rkFormat(value);
      send(value);
    };
    const onChange = () => {
      dragging = false;
      send.cancel();
      rkSend(model, "value", Number(input.value));
    };
    input.addEventListener("input", onInput);
    input.addEventListener("change", onChange);
    const stop = rkListen(model, ["value", "start", "stop", "step", "disabled", "show_value"], show);
    show();
    return () => {
      send.cancel();
      stop();
      frame.dispose();
      input.removeEventListener("input", onInput);
      input.removeEventListener("change", onChange);
    };
  },
};
