// ui.text and ui.text_area: sends on change (Enter in a single line, blur); with
// `continuous` set, also while typing, at most every 300 ms.

export default {
  render({ model, el }) {
    const multiline = Boolean(model.get("multiline"));
    const frame = rkFrame(model, el, multiline ? "TextArea" : "Text");
    const input = rkNode(multiline ? "textarea" : "input", "rk-Ui-input rk-Text-input");
    if (!multiline) input.type = "text";
    input.id = rkId();
    frame.label.htmlFor = input.id;
    frame.body.append(input);

    const show = () => {
      input.placeholder = model.get("placeholder") || "";
      input.disabled = Boolean(model.get("disabled"));
      const max = model.get("max_length");
      if (max === null) input.removeAttribute("maxlength");
      else input.maxLength = max;
      if (multiline) input.rows = model.get("rows");
      if (input.value !== model.get("value")) input.value = model.get("value");
    };
    const send = rkThrottle((value) => rkSend(model, "value", value), 300);
    const onInput = () => {
      if (model.get("continuous")) send(input.value);
    };
    const onChange = () => {
      send.cancel();
      rkSend(model, "value", input.value);
    };
    input.addEventListener("input", onInput);
    input.addEventListener("change", onChange);
    const stop = rkListen(model, ["value", "placeholder", "disabled", "max_length", "rows"], show);
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
