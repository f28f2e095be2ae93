// ui.radio and ui.multiselect: a list of radio buttons (one label) or checkboxes (a list of
// labels); the wire value is the selected label(s).

export default {
  render({ model, el }) {
    const multiple = Boolean(model.get("multiple"));
    const frame = rkFrame(model, el, multiple ? "Multiselect" : "Radio");
    const group = rkNode("div", "rk-Choices-group");
    group.setAttribute("role", multiple ? "group" : "radiogroup");
    const name = rkId();
    group.setAttribute("aria-labelledby", (frame.label.id = rkId()));
    frame.body.append(group);
    let inputs = [];

    const selected = () => {
      const value = model.get("value");
      if (multiple) return new Set(value);
      return new Set(value === null ? [] : [value]);
    };
    const build = () => {
      inputs = [];
      group.replaceChildren(...model.get("options").map((label) => {
        const row = rkNode("label", "rk-Choices-option");
        const input = rkNode("input", "rk-Choices-input");
        input.type = multiple ? "checkbox" : "radio";
        input.name = name;
        input.value = label;
        input.addEventListener("change", onChange);
        inputs.push(input);
        row.append(input, rkNode("span", "", label));
        return row;
      }));
      show();
    };
    const show = () => {
      const chosen = selected();
      for (const input of inputs) {
        input.checked = chosen.has(input.value);
        input.disabled = Boolean(model.get("disabled"));
      }
    };
    function onChange() {
      const chosen = inputs.filter((input) => input.checked).map((input) => input.value);
      rkSend(model, "value", multiple ? chosen : (chosen[0] ?? null));
    }
    const stopShow = rkListen(model, ["value", "disabled"], show);
    const stopBuild = rkListen(model, ["options"], build);
    build();
    return () => {
      stopShow();
      stopBuild();
      frame.dispose();
    };
  },
};
