"""Common English given-name variants, so that "Bob" meets "Robert".

Each tuple is one family of names that people use for the same person.
"""

NICKNAME_FAMILIES = (
    ("robert", "bob", "bobby", "rob", "robbie", "bert"),
    ("william", "bill", "billy", "will", "willy", "liam"),
    ("richard", "rick", "ricky", "dick", "rich", "richie"),
    ("james", "jim", "jimmy", "jamie"),
    ("john", "jack", "johnny", "jon"),
    ("jonathan", "jon", "jonny"),
    ("michael", "mike", "mikey", "mick"),
    ("thomas", "tom", "tommy"),
    ("joseph", "joe", "joey"),
    ("charles", "charlie", "chuck", "chas"),
    ("christopher", "chris", "topher"),
    ("daniel", "dan", "danny"),
    ("matthew", "matt", "matty"),
    ("anthony", "tony"),
    ("andrew", "andy", "drew"),
    ("steven", "steve", "stevie", "stephen"),
    ("edward", "ed", "eddie", "ted", "ned"),
    ("david", "dave", "davy"),
    ("benjamin", "ben", "benny"),
    ("samuel", "sam", "sammy"),
    ("alexander", "alex", "al", "sandy", "xander"),
    ("nicholas", "nick", "nicky"),
    ("patrick", "pat", "paddy"),
    ("peter", "pete"),
    ("timothy", "tim", "timmy"),
    ("kenneth", "ken", "kenny"),
    ("gregory", "greg"),
    ("ronald", "ron", "ronnie"),
    ("donald", "don", "donnie"),
    ("lawrence", "larry"),
    ("gerald", "gerry", "jerry"),
    ("raymond", "ray"),
    ("frederick", "fred", "freddie"),
    ("henry", "hank", "harry"),
    ("elizabeth", "liz", "lizzie", "beth", "betty", "eliza", "betsy"),
    ("margaret", "maggie", "meg", "peggy", "marge"),
    ("katherine", "kate", "katie", "kathy", "kat", "catherine", "cathy"),
    ("jennifer", "jen", "jenny"),
    ("jessica", "jess", "jessie"),
    ("susan", "sue", "susie", "suzanne"),
    ("patricia", "pat", "patty", "trish"),
    ("deborah", "deb", "debbie"),
    ("rebecca", "becky", "becca"),
    ("victoria", "vicky", "tori"),
    ("christina", "chris", "tina", "christine"),
    ("samantha", "sam", "sammy"),
    ("alexandra", "alex", "lexi", "sandra"),
    ("abigail", "abby"),
    ("amanda", "mandy"),
    ("barbara", "barb", "babs"),
    ("dorothy", "dot", "dottie"),
    ("cynthia", "cindy"),
    ("kimberly", "kim"),
    ("pamela", "pam"),
    ("melissa", "mel", "missy"),
    ("stephanie", "steph"),
    ("theresa", "terry", "tess", "teresa"),
    ("valerie", "val"),
    ("josephine", "jo", "josie"),
)

NICKNAMES = {}
for _family in NICKNAME_FAMILIES:
    for _name in _family:
        NICKNAMES.setdefault(_name, set()).update(_family)


def same_given_name(left, right):
    """Whether two lower-case given names are variants of one another."""
    return left == right or right in NICKNAMES.get(left, ())


def canonical_given_name(name):
    """The formal name of the family a given name belongs to (bob -> robert).

    Names in several families ("pat", "chris", "alex") keep their own form.
    """
    families = [family for family in NICKNAME_FAMILIES if name in family]
    return families[0][0] if len(families) == 1 else name
