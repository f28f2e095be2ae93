// ui.range_slider: two range inputs over one track for [low, high]. Like ui.slider, it sends at
// most every 60 ms while dragging and the final pair on release.

export default {
  render({ model, el }) {
    const frame = rkFrame(model, el, "RangeSlider");
    const track = rkNode("div", "rk-RangeSlider-track");
    const low = rkNode("input", "rk-RangeSlider-input");
    const high = rkNode("input", "rk-RangeSlider-input");
    low.type = high.type = "range";
    low.id = rkId();
    frame.label.htmlFor = low.id;
    low.setAttribute("aria-label", "low");
    high.setAttribute("aria-label", "high");
    track.append(low, high);
    const output = rkNode("output", "rk-Slider-value");
    frame.body.append(track, output);
    let dragging = false;

    const pair = () => {
      const a = Number(low.value);
      const b = Number(high.value);
      return a <= b ? [a, b] : [b, a];
    };
    const text = (value) => `${rkFormat(value[0])} – ${rkFormat(value[1])}`;
    const show = () => {
      for (const input of [low, high]) {
        input.min = String(model.get("start"));
        input.max = String(model.get("stop"));
        input.step = String(model.get("step"));
        input.disabled = Boolean(model.get("disabled"));
      }
      if (!dragging) {
        const value = model.get("value");
        low.value = String(value[0]);
        high.value = String(value[1]);
        output.textContent = text(value);
      }
    };
    const send = rkThrottle((value) => rkSend(model, "value", value), 60);
    const onInput = () => {
      dragging = true;
      output.textContent = text(pair());
      send(pair());
    };
    const onChange = () => {
      dragging = false;
      send.cancel();
      rkSend(model, "value", pair());
    };
    for (const input of [low, high]) {
      input.addEventListener("input", onInput);
      input.addEventListener("change", onChange);
    }
    const stop = rkListen(model, ["value", "start", "stop", "step", "disabled"], show);
    show();
    return () => {
      send.cancel();
      stop();
      frame.dispose();
      for (const input of [low, high]) {
        input.removeEventListener("input", onInput);
        input.removeEventListener("change", onChange);
      }
    };
  },
};
