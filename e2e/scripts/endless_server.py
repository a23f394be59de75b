"""Endless request loop

A server loop with no exit: each request allocates a small cycle and a few temporaries,
and a bounded cache keeps the last responses. It runs until it is stopped.
"""


class Request:
    def __init__(self, rid):
        self.rid = rid
        self.response = None


class Response:
    def __init__(self, request):
        self.request = request
        self.body = {"id": request.rid, "items": [request.rid, request.rid * 2]}


recent = {}
rid = 0
while True:
    req = Request(rid)
    req.response = Response(req)
    recent[rid % 256] = req.response.body
    rid += 1
