// ui.dropdown: a <select> over the option labels; the wire value is the selected label.

export default {
  render({ model, el }) {
    const frame = rkFrame(model, el, "Dropdown");
    const select = rkNode("select", "rk-Ui-input rk-Dropdown-select");
    select.id = rkId();
    frame.label.htmlFor = select.id;
    frame.body.append(select);

    const show = () => {
      const labels = model.get("options");
      if (select.options.length !== labels.length || [...select.options].some((o, i) => o.value !== labels[i])) {
        select.replaceChildren(...labels.map((label) => {
          const option = rkNode("option", "", label);
          option.value = label;
          return option;
        }));
      }
      select.value = model.get("value") ?? "";
      select.disabled = Boolean(model.get("disabled"));
    };
    const onChange = () => rkSend(model, "value", select.value);
    select.addEventListener("change", onChange);
    const stop = rkListen(model, ["value", "options", "disabled"], show);
    show();
    return () => {
      stop();
      frame.dispose();
      select.removeEventListener("change", onChange);
    };
  },
};
