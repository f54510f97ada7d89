// A virtual-scrolling, sortable table for large results (100,000 rows stay smooth).
// Rows stay in JavaScript: Python hands over the parsed JSON array and never copies it.
// Every cell is written with textContent, so values that look like HTML stay text.
"use strict";

const ROW_HEIGHT = 30;
const OVERSCAN = 10;
const MEASURE = { group: true };  // formats.MEASURE and formats.PLAIN, for columns that carry no format
const PLAIN = { group: false };

function groupDigits(digits) {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

// A Looker value format spec ({prefix, suffix, decimals, group, percent}; made by the Python side from
// the field's value_format / value_format_name) applied to a number: looker_pkce/core/formats.py's
// format_value in JavaScript, so 100,000 rows are formatted without crossing into Python
// (tests/unit/test_app_logic.py checks both give the same texts).
function formatNumber(value, spec) {
  const number = spec.percent ? value * 100 : value;
  const decimals = spec.decimals === null || spec.decimals === undefined ? null : spec.decimals;
  let text = decimals === null ? String(number) : number.toFixed(decimals);
  if (/e/.test(text) && Math.abs(number) >= 1e21) {  // toFixed gives up here: whole digits, as Python's %f
    text = BigInt(number).toString() + (decimals ? "." + "0".repeat(decimals) : "");
  } else if (/e/.test(text)) text = number.toFixed(6).replace(/0+$/, "").replace(/\.$/, "");
  let negative = text.startsWith("-");
  let [whole, fraction] = text.replace(/^-/, "").split(".");
  if (spec.group) whole = groupDigits(whole);
  text = whole + (fraction ? "." + fraction : "");
  if (negative && /^[0.,]*$/.test(text)) negative = false;
  return (negative ? "-" : "") + (spec.prefix || "") + text + (spec.suffix || "");
}

function cellValue(row, column) {
  const value = row[column.key];
  if (column.pivot !== undefined && value !== null && typeof value === "object") return value[column.pivot];
  return value;
}

function formatValue(value, column) {
  if (value === null || value === undefined) return "∅";
  if (typeof value === "number") return formatNumber(value, column.format || (column.numeric === false ? PLAIN : MEASURE));
  return String(value);
}

function compare(a, b) {
  if (a === b) return 0;
  if (a === null || a === undefined) return 1;
  if (b === null || b === undefined) return -1;
  if (typeof a === "number" && typeof b === "number") return a - b;
  return String(a).localeCompare(String(b));
}

// Looker's totals row: each measure's total under its column ("Totals" in the first column when it
// has none); a pivoted column shows its pivot value's total, or nothing when there is none per pivot.
function totalsRow(columns, totals) {
  const line = document.createElement("div");
  line.className = "grid-totals";
  line.setAttribute("role", "row");
  columns.forEach((column, index) => {
    const value = totals[column.key];
    const own = column.pivot === undefined ? value : value !== null && typeof value === "object" ? value[column.pivot] : undefined;
    const cell = document.createElement("div");
    cell.className = "grid-cell" + (column.numeric ? " numeric" : "");
    if (own !== undefined && (column.pivot !== undefined || typeof own !== "object")) cell.textContent = formatValue(own, column);
    else if (index === 0) cell.textContent = "Totals";
    line.appendChild(cell);
  });
  return line;
}

class Grid {
  // options: height (px); onSort(column) to let the caller re-run the query sorted (as Looker does)
  // instead of sorting the fetched rows; onRowClick(row, column) for drilling; totals ({field: value},
  // pivoted measures {field: {pivot value: value}}) for Looker's totals row under the rows.
  constructor(container, columns, rows, { height = 440, onSort = null, onRowClick = null, totals = null } = {}) {
    this.container = container;
    this.onSort = onSort;
    this.onRowClick = onRowClick;
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
      if (column.sorted) cell.setAttribute("aria-sort", column.sorted);
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
    if (totals) container.appendChild(totalsRow(columns, totals));
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
      if (this.onRowClick) {
        line.classList.add("clickable");
        line.addEventListener("click", (event) => {
          const index = Array.prototype.indexOf.call(line.children, event.target);
          this.onRowClick(row, this.columns[Math.max(0, index)]);
        });
      }
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
    if (this.onSort) {
      this.onSort(column);
      return;
    }
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

// Chart.js options that need functions: tooltips show each dataset's pre-formatted texts
// (dataset.formatted, made in Python with the fields' value formats), axis ticks use a scale's
// value format (scale.format). Both are plain data in the config Python builds.
function prepareChart(config) {
  const options = config.options || (config.options = {});
  options.plugins = options.plugins || {};
  options.plugins.tooltip = {
    callbacks: {
      label: (context) => {
        const texts = context.dataset.formatted;
        const shown = texts ? texts[context.dataIndex] : context.formattedValue;
        return (context.dataset.label ? context.dataset.label + ": " : "") + shown;
      },
    },
  };
  for (const scale of Object.values(options.scales || {})) {
    if (scale.format) {
      const spec = scale.format;
      delete scale.format;
      scale.ticks = Object.assign(scale.ticks || {}, { callback: (value) => formatNumber(value, spec) });
    }
  }
  return config;
}

// A json_detail result ({data: [{field: {value}}], totals_data?}) as plain rows ({field: value}, pivoted
// measures {field: {pivot value: value}}) and its totals row, both staying in JavaScript.
function plainCell(cell) {
  if (cell === null || typeof cell !== "object") return cell;
  if ("value" in cell) return cell.value;
  const out = {};
  for (const key of Object.keys(cell)) out[key] = plainCell(cell[key]);
  return out;
}

function fromDetail(detail) {
  const rows = (detail.data || []).map((row) => plainCell(row));
  return { rows, totals: detail.totals_data ? plainCell(detail.totals_data) : null };
}

window.LookerGrid = {
  create: (container, columns, rows, options) => new Grid(container, columns, rows, options || {}),
  format: (value, column) => formatValue(value, column || {}),
  prepareChart,
  fromDetail,
};
