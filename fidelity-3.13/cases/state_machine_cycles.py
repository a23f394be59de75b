"""State machines with transitions referencing states (cycles), bound methods stored as callbacks, dropped periodically."""
import gc

class State:
    def __init__(self, name, machine):
        self.name = name
        self.machine = machine
        self.transitions = {}
    def on_enter(self):
        self.machine.visits += 1

class Machine:
    def __init__(self, n):
        self.visits = 0
        self.states = [State(f"s{i}", self) for i in range(n)]
        for i, s in enumerate(self.states):
            s.transitions["next"] = self.states[(i + 1) % n]
            s.transitions["back"] = self.states[i - 1]
        self.hooks = [s.on_enter for s in self.states]
        self.current = self.states[0]
    def step(self, event):
        self.current = self.current.transitions[event]
        self.hooks[self.states.index(self.current)]()

total = 0
for round_no in range(300):
    m = Machine(5 + round_no % 4)
    for k in range(12):
        m.step("next" if k % 3 else "back")
    total += m.visits
RESULT = {"total": total, "collect": gc.collect(), "count": list(gc.get_count())}
