"""Assigning auditors to workshops, and the assignment file the coordinator reviews and edits.

Each workshop gets a team (default two) whose first member leads. Hard rules: nobody audits their own
workshop, a workshop of their own organisation, or a workshop they declared a conflict of interest
with (see `barred`). Then, in this order of priority: balance the load (audits per auditor differ by at most one
where the pool allows), avoid reciprocal audits (A's people audit B while B's audit A), avoid two
people of one workshop in a team, and avoid auditors from the workshop's own municipality. The result
depends only on the workshops and auditors given, not on their order: ids are sorted, and the search
is a deterministic construction followed by local improvement (no randomness).
"""

from __future__ import annotations

import bisect
import functools
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType

from .csvfile import unguard, write_csv
from .errors import OutputExistsError, Problem, RoundError, Text, place_text, say
from .i18n import DOCUMENT_LANGUAGES, LANGUAGES, N_, wording
from .labels import AUDITOR_ROLE, labels
from .model import Auditor, Workshop
from .records import Column, read_records
from .registers import id_sort_key, is_email
from .round import METHODS, Round
from .textnorm import header_key

LEAD = "pääauditoija"
MEMBER = "auditoija"
PEER_SUFFIX = " (vertaisauditoija)"
COLUMNS = ("workshop_id", "workshop_name", "role", "auditor_name", "auditor_email", "auditor_home_workshop")
# The header jaot.csv is written with, said in the round's language (the messages catalogue); reading
# accepts it in every language auditkit speaks, and the English keys of files written before.
HEADERS = {"workshop_id": N_("workshop id"), "workshop_name": N_("workshop name"), "role": N_("role"),
           "auditor_name": N_("auditor"), "auditor_email": N_("email"),
           "auditor_home_workshop": N_("home workshop")}
ASSIGNMENT_COLUMNS: tuple[Column, ...] = (
    Column("workshop_id", "workshop_id (työpajan tunnus)", ("tunnus", "työpajan tunnus", "workshop")),
    Column("workshop_name", "workshop_name (työpajan nimi)", ("työpajan nimi", "työpaja", "nimi")),
    Column("role", "role (rooli)", ("rooli",)),
    Column("auditor_name", "auditor_name (auditoija)", ("auditoija", "auditoijan nimi", "auditor")),
    Column("auditor_email", "auditor_email (auditoijan sähköposti)", ("auditoijan sähköposti", "sähköposti",
                                                                       "email")),
    Column("auditor_home_workshop", "auditor_home_workshop (kotipaja)", ("kotipaja", "home workshop",
                                                                        "auditor home workshop id")),
)
_ROLES = {header_key(k): v for k, v in {
    LEAD: LEAD, "pääauditoija": LEAD, "lead": LEAD, "lead auditor": LEAD, "johtava auditoija": LEAD,
    MEMBER: MEMBER, "auditor": MEMBER, "member": MEMBER, "jäsen": MEMBER, "": MEMBER,
}.items()}


@functools.lru_cache(maxsize=1)
def _roles() -> dict[str, str]:
    """What a jaot.csv's role cell may say -> the role: the words above, and the role as each language says it."""
    said = {header_key(text): code for lang in DOCUMENT_LANGUAGES for code, text in labels(AUDITOR_ROLE, lang).items()}
    return {**said, **_ROLES}

Person = tuple[str, str, str]  # name, email, home workshop id: an auditor regardless of role


def person(auditor: Auditor) -> Person:
    """An auditor's identity regardless of role."""
    return (auditor.name, auditor.email, auditor.home_workshop_id)


@dataclass(frozen=True, slots=True)
class AssignmentSummary:
    """Figures for the coordinator: loads are audits per auditor of the pool (0 for the unused)."""

    workshops: int
    auditors: int
    team_min: int
    team_max: int
    load_min: int
    load_max: int
    reciprocal_pairs: int
    same_municipality: int


@dataclass(frozen=True, slots=True)
class Assignment(Mapping[str, tuple[Auditor, ...]]):
    """Workshop id → its team of auditors, the lead first (role "pääauditoija", the others "auditoija").

    workshops: every workshop of the round, sorted by id (a workshop may lack a team in an assignment
    read from a file with problems); auditors: the pool the teams were drawn from.
    """

    workshops: tuple[Workshop, ...]
    teams: Mapping[str, tuple[Auditor, ...]] = field(default_factory=lambda: MappingProxyType({}))
    auditors: tuple[Auditor, ...] = ()

    def __getitem__(self, workshop_id: str) -> tuple[Auditor, ...]:
        return self.teams[workshop_id]

    def __iter__(self) -> Iterator[str]:
        return (w.id for w in self.workshops if w.id in self.teams)

    def __len__(self) -> int:
        return len(self.teams)

    def loads(self) -> dict[Person, int]:
        """Audits per person, every person of the pool included."""
        counts = {person(a): 0 for a in self.auditors}
        for team in self.teams.values():
            for auditor in team:
                counts[person(auditor)] = counts.get(person(auditor), 0) + 1
        return counts

    def summary(self) -> AssignmentSummary:
        """Team sizes, load range, reciprocal pairs and same-municipality audits of this assignment."""
        by_id = {w.id: w for w in self.workshops}
        loads = list(self.loads().values()) or [0]
        sizes = [len(team) for team in self.teams.values()] or [0]
        directed = {(a.home_workshop_id, wid) for wid, team in self.teams.items() for a in team
                    if a.home_workshop_id in by_id and a.home_workshop_id != wid}
        same = sum(1 for wid, team in self.teams.items() for a in team
                   if a.home_workshop_id in by_id and _municipality(by_id[a.home_workshop_id]) != ""
                   and _municipality(by_id[a.home_workshop_id]) == _municipality(by_id[wid]))
        return AssignmentSummary(
            workshops=len(self.workshops), auditors=len(self.loads()), team_min=min(sizes), team_max=max(sizes),
            load_min=min(loads), load_max=max(loads),
            reciprocal_pairs=sum(1 for x, y in directed if (y, x) in directed) // 2, same_municipality=same)


def _municipality(workshop: Workshop) -> str:
    return header_key(workshop.municipality)


# The hard rules, in the order a message names them.
OWN, ORGANISATION, CONFLICT = "own workshop", "same organisation", "declared conflict of interest"


def organisation_of(auditor: Auditor, workshops: Mapping[str, Workshop]) -> str:
    """The organisation an auditor works for: as the auditor register gives it, else their home
    workshop's (workshops: id casefolded → workshop); "" when neither is known."""
    if auditor.organisation:
        return auditor.organisation
    home = workshops.get(auditor.home_workshop_id.casefold())
    return home.organisation if home else ""


def barred(auditor: Auditor, workshop: Workshop, workshops: Mapping[str, Workshop]) -> str | None:
    """The hard rule that keeps this auditor from auditing this workshop (OWN, ORGANISATION or
    CONFLICT), or None when they may. workshops: the round's, by id casefolded."""
    if auditor.home_workshop_id and auditor.home_workshop_id.casefold() == workshop.id.casefold():
        return OWN
    mine = _organisation_key(organisation_of(auditor, workshops))
    if mine and mine == _organisation_key(workshop.organisation):
        return ORGANISATION
    if any(i.casefold() == workshop.id.casefold() for i in auditor.conflicts):
        return CONFLICT
    return None


@functools.lru_cache(maxsize=4096)
def _organisation_key(name: str) -> str:
    """header_key of an organisation's name, worked out once: barred asks for every auditor and workshop
    (90,000 pairs, twice, in a 300-workshop round: 0.8 s without this)."""
    return header_key(name)


def barred_message(auditor: Auditor, workshop: Workshop, rule: str, workshops: Mapping[str, Workshop]) -> Text:
    """Why an auditor may not audit a workshop, as one sentence for the coordinator."""
    if rule == OWN:
        return say("{auditor} comes from {workshop} and cannot audit it", auditor=auditor.name, workshop=workshop.id)
    if rule == ORGANISATION:
        return say("{auditor} works for {organisation}, the organisation of {workshop}, and cannot audit it",
                   auditor=auditor.name, organisation=organisation_of(auditor, workshops), workshop=workshop.id)
    return say("{auditor} declared a conflict of interest with {workshop} and cannot audit it", auditor=auditor.name,
               workshop=workshop.id)


def _auditor_key(auditor: Auditor) -> tuple[object, ...]:
    return (id_sort_key(auditor.home_workshop_id), auditor.name.casefold(), auditor.email.casefold(), *person(auditor))


def peer_auditor(workshop: Workshop) -> Auditor:
    """The auditor a workshop supplies in a peer round when nobody is named for it."""
    return Auditor(name=f"{workshop.name}{PEER_SUFFIX}", email=workshop.email, home_workshop_id=workshop.id,
                   organisation=workshop.organisation)


def auditor_pool(
    workshops: Sequence[Workshop], auditors: Iterable[Auditor] = (), method: str = "peer"
) -> tuple[Auditor, ...]:
    """The people teams are drawn from, sorted, each once, with home ids spelled as in the register.

    "register": the auditors given. "peer": for each workshop the people named for it in auditors, or
    else one peer_auditor(workshop); people whose home workshop is not participating are left out.
    """
    ids = {w.id.casefold(): w.id for w in workshops}
    unique: dict[Person, Auditor] = {}
    for auditor in auditors:
        home = ids.get(auditor.home_workshop_id.casefold(), auditor.home_workshop_id)
        if method == "peer" and home not in ids.values():
            continue
        clean = replace(auditor, home_workshop_id=home, role=MEMBER)
        unique.setdefault(person(clean), clean)
    if method == "peer":
        named = {a.home_workshop_id for a in unique.values()}
        for workshop in workshops:
            if workshop.id not in named:
                generic = peer_auditor(workshop)
                unique.setdefault(person(generic), generic)
    return tuple(sorted(unique.values(), key=_auditor_key))


def assign(
    workshops: Iterable[Workshop], auditors: Iterable[Auditor] | None = None, team_size: int = 2,
    method: str = "peer",
) -> Assignment:
    """Assign a team of team_size auditors to every workshop; see the module's docstring for the rules.

    method "peer": auditors come from the participating workshops (auditor_pool); "register": from
    auditors. Raises RoundError saying why when no assignment is possible (too few workshops or
    auditors, or a workshop with too few auditors outside its own staff).
    """
    if method not in METHODS:
        raise RoundError(say("'{method}' is not a way to assign auditors; use one of: {methods}.", method=method,
                             methods=", ".join(METHODS)))
    ordered = tuple(sorted(workshops, key=lambda w: id_sort_key(w.id)))
    if not ordered:
        raise RoundError(say("there are no workshops to assign auditors to; add workshops to the register."))
    if team_size < 1:
        raise RoundError(say("a team of {size} auditors is not possible; set team_size to 1 or more.", size=team_size))
    auditors = tuple(auditors or ())
    if method == "register" and not auditors:
        raise RoundError(say("method \"register\" takes auditors from the auditors file, and it lists nobody; add "
                             "auditors to it, or use method = \"peer\"."))
    pool = auditor_pool(ordered, auditors, method)
    _check_feasible(ordered, pool, team_size, method)
    teams = _Search(ordered, pool, team_size).run()  # _check_feasible made sure every team can be filled
    chosen = _with_roles(teams, pool)
    return Assignment(
        workshops=ordered, teams=MappingProxyType({w.id: chosen[i] for i, w in enumerate(ordered)}), auditors=pool)


def extend(assignment: Assignment, workshops: Sequence[Workshop], pool: Sequence[Auditor],
           team_size: int = 2) -> Assignment:
    """The assignment with a team for each workshop that has none; every existing team kept as it is.

    For workshops added to a round after kits went out: the teams already sent must not change. Each
    new workshop (in id order) takes, one member at a time, the auditor with the fewest audits who is
    not from the workshop itself nor from a teammate's workshop, preferring one whose workshop the new
    workshop's own people do not audit (no reciprocal pair) and one from another municipality.
    Deterministic. Raises RoundError when a new workshop cannot get a full team.
    """
    ordered = sorted(workshops, key=lambda w: id_sort_key(w.id))
    teams: dict[str, tuple[Auditor, ...]] = dict(assignment.teams)
    loads: dict[Person, int] = defaultdict(int)
    for given in teams.values():
        for auditor in given:
            loads[person(auditor)] += 1
    by_id = {w.id.casefold(): w for w in ordered}

    def home_town(auditor: Auditor) -> str:
        home = by_id.get(auditor.home_workshop_id.casefold())
        return _municipality(home) if home else ""

    def reciprocal(auditor: Auditor, workshop: Workshop) -> bool:
        audited = teams.get(by_id[auditor.home_workshop_id.casefold()].id, ()) if auditor.home_workshop_id.casefold() in by_id else ()
        return any(a.home_workshop_id.casefold() == workshop.id.casefold() for a in audited)

    for workshop in ordered:
        if teams.get(workshop.id):
            continue
        team: list[Auditor] = []
        for _ in range(team_size):
            homes = {*(a.home_workshop_id.casefold() for a in team)}
            candidates = [a for a in pool if a.home_workshop_id.casefold() not in homes
                          and barred(a, workshop, by_id) is None and person(a) not in {person(t) for t in team}]
            if not candidates:
                raise RoundError(say(
                    "{workshop} '{name}': not enough auditors from other workshops for a team of {size}; {barred} Add "
                    "auditors or set a smaller team_size in round.toml.", workshop=workshop.id, name=workshop.name,
                    size=team_size, barred=_exclusions(workshop, pool, by_id)))
            town = _municipality(workshop)
            best = min(candidates, key=lambda a: (loads[person(a)], reciprocal(a, workshop),
                                                  bool(town) and home_town(a) == town, _auditor_key(a)))
            team.append(best)
            loads[person(best)] += 1
        teams[workshop.id] = (replace(team[0], role=LEAD), *(replace(a, role=MEMBER) for a in team[1:]))
    known = {person(a) for a in assignment.auditors}
    return Assignment(workshops=tuple(ordered), teams=MappingProxyType({w.id: teams[w.id] for w in ordered}),
                      auditors=tuple(sorted((*assignment.auditors, *(a for a in pool if person(a) not in known)),
                                            key=_auditor_key)))


def _check_feasible(workshops: Sequence[Workshop], pool: Sequence[Auditor], team_size: int, method: str) -> None:
    if method == "peer" and len(workshops) < team_size + 1 and len(pool) == len(workshops):
        raise RoundError(say(
            "a peer round with teams of {size} needs at least {needed} workshops (nobody audits their own workshop), "
            "and the register has {count}. Add workshops, lower team_size in the round file, or name more auditors "
            "per workshop in an auditors file.", size=team_size, needed=team_size + 1, count=len(workshops)))
    problems = []
    by_id = {w.id.casefold(): w for w in workshops}
    for workshop in workshops:
        eligible = sum(1 for a in pool if barred(a, workshop, by_id) is None)
        if eligible < team_size:
            problems.append(Problem(say("workshop {id}", id=workshop.id).said(), "", say(
                "{name}: only {eligible} auditor(s) may audit it, and a team needs {size}; {barred} Add auditors free "
                "of these, or lower team_size in the round file.", name=workshop.name, eligible=eligible,
                size=team_size, barred=_exclusions(workshop, pool, by_id)), code="team-impossible"))
    if problems:
        raise RoundError(say("{count} workshop(s) cannot get a team of {size}:", count=len(problems), size=team_size),
                         problems)


def _exclusions(workshop: Workshop, pool: Sequence[Auditor], by_id: Mapping[str, Workshop]) -> Text:
    """Who the hard rules keep from auditing a workshop, counted per rule: one sentence."""
    groups: dict[str, list[str]] = defaultdict(list)
    for auditor in pool:
        rule = barred(auditor, workshop, by_id)
        if rule is not None:
            groups[rule].append(auditor.name)
    parts: list[Text] = []
    for rule, what in ((OWN, say("come from the workshop itself")),
                       (ORGANISATION, say("work for its organisation ({organisation})",
                                          organisation=workshop.organisation)),
                       (CONFLICT, say("declared a conflict of interest with it"))):
        if groups[rule]:
            parts.append(Text("{count} {what} ({names})", (("count", len(groups[rule])), ("what", what),
                                                            ("names", ", ".join(groups[rule])))))
    if not parts:
        return say("no auditor is barred by the rules.")
    joined = parts[0]
    for part in parts[1:]:
        joined = Text("{a}; {b}", (("a", joined), ("b", part)))
    return say("barred by the rules: {parts}.", parts=joined)


def _with_roles(teams: list[list[int]], pool: Sequence[Auditor]) -> list[tuple[Auditor, ...]]:
    """Choose a lead per team so that leading is shared as evenly as the teams allow."""
    leads = [0] * len(pool)
    chosen: list[int] = []
    for team in teams:
        lead = min(sorted(team), key=lambda a: leads[a])
        leads[lead] += 1
        chosen.append(lead)
    while _pass_on_lead(teams, chosen, leads):
        pass
    return [
        (replace(pool[chosen[t]], role=LEAD),
         *(replace(pool[a], role=MEMBER) for a in sorted(team) if a != chosen[t]))
        for t, team in enumerate(teams)
    ]


def _pass_on_lead(teams: list[list[int]], chosen: list[int], leads: list[int]) -> bool:
    """Find someone leading two more teams than another person they reach through a chain of teams
    (each lead hands over to a member, who hands over one of their own teams, ...), and shift one lead
    along the chain. False when nobody can pass a lead on: the sharing is then as even as it gets."""
    led: dict[int, list[int]] = defaultdict(list)
    for t, lead in enumerate(chosen):
        led[lead].append(t)
    for start in sorted(range(len(leads)), key=lambda a: (-leads[a], a)):
        came_from: dict[int, tuple[int, int]] = {start: (-1, -1)}  # person → (previous person, team)
        queue = [start]
        for person_ in queue:
            for t in led[person_]:
                for member in sorted(teams[t]):
                    if member in came_from:
                        continue
                    came_from[member] = (person_, t)
                    if leads[member] + 2 <= leads[start]:
                        leads[start] -= 1
                        leads[member] += 1
                        while member != start:
                            previous, team = came_from[member]
                            chosen[team] = member
                            member = previous
                        return True
                    queue.append(member)
    return False


class _Search:
    """Build teams (lists of pool indices per workshop index) by construction and local improvement.

    Own-workshop audits and repeated members are never made. The cost of a set of teams is a
    weighted sum whose weights order its parts strictly: the sum of squared loads (balance), then
    reciprocal workshop pairs, then pairs of people of one workshop in a team, then same-municipality
    audits. Moves are made only when they lower the cost, so a construction that is balanced and free
    of reciprocal pairs stays so.
    """

    LOAD, RECIPROCAL, SAME_HOME, MUNICIPALITY = 10**6, 10**3, 10, 1
    MAX_PASSES = 50

    def __init__(self, workshops: Sequence[Workshop], pool: Sequence[Auditor], team_size: int) -> None:
        self.n, self.m, self.k = len(workshops), len(pool), team_size
        index = {w.id: i for i, w in enumerate(workshops)}
        self.home = [index.get(a.home_workshop_id, -1) for a in pool]
        by_id = {w.id.casefold(): w for w in workshops}
        # Organisation and declared conflicts: pairs never made, like a person's own workshop.
        self.barred = {(a, i) for a, auditor in enumerate(pool) for i, w in enumerate(workshops)
                       if barred(auditor, w, by_id) in (ORGANISATION, CONFLICT)}
        self.wmuni = [_municipality(w) for w in workshops]
        self.amuni = [self.wmuni[h] if h >= 0 else "" for h in self.home]
        self.team: list[list[int]] = [[] for _ in workshops]
        self.load = [0] * self.m
        self.pairs: dict[tuple[int, int], int] = defaultdict(int)  # (home, audited) → people

    def run(self) -> list[list[int]]:
        """Teams from two constructions, each improved; the cheaper (the first on a tie)."""
        results = []
        for prefer_other_municipality in (False, True):
            self._reset()
            self._construct(prefer_other_municipality)
            self._improve()
            results.append((self._cost(), [list(team) for team in self.team]))
        return min(results, key=lambda result: result[0])[1]

    def _reset(self) -> None:
        self.team = [[] for _ in range(self.n)]
        self.load = [0] * self.m
        self.pairs = defaultdict(int)

    def _cost(self) -> int:
        directed = {pair for pair, count in self.pairs.items() if count > 0}
        return (self.LOAD * sum(load * load for load in self.load)
                + self.RECIPROCAL * sum(1 for x, y in directed if (y, x) in directed) // 2
                + self.SAME_HOME * sum(self._same_home(i, a, without=a) for i in range(self.n) for a in self.team[i]) // 2
                + self.MUNICIPALITY * sum(self._local(a, i) for i in range(self.n) for a in self.team[i]))

    def _add(self, i: int, a: int) -> None:
        self.team[i].append(a)
        self.load[a] += 1
        if self.home[a] >= 0:
            self.pairs[self.home[a], i] += 1

    def _remove(self, i: int, a: int) -> None:
        self.team[i].remove(a)
        self.load[a] -= 1
        if self.home[a] >= 0:
            self.pairs[self.home[a], i] -= 1

    def _eligible(self, i: int, a: int) -> bool:
        return self.home[a] != i and a not in self.team[i] and (a, i) not in self.barred

    def _reciprocal(self, a: int, i: int) -> bool:
        """Whether a's workshop is audited by people of workshop i while a would audit i."""
        h = self.home[a]
        return h >= 0 and self.pairs.get((i, h), 0) > 0

    def _same_home(self, i: int, a: int, without: int = -1) -> int:
        """Members of team i (leaving out `without`) from a's home workshop."""
        h = self.home[a]
        return sum(1 for b in self.team[i] if b != without and self.home[b] == h) if h >= 0 else 0

    def _local(self, a: int, i: int) -> bool:
        return bool(self.amuni[a]) and self.amuni[a] == self.wmuni[i]

    def _construct(self, prefer_other_municipality: bool) -> None:
        """Greedy on a ring: workshops in an order that spreads municipalities apart; round by round each
        takes the least-loaded eligible auditor nearest ahead of it on the ring (preferring, when asked,
        one from another municipality). Without that preference and with one auditor per workshop this
        is the rotation "audited by the next k workshops": balanced, and free of reciprocal pairs
        whenever there are at least 2k+1 workshops."""
        order = self._ring_order()
        position = {i: p for p, i in enumerate(order)}
        homeless = [a for a in range(self.m) if self.home[a] < 0]
        spot = {a: p * self.n / len(homeless) for p, a in enumerate(homeless)}
        ring = sorted(range(self.m), key=lambda a: (position[self.home[a]] if self.home[a] >= 0 else spot[a], a))
        places = [position[self.home[a]] if self.home[a] >= 0 else spot[a] for a in ring]
        for _round in range(self.k):
            for i in order:
                start = bisect.bisect_left(places, position[i])
                walk = ring[start:] + ring[:start]
                lowest = min(self.load)
                # The first auditor ahead that is ideal by every measure; else the best by those measures.
                pick = next((a for a in walk if self.load[a] == lowest and self._eligible(i, a)
                             and not self._reciprocal(a, i) and not self._same_home(i, a)
                             and not (prefer_other_municipality and self._local(a, i))), None)
                if pick is None:
                    pick = min((a for a in walk if self._eligible(i, a)), key=lambda a: (
                        self.load[a], self._reciprocal(a, i), self._same_home(i, a),
                        prefer_other_municipality and self._local(a, i)))
                self._add(i, pick)

    def _ring_order(self) -> list[int]:
        """Workshop indices so that those of one municipality are at least k apart where possible."""
        groups: dict[str, list[int]] = defaultdict(list)
        for i, muni in enumerate(self.wmuni):
            groups[muni or f"\0{i}"].append(i)  # no municipality: never a conflict
        names = sorted(groups)
        last = {g: -self.n for g in names}
        order: list[int] = []
        for step in range(self.n):
            left = [g for g in names if groups[g]]
            apart = [g for g in left if step - last[g] > self.k]
            g = max(apart, key=lambda g: len(groups[g])) if apart else min(left, key=lambda g: last[g])
            order.append(groups[g].pop(0))
            last[g] = step
        return order

    def _serious(self, i: int, a: int, lowest: int) -> bool:
        """Whether a in team i is overloaded, in a reciprocal pair, or with a colleague in the team."""
        return self.load[a] > lowest + 1 or self._reciprocal(a, i) or self._same_home(i, a, without=a) > 0

    def _improve(self) -> None:
        for _pass in range(self.MAX_PASSES):
            improved = False
            for i in range(self.n):
                for a in list(self.team[i]):
                    if a not in self.team[i]:
                        continue
                    if self._serious(i, a, min(self.load)):
                        improved |= self._best_move(i, a, first=False)
                    elif self._local(a, i):
                        improved |= self._best_move(i, a, first=True)
            if not improved:
                return

    def _reciprocal_change(self, changes: dict[tuple[int, int], int]) -> int:
        """How many reciprocal pairs the given changes of (home, audited) counts add (or remove, < 0)."""
        delta = 0
        for x, y in {(min(p), max(p)) for p in changes}:
            before = self.pairs.get((x, y), 0) > 0 and self.pairs.get((y, x), 0) > 0
            after = (self.pairs.get((x, y), 0) + changes.get((x, y), 0) > 0
                     and self.pairs.get((y, x), 0) + changes.get((y, x), 0) > 0)
            delta += after - before
        return delta

    def _changes(self, *moves: tuple[int, int, int]) -> dict[tuple[int, int], int]:
        changes: dict[tuple[int, int], int] = defaultdict(int)
        for a, i, step in moves:  # a leaves (-1) or joins (+1) team i
            if self.home[a] >= 0:
                changes[self.home[a], i] += step
        return changes

    def _replace_delta(self, i: int, a: int, b: int) -> int:
        return (self.LOAD * (2 * self.load[b] + 1 - (2 * self.load[a] - 1))
                + self.RECIPROCAL * self._reciprocal_change(self._changes((a, i, -1), (b, i, 1)))
                + self.SAME_HOME * (self._same_home(i, b, without=a) - self._same_home(i, a, without=a))
                + self.MUNICIPALITY * (self._local(b, i) - self._local(a, i)))

    def _swap_delta(self, i: int, a: int, j: int, b: int) -> int:
        changes = self._changes((a, i, -1), (b, j, -1), (b, i, 1), (a, j, 1))
        return (self.RECIPROCAL * self._reciprocal_change(changes)
                + self.SAME_HOME * (self._same_home(i, b, without=a) - self._same_home(i, a, without=a)
                                    + self._same_home(j, a, without=b) - self._same_home(j, b, without=b))
                + self.MUNICIPALITY * (self._local(b, i) + self._local(a, j) - self._local(a, i) - self._local(b, j)))

    def _best_move(self, i: int, a: int, first: bool) -> bool:
        """Make the move of a out of team i that lowers the cost most (with first: the first move found
        that ends a's same-municipality audit and lowers the cost); False when there is none."""
        best: tuple[int, int, int] | None = None  # (delta, other workshop or -1, other auditor)
        for b in range(self.m):
            if self.load[b] < self.load[a] and self._eligible(i, b) and not (first and self._local(b, i)):
                delta = self._replace_delta(i, a, b)
                if delta < 0 and (best is None or delta < best[0]):
                    best = (delta, -1, b)
                    if first:
                        break
        for j in range(self.n):
            if (first and best) or j == i or not self._eligible(j, a) or (first and self._local(a, j)):
                continue
            for b in self.team[j]:
                if self._eligible(i, b) and not (first and self._local(b, i)):
                    delta = self._swap_delta(i, a, j, b)
                    if delta < 0 and (best is None or delta < best[0]):
                        best = (delta, j, b)
                        if first:
                            break
        if best is None:
            return False
        _delta, j, b = best
        self._remove(i, a)
        self._add(i, b)
        if j >= 0:
            self._remove(j, b)
            self._add(j, a)
        return True


# --- the assignment file -----------------------------------------------------------------------


def assignment_rows(assignment: Assignment) -> list[dict[str, str]]:
    """One row per workshop and auditor, lead first, in the order of the workshops."""
    names = {w.id: w.name for w in assignment.workshops}
    return [
        {"workshop_id": wid, "workshop_name": names[wid], "role": a.role, "auditor_name": a.name,
         "auditor_email": a.email, "auditor_home_workshop": a.home_workshop_id}
        for wid, team in assignment.items() for a in team
    ]


def write_assignment(assignment: Assignment, path: str | Path, *, force: bool = False, lang: str | None = None) -> Path:
    """Write the assignment as a CSV that Excel opens right (`;`, UTF-8 with BOM), for review and edits,
    its header in a language (default: the current one; give the round's).

    Raises OutputExistsError when the file exists (it may hold the coordinator's edits) and force is False.
    """
    target = Path(path)
    if target.exists() and not force:
        raise OutputExistsError(say("{path}: already there, perhaps with your edits; keep it, or add --force to "
                                    "replace it with a new assignment.", path=str(target)))
    words = wording("messages", lang)
    roles = labels(AUDITOR_ROLE, words.lang)
    return write_csv(target, [words(HEADERS[c]) for c in COLUMNS],
                     ([roles.get(row[c], row[c]) if c == "role" else row[c] for c in COLUMNS]
                      for row in assignment_rows(assignment)), force=force)


@functools.lru_cache(maxsize=1)
def _columns() -> tuple[Column, ...]:
    """ASSIGNMENT_COLUMNS, each also named by its header in every language (as write_assignment writes it)."""
    return tuple(replace(column, aliases=(*column.aliases, *(wording("messages", lang)(HEADERS[column.key])
                                                             for lang in LANGUAGES)))
                 for column in ASSIGNMENT_COLUMNS)


def read_assignment(
    path: str | Path, workshops: Iterable[Workshop], auditors: Iterable[Auditor] = (), *,
    allow_missing: bool = False,
) -> tuple[Assignment, list[Problem]]:
    """Read a (coordinator-edited) assignment file: CSV as write_assignment writes it, or .xlsx.

    auditors: the pool (see auditor_pool), used to complete a person's email and home workshop when
    the row leaves them empty. Returns the teams of the rows without errors, and every problem with
    its line: unknown workshop, auditor from their own workshop, a person twice in a team, two leads,
    unknown role, and (unless allow_missing) each workshop left without auditors. Never raises on a
    bad file.
    """
    name = str(path)
    ordered = tuple(sorted(workshops, key=lambda w: id_sort_key(w.id)))
    by_id = {w.id.casefold(): w for w in ordered}
    pool = tuple(auditors)
    by_name: dict[str, list[Auditor]] = defaultdict(list)  # each row's person looked up, not searched for
    for a in pool:
        by_name[a.name.casefold()].append(a)
    in_pool = {person(a) for a in pool}
    records, problems = read_records(path, _columns(), ("workshop_id", "auditor_name"))
    teams: dict[str, list[Auditor]] = defaultdict(list)
    lead_at: dict[str, tuple[str, str]] = {}
    members_at: dict[tuple[str, Person], str] = {}
    extra: dict[Person, Auditor] = {}
    for record in records:
        value = {column.key: unguard(record.get(column.key)) for column in ASSIGNMENT_COLUMNS}
        errors: list[tuple[str, Text]] = []
        warnings: list[tuple[str, Text]] = []
        workshop = by_id.get(value["workshop_id"].casefold())
        if workshop is None:
            errors.append(("workshop-not-in-register", say(
                "workshop '{id}' is not in the register; correct the id or delete the row.", id=value["workshop_id"])))
        elif value["workshop_name"] and value["workshop_name"] != workshop.name:
            warnings.append(("workshop-name-differs", say(
                "the register names {id} '{name}', not '{given}'; check that the id is right (the register's name is "
                "used).", id=workshop.id, name=workshop.name, given=value["workshop_name"])))
        auditor, found_problems = _row_auditor(value, by_name, by_id)
        errors += [(code, m) for code, m, severity in found_problems if severity == "error"]
        warnings += [(code, m) for code, m, severity in found_problems if severity == "warning"]
        role = _roles().get(header_key(value["role"]))
        if role is None:
            errors.append(("role-unknown", say("role '{role}' is not known; write {lead} or {member}.",
                                               role=value["role"], lead=LEAD, member=MEMBER)))
        if workshop is not None and auditor is not None:
            rule = barred(auditor, workshop, by_id)
            if rule is not None:
                errors.append(("auditor-barred", say("{why}; choose another auditor.",
                                                     why=barred_message(auditor, workshop, rule, by_id))))
            key = (workshop.id, person(auditor))
            if key in members_at:
                errors.append(("auditor-twice", say(
                    "{auditor} is already in the team of {workshop} (on {first}); delete one of the rows.",
                    auditor=auditor.name, workshop=workshop.id, first=place_text(members_at[key]))))
            if role == LEAD and workshop.id in lead_at:
                lead, at = lead_at[workshop.id]
                errors.append(("lead-twice", say(
                    "{workshop} already has a {lead_role} ({lead}, on {at}); one lead per workshop: write {member} "
                    "here.", workshop=workshop.id, lead_role=LEAD, lead=lead, at=place_text(at), member=MEMBER)))
        problems += [Problem(name, record.place, m, code=code) for code, m in errors]
        problems += [Problem(name, record.place, m, "warning", code) for code, m in warnings]
        if errors or workshop is None or auditor is None or role is None:
            continue
        members_at[(workshop.id, person(auditor))] = record.at
        if role == LEAD:
            lead_at[workshop.id] = (auditor.name, record.at)
            teams[workshop.id].insert(0, replace(auditor, role=LEAD))
        else:
            teams[workshop.id].append(replace(auditor, role=MEMBER))
        if person(auditor) not in in_pool:
            extra.setdefault(person(auditor), auditor)
    for workshop in ordered:
        team = teams.get(workshop.id)
        if not team:
            if allow_missing:
                continue
            problems.append(Problem(name, "", say(
                "{id} '{name}' has no auditors; add rows for it, or make a new assignment with `auditkit assign "
                "--force`.", id=workshop.id, name=workshop.name), code="team-missing"))
        elif workshop.id not in lead_at:
            teams[workshop.id][0] = replace(team[0], role=LEAD)
            problems.append(Problem(name, "", say(
                "{id} has no {lead_role}; the first listed, {first}, leads.", id=workshop.id, lead_role=LEAD,
                first=team[0].name), "warning", "lead-missing"))
    return Assignment(
        workshops=ordered,
        teams=MappingProxyType({w.id: tuple(teams[w.id]) for w in ordered if teams.get(w.id)}),
        auditors=tuple(sorted((*pool, *extra.values()), key=_auditor_key)),
    ), problems


def _row_auditor(
    value: Mapping[str, str], by_name: Mapping[str, Sequence[Auditor]], by_id: Mapping[str, Workshop]
) -> tuple[Auditor | None, list[tuple[str, Text, str]]]:
    """The auditor a row names, completed from the pool (by_name: its people by name casefolded); and
    (code, message, severity) problems."""
    found: list[tuple[str, Text, str]] = []
    person_name, email, home = value["auditor_name"], value["auditor_email"], value["auditor_home_workshop"]
    if not person_name:
        return None, [("name-empty", say("the auditor's name is empty; write it, or delete the row."), "error")]
    if email and not is_email(email):
        found.append(("email-invalid", say("'{email}' is not an email address; write one address.", email=email),
                      "error"))
    known = by_id.get(home.casefold())
    if home and known is None:
        found.append(("home-workshop-unknown", say(
            "home workshop '{home}' is not in the register, so auditkit cannot check that {auditor} does not audit "
            "their own workshop.", home=home, auditor=person_name), "warning"))
    home = known.id if known else home
    same_name = by_name.get(person_name.casefold(), ())
    match = next((a for a in same_name if (not email or a.email.casefold() == email.casefold())
                  and (not home or a.home_workshop_id == home)), None)
    if match is not None:  # the register's organisation and declared conflicts come with the person
        return replace(match, name=person_name, email=email or match.email, home_workshop_id=home or match.home_workshop_id,
                       role=MEMBER), found
    if by_name:
        found.append(("auditor-not-in-register", say("{auditor} is not among the round's auditors; taken as written.",
                                                     auditor=person_name), "warning"))
    return Auditor(person_name, email, home), found


def kit_assignment(round_: Round) -> tuple[Assignment, list[Problem], tuple[str, ...]]:
    """The assignment kits are made from: the file as edited, with a team added (extend) for each
    workshop the file does not have yet, or a new assignment when there is no file. Returns the
    assignment, the file's problems and the ids of the workshops given a team here.
    Raises RoundError when a new assignment or a new team is impossible.
    """
    config = round_.config
    if not config.assignment_path.is_file():
        return assign(round_.workshops, round_.auditors, config.team_size, config.assignment_method), [], ()
    pool = auditor_pool(round_.workshops, round_.auditors, config.assignment_method)
    assignment, problems = read_assignment(config.assignment_path, round_.workshops, pool, allow_missing=True)
    added = tuple(w.id for w in round_.workshops if not assignment.get(w.id))
    if added and not any(p.severity == "error" for p in problems):
        assignment = extend(assignment, round_.workshops, pool, config.team_size)
    return assignment, problems, added


def round_assignment(round_: Round) -> tuple[Assignment, list[Problem]]:
    """The round's assignment: its assignment file as edited when it exists, else a new one by assign().

    Raises RoundError when a new assignment is impossible.
    """
    config = round_.config
    if config.assignment_path.is_file():
        pool = auditor_pool(round_.workshops, round_.auditors, config.assignment_method)
        return read_assignment(config.assignment_path, round_.workshops, pool)
    return assign(round_.workshops, round_.auditors, config.team_size, config.assignment_method), []


def assignment_as_sent(round_: Round) -> Assignment:
    """The teams as the assignment file has them: what `auditkit kit` wrote and the auditors were told.

    Workshops without a team are left out (the caller says so). Raises RoundError when the file is
    missing (no kit yet) or has errors.
    """
    config = round_.config
    if not config.assignment_path.is_file():
        raise RoundError(say("{path}: the assignment is missing; run `auditkit kit` first (it writes the teams the "
                             "auditors are told about).", path=str(config.assignment_path)))
    pool = auditor_pool(round_.workshops, round_.auditors, config.assignment_method)
    assignment, problems = read_assignment(config.assignment_path, round_.workshops, pool, allow_missing=True)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise RoundError(say("{path}: the assignment has {count} problem(s); fix the file before anything more goes "
                             "to the auditors", path=str(config.assignment_path), count=len(errors)), errors)
    return assignment


def auditors_of(round_: Round, assignment: Assignment) -> dict[tuple[str, str], tuple[Auditor, list[Workshop]]]:
    """(name, email) -> the auditor and the workshops they audit, in register order."""
    people: dict[tuple[str, str], tuple[Auditor, list[Workshop]]] = {}
    for w in round_.workshops:
        for a in assignment.get(w.id, ()):
            people.setdefault((a.name, a.email), (a, []))[1].append(w)
    return people
