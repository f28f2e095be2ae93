// ui.file_upload: a file input (and drop zone). The chosen files go to the kernel as
// [{ name, type, size, content }] with each content an ArrayBuffer, which ipywidgets sends as a
// binary buffer of the comm message (no base64).

export default {
  render({ model, el }) {
    const frame = rkFrame(model, el, "FileUpload");
    const zone = rkNode("label", "rk-FileUpload-zone");
    const input = rkNode("input", "rk-FileUpload-input");
    input.type = "file";
    const prompt = rkNode("span", "rk-FileUpload-prompt");
    const list = rkNode("ul", "rk-FileUpload-list");
    zone.append(input, prompt);
    frame.body.append(zone, list);

    const show = () => {
      input.accept = model.get("accept") || "";
      input.multiple = Boolean(model.get("multiple"));
      input.disabled = Boolean(model.get("disabled"));
      const files = model.get("value") || [];
      prompt.textContent = files.length ? "Choose other files…" : "Choose or drop files…";
      list.replaceChildren(...files.map((file) => rkNode("li", "", `${file.name} (${file.size} bytes)`)));
    };
    const upload = async (fileList) => {
      const files = [...fileList];
      const value = await Promise.all(files.map(async (file) => ({
        name: file.name,
        type: file.type,
        size: file.size,
        content: await file.arrayBuffer(),
      })));
      rkSend(model, "value", value);
    };
    const onChange = () => upload(input.files);
    const onDragOver = (event) => {
      event.preventDefault();
      zone.classList.add("rk-mod-over");
    };
    const onDragLeave = () => zone.classList.remove("rk-mod-over");
    const onDrop = (event) => {
      event.preventDefault();
      zone.classList.remove("rk-mod-over");
      if (model.get("disabled") || !event.dataTransfer) return;
      const files = [...event.dataTransfer.files];
      upload(model.get("multiple") ? files : files.slice(0, 1));
    };
    input.addEventListener("change", onChange);
    zone.addEventListener("dragover", onDragOver);
    zone.addEventListener("dragleave", onDragLeave);
    zone.addEventListener("drop", onDrop);
    const stop = rkListen(model, ["value", "accept", "multiple", "disabled"], show);
    show();
    return () => {
      stop();
      frame.dispose();
      input.removeEventListener("change", onChange);
      zone.removeEventListener("dragover", onDragOver);
      zone.removeEventListener("dragleave", onDragLeave);
      zone.removeEventListener("drop", onDrop);
    };
  },
};
