"""A ledger with big-integer arithmetic (2**100, IBAN-style % 97 checksums, pow with modulus, to_bytes/from_bytes) and f-string reports ({x=}, {255:#x}, {v:>10.3f}, thousands separators), with accounts and entries in cycles."""
import gc


class Account:
    def __init__(self, number, ledger):
        self.number = number
        self.ledger = ledger
        self.entries = []
        self.balance = 0

    def post(self, amount, memo):
        e = Entry(self, amount, memo)
        self.entries.append(e)
        self.balance += amount
        return e


class Entry:
    def __init__(self, account, amount, memo):
        self.account = account
        self.amount = amount
        self.memo = memo


def iban_check(country_digits, bban):
    n = int(str(bban) + country_digits + "00")
    return 98 - n % 97


class Ledger:
    def __init__(self):
        self.accounts = {}

    def open(self, number):
        acc = Account(number, self)
        self.accounts[number] = acc
        return acc


BIG = 2 ** 100
ledger = Ledger()
for i in range(300):
    acc = ledger.open(12345678901234567890 + i * 7919)
    for j in range(8):
        acc.post((BIG >> (j * 11)) * (i + 1) - j * 10 ** 18, "m%d" % j)

total = sum(a.balance for a in ledger.accounts.values())
checks = sorted({iban_check("131400", n) for n in list(ledger.accounts)[:40]})
x = 12345678901234567890
v = 3.14159265
rate = 7.0 / 3
report = [
    f"{x=}",
    f"{x % 97=}",
    f"{255:#x}",
    f"{255:#010b}",
    f"{v:>10.3f}|",
    f"{rate:.2%}",
    f"{BIG:,}",
    f"{-42:+06d}",
    f"{'left':<8}|{'mid':^7}|{'right':>8}",
    f"{x!r:>25}",
    f"{3.0:g} {1e20:g} {0.1 + 0.2!r}",
]
fact = 1
for k in range(1, 40):
    fact *= k
mixed = {
    "big": str(BIG),
    "mod": 12345678901234567890 % 97,
    "neg_floor": (-BIG) // 7,
    "pow_mod": pow(3, BIG, 10 ** 9 + 7),
    "bits": (BIG - 1).bit_length(),
    "bytes_len": len(fact.to_bytes(32, "big")),
    "roundtrip": int.from_bytes((BIG + 5).to_bytes(16, "little"), "little") - BIG,
    "divmod": list(divmod(fact, 10 ** 30)),
    "fact39": str(fact),
    "float_of_big": str(float(BIG)),
    "hex": hex(BIG * 3),
}
c_mid = gc.collect()
ledger.accounts.clear()
del acc
c_drop = gc.collect()

RESULT = {
    "total": str(total),
    "total_mod_97": total % 97,
    "checks_len": len(checks),
    "checks_min": checks[0],
    "report": report,
    "mixed": mixed,
    "collect_mid": c_mid,
    "collect_drop": c_drop,
    "count_end": list(gc.get_count()),
}
