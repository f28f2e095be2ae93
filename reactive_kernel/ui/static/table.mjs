// ui.table: the first rows of a table (the kernel sends at most `max_rows`), the total count, and
// row selection: a click on a row (or its radio button or checkbox) toggles it; "single" keeps
// one row selected, "multi" any number. The wire value is `selected`, a list of row positions;
// the kernel turns it into the rows themselves.

export default {
  render({ model, el }) {
    const frame = rkFrame(model, el, "Table");
    const scroller = rkNode("div", "rk-Table-scroller");
    const table = rkNode("table", "rk-Table-table");
    const footer = rkNode("div", "rk-Table-footer");
    scroller.append(table);
    frame.body.append(scroller, footer);

    const mode = () => model.get("selection");
    const choose = (index, checked) => {
      let next;
      if (mode() === "single") next = checked ? [index] : [];
      else {
        const set = new Set(model.get("selected"));
        if (checked) set.add(index);
        else set.delete(index);
        next = [...set].sort((a, b) => a - b);
      }
      rkSend(model, "selected", next);
    };
    const build = () => {
      const columns = model.get("columns");
      const selectable = mode() !== "none";
      el.classList.toggle("rk-mod-selectable", selectable);
      const head = rkNode("tr");
      if (selectable) head.append(rkNode("th", "rk-Table-select"));
      for (const column of columns) head.append(rkNode("th", "", column));
      const rows = model.get("rows").map((cells, index) => {
        const row = rkNode("tr");
        row.dataset.index = String(index);
        if (selectable) {
          const cell = rkNode("td", "rk-Table-select");
          const input = rkNode("input");
          input.type = mode() === "single" ? "radio" : "checkbox";
          input.setAttribute("aria-label", `select row ${index + 1}`);
          input.addEventListener("change", () => choose(index, input.checked));
          cell.append(input);
          row.append(cell);
          // A click anywhere else in the row toggles it too (the input handles its own clicks).
          row.addEventListener("click", (event) => {
            if (event.target === input || model.get("disabled")) return;
            if (window.getSelection()?.toString()) return; // the user is selecting text
            choose(index, !model.get("selected").includes(index));
          });
        }
        for (const value of cells) {
          const cell = rkNode("td", typeof value === "number" ? "rk-mod-number" : "", value ?? "");
          row.append(cell);
        }
        return row;
      });
      const thead = rkNode("thead");
      thead.append(head);
      const tbody = rkNode("tbody");
      tbody.append(...rows);
      table.replaceChildren(thead, tbody);
      const shown = model.get("rows").length;
      const total = model.get("row_count");
      footer.textContent = shown < total
        ? `Showing ${shown.toLocaleString()} of ${total.toLocaleString()} rows`
        : `${total.toLocaleString()} rows`;
      show();
    };
    const show = () => {
      const chosen = new Set(model.get("selected"));
      for (const row of table.querySelectorAll("tbody tr")) {
        const picked = chosen.has(Number(row.dataset.index));
        row.classList.toggle("rk-mod-selected", picked);
        const input = row.querySelector("input");
        if (input) {
          input.checked = picked;
          input.disabled = Boolean(model.get("disabled"));
        }
      }
    };
    const stopBuild = rkListen(model, ["columns", "rows", "row_count", "selection"], build);
    const stopShow = rkListen(model, ["selected", "disabled"], show);
    build();
    return () => {
      stopBuild();
      stopShow();
      frame.dispose();
    };
  },
};
