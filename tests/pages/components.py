# The library's components drawn from fixed rows, no Looker: a 2,000-row grid (virtual scrolling, a
# totals row, a sorted column, rows that drill: window.__drilled lists the drilled rows' ids), a
# column chart with its text alternative and a single value. Done: body[data-drawn].
import json

import js

from looker_pkce.browser.components import Result, chart, table
from looker_pkce.browser.dom import by_id

CATEGORIES = ["Jeans", "Tops", "Shorts", "Socks", "Coats"]
ORDERS = [{"orders.id": i + 1, "orders.category": CATEGORIES[i % 5], "orders.amount": (i * 37) % 500 + 0.5}
          for i in range(2000)]
SALES = [{"orders.category": name, "orders.amount": 1000.0 * (index + 1)} for index, name in enumerate(CATEGORIES)]


def rows(data):
    return js.JSON.parse(json.dumps(data))


def drilled(row, field):
    js.window.__drilled.push(row["orders.id"])


async def main():
    js.window.__drilled = js.Array.new()
    orders = Result(rows(ORDERS), ["orders.id", "orders.category", "orders.amount"],
                    totals={"orders.amount": sum(r["orders.amount"] for r in ORDERS)})
    table(by_id("table"), orders, sorts=["orders.id"], on_row_click=drilled, label="Orders")
    sales = Result(rows(SALES), ["orders.category", "orders.amount"])
    await chart(by_id("chart"), sales, "looker_column", title="Sales by category")
    await chart(by_id("single"), sales, "single_value")
    js.document.body.setAttribute("data-drawn", "")


await main()  # noqa: F704 (top-level await: the lean loader runs this file as async)
