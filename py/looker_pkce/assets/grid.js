// A virtual-scrolling, sortable table for large results (100,000 rows stay smooth).
// Rows stay in JavaScript: Python hands over the parsed JSON array and never copies it.
// Every cell is written with textContent, so values that look like HTML stay text.
"use strict";

const ROW_HEIGHT = 30;
const OVERSCAN = 10;
const numberFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });

function cellValue(row, column) {
  const value = row[column.key];
  if (column.pivot !== undefined && value !== null && typeof value === "object") return value[column.pivot];
  return value;
}

function formatValue(value, column) {
  if (value === null || value === undefined) return "∅";
  if (typeof value === "number") return column.numeric === false ? String(value) : numberFormat.format(value);
  return String(value);
}

function compare(a, b) {
  if (a === b) return 0;
  if (a === null || a === undefined) return 1;
  if (b === null || b === undefined) return -1;
  if (typeof a === "number" && typeof b === "number") return a - b;
  return String(a).localeCompare(String(b));
}

class Grid {
  constructor(container, columns, rows, { height = 440 } = {}) {
    this.container = container;
    this.columns = columns;
    this.rows = rows;
    this.view = rows;
    this.sort = null;
    container.replaceChildren();
    container.classList.add("grid");

    const header = document.createElement("div");
    header.className = "grid-header";
    header.setAttribute("role", "row");
    this.headerCells = columns.map((column, index) => {
      const cell = document.createElement("button");
      cell.type = "button";
      cell.className = "grid-cell" + (column.numeric ? " numeric" : "");
      cell.textContent = column.label;
      cell.title = "Sort by " + column.label;
      cell.setAttribute("role", "columnheader");
      cell.addEventListener("click", () => this.sortBy(index));
      header.appendChild(cell);
      return cell;
    });

    this.scroller = document.createElement("div");
    this.scroller.className = "grid-body";
    this.scroller.style.height = Math.min(height, ROW_HEIGHT * rows.length + 2) + "px";
    this.scroller.tabIndex = 0;
    this.scroller.setAttribute("role", "rowgroup");
    this.spacer = document.createElement("div");
    this.spacer.className = "grid-spacer";
    this.window = document.createElement("div");
    this.window.className = "grid-window";
    this.spacer.appendChild(this.window);
    this.scroller.appendChild(this.spacer);
    this.scroller.addEventListener("scroll", () => this.paint());

    const width = columns.map((c) => (c.numeric ? "minmax(7rem, 1fr)" : "minmax(9rem, 2fr)")).join(" ");
    container.style.setProperty("--grid-columns", width);
    container.append(header, this.scroller);
    this.layout();
  }

  layout() {
    this.spacer.style.height = this.view.length * ROW_HEIGHT + "px";
    this.firstPainted = -1;
    this.paint();
  }

  paint() {
    const top = this.scroller.scrollTop;
    const first = Math.max(0, Math.floor(top / ROW_HEIGHT) - OVERSCAN);
    if (first === this.firstPainted) return;
    this.firstPainted = first;
    const count = Math.ceil(this.scroller.clientHeight / ROW_HEIGHT || 15) + OVERSCAN * 2;
    const last = Math.min(this.view.length, first + count);
    const fragment = document.createDocumentFragment();
    for (let i = first; i < last; i++) {
      const row = this.view[i];
      const line = document.createElement("div");
      line.className = "grid-row";
      line.setAttribute("role", "row");
      for (const column of this.columns) {
        const cell = document.createElement("div");
        const value = cellValue(row, column);
        cell.className = "grid-cell" + (column.numeric ? " numeric" : "") + (value === null || value === undefined ? " null" : "");
        cell.textContent = formatValue(value, column);
        line.appendChild(cell);
      }
      fragment.appendChild(line);
    }
    this.window.style.transform = `translateY(${first * ROW_HEIGHT}px)`;
    this.window.replaceChildren(fragment);
  }

  sortBy(index) {
    const column = this.columns[index];
    const descending = this.sort && this.sort.index === index ? !this.sort.descending : !!column.numeric;
    this.sort = { index, descending };
    const keyed = this.rows.map((row, position) => [cellValue(row, column), position]);
    keyed.sort((a, b) => (descending ? -compare(a[0], b[0]) : compare(a[0], b[0])) || a[1] - b[1]);
    this.view = keyed.map((pair) => this.rows[pair[1]]);
    this.headerCells.forEach((cell, i) => {
      cell.setAttribute("aria-sort", i === index ? (descending ? "descending" : "ascending") : "none");
    });
    this.scroller.scrollTop = 0;
    this.layout();
  }
}

window.LookerGrid = {
  create: (container, columns, rows, options) => new Grid(container, columns, rows, options || {}),
};
