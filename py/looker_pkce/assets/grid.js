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

// A Looker value format spec ({prefix, suffix, decimals, group, percent, compact?}; made by the Python side from
// the field's value_format / value_format_name) applied to a number: looker_pkce/core/formats.py's
// format_value in JavaScript, so 100,000 rows are formatted without crossing into Python
// (tests/unit/test_app_logic.py checks both give the same texts).
const COMPACT_UNITS = [[1e12, "T"], [1e9, "B"], [1e6, "M"], [1e3, "K"]];  // formats.py's, largest first
const COMPACT_DECIMALS = 2;

function formatNumber(value, spec) {
  let number = spec.percent ? value * 100 : value;
  let unit = "";
  const compact = spec.compact ? COMPACT_UNITS.find(([size]) => Math.abs(number) >= size) : null;
  if (compact) [number, unit] = [number / compact[0], compact[1]];
  const decimals = spec.compact ? COMPACT_DECIMALS : spec.decimals === null || spec.decimals === undefined ? null : spec.decimals;
  let text = decimals === null ? String(number) : number.toFixed(decimals);
  if (spec.compact) text = text.replace(/0+$/, "").replace(/\.$/, "");
  else if (/e/.test(text) && Math.abs(number) >= 1e21) {  // toFixed gives up here: whole digits, as Python's %f
    text = BigInt(number).toString() + (decimals ? "." + "0".repeat(decimals) : "");
  } else if (/e/.test(text)) text = number.toFixed(6).replace(/0+$/, "").replace(/\.$/, "");
  let negative = text.startsWith("-");
  let [whole, fraction] = text.replace(/^-/, "").split(".");
  if (spec.group) whole = groupDigits(whole);
  text = whole + (fraction ? "." + fraction : "");
  if (negative && /^[0.,]*$/.test(text)) negative = false;
  return (negative ? "-" : "") + (spec.prefix || "") + text + unit + (spec.suffix || "");
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
    const cell = gridCell(column);
    if (own !== undefined && (column.pivot !== undefined || typeof own !== "object")) cell.textContent = formatValue(own, column);
    else if (index === 0) cell.textContent = "Totals";
    line.appendChild(cell);
  });
  return line;
}

function gridCell(column) {
  const cell = document.createElement("div");
  cell.className = "grid-cell" + (column.numeric ? " numeric" : "");
  cell.setAttribute("role", "gridcell");
  cell.tabIndex = -1;
  return cell;
}

function presentation(className) {
  const element = document.createElement("div");
  element.className = className;
  element.setAttribute("role", "presentation");
  return element;
}

// The keys of the ARIA grid pattern (https://www.w3.org/WAI/ARIA/apg/patterns/grid/): one cell is in
// the tab order at a time and the arrows move it; Enter or Space on a row drills (onRowClick), on a
// header sorts. [row change, column change] from the focused cell; "page" is a screenful of rows.
const MOVES = {
  ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1],
  PageUp: ["-page", 0], PageDown: ["page", 0], Home: [0, "first"], End: [0, "last"],
};

class Grid {
  // options: height (px); onSort(column) to let the caller re-run the query sorted (as Looker does)
  // instead of sorting the fetched rows; onRowClick(row, column) for drilling (a click, or Enter or
  // Space on a cell); totals ({field: value}, pivoted measures {field: {pivot value: value}}) for
  // Looker's totals row under the rows; label, the grid's accessible name.
  //
  // ARIA: role=grid with aria-rowcount (header + every row + totals) and each painted row's
  // aria-rowindex, so a screen reader knows where it is while only a window of rows is in the DOM.
  constructor(container, columns, rows, { height = 440, onSort = null, onRowClick = null, totals = null, label = "" } = {}) {
    this.container = container;
    this.onSort = onSort;
    this.onRowClick = onRowClick;
    this.columns = columns;
    this.rows = rows;
    this.view = rows;
    this.sort = null;
    this.hasTotals = !!totals;
    this.active = [0, 0];  // [row, column] of the cell in the tab order: row 0 the header, 1.. the rows
    container.replaceChildren();
    container.classList.add("grid");
    container.setAttribute("role", "grid");
    container.setAttribute("aria-rowcount", String(rows.length + 1 + (totals ? 1 : 0)));
    container.setAttribute("aria-colcount", String(columns.length));
    if (label) container.setAttribute("aria-label", label);

    const header = document.createElement("div");
    header.className = "grid-header";
    header.setAttribute("role", "row");
    header.setAttribute("aria-rowindex", "1");
    this.headerCells = columns.map((column, index) => {
      const cell = document.createElement("div");
      cell.className = "grid-cell" + (column.numeric ? " numeric" : "");
      cell.setAttribute("role", "columnheader");
      cell.setAttribute("aria-sort", column.sorted || "none");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "grid-sort";
      button.textContent = column.label;
      button.title = "Sort by " + column.label;
      button.tabIndex = -1;
      button.addEventListener("click", () => this.sortBy(index));
      cell.appendChild(button);
      header.appendChild(cell);
      return cell;
    });

    this.scroller = document.createElement("div");
    this.scroller.className = "grid-body";
    this.scroller.setAttribute("role", "rowgroup");
    this.scroller.style.height = Math.min(height, ROW_HEIGHT * rows.length + 2) + "px";
    this.scroller.tabIndex = -1;  // not a tab stop of its own (Chromium makes scrollers one): the cells are
    this.spacer = presentation("grid-spacer");
    this.window = presentation("grid-window");
    this.spacer.appendChild(this.window);
    this.scroller.appendChild(this.spacer);
    this.scroller.addEventListener("scroll", () => this.paint());

    const width = columns.map((c) => (c.numeric ? "minmax(7rem, 1fr)" : "minmax(9rem, 2fr)")).join(" ");
    container.style.setProperty("--grid-columns", width);
    // the columns' least width: on a narrower screen the grid scrolls sideways, header and rows together
    container.style.setProperty("--grid-least", columns.reduce((sum, c) => sum + (c.numeric ? 7 : 9), 0) + "rem");
    container.append(header, this.scroller);
    if (totals) {
      this.totals = totalsRow(columns, totals);
      this.totals.setAttribute("aria-rowindex", String(rows.length + 2));
      container.appendChild(this.totals);
    }
    container.addEventListener("keydown", (event) => this.onKey(event));
    container.addEventListener("focusin", (event) => this.onFocus(event));
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
    const hadFocus = this.container.contains(document.activeElement) && this.active[0] > 0;
    this.firstPainted = first;
    const count = Math.ceil(this.scroller.clientHeight / ROW_HEIGHT || 15) + OVERSCAN * 2;
    const last = Math.min(this.view.length, first + count);
    this.lastPainted = last;
    const fragment = document.createDocumentFragment();
    for (let i = first; i < last; i++) {
      const row = this.view[i];
      const line = document.createElement("div");
      line.className = "grid-row";
      line.setAttribute("role", "row");
      line.setAttribute("aria-rowindex", String(i + 2));
      line.dataset.index = String(i);
      if (this.onRowClick) {
        line.classList.add("clickable");
        line.addEventListener("click", (event) => {
          const index = Array.prototype.indexOf.call(line.children, event.target.closest(".grid-cell"));
          this.onRowClick(row, this.columns[Math.max(0, index)]);
        });
      }
      for (const column of this.columns) {
        const cell = gridCell(column);
        const value = cellValue(row, column);
        if (value === null || value === undefined) cell.classList.add("null");
        cell.textContent = formatValue(value, column);
        line.appendChild(cell);
      }
      fragment.appendChild(line);
    }
    this.window.style.transform = `translateY(${first * ROW_HEIGHT}px)`;
    this.window.replaceChildren(fragment);
    const [row, column] = this.active;  // scrolled away from the active row: it follows the rows in view
    if (row > this.view.length + (this.hasTotals ? 1 : 0)) this.active = [0, column];
    else if (row > 0 && row <= this.view.length && (row - 1 < first || row - 1 >= last)) {
      this.active = [Math.min(this.view.length, Math.floor(top / ROW_HEIGHT) + 1), column];
    }
    this.markActive(hadFocus);
  }

  // --- keyboard: the ARIA grid pattern -------------------------------------------------------------
  // The rows of the grid, as the keys count them: 0 the header, 1..n the rows, n+1 the totals.
  lastRow() {
    return this.view.length + (this.hasTotals ? 1 : 0);
  }

  // The focusable element at [row, column], painting its row first when it is scrolled away.
  cellAt(row, column) {
    if (row === 0) return this.headerCells[column].firstChild;
    if (row > this.view.length) return this.totals.children[column];
    const index = row - 1;
    if (index < this.firstPainted || index >= this.lastPainted) {
      this.scroller.scrollTop = Math.max(0, index * ROW_HEIGHT - this.scroller.clientHeight / 2);
      this.paint();
    }
    const line = this.window.querySelector(`[data-index="${index}"]`);
    return line ? line.children[column] : null;
  }

  // One cell in the tab order (tabindex 0), the others -1; moves focus there when `focus`.
  markActive(focus) {
    for (const element of this.container.querySelectorAll("[tabindex='0']")) element.tabIndex = -1;
    const [row, column] = this.active;
    const cell = this.cellAt(row, column);
    cell.tabIndex = 0;
    if (focus) {
      cell.focus({ preventScroll: true });
      if (row > 0 && row <= this.view.length) this.keepInView(row - 1);
    }
  }

  keepInView(index) {
    const top = index * ROW_HEIGHT, bottom = top + ROW_HEIGHT;
    if (top < this.scroller.scrollTop) this.scroller.scrollTop = top;
    else if (bottom > this.scroller.scrollTop + this.scroller.clientHeight) this.scroller.scrollTop = bottom - this.scroller.clientHeight;
  }

  onFocus(event) {  // a click or a Tab into the grid: that cell becomes the active one
    const cell = event.target.closest("[role=gridcell], [role=columnheader]");
    if (!cell) return;
    const line = cell.parentElement;
    const column = Array.prototype.indexOf.call(line.children, cell);
    const row = line === this.totals ? this.lastRow() : line.dataset.index !== undefined ? Number(line.dataset.index) + 1 : 0;
    if (row !== this.active[0] || column !== this.active[1]) {
      this.active = [row, column];
      this.markActive(false);
    }
  }

  onKey(event) {
    if (event.altKey || event.metaKey) return;
    const [row, column] = this.active;
    if ((event.key === "Enter" || event.key === " ") && row > 0 && row <= this.view.length) {
      event.preventDefault();
      if (this.onRowClick) this.onRowClick(this.view[row - 1], this.columns[column]);
      return;
    }
    const move = MOVES[event.key];
    if (!move) return;
    event.preventDefault();
    const page = Math.max(1, Math.floor(this.scroller.clientHeight / ROW_HEIGHT) - 1);
    let [down, across] = move;
    let next;
    if (event.ctrlKey && (event.key === "Home" || event.key === "End")) next = [event.key === "Home" ? 0 : this.lastRow(), across === "first" ? 0 : this.columns.length - 1];
    else {
      down = down === "page" ? page : down === "-page" ? -page : down;
      const to = across === "first" ? 0 : across === "last" ? this.columns.length - 1 : column + across;
      next = [Math.min(this.lastRow(), Math.max(0, row + down)), Math.min(this.columns.length - 1, Math.max(0, to))];
    }
    this.active = next;
    this.markActive(true);
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
// value format (scale.format), or scale.narrow.format ($2M) while the chart is narrower than
// scale.narrow.below px. All are plain data in the config Python builds (core/series.py).
// The page's series colours, --series-1, --series-2, … (components.css sets eight; a page may set more), in
// order, read where the chart is drawn; series.py numbers each dataset (`series`) and marks a pie's
// (`colourEach`: a colour per slice). An area's fill is its colour, a third opaque.
function seriesColours(element) {
  const style = getComputedStyle(element);
  const colours = [];
  for (let n = 1; n <= 64; n++) {
    const colour = style.getPropertyValue(`--series-${n}`).trim();
    if (!colour) break;
    colours.push(colour);
  }
  return colours.length ? colours : ["#5f6368"];
}

function translucent(colour) {
  const parsed = Chart.helpers.color(colour);
  return parsed.valid ? parsed.alpha(0.33).rgbString() : colour;
}

function paint(datasets, colours) {
  for (const dataset of datasets) {
    if (typeof dataset.series !== "number") continue;
    const colour = colours[dataset.series % colours.length];
    if (dataset.colourEach) {  // a pie's slices: each its colour, parted by Chart.js's own white borders
      dataset.backgroundColor = dataset.data.map((_, i) => colours[i % colours.length]);
    } else {
      dataset.borderColor = colour;
      dataset.backgroundColor = dataset.fill ? translucent(colour) : colour;
    }
  }
}

function prepareChart(config, element) {
  paint((config.data && config.data.datasets) || [], seriesColours(element));
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
  // a datum that drills (the page's onClick, set after this) shows the pointer, as a drilling grid row does
  options.onHover = (event, elements, chart) => {
    chart.canvas.style.cursor = elements.length && chart.options.onClick ? "pointer" : "";
  };
  for (const scale of Object.values(options.scales || {})) {
    if (scale.format) {
      const spec = scale.format, narrow = scale.narrow || { below: 0, format: spec };
      delete scale.format;
      delete scale.narrow;
      scale.ticks = Object.assign(scale.ticks || {}, {
        callback(value) { return formatNumber(value, this.chart.width < narrow.below ? narrow.format : spec); },  // this: the scale
      });
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
