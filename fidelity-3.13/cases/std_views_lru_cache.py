"""A Django-like view layer with functools: decorators built with wraps, partial handlers, lru_cache on a method (self kept alive by the cache), cached_property on request objects, total_ordering on routes, and cache_clear releasing the instances."""
import functools
import gc
import weakref


def login_required(view):
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user:
            return (302, "/login")
        return view(request, *args, **kwargs)
    return wrapper


def with_headers(**headers):
    def deco(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            status, body = view(request, *args, **kwargs)
            request.headers.update(headers)
            return status, body
        return wrapper
    return deco


class Request:
    def __init__(self, path, user):
        self.path = path
        self.user = user
        self.headers = {}

    @functools.cached_property
    def parts(self):
        return [p for p in self.path.split("/") if p]


class Catalog:
    def __init__(self, name):
        self.name = name
        self.lookups = 0

    @functools.lru_cache(maxsize=256)
    def price(self, sku):
        self.lookups += 1
        return sum(ord(c) for c in sku) * 3 + len(self.name)


@functools.total_ordering
class Route:
    def __init__(self, prefix, weight):
        self.prefix = prefix
        self.weight = weight

    def __eq__(self, other):
        return self.weight == other.weight

    def __lt__(self, other):
        return self.weight < other.weight


@login_required
@with_headers(cache="private")
def product(request, catalog):
    sku = request.parts[-1]
    request.catalog = catalog
    catalog.last_request = request
    return 200, str(catalog.price(sku))


def listing(request, catalog, page_size):
    return 200, ",".join(str(catalog.price("sku%d" % i)) for i in range(page_size))


refs = []
statuses = {}
for day in range(30):
    catalog = Catalog("shop%d" % day)
    refs.append(weakref.ref(catalog))
    small_page = functools.partial(listing, page_size=5)
    for i in range(80):
        req = Request("/products/sku%d" % (i % 23), None if i % 10 == 0 else "alice")
        status, _ = product(req, catalog)
        statuses[status] = statuses.get(status, 0) + 1
        if i % 20 == 0:
            small_page(req, catalog)

info_full = Catalog.price.cache_info()
alive_cached = sum(1 for r in refs if r() is not None)
del catalog
c1 = gc.collect()
alive_after_collect = sum(1 for r in refs if r() is not None)
Catalog.price.cache_clear()
alive_after_clear = sum(1 for r in refs if r() is not None)
c2 = gc.collect()

routes = sorted([Route("/a", 3), Route("/b", 1), Route("/c", 2)])
req = Request("/x/y/z", "bob")
p1 = req.parts
p2 = req.parts

RESULT = {
    "statuses": {str(k): v for k, v in sorted(statuses.items())},
    "cache_info": [info_full.hits, info_full.misses, info_full.maxsize, info_full.currsize],
    "alive_cached": alive_cached,
    "alive_after_collect": alive_after_collect,
    "alive_after_clear": alive_after_clear,
    "wrapped_name": product.__name__,
    "has_wrapped": hasattr(product, "__wrapped__"),
    "partial_kw": dict(small_page.keywords),
    "routes": [r.prefix for r in routes],
    "ge": Route("/x", 5) >= Route("/y", 5),
    "cached_same": p1 is p2,
    "in_dict": "parts" in vars(req),
    "collect_1": c1,
    "collect_2": c2,
    "count_end": list(gc.get_count()),
}
