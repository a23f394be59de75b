"""A batch import endpoint that validates rows concurrently-style and reports failures as exception groups, handled with except* and split/subgroup."""
import gc


class ValidationError(Exception):
    def __init__(self, field, row):
        super().__init__("invalid %s in row %d" % (field, row))
        self.field = field
        self.row = row


class QuotaError(Exception):
    pass


class Row:
    def __init__(self, n):
        self.n = n
        self.email = "u%d@example.org" % n if n % 37 else "broken"
        self.age = n % 90 if n % 53 else -1
        self.batch = None


def validate(row):
    problems = []
    if "@" not in row.email:
        problems.append(ValidationError("email", row.n))
    if row.age < 0:
        problems.append(ValidationError("age", row.n))
    return problems


def import_batch(batch_no, rows):
    errors = []
    for r in rows:
        r.batch = rows
        errors.extend(validate(r))
    if batch_no % 4 == 3:
        errors.append(QuotaError("quota exceeded in batch %d" % batch_no))
    if errors:
        raise ExceptionGroup("batch %d failed" % batch_no, errors)
    return len(rows)


accepted = 0
field_errors = {"email": 0, "age": 0}
quota = 0
groups_kept = []
for b in range(120):
    rows = [Row(b * 20 + i) for i in range(20)]
    try:
        accepted += import_batch(b, rows)
    except* ValidationError as eg:
        for e in eg.exceptions:
            field_errors[e.field] += 1
        if len(groups_kept) < 10:
            groups_kept.append(eg)
    except* QuotaError as eg:
        quota += len(eg.exceptions)

big = ExceptionGroup("all", [ValueError(1), TypeError(2), ExceptionGroup("inner", [ValueError(3), KeyError(4)])])
match, rest = big.split(ValueError)
sub = big.subgroup(lambda e: isinstance(e, (KeyError, TypeError)))

count_before = list(gc.get_count())
c1 = gc.collect()
groups_kept.clear()
c2 = gc.collect()

RESULT = {
    "accepted": accepted,
    "field_errors": field_errors,
    "quota": quota,
    "split_match": repr(match),
    "split_rest": repr(rest),
    "subgroup_leaves": len(sub.exceptions),
    "is_base_group": isinstance(big, BaseExceptionGroup),
    "collect_kept": c1,
    "collect_dropped": c2,
    "count_end": list(gc.get_count()),
}
