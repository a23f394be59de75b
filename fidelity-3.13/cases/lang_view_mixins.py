"""Django-like class-based views built from mixins: cooperative super() chains through a diamond, the C3 MRO, and request/view/response cycles freed by the collector."""
import gc


class Request:
    def __init__(self, path, user, method="GET"):
        self.path = path
        self.user = user
        self.method = method
        self.view = None
        self.meta = {"path": path, "trace": []}


class Response:
    def __init__(self, status, body, request):
        self.status = status
        self.body = body
        self.request = request
        self.headers = {}


class View:
    def __init__(self, **initkwargs):
        self.options = dict(initkwargs)

    def setup(self, request):
        self.request = request
        request.view = self

    def dispatch(self, request):
        request.meta["trace"].append("View")
        handler = getattr(self, request.method.lower(), None)
        if handler is None:
            return Response(405, "", request)
        return handler(request)


class LoginRequiredMixin(View):
    def dispatch(self, request):
        request.meta["trace"].append("Login")
        if request.user is None:
            return Response(302, "/login", request)
        return super().dispatch(request)


class LoggingMixin(View):
    log = []

    def dispatch(self, request):
        request.meta["trace"].append("Logging")
        resp = super().dispatch(request)
        LoggingMixin.log.append(resp.status)
        return resp


class HeadersMixin(View):
    def dispatch(self, request):
        request.meta["trace"].append("Headers")
        resp = super().dispatch(request)
        resp.headers["X-View"] = type(self).__name__
        return resp


class JSONMixin(HeadersMixin):
    def render(self, data):
        return "{" + ",".join("%s:%s" % kv for kv in sorted(data.items())) + "}"


class TemplateMixin(HeadersMixin):
    def render(self, data):
        return "<p>%s</p>" % len(data)


class ArticleView(LoggingMixin, LoginRequiredMixin, JSONMixin, TemplateMixin):
    def get(self, request):
        data = {"path": request.path, "n": len(request.path)}
        return Response(200, self.render(data), request)


class AdminView(LoginRequiredMixin, TemplateMixin, LoggingMixin):
    def post(self, request):
        return Response(201, self.render({"ok": True}), request)


def serve(view_cls, request):
    view = view_cls(extra=request.path)
    view.setup(request)
    return view.dispatch(request)


statuses = {}
traces = {}
for i in range(3000):
    user = None if i % 9 == 0 else "user%d" % (i % 40)
    if i % 3 == 0:
        req = Request("/admin/%d" % i, user, "POST" if i % 2 else "GET")
        resp = serve(AdminView, req)
    else:
        req = Request("/articles/%d" % i, user)
        resp = serve(ArticleView, req)
    statuses[resp.status] = statuses.get(resp.status, 0) + 1
    traces[" > ".join(req.meta["trace"])] = 1
    if i == 1:
        sample_body = resp.body
        sample_headers = dict(resp.headers)

try:
    class Broken(JSONMixin, HeadersMixin, TemplateMixin, JSONMixin.__mro__[1]):
        pass
    mro_error = None
except TypeError as e:
    mro_error = "TypeError"

del req, resp
RESULT = {
    "statuses": {str(k): v for k, v in sorted(statuses.items())},
    "traces": sorted(traces),
    "article_mro": [c.__name__ for c in ArticleView.__mro__],
    "admin_mro": [c.__name__ for c in AdminView.mro()],
    "sample_body": sample_body,
    "sample_headers": sample_headers,
    "logged": len(LoggingMixin.log),
    "mro_error": mro_error,
    "collect": gc.collect(),
    "count_end": list(gc.get_count()),
}
