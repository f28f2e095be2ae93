// ui.date: a date input; the wire value is an ISO date string ("2024-05-31").

export default {
  render({ model, el }) {
    const frame = rkFrame(model, el, "Date");
    const input = rkNode("input", "rk-Ui-input rk-Date-input");
    input.type = "date";
    input.id = rkId();
    frame.label.htmlFor = input.id;
    frame.body.append(input);

    const show = () => {
      input.min = model.get("start") || "";
      input.max = model.get("stop") || "";
      input.disabled = Boolean(model.get("disabled"));
      input.value = model.get("value");
    };
    const onChange = () => {
      if (input.value) rkSend(model, "value", input.value);
      else show(); // cleared: a date widget always has a date
    };
    input.addEventListener("change", onChange);
    const stop = rkListen(model, ["value", "start", "stop", "disabled"], show);
    show();
    return () => {
      stop();
      frame.dispose();
      input.removeEventListener("change", onChange);
    };
  },
};
