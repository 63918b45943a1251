"""Each review kind's products: the documents the guidance requires of it, with their title
lines and sections. Defined here once; the report screen, `reviewer-tui report --list REVIEW` and
the templates read them (the overview report, executive summary and learning summary print their
title lines and sections from here; the other templates print the headings listed here, and
tests/test_report_products.py checks every kind's documents against this table).

Each kind carries the seed wording its products come from, so a reader can check them.
No Textual here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from reviewer_tui import domain


@dataclass(frozen=True)
class Section:
    key: str  # which part of the record fills it (the template's block of that name)
    heading: str
    optional: bool = False  # printed only when the record has something for it


@dataclass(frozen=True)
class Product:
    document: str  # a key of reports.documents.DOCUMENTS
    title: str  # what this kind calls the document
    title_lines: tuple[
        str, ...
    ]  # the lines the document opens with; {KIND} {kind} {child} {agency}
    sections: tuple[Section, ...]  # its top-level sections, in order


@dataclass(frozen=True)
class KindProducts:
    kind: str  # domain.REVIEW_KINDS key
    products: tuple[Product, ...]
    source: str  # the seed wording the products come from, quoted


def _s(*pairs: tuple[str, str]) -> tuple[Section, ...]:
    return tuple(Section(key, heading) for key, heading in pairs)


# --- the documents, as each kind calls them -----------------------------------------------------
# Seed 004 section 11: "concise Learning Summary documentation will form part of all review
# reports"; section 6: "Upon completion of a review, the Learning Summary Template (Appendix E)
# will be completed. This will summarise the range and type of learning identified through the
# review." Its sections follow the framework's learning: what happened, the Significant Practice
# Events (section 10), the learning for each agency and across the partnership, what has changed
# (section 9, impact measures; seed 001 "actions which have already been taken ... the impact").
LEARNING_SUMMARY = Product(
    "learning-summary",
    "Learning Summary",
    ("LEARNING SUMMARY", "{kind}: {child}"),
    _s(
        ("what_happened", "What happened"),
        ("episodes", "Key practice episodes"),
        ("agencies", "Learning for each agency"),
        ("partnership", "Learning across the partnership"),
        ("changed", "What has changed"),
    ),
)

# Seed 003 section 8 (levels 7-8: "Share content of Executive Summary with family"); seed 002
# (Northern Ireland): "an executive summary which provides a summary of the case and the
# learning gained"; (Scotland) "publish the full report or just the executive summary".
EXECUTIVE_SUMMARY = Product(
    "executive-summary",
    "Executive Summary",
    ("{KIND}", "{child}", "EXECUTIVE SUMMARY"),
    _s(
        ("reason", "Reason for the review"),
        ("scope", "Scope of the review"),
        ("findings", "Key findings"),
        ("recommendations", "Recommendations"),
    ),
)

# The action plan as action-plan.md prints it.
ACTION_PLAN = Product(
    "action-plan", "Action Plan", ("Action Plan",), _s(("progress", "Progress and impact"))
)

# Seed 003, FORMAT FOR MANAGEMENT REVIEW REPORT, as management-review.md prints it.
MANAGEMENT_REVIEW = Product(
    "management-review",
    "Management Review Report",
    ("{KIND}", "{child}", "MANAGEMENT REVIEW REPORT OF:", "{agency}"),
    _s(
        ("introduction", "1. Introduction"),
        ("family", "2. Family Information"),
        ("analysis", "3. Analysis of Involvement"),
        ("learn", "4. What can we Learn?"),
        ("recommendations", "5. Recommendations for Action"),
        ("signature", "6. Sign, Print Name and Date the Report"),
        ("appendices", "7. Appendices"),
        ("family_involvement", "8. Family Involvement in Serious Case Reviews"),
    ),
)

# Seed 000 section 5, next steps 1-2, as written-review.md prints it ({progressing}: the words
# heading 2 adds for a case progressing well).
WRITTEN_REVIEW = Product(
    "written-review",
    "Case Review: Written Review",
    ("{KIND}: WRITTEN REVIEW", "{child}", "{agency}"),
    (
        *_s(
            ("reason", "1. Why the case was reviewed"),
            ("worries", "2. The worries identified{progressing}"),
            ("went_well", "3. What went well"),
            ("differently", "4. What could or should have been done differently"),
            ("analysis", "5. Analysis: how the case moved forward"),
            ("recommendations", "6. Recommendations"),
            ("next_steps", "7. Next steps"),
        ),
        Section("escalations", "8. Matters raised with the commissioner during the review", True),
    ),
)

# Seed 003 section 4: "Send finalised chronology to nominated lead officer for child protection".
CHRONOLOGY = Product(
    "chronology", "Chronology", ("Chronology of events in family and agency involvement",), ()
)

_APPENDIX = ("appendix_chronology", "Appendix: Chronology of events")


def _overview(title: str, upper: str, *sections: tuple[str, str]) -> Product:
    return Product(
        "overview-report",
        title,
        ("{KIND}", "{child}", upper),
        tuple(Section(k, f"{n}. {h}") for n, (k, h) in enumerate(sections, start=1))
        + (Section(*_APPENDIX),),
    )


# The one report both Welsh child practice reviews (concise and extended) publish (seed 002).
CHILD_PRACTICE_REVIEW_REPORT = _overview(
    "Child Practice Review Report",
    "CHILD PRACTICE REVIEW REPORT",
    ("introduction", "Introduction"),
    ("learning_event", "The learning event: how practitioners and the family took part"),
    ("what_happened", "Practice in the period reviewed"),
    ("lessons", "Learning for future practice"),
    ("recommendations", "Recommendations"),
)


PRODUCTS: tuple[KindProducts, ...] = (
    KindProducts(
        "internal case review",
        (WRITTEN_REVIEW, LEARNING_SUMMARY),
        "Seed 000 section 5: 'A written review of the case, describes the worries identified, the "
        "aspects which went well, what could or should have been differently, and an analysis of "
        "the way in which the case had moved forward; Attached to the written review will be a "
        "set of relevant recommendations to amend practice.' Seed 004 section 11: 'concise "
        "Learning Summary documentation will form part of all review reports'.",
    ),
    KindProducts(
        "management review",
        (MANAGEMENT_REVIEW, CHRONOLOGY, LEARNING_SUMMARY),
        "Seed 003 section 4: 'Produce agency's review report in recommended format prescribed in "
        "this guidance' (section 7, FORMAT FOR MANAGEMENT REVIEW REPORT); 'Send finalised "
        "chronology to nominated lead officer for child protection'. Seed 004 section 11: "
        "'concise Learning Summary documentation will form part of all review reports'.",
    ),
    KindProducts(
        "serious case review",
        (
            _overview(
                "Overview Report",
                "OVERVIEW REPORT",
                ("introduction", "Introduction"),
                ("family", "The child and family"),
                ("what_happened", "What happened"),
                ("analysis", "Why it happened: analysis"),
                ("findings", "Findings"),
                ("recommendations", "What needs to happen: recommendations"),
                ("actions_taken", "Actions taken, their impact and what more will be done"),
            ),
            EXECUTIVE_SUMMARY,
            ACTION_PLAN,
            LEARNING_SUMMARY,
        ),
        "Seed 001 and seed 004 section 5: the final report will 'provide a sound analysis of what "
        "happened in the case, and why, and what needs to happen in order to reduce the risk of "
        "recurrence'; 'publish, either as part of the final Serious Case Review report or in a "
        "separate document, information about: Actions already taken in response to the review "
        "findings; The impact these actions have had on improving services; and What more will "
        "be done.' Seed 004 Appendix H: 'commissioning an independent overview report author "
        "(SCR)'; 'To direct relevant agencies to identify actions and to construct the SCR/CIR "
        "action plan'. Seed 003 section 8, levels 7-10: the Executive Summary and the Overview "
        "Report. Seed 004 section 11: the Learning Summary.",
    ),
    KindProducts(
        "child safeguarding practice review",
        (
            _overview(
                "Final Report",
                "FINAL REPORT",
                ("introduction", "Introduction"),
                ("child_perspective", "The child's perspective and the family context"),
                ("what_happened", "What happened"),
                (
                    "systemic",
                    "Analysis of the systemic or underlying reasons why actions were taken or "
                    "not taken",
                ),
                ("improvements", "Summary of recommended improvements"),
            ),
            LEARNING_SUMMARY,
        ),
        "Seed 002 (England): 'All child safeguarding practice reviews should: reflect the child's "
        "perspective and the family context ... The final report should include: a summary of "
        "recommended improvements to safeguard and promote the welfare of children; an analysis "
        "of any systemic or underlying reasons why actions were taken or not taken.' 'Reports "
        "should be published no later than six months after the date of the decision to carry "
        "out a review.' Seed 004 section 11: the Learning Summary.",
    ),
    KindProducts(
        "critical incident review",
        (
            _overview(
                "Overview Report",
                "OVERVIEW REPORT",
                ("introduction", "Introduction"),
                ("family", "The child and family"),
                ("what_happened", "What happened"),
                ("analysis", "Analysis"),
                ("good_practice", "Good practice: its characteristics and enablers"),
                ("development", "Practice to improve"),
                ("recommendations", "Recommendations"),
            ),
            ACTION_PLAN,
            LEARNING_SUMMARY,
        ),
        "Seed 004 section 8: 'Upon approval of the SCR or CIR Overview report the SCR committee "
        "will translate the recommendation into desired outcomes'; section 6: cases 'where "
        "multi-agency practice is considered to be good ... seek to identify the characteristics "
        "and enablers of that good multi-agency practice'; section 4: 'multi-agency and single "
        "agency SCR/CIR action plans'; 'Upon completion of a review, the Learning Summary "
        "Template (Appendix E) will be completed.'",
    ),
    KindProducts(
        "learning review",
        (
            _overview(
                "Overview Report",
                "OVERVIEW REPORT",
                ("introduction", "Introduction"),
                ("family", "The child and family"),
                ("what_happened", "What happened"),
                ("analysis", "Analysis"),
                ("lessons", "Learning"),
                ("recommendations", "Recommendations"),
            ),
            ACTION_PLAN,
            LEARNING_SUMMARY,
        ),
        "Seed 001: 'a local learning review or similar learning activity will be undertaken. "
        "These will in general follow the same process to a SCR but are not subject to "
        "inspection by Ofsted and will not be published.' Seed 004 section 11: 'concise Learning "
        "Summary documentation will form part of all review reports'.",
    ),
    KindProducts(
        "child practice review (concise)",
        (
            CHILD_PRACTICE_REVIEW_REPORT,
            ACTION_PLAN,
            LEARNING_SUMMARY,
        ),
        "Seed 002 (Wales): 'A planned and facilitated practitioner-focused learning event is a "
        "key element of the review'; 'should normally consider a timeline of up to 12 months "
        "preceding the incident'; 'Both concise and extended child practice reviews must be "
        "published'; 'Both concise and extended reviews must include an action plan. The action "
        "plan is finalised within four weeks of the final report'. Seed 004 section 11: the "
        "Learning Summary.",
    ),
    KindProducts(
        "child practice review (extended)",
        (
            CHILD_PRACTICE_REVIEW_REPORT,
            ACTION_PLAN,
            LEARNING_SUMMARY,
        ),
        "Seed 002 (Wales): 'An extended review is undertaken by two reviewers working closely "
        "together'; 'A planned and facilitated practitioner-focused learning event is a key "
        "element of the review'; 'Both concise and extended child practice reviews must be "
        "published'; 'Both concise and extended reviews must include an action plan. The action "
        "plan is finalised within four weeks of the final report'. Seed 004 section 11: the "
        "Learning Summary.",
    ),
    KindProducts(
        "significant case review",
        (
            _overview(
                "Significant Case Review Report",
                "REPORT",
                ("introduction", "Introduction"),
                ("circumstances", "The full circumstances"),
                ("services", "The role of the services involved"),
                ("findings", "Key practice issues and why they arose"),
                ("good_practice", "Lessons to be learned and good practice to be shared"),
                ("development", "Areas for development"),
                ("gaps", "Gaps in the system"),
                ("recommendations", "Recommendations to improve the quality of services"),
            ),
            EXECUTIVE_SUMMARY,
            LEARNING_SUMMARY,
        ),
        "Seed 002 (Scotland): 'A significant case review should: establish the full "
        "circumstances of the death/serious harm of the child; examine and assess the role of "
        "all relevant services; explore any key practice issues and why they might have arisen; "
        "establish whether there are lessons to be learned or good practice to be shared; "
        "identify areas for development; consider whether there are gaps in the system; make "
        "recommendations needed to improve the quality of services.' 'it is up to the child "
        "protection committee to decide whether to publish the full report or just the "
        "executive summary.' Seed 004 section 11: the Learning Summary.",
    ),
    KindProducts(
        "case management review",
        (
            _overview(
                "Overview Report",
                "OVERVIEW REPORT",
                ("introduction", "Introduction"),
                ("family", "The child and family"),
                ("what_happened", "What happened"),
                ("lessons", "Lessons learned"),
                ("recommendations", "Recommendations for future action"),
            ),
            EXECUTIVE_SUMMARY,
            ACTION_PLAN,
            LEARNING_SUMMARY,
        ),
        "Seed 002 (Northern Ireland): 'The case management review should consist of: an "
        "overview report highlighting the lessons learned and identifying any recommendations "
        "for future action to strengthen systems for supporting families and protecting children "
        "in the future; an executive summary which provides a summary of the case and the "
        "learning gained; an action plan for agencies and the SBNI designed to take forward the "
        "recommendations and learning from the CMR.' 'The CMR executive summaries will "
        "ordinarily be published'. Seed 004 section 11: the Learning Summary.",
    ),
)
PRODUCTS_BY_KIND = {k.kind: k for k in PRODUCTS}

# A document written for a kind that does not require it (chosen from the other documents) takes
# this shape.
DEFAULTS: dict[str, Product] = {
    p.document: p
    for p in (
        PRODUCTS_BY_KIND["learning review"].products[0],
        EXECUTIVE_SUMMARY,
        ACTION_PLAN,
        LEARNING_SUMMARY,
        MANAGEMENT_REVIEW,
        WRITTEN_REVIEW,
        CHRONOLOGY,
    )
}


def kind_products(kind: str) -> tuple[Product, ...]:
    """The documents a review of this kind requires, in the order they are listed."""
    found = PRODUCTS_BY_KIND.get(kind)
    return found.products if found else ()


def product(kind: str, document: str) -> Product | None:
    """The shape of `document` for a review of `kind`: the kind's own where it requires the
    document, else the document's general shape (None for a document with none)."""
    for item in kind_products(kind):
        if item.document == document:
            return item
    return DEFAULTS.get(document)


_PLACEHOLDER = re.compile(r"\{(?:KIND|kind|child|agency|progressing)\}")


def fill(line: str, *, kind: str, child: str, agency: str, criterion: str = "") -> str:
    """A title line or heading with the record's values put in (plain text, not a template)."""
    name = domain.kind_name(kind)
    values = {
        "{KIND}": name.upper(),
        "{kind}": name,
        "{child}": child,
        "{agency}": agency,
        "{progressing}": (
            " and what went particularly well" if criterion == "progressing well" else ""
        ),
    }
    return _PLACEHOLDER.sub(lambda match: values[match.group(0)], line)


def context(
    kind: str, document: str, *, child: str, agency: str, criterion: str = ""
) -> dict[str, Any]:
    """What a template receives as `product`: the title, title lines and sections filled in."""
    found = product(kind, document)
    if found is None:
        return {"title": "", "title_lines": [], "sections": [], "required": False}
    return {
        "title": found.title,
        "title_lines": [
            fill(line, kind=kind, child=child, agency=agency) for line in found.title_lines
        ],
        "sections": [
            {
                "key": s.key,
                "heading": fill(
                    s.heading, kind=kind, child=child, agency=agency, criterion=criterion
                ),
                "optional": s.optional,
            }
            for s in found.sections
        ],
        "required": any(p.document == document for p in kind_products(kind)),
    }
