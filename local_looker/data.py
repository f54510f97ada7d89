"""The demo database: a deterministic e-commerce dataset in SQLite.

Same seed, same anchor date, same rows. Generated once per anchor date and
cached as a file, so start-up after the first run costs milliseconds.
Some rows carry text that would run if a page rendered it as HTML, plus
unicode, very long strings and NULLs: the app must show them as text.
"""

from __future__ import annotations

import datetime as dt
import random
import sqlite3
from pathlib import Path

SCHEMA_VERSION = 3
ORDER_ITEMS = 120_000
USERS = 5_000
PRODUCTS = 400
DAYS = 730

HOSTILE_NAMES = [
    '<img src=x onerror="window.__xss=1">',
    "<script>window.__xss=1</script>",
    "Zoë Ångström 山田 🚀",
    "O'Brien \"quoted\" & <b>bold</b>",
    "L" + "o" * 500 + "ng",
]
FIRST = ["Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Margaret", "Ken", "Radia", "Linus", "Guido", "Frances"]
LAST = ["Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Hamilton", "Thompson", "Perlman", "Allen"]
STATES = [("California", "San Francisco"), ("New York", "New York"), ("Texas", "Austin"), ("Washington", "Seattle"),
          ("Illinois", "Chicago"), ("Florida", "Miami"), ("Oregon", "Portland"), ("Colorado", "Denver")]
CATEGORIES = {"Jeans": (30, 120), "Tops & Tees": (10, 60), "Outerwear & Coats": (60, 400), "Sweaters": (25, 150),
              "Accessories": (5, 80), "Shorts": (15, 70), "Active": (20, 110), "Socks": (3, 20)}
BRANDS = ["Calvin Klein", "Levi's", "Patagonia", "Carhartt", "Columbia", "Nike", "Hanes", "Ray-Ban"]
STATUSES = ["Complete", "Complete", "Complete", "Shipped", "Processing", "Returned", "Cancelled"]


def build(path: Path, anchor: dt.date, seed: int = 7) -> None:
    rng = random.Random(seed)
    end = dt.datetime.combine(anchor, dt.time(0)) - dt.timedelta(seconds=1)
    start = end - dt.timedelta(days=DAYS)
    tmp = path.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    db = sqlite3.connect(tmp)
    db.executescript(
        """
        CREATE TABLE users (id INTEGER PRIMARY KEY, first_name TEXT, last_name TEXT, email TEXT, age INTEGER,
                            gender TEXT, city TEXT, state TEXT, country TEXT, created_at TEXT);
        CREATE TABLE products (id INTEGER PRIMARY KEY, name TEXT, brand TEXT, category TEXT, department TEXT,
                               retail_price REAL, cost REAL);
        CREATE TABLE orders (id INTEGER PRIMARY KEY, user_id INTEGER, status TEXT, created_at TEXT);
        CREATE TABLE order_items (id INTEGER PRIMARY KEY, order_id INTEGER, product_id INTEGER, sale_price REAL,
                                  status TEXT, created_at TEXT, returned_at TEXT);
        """
    )
    users = make_users(rng, start, end)  # in this order: each draws from the same seeded generator
    products = make_products(rng)
    orders, items = make_orders(rng, users, products, start, end)
    db.executemany("INSERT INTO users VALUES (?,?,?,?,?,?,?,?,?,?)", users)
    db.executemany("INSERT INTO products VALUES (?,?,?,?,?,?,?)", products)
    db.executemany("INSERT INTO orders VALUES (?,?,?,?)", orders)
    db.executemany("INSERT INTO order_items VALUES (?,?,?,?,?,?,?)", items)
    db.executescript(
        """
        CREATE INDEX order_items_order ON order_items(order_id);
        CREATE INDEX order_items_created ON order_items(created_at);
        CREATE INDEX orders_user ON orders(user_id);
        """
    )
    db.commit()
    db.close()
    tmp.replace(path)


def moment(rng: random.Random, lo: dt.datetime, hi: dt.datetime) -> dt.datetime:
    return lo + dt.timedelta(seconds=rng.randrange(int((hi - lo).total_seconds())))


def make_users(rng: random.Random, start: dt.datetime, end: dt.datetime) -> list[tuple]:
    users = []
    for uid in range(1, USERS + 1):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        if uid <= len(HOSTILE_NAMES):
            first = HOSTILE_NAMES[uid - 1]
        state, city = rng.choice(STATES)
        users.append((uid, first, last, f"{first[:12].lower()}.{last.lower()}{uid}@example.com".replace(" ", ""),
                      rng.randint(18, 80), rng.choice(["F", "M"]) if uid % 50 else None, city, state, "USA",
                      moment(rng, start - dt.timedelta(days=365), end).strftime("%Y-%m-%d %H:%M:%S")))
    return users


def make_products(rng: random.Random) -> list[tuple]:
    products = []
    for pid in range(1, PRODUCTS + 1):
        category = rng.choice(list(CATEGORIES))
        lo, hi = CATEGORIES[category]
        price = round(rng.uniform(lo, hi), 2)
        name = f"{rng.choice(BRANDS)} {category} #{pid}"
        if pid == 1:
            name = "<script>window.__xss=1</script> Jeans"
        products.append((pid, name, rng.choice(BRANDS), category, rng.choice(["Men", "Women"]), price,
                         round(price * rng.uniform(0.3, 0.6), 2)))
    return products


def make_orders(rng: random.Random, users: list, products: list, start: dt.datetime,
                end: dt.datetime) -> tuple[list[tuple], list[tuple]]:
    """(orders, order items): ORDER_ITEMS items in orders of one to four."""
    orders, items = [], []
    item_id = 0
    order_id = 0
    while item_id < ORDER_ITEMS:
        order_id += 1
        user = users[rng.randrange(USERS)]
        created = moment(rng, start, end)
        status = rng.choice(STATUSES)
        orders.append((order_id, user[0], status, created.strftime("%Y-%m-%d %H:%M:%S")))
        for _ in range(rng.choice([1, 1, 1, 2, 2, 3, 4])):
            item_id += 1
            product = products[rng.randrange(PRODUCTS)]
            returned = None
            if status == "Returned":
                returned = (created + dt.timedelta(days=rng.randint(3, 30))).strftime("%Y-%m-%d %H:%M:%S")
            items.append((item_id, order_id, product[0], round(product[5] * rng.uniform(0.7, 1.0), 2), status,
                          created.strftime("%Y-%m-%d %H:%M:%S"), returned))
    return orders, items


def database(cache_dir: Path, anchor: dt.date | None = None) -> Path:
    """Path of the demo database for `anchor` (today by default), building it if needed."""
    anchor = anchor or dt.date.today()
    cache_dir.mkdir(parents=True, exist_ok=True)
    path = cache_dir / f"demo-v{SCHEMA_VERSION}-{anchor.isoformat()}.sqlite"
    if not path.exists():
        for old in cache_dir.glob("demo-v*.sqlite"):
            old.unlink()
        build(path, anchor)
    return path
