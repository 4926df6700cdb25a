"""Scores, gaps and the recommendation: pure functions on plain values, rules from the content."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from statistics import mean as _exact_mean
from types import MappingProxyType

from .catalogue import Catalogue, Criterion, Profile, Rule, applies
from .errors import Text
from .i18n import N_, Wording, wording

# Shares are compared at four decimals, so a threshold of 0.3333 means one third and 0.6667 two thirds.
_SHARE_DECIMALS = 4


def mean(values: Iterable[float]) -> float:
    """statistics.mean, the same value: for whole numbers (ratings, gaps) their sum over their count,
    which Python rounds correctly as statistics.mean does, without its exact fractions (a round of 300
    workshops takes tens of thousands of means)."""
    items = list(values)
    if all(type(v) is int for v in items):
        return sum(items) / len(items) if items else _exact_mean(items)  # none: statistics' own error
    return _exact_mean(items)


@dataclass(frozen=True, slots=True)
class Answer:
    """A criterion's answer as read: rating (None if not given), Ei sovellu, and for auditors whether
    they accept the workshop's Ei sovellu (None when they said nothing)."""

    rating: int | None = None
    not_applicable: bool = False
    na_accepted: bool | None = None


@dataclass(frozen=True, slots=True)
class Effective:
    """The value a criterion counts with: a rating, or not applicable, or missing (neither).

    source: "rating", "na" (Ei sovellu chosen, and for auditors accepted), "profile" (does not apply to
    the workshop's profile and was not rated: left out like Ei sovellu, but out of the "more than a
    third" rule too, and needing no acceptance), "na-rejected" (a workshop's Ei sovellu the auditors
    rejected, counted as the rule's value) or "missing".
    """

    value: int | None
    not_applicable: bool
    source: str

    @property
    def missing(self) -> bool:
        return self.value is None and not self.not_applicable


@dataclass(frozen=True, slots=True)
class GroupScore:
    """Mean of an area or element. assessable is False ("ei arvioitavissa") when more than the rule's
    share of its criteria are Ei sovellu; mean and index are None when nothing was rated.

    not_applicable counts every Ei sovellu, by_profile those of them that come from the profile: the
    share is taken of the criteria that apply to the workshop, so a profile never makes a group
    "ei arvioitavissa" by itself.
    """

    id: str
    name: str
    total: int
    rated: int
    not_applicable: int
    missing: int
    mean: float | None
    index: float | None
    assessable: bool
    by_profile: int = 0


@dataclass(frozen=True, slots=True)
class Check:
    """One condition of the recommendation rule: what it says, whether it holds, and the figures."""

    name: str
    passed: bool
    detail: str


@dataclass(frozen=True, slots=True)
class Caveat:
    """What a reader must know about what a proposal rests on, shown beside it in every report.

    code: a stable key (CAVEAT_NO_SELF, or another module's, e.g. for unresolved conflicting copies);
    text: the Finnish sentence a report shows; message: the same as a catalogue text, said in any
    language (`said`); without it a known code's text is the catalogue's, and any other's `text`.
    """

    code: str
    text: str
    message: Text | None = None

    def said(self, lang: str | None = None) -> str:
        """The caveat in a language (the reader's document's)."""
        if self.message is not None:
            return self.message.said(lang)
        known = _CAVEAT_TEXTS.get(self.code)
        return wording("messages", lang)(known) if known and lang != "fi" else self.text


CAVEAT_NO_SELF = "no-self-assessment"
_CAVEAT_TEXTS = {CAVEAT_NO_SELF: N_("No self-assessment was returned: the proposal rests on the auditors' ratings "
                                    "alone, and they could not be compared with the workshop's own.")}


@dataclass(frozen=True, slots=True)
class Recommendation:
    """outcome: "recommended", "conditional" or "not_recommended"; label: its wording (the content's);
    checks: the rule's conditions as a table; reasons: why the rule gave this outcome, in plain
    sentences; caveats: what the proposal rests on that the reader must know; lang: the language of
    the checks and reasons (`in_language` says them in another)."""

    outcome: str
    label: str
    checks: tuple[Check, ...]
    reasons: tuple[str, ...]
    caveats: tuple[Caveat, ...] = ()
    lang: str = "fi"

    def with_caveats(self, *caveats: Caveat) -> Recommendation:
        """The same proposal with these caveats added (each code once, in the order given)."""
        known = {c.code for c in self.caveats}
        added = tuple(c for c in caveats if c.code not in known)
        return replace(self, caveats=self.caveats + added) if added else self


@dataclass(frozen=True, slots=True)
class ScoreProfile:
    """A workshop's scores on one side (self or auditors): per criterion, areas, elements, overall."""

    criteria: Mapping[int, Effective]
    areas: tuple[GroupScore, ...]
    elements: tuple[GroupScore, ...]
    overall: GroupScore

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def missing(self) -> tuple[int, ...]:
        return tuple(n for n, e in sorted(self.criteria.items()) if e.missing)


_BY_PROFILE = Effective(None, True, "profile")


def effective_self(answer: Answer | None, applies: bool = True) -> Effective:
    """The workshop's own answer as it counts. applies: whether the criterion applies to the workshop's
    profile; one that does not and was not rated is not applicable by the profile."""
    if answer is not None and answer.rating is not None:
        return Effective(answer.rating, False, "rating")
    if not applies:
        return _BY_PROFILE
    if answer is None:
        return Effective(None, False, "missing")
    if answer.not_applicable:
        return Effective(None, True, "na")
    return Effective(None, False, "missing")


def effective_auditor(auditor: Answer | None, own: Answer | None, rule: Rule, applies: bool = True) -> Effective:
    """The auditors' answer as it counts for the recommendation.

    An auditor's own rating wins; an auditor's Ei sovellu is not applicable; a criterion outside the
    workshop's profile is not applicable without anyone's acceptance (unless the auditors reject it,
    finding that it does apply); otherwise a workshop's Ei sovellu counts as not applicable when the
    auditors accept it and as the rule's value (rejected_not_applicable_counts_as) when they reject it;
    anything else is missing (compile reports a blank acceptance as a problem).
    """
    if auditor is not None and auditor.rating is not None:
        return Effective(auditor.rating, False, "rating")
    if auditor is not None and auditor.not_applicable:
        return Effective(None, True, "na")
    rejected = auditor is not None and auditor.na_accepted is False
    if not applies and not rejected:
        return _BY_PROFILE
    if (own is not None and own.not_applicable or not applies) and auditor is not None:
        if auditor.na_accepted is True:
            return Effective(None, True, "na")
        if rejected:
            return Effective(rule.rejected_not_applicable_counts_as, False, "na-rejected")
    return Effective(None, False, "missing")


def index(value: float | None, low: int, high: int) -> float | None:
    """(value - low) / (high - low) x 100, the percentage shown beside a mean."""
    if value is None or high == low:
        return None
    return (value - low) / (high - low) * 100


def _share(part: int, whole: int) -> float:
    return round(part / whole, _SHARE_DECIMALS) if whole else 0.0


def group_score(gid: str, name: str, values: Iterable[Effective], catalogue: Catalogue) -> GroupScore:
    """Mean over rated criteria (Ei sovellu left out), with counts and the "ei arvioitavissa" flag."""
    return _group_score(gid, name, list(values), catalogue.scale.min, catalogue.scale.max,
                        catalogue.rule.max_not_applicable_share)


def _group_score(gid: str, name: str, items: list[Effective], low: int, high: int, max_share: float) -> GroupScore:
    """group_score with the scale's ends and the rule's share given (a round of 300 scores 6 000 groups)."""
    rated = [e.value for e in items if e.value is not None]
    na = by_profile = missing = 0
    for e in items:
        if e.not_applicable:
            na += 1
        elif e.value is None:
            missing += 1
        if e.source == "profile":
            by_profile += 1
    m = mean(rated) if rated else None
    chosen_share = _share(na - by_profile, len(items) - by_profile)
    return GroupScore(
        id=gid,
        name=name,
        total=len(items),
        rated=len(rated),
        not_applicable=na,
        missing=missing,
        mean=m,
        index=index(m, low, high),
        assessable=chosen_share <= max_share and bool(rated),
        by_profile=by_profile,
    )


@dataclass(frozen=True, slots=True)
class _Groups:
    """What profile needs of a catalogue, worked out once: the criteria's numbers in order, each area's and
    element's (id, name, numbers), the scale's ends and the rule's share."""

    numbers: tuple[int, ...]
    areas: tuple[tuple[str, str, tuple[int, ...]], ...]
    elements: tuple[tuple[str, str, tuple[int, ...]], ...]
    low: int
    high: int
    max_share: float


_GROUPS: list[tuple[Catalogue, _Groups]] = []  # the last catalogue's (compile scores every workshop with one)


def _groups(catalogue: Catalogue) -> _Groups:
    if _GROUPS and _GROUPS[0][0] is catalogue:
        return _GROUPS[0][1]
    groups = _Groups(
        tuple(c.number for c in catalogue.criteria),
        tuple((a.id, a.name, tuple(c.number for c in catalogue.criteria_of(a.id))) for a in catalogue.areas),
        tuple((e.id, e.name, tuple(c.number for c in catalogue.criteria if c.element_id == e.id))
              for e in catalogue.elements),
        catalogue.scale.min, catalogue.scale.max, catalogue.rule.max_not_applicable_share)
    _GROUPS[:] = [(catalogue, groups)]
    return groups


def profile(catalogue: Catalogue, effective: Mapping[int, Effective]) -> ScoreProfile:
    """Area, element and overall scores from per-criterion effective values (missing ones included)."""
    g = _groups(catalogue)
    criteria = {n: effective.get(n) or Effective(None, False, "missing") for n in g.numbers}
    areas = tuple(_group_score(gid, name, [criteria[n] for n in numbers], g.low, g.high, g.max_share)
                  for gid, name, numbers in g.areas)
    elements = tuple(_group_score(gid, name, [criteria[n] for n in numbers], g.low, g.high, g.max_share)
                     for gid, name, numbers in g.elements)
    overall = _group_score("kaikki", "Kaikki kriteerit", list(criteria.values()), g.low, g.high,  # its name is not shown
                           g.max_share)
    return ScoreProfile(criteria, areas, elements, overall)


def self_profile(catalogue: Catalogue, answers: Mapping[int, Answer], workshop: Profile | None = None) -> ScoreProfile:
    """The workshop's scores from its answers; workshop: its profile (None: every criterion applies)."""
    return profile(catalogue, {c.number: effective_self(answers.get(c.number), _applies(c, workshop))
                               for c in catalogue.criteria})


def auditor_profile(catalogue: Catalogue, auditor: Mapping[int, Answer], own: Mapping[int, Answer],
                    workshop: Profile | None = None) -> ScoreProfile:
    """The auditors' scores as they count for the recommendation; workshop: as for self_profile."""
    return profile(
        catalogue,
        {c.number: effective_auditor(auditor.get(c.number), own.get(c.number), catalogue.rule, _applies(c, workshop))
         for c in catalogue.criteria},
    )


def _applies(criterion: Criterion, workshop: Profile | None) -> bool:
    return workshop is None or applies(criterion, workshop)


def gaps(own: ScoreProfile, auditors: ScoreProfile) -> dict[int, int]:
    """Auditor minus self per criterion, where both gave a rating (negative: the workshop rated higher)."""
    out = {}
    for number, a in auditors.criteria.items():
        s = own.criteria.get(number)
        if a.source == "rating" and s is not None and s.value is not None and a.value is not None:
            out[number] = a.value - s.value
    return out


def difference(minuend: float | None, subtrahend: float | None) -> float | None:
    """minuend - subtrahend (an auditors' mean less the workshop's), or None when either is missing."""
    return minuend - subtrahend if minuend is not None and subtrahend is not None else None


def _pct(share: float, words: Wording) -> str:
    """66,7 or 25: a share in per cent, one decimal where it has one."""
    text = f"{round(share * 100, 1):g}"
    return text.replace(".", ",") if words.lang in ("fi", "sv") else text


def _count(n: int, words: Wording) -> str:
    return words.ngettext("{count} criterion", "{count} criteria", n)


def _listed(numbers: Iterable[int], words: Wording, most: int = 12) -> str:
    """4, 12 ja 17 (at most `most` numbers, then how many more)."""
    _ = words
    items = [str(n) for n in numbers]
    if len(items) > most:
        return _("{items} and {count} more", items=", ".join(items[:most]), count=len(items) - most)
    return items[0] if len(items) == 1 else _("{items} and {last}", items=", ".join(items[:-1]), last=items[-1])


def recommend(catalogue: Catalogue, auditors: ScoreProfile, lang: str = "fi") -> Recommendation:
    """Apply the configured recommendation rule to the auditors' profile (see rules.toml).

    The checks say per condition whether it holds and the figures; the reasons say in sentences why
    the outcome is what it is, in `lang`. An element that is "ei arvioitavissa" has no mean shown anywhere.
    """
    _ = words = wording("messages", lang)
    fi = words.number
    na = catalogue.scale.not_applicable.label
    rule = catalogue.rule
    missing = auditors.missing
    values = [e.value for e in auditors.criteria.values() if e.value is not None]
    fails = sorted(n for n, e in auditors.criteria.items() if e.value is not None and e.value <= rule.fail_rating)
    high = sum(1 for v in values if v >= rule.high_rating)
    share_high = _share(high, len(values))
    weak = [g for g in auditors.elements if g.assessable and g.mean is not None and g.mean < rule.element_mean_min]
    unassessable = [g for g in auditors.elements if not g.assessable]

    def numbers(ns: Iterable[int]) -> str:
        return ", ".join(map(str, ns))

    checks = (
        Check(_("Coverage"), not missing,
              _("all criteria rated or {na} accepted", na=na) if not missing
              else _("not rated: {numbers}", numbers=numbers(missing))),
        Check(_("No criterion at level {level}", level=rule.fail_rating), not fails,
              words.pgettext("rule check", "none") if not fails else
              _("at level {level}: {numbers}", level=rule.fail_rating, numbers=numbers(fails))),
        Check(_("Element means at least {mean}", mean=fi(rule.element_mean_min)), not weak and not unassessable,
              "; ".join(f"{g.name} " + (fi(g.mean) if g.assessable and g.mean is not None else _("cannot be assessed"))
                        for g in auditors.elements)),
        Check(_("At least {share} % of the criteria at level {level} or higher",
                share=_pct(rule.min_share_high, words), level=rule.high_rating),
              bool(values) and share_high >= rule.min_share_high,
              f"{high}/{len(values)} = {_pct(share_high, words)} %"),
    )
    reasons: list[str] = []
    if missing:
        reasons.append(_("The auditors have not rated every criterion: {count} not rated ({listed}).",
                         count=_count(len(missing), words), listed=_listed(missing, words)))
    if fails:
        reasons.append(_("At level {level} there are {count} ({listed}); a recommendation requires that no criterion "
                         "is at level {level}.", level=rule.fail_rating, count=_count(len(fails), words),
                         listed=_listed(fails, words)))
    reasons += [_("The mean of element {name}, {mean}, falls below the required {minimum}.", name=g.name,
                  mean=fi(g.mean), minimum=fi(rule.element_mean_min)) for g in weak if g.mean is not None]
    reasons += [_("Element {name} cannot be assessed: more than {share} % of its criteria are {na}, so no mean is "
                  "calculated for it.", name=g.name, share=_pct(rule.max_not_applicable_share, words), na=na)
                if g.rated else _("Element {name} cannot be assessed: none of its criteria has been rated.",
                                  name=g.name) for g in unassessable]
    if not checks[3].passed:
        reasons.append(_("At level {level} or higher are {share} % of the rated criteria ({high}/{rated}); at least "
                         "{minimum} % is required.", level=rule.high_rating, share=_pct(share_high, words), high=high,
                         rated=len(values), minimum=_pct(rule.min_share_high, words)))
    all_pass = all(c.passed for c in checks)
    conditional = (
        checks[0].passed
        and checks[3].passed
        and not unassessable
        and len(fails) <= rule.conditional_max_fail
        and len(weak) <= rule.conditional_max_weak_elements
        and all(g.mean is not None and g.mean >= rule.conditional_element_mean_floor for g in weak)
    )
    if all_pass:
        return Recommendation("recommended", rule.recommended, checks, (), lang=words.lang)
    if conditional:
        return Recommendation("conditional", rule.conditional, checks,
                              (*reasons, *([rule.conditional_note] if rule.conditional_note else [])), lang=words.lang)
    return Recommendation("not_recommended", rule.not_recommended, checks, tuple(reasons), lang=words.lang)


def in_language(catalogue: Catalogue, recommendation: Recommendation, auditors: ScoreProfile | None,
                lang: str) -> Recommendation:
    """A proposal with its checks and reasons said in `lang` (the rule applied again to the same ratings;
    the caveats kept, said by Caveat.said): a workshop's documents may be in another language than the round's."""
    if recommendation.lang == lang or auditors is None:
        return recommendation
    return replace(recommend(catalogue, auditors, lang), caveats=recommendation.caveats)


def rule_lines(catalogue: Catalogue, lang: str = "fi") -> tuple[str, ...]:
    """The recommendation rule in a language, one sentence per line, as every report prints it
    (Rule.describe's Finnish, in any language)."""
    _ = words = wording("messages", lang)
    rule = catalogue.rule
    na = catalogue.scale.not_applicable.label

    def short(number: float) -> str:  # 2,5 and 66,7; whole numbers without decimals
        text = str(int(number)) if float(number).is_integer() else f"{number}"
        return text.replace(".", ",") if words.lang in ("fi", "sv") else text

    return (
        _("1. Coverage: every criterion is rated or its “{na}” is accepted.", na=na),
        _("2. No criterion is rated at level {level}.", level=rule.fail_rating),
        _("3. The mean of every element is at least {mean}.", mean=short(rule.element_mean_min)),
        _("4. At least {share} % of the rated criteria are at level {level} or higher.",
          share=short(round(rule.min_share_high * 100, 1)), level=rule.high_rating),
        _("All four hold: {label}.", label=rule.recommended),
        _("Coverage and condition 4 hold, and the shortfalls are at most {fails} criteria at level {level} and/or at "
          "most {weak} element with a mean of {floor}–{below}: {label} ({note}).", fails=rule.conditional_max_fail,
          level=rule.fail_rating, weak=rule.conditional_max_weak_elements,
          floor=short(rule.conditional_element_mean_floor), below=short(round(rule.element_mean_min - 0.01, 2)),
          label=rule.conditional, note=rule.conditional_note.rstrip(".").lower()),
        _("Otherwise: {label}.", label=rule.not_recommended),
        _("An area or element with more than {share} % of its criteria “{na}” cannot be assessed. A rejected “{na}” "
          "counts as the value {value}.", share=short(round(rule.max_not_applicable_share * 100)), na=na,
          value=rule.rejected_not_applicable_counts_as),
    )


@dataclass(frozen=True, slots=True)
class RoundMean:
    """A mean across the round and how many workshops are behind it."""

    mean: float | None
    n: int


def round_group_means(profiles: Iterable[ScoreProfile]) -> Mapping[str, RoundMean]:
    """Per area and element id (and "kaikki"): the mean of the workshops' own group means, so that
    each workshop weighs the same (N/A left out, as in every mean; a group "ei arvioitavissa" too)."""
    values: dict[str, list[float]] = {}
    for p in profiles:
        for g in (*p.areas, *p.elements, p.overall):
            bucket = values.setdefault(g.id, [])
            if g.mean is not None and g.assessable:  # "ei arvioitavissa" has no mean to count
                bucket.append(g.mean)
    return MappingProxyType({gid: RoundMean(mean(v) if v else None, len(v)) for gid, v in values.items()})


@dataclass(frozen=True, slots=True)
class CriterionStats:
    """A criterion across the round: mean of the values given, how many, and the count per level."""

    number: int
    n: int
    mean: float | None
    not_applicable: int
    distribution: Mapping[int, int]


def criterion_stats(catalogue: Catalogue, profiles: Iterable[ScoreProfile]) -> tuple[CriterionStats, ...]:
    """Per-criterion statistics over workshops' profiles (one side: self or auditors)."""
    collected: dict[int, list[Effective]] = {c.number: [] for c in catalogue.criteria}
    for p in profiles:
        for number, e in p.criteria.items():
            collected[number].append(e)
    out = []
    for c in catalogue.criteria:
        values = [e.value for e in collected[c.number] if e.value is not None]
        out.append(CriterionStats(
            number=c.number,
            n=len(values),
            mean=mean(values) if values else None,
            not_applicable=sum(1 for e in collected[c.number] if e.not_applicable),
            distribution={v: values.count(v) for v in catalogue.scale.values},
        ))
    return tuple(out)


def weakest(stats: Iterable[CriterionStats], count: int = 10, min_n: int = 1) -> tuple[CriterionStats, ...]:
    """The criteria with the lowest mean (ties by number), among those rated by at least min_n workshops."""
    rated = [s for s in stats if s.mean is not None and s.n >= min_n]
    return tuple(sorted(rated, key=lambda s: (s.mean, s.number))[:count])


@dataclass(frozen=True, slots=True)
class Calibration:
    """Self against auditors over pairs of ratings: mean gap (auditor - self), and how often the workshop
    rated higher, the same, or lower than the auditors."""

    pairs: int
    mean_gap: float | None
    self_higher: int
    same: int
    self_lower: int


def calibration(gap_sets: Iterable[Mapping[int, int]]) -> Calibration:
    values = [g for gaps_ in gap_sets for g in gaps_.values()]
    return Calibration(
        pairs=len(values),
        mean_gap=mean(values) if values else None,
        self_higher=sum(1 for g in values if g < 0),
        same=sum(1 for g in values if g == 0),
        self_lower=sum(1 for g in values if g > 0),
    )
