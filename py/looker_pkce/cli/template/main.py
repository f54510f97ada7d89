# Sign in to Looker, run one query, show it as a table and a chart, labelled and formatted as Looker does.
# The query is this page's own (an inline query), which Looker runs only for roles with its `explore`
# permission; whoever lacks it is told so in words, with Sign out at hand. The page does not ask for the
# person's roles first: that would be one more call for everyone, and Looker's answer is what decides.
import json

import js

from looker_pkce import Forbidden, LookerError
from looker_pkce.browser import connect
from looker_pkce.browser.components import chart, explore_meta, looker_error, run_query, sign_in_button, sign_out_button, table
from looker_pkce.browser.dom import by_id, h, replace

QUERY = {"model": "thelook", "view": "order_items", "fields": ["products.category", "order_items.total_sale_price"],
         "sorts": ["order_items.total_sale_price desc"], "limit": "10"}

status = by_id("status")


def forget():  # after a sign-out Looker could not be told of: what the session showed goes, the grid's roles too
    for area in ("account", "chart", "table"):
        by_id(area).replaceWith(h("div", {"id": area}))


settings = json.loads(await (await js.fetch("looker.json")).text())
try:
    looker = await connect(api_url=settings.get("api_url"), ui_url=settings.get("ui_url"),
                           client_id=settings.get("client_id"))
    if looker.signed_in:
        replace(by_id("account"), sign_out_button(looker, status, forget))
        meta = await explore_meta(looker, QUERY["model"], QUERY["view"])  # the fields' labels and value formats
        result = await run_query(looker, QUERY, meta)
        replace(status, str(result.count) + " rows")
        table(by_id("table"), result, label="Total sale price by category")
        await chart(by_id("chart"), result, "looker_column", title="Total sale price by category")
    else:
        replace(status, sign_in_button(looker))
except Forbidden as problem:  # e.g. a Viewer: saved Looks and dashboards, no new queries
    replace(status, looker_error(problem, h("p", {"class": "advice"}, "Made this page? ",
                                             h("code", {}, "looker-pkce new DIR --look ID"), " or ",
                                             h("code", {}, "--dashboard ID"), " writes one that shows a saved Look or "
                                             "dashboard instead, which everyone who may see it in Looker can see.")))
except LookerError as problem:
    replace(status, looker_error(problem))
