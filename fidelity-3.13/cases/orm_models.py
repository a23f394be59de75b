"""ORM-like models: class hierarchy, descriptors via properties, relationships with back-references."""
import gc

class Field:
    def __init__(self, name, default=None):
        self.name = name
        self.default = default

class Model:
    fields = ()
    def __init__(self, **kw):
        for f in self.fields:
            setattr(self, f.name, kw.get(f.name, f.default))
        self.related = []
    def to_dict(self):
        return {f.name: getattr(self, f.name) for f in self.fields}

class Author(Model):
    fields = (Field("name"), Field("age", 0))

class Book(Model):
    fields = (Field("title"), Field("year", 2000), Field("author"))
    @property
    def label(self):
        return f"{self.title} ({self.year})"

dumped = 0
labels = []
for i in range(2500):
    a = Author(name=f"a{i}", age=i % 80)
    books = [Book(title=f"t{i}-{j}", year=1990 + j, author=a) for j in range(3)]
    a.related.extend(books)
    for b in books:
        b.related.append(a)
        d = b.to_dict()
        dumped += len(d)
    if i % 100 == 0:
        labels.append(books[0].label)
RESULT = {"dumped": dumped, "labels": len(labels), "collect": gc.collect()}
