"""A small ORM: fields as data descriptors named by __set_name__, models registered by __init_subclass__, a validating property with a setter, and an identity map of weak references."""
import gc
import weakref


class Field:
    def __init__(self, kind, default=None):
        self.kind = kind
        self.default = default

    def __set_name__(self, owner, name):
        self.name = name
        self.slot = "_f_" + name

    def __get__(self, obj, objtype=None):
        if obj is None:
            return self
        return obj.__dict__.get(self.slot, self.default)

    def __set__(self, obj, value):
        if not isinstance(value, self.kind):
            raise TypeError("%s expects %s" % (self.name, self.kind.__name__))
        obj.__dict__[self.slot] = value
        obj._dirty.add(self.name)


class Model:
    registry = {}

    def __init_subclass__(cls, table=None, **kw):
        super().__init_subclass__(**kw)
        cls.table = table or cls.__name__.lower() + "s"
        cls.fields = [k for k, v in vars(cls).items() if isinstance(v, Field)]
        Model.registry[cls.table] = cls

    def __init__(self, session, pk, **values):
        self._dirty = set()
        self.pk = pk
        self.session = session
        for k, v in values.items():
            setattr(self, k, v)
        session.identity[(self.table, pk)] = self


class User(Model, table="auth_users"):
    name = Field(str, "")
    age = Field(int, 0)

    @property
    def email(self):
        return self._email

    @email.setter
    def email(self, value):
        if "@" not in value:
            raise ValueError("bad email")
        self._email = value.lower()

    @email.deleter
    def email(self):
        del self._email


class Order(Model):
    total = Field(int, 0)
    owner = Field(object)


class Session:
    def __init__(self):
        self.identity = weakref.WeakValueDictionary()
        self.strong = []

    def get(self, table, pk):
        return self.identity.get((table, pk))


type_errors = 0
value_errors = 0
s = Session()
for i in range(1200):
    u = User(s, i, name="user%d" % i, age=i % 80)
    try:
        u.email = "User%d@Example.org" % i if i % 13 else "nobody"
    except ValueError:
        value_errors += 1
    try:
        u.age = "old" if i % 17 == 0 else i % 70
    except TypeError:
        type_errors += 1
    o = Order(s, i, total=i * 3, owner=u)
    u.orders = [o]
    if i % 4 == 0:
        s.strong.append(o)

found = sum(1 for i in range(0, 1200, 4) if s.get("orders", i) is not None)
count_mid = list(gc.get_count())
alive_users_before = sum(1 for i in range(1200) if s.get("auth_users", i) is not None)
del u, o
s.strong = s.strong[:50]
c1 = gc.collect()
alive_after = len(s.identity)
probe = User(s, 99999, name="probe")
probe.email = "A@B.C"
dirty = sorted(probe._dirty)
del probe.email
has_email = hasattr(probe, "_email")

RESULT = {
    "tables": sorted(Model.registry),
    "fields": User.fields + Order.fields,
    "type_errors": type_errors,
    "value_errors": value_errors,
    "found_orders": found,
    "alive_users_before": alive_users_before,
    "alive_after": alive_after,
    "dirty": dirty,
    "has_email_after_del": has_email,
    "descriptor_name": User.__dict__["age"].slot,
    "collect": c1,
    "final_collect": gc.collect(),
    "count_end": list(gc.get_count()),
}
