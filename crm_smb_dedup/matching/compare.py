"""Comparators: similarity between two match keys, with a readable reason.

A comparator returns a :class:`Similarity` whose ``score`` lies in 0..1 and
whose ``reason`` is a short English sentence ("same phone +1 415-555-0100",
"company name 92% similar") or ``None`` when the keys do not support a match.
The model layer translates labels; this module stays free of the ORM so it can
be tested and benchmarked on its own.
"""

import re
from collections import namedtuple

from rapidfuzz import fuzz

from .nicknames import same_given_name
from .normalize import format_phone

Similarity = namedtuple("Similarity", ["score", "reason"])

NO_MATCH = Similarity(0.0, None)

# A similarity below this explains nothing, so it gets no reason sentence.
REASON_FLOOR = 0.6

_WORD_RE = re.compile(r"[0-9a-z]+")


def _display(label, value):
    return format_phone(value) if label == "phone" else value


def compare_exact(left, right, label="value"):
    """1 when both keys are equal, else 0."""
    if left and left == right:
        return Similarity(1.0, f"same {label} {_display(label, left)}")
    return NO_MATCH


def trigrams(text):
    """Trigrams as PostgreSQL's pg_trgm builds them (words padded by spaces)."""
    grams = set()
    for word in _WORD_RE.findall((text or "").lower()):
        padded = f"  {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return grams


def compare_trigram(left, right, label="value"):
    """Share of common trigrams, the measure pg_trgm's ``%`` operator uses."""
    if not left or not right:
        return NO_MATCH
    if left == right:
        return Similarity(1.0, f"same {label} {_display(label, left)}")
    a, b = trigrams(left), trigrams(right)
    if not a or not b:
        return NO_MATCH
    score = len(a & b) / len(a | b)
    return _similar(label, score)


def compare_fuzzy(left, right, label="value"):
    """Edit-distance similarity that ignores word order (rapidfuzz)."""
    if not left or not right:
        return NO_MATCH
    if left == right:
        return Similarity(1.0, f"same {label} {_display(label, left)}")
    score = fuzz.token_sort_ratio(left, right) / 100.0
    return _similar(label, score)


def _similar(label, score):
    if score >= 1.0:
        return Similarity(1.0, f"same {label}")
    reason = f"{label} {int(score * 100)}% similar" if score >= REASON_FLOOR else None
    return Similarity(score, reason)


def _given_name_score(left, right):
    """Similarity of two given names, aware of nicknames and initials."""
    if same_given_name(left, right):
        return 1.0, left != right
    if len(left) == 1 or len(right) == 1:
        return (0.9, True) if left[0] == right[0] else (0.0, False)
    return fuzz.ratio(left, right) / 100.0, False


def compare_person_name(left, right, label="name"):
    """Person names: "Bob Smith" = "Robert Smith", "J. Smith" ~ "John Smith".

    The last word is the family name and weighs 60%; the first word is the
    given name, compared through nickname families and initials.  Swapped
    order ("Smith John") is tried as well.
    """
    if not left or not right:
        return NO_MATCH
    if left == right:
        return Similarity(1.0, f"same {label} {left}")
    a, b = left.split(" "), right.split(" ")
    if len(a) < 2 or len(b) < 2:
        return compare_fuzzy(left, right, label)
    best, via_alias = 0.0, False
    for b_words in (b, b[::-1]):
        family = fuzz.ratio(a[-1], b_words[-1]) / 100.0
        given, alias = _given_name_score(a[0], b_words[0])
        score = 0.6 * family + 0.4 * given
        if score > best:
            best, via_alias = score, alias and family >= 0.9
    if via_alias and best >= REASON_FLOOR:
        return Similarity(best, f"{label} {left} matches {right} (nickname or initial)")
    return _similar(label, best)


COMPARATORS = {
    "exact": compare_exact,
    "trigram": compare_trigram,
    "fuzzy": compare_fuzzy,
    "person_name": compare_person_name,
}


def compare(comparator, left, right, label="value"):
    """Run the comparator named ``comparator`` on two keys."""
    return COMPARATORS[comparator](left, right, label)


def score_pair(lines, left, right, min_coverage=0.5):
    """Weighted score of two records and the reasons behind it.

    ``lines`` is an iterable of ``(key, comparator, weight, label)`` with an
    optional fifth item ``mismatch_counts``; ``left`` and ``right`` map keys
    to values.  An exact key that differs is ignored (people keep several
    emails) unless ``mismatch_counts`` says a difference is evidence against
    (two shops of one chain share a website but not a phone).  Lines where
    one side is empty neither help nor hurt, but the denominator never drops
    below ``min_coverage`` of the total weight, so two records that share only
    a name stay below a sensible threshold.
    """
    total = present = earned = 0.0
    reasons = []
    for key, comparator, weight, label, *options in lines:
        mismatch_counts = bool(options and options[0])
        total += weight
        a, b = left.get(key), right.get(key)
        if not a or not b:
            continue
        present += weight
        similarity = compare(comparator, a, b, label)
        if comparator == "exact" and not similarity.score and not mismatch_counts:
            # People keep several emails and phones: a different identifier
            # is no evidence against a match, only a shared one is for it.
            present -= weight
            continue
        earned += weight * similarity.score
        if similarity.reason:
            reasons.append((weight * similarity.score, similarity.reason))
    if not total or not present:
        return 0.0, []
    score = earned / max(present, min_coverage * total)
    reasons.sort(key=lambda item: -item[0])
    return round(min(score, 1.0), 4), [reason for __, reason in reasons]


def best_possible_score(lines, left, unmatched=(), min_coverage=0.5):
    """Highest score ``score_pair`` can give ``left`` against any other record.

    ``unmatched`` holds indexes into ``lines`` of exact lines the other record
    is known not to share (it was not found through them): such a line earns
    nothing.  Every other line where ``left`` has a value is assumed to match
    fully.  Because ``score_pair`` grows with what is earned and its
    denominator never drops below ``min_coverage`` of the total weight, the
    result bounds the real score from above, with the same rounding.
    """
    total = sum(line[2] for line in lines)
    reachable = sum(
        line[2]
        for index, line in enumerate(lines)
        if left.get(line[0]) and index not in unmatched
    )
    if not total or not reachable:
        return 0.0
    return round(min(reachable / max(reachable, min_coverage * total), 1.0), 4)
