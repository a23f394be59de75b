"""Web handlers: request objects, header dicts, f-strings, exceptions, kwargs, super()."""
import gc

class HttpError(Exception):
    def __init__(self, status, msg):
        super().__init__(msg)
        self.status = status

class Request:
    def __init__(self, method, path, headers=None, **extra):
        self.method = method
        self.path = path
        self.headers = headers or {}
        self.extra = extra

class Response:
    def __init__(self, status, body):
        self.status = status
        self.body = body

class Handler:
    def handle(self, req):
        raise NotImplementedError

class UserHandler(Handler):
    def handle(self, req):
        uid = int(req.path.rsplit("/", 1)[-1])
        if uid % 7 == 0:
            raise HttpError(404, f"user {uid} not found")
        return Response(200, {"id": uid, "name": f"user{uid}", "tags": [t.upper() for t in ("a", "b")]})

class LoggingHandler(UserHandler):
    def handle(self, req):
        resp = super().handle(req)
        self.log.append((req.method, req.path, resp.status))
        return resp

h = LoggingHandler()
h.log = []
statuses = {}
errors = 0
for i in range(6000):
    req = Request("GET", f"/users/{i}", headers={"Accept": "json", "X-Id": str(i)}, trace=i % 3 == 0)
    try:
        resp = h.handle(req)
        statuses[resp.status] = statuses.get(resp.status, 0) + 1
    except HttpError as e:
        errors += 1
        statuses[e.status] = statuses.get(e.status, 0) + 1
    if len(h.log) > 100:
        del h.log[:50]
RESULT = {"statuses": sorted(statuses.items()), "errors": errors, "log": len(h.log), "collect": gc.collect()}
