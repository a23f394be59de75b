"""An access-log report: a compiled regex with named groups over generated log lines, findall and sub for redaction, a Counter of routes and statuses, and per-client session objects in cycles rebuilt each day."""
import collections
import gc
import re

LINE = re.compile(r'(?P<ip>\d+\.\d+\.\d+\.\d+) - (?P<user>\S+) \[(?P<ts>[^\]]+)\] '
                  r'"(?P<method>[A-Z]+) (?P<path>\S+) HTTP/1\.[01]" (?P<status>\d{3}) (?P<size>\d+|-)')
TOKEN = re.compile(r"token=[0-9a-f]+")
NUM = re.compile(r"/(\d+)")


def gen_lines(day, n):
    out = []
    for i in range(n):
        ip = "10.0.%d.%d" % (i % 7, (i * 3) % 11)
        path = ("/api/items/%d" % (i % 40), "/login?token=%x" % (i * 7919), "/static/app.js", "/health")[i % 4]
        status = (200, 200, 304, 404, 500)[(i + day) % 5]
        size = "-" if status == 304 else str((i * 131) % 5000)
        out.append('%s - u%d [03/Dec/2026:10:%02d:%02d +0000] "GET %s HTTP/1.1" %d %s'
                   % (ip, i % 13, i % 60, (i * 7) % 60, path, status, size))
        if i % 50 == 0:
            out.append("garbled line %d" % i)
    return out


class Client:
    def __init__(self, ip):
        self.ip = ip
        self.hits = []
        self.report = None


routes = collections.Counter()
statuses = collections.Counter()
bytes_by_user = collections.defaultdict(int)
unparsed = 0
redacted_sample = None
daily = []
for day in range(5):
    clients = {}
    for line in gen_lines(day, 900):
        m = LINE.match(line)
        if m is None:
            unparsed += 1
            continue
        d = m.groupdict()
        route = NUM.sub("/:id", TOKEN.sub("token=***", d["path"]))
        routes[route] += 1
        statuses[d["status"]] += 1
        if d["size"] != "-":
            bytes_by_user[d["user"]] += int(d["size"])
        c = clients.get(d["ip"])
        if c is None:
            c = clients[d["ip"]] = Client(d["ip"])
        c.hits.append(m)
        c.report = clients
        if redacted_sample is None and "token" in line:
            redacted_sample = TOKEN.sub("token=***", line)
    del clients, c
    daily.append(gc.collect(1))

blob = "\n".join(gen_lines(9, 40))
ips = sorted(set(re.findall(r"\d+\.\d+\.\d+\.\d+", blob)))
split = re.split(r"[;,]\s*", "a, b;c,  d")
m = LINE.match(gen_lines(0, 1)[0])
collected = gc.collect()

RESULT = {
    "unparsed": unparsed,
    "top_routes": sorted(routes.most_common(3)),
    "statuses": dict(sorted(statuses.items())),
    "bytes_u0": bytes_by_user["u0"],
    "redacted": redacted_sample,
    "ips": ips[:5],
    "n_ips": len(ips),
    "split": split,
    "span": list(m.span("path")),
    "groups": list(m.group("method", "status")),
    "lastgroup": m.lastgroup,
    "daily": daily,
    "collect": collected,
    "count_end": list(gc.get_count()),
}
