"""Pure matching logic for the duplicate finder: no ORM, no database.

A *match key* is the normalised form of one field (an E.164 phone, a lower-case
email, a company name without legal suffix) under which two spellings of the
same fact become equal.  A *comparator* takes two keys and returns a similarity
between 0 and 1 together with a sentence a person can read.
"""

from .compare import (
    COMPARATORS,
    Similarity,
    best_possible_score,
    compare,
    score_pair,
)
from .normalize import (
    FREE_MAIL_DOMAINS,
    block_keys,
    normalize_company_name,
    normalize_email,
    normalize_email_domain,
    normalize_person_name,
    normalize_phone,
    normalize_street,
    normalize_text,
    normalize_vat,
    normalize_website,
    normalize_zip,
)
