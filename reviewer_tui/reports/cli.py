"""The `report` and `templates` subcommands of reviewer-tui (kept here so cli.py stays small)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from reviewer_tui.errors import TemplateProblem

if TYPE_CHECKING:
    from reviewer_tui.reviews import Store


def add_commands(commands: argparse._SubParsersAction) -> None:
    reporting = commands.add_parser(
        "report",
        help="write one document of a review as a Word file (report --list [REVIEW_ID]: the "
        "names, and the documents that review's kind requires)",
    )
    reporting.add_argument("review_id", type=int, nargs="?")
    reporting.add_argument("--document", metavar="NAME", help="which document (see --list)")
    reporting.add_argument(
        "--publication",
        action="store_true",
        help="the publication version: pseudonyms only, checked before saving",
    )
    reporting.add_argument(
        "--final",
        action="store_true",
        help="the final version of a report (otherwise the next numbered draft)",
    )
    reporting.add_argument(
        "--interview",
        action="append",
        metavar="ID",
        help="only this interview (bundle id), for the per-interview documents",
    )
    reporting.add_argument("-o", "--output", type=Path, metavar="FILE.docx")
    reporting.add_argument("--list", action="store_true", help="print the document names")
    reporting.add_argument(
        "--check",
        type=Path,
        metavar="FILE.docx",
        help="check an existing Word file for any name, date of birth or "
        "address from the review's register (exit 1 and list where)",
    )
    add_drafts_command(commands)
    templates = commands.add_parser("templates", help="copy the report templates out for editing")
    actions = templates.add_subparsers(dest="templates_command", metavar="ACTION", required=True)
    exporting = actions.add_parser(
        "export", help="copy the shipped templates and reference .docx into DIR"
    )
    exporting.add_argument("folder", type=Path, metavar="DIR")


def run_without_data(args: argparse.Namespace) -> int:
    from reviewer_tui.reports import documents, engine  # python-docx: kept off start-up

    if args.command == "templates":
        written = documents.export_templates(args.folder)
        for path in written:
            print(path)
        print(
            f"{len(written)} file(s) copied to {args.folder}. Put edited templates in "
            f"{engine.user_template_dir()} to use them instead of the shipped ones."
        )
        return 0
    width = max(len(name) for name in documents.DOCUMENTS)
    for doc in documents.DOCUMENTS.values():
        print(f"{doc.name:<{width}}  {doc.description}")
    return 0


def list_for_review(kind: str) -> str:
    """`report --list REVIEW`: the documents the review's kind requires, as the kind names them,
    with the seed wording they come from; then every other document."""
    import textwrap

    from reviewer_tui import domain
    from reviewer_tui.reports import documents, products

    required, others = documents.for_kind(kind)
    width = max(len(name) for name in documents.DOCUMENTS)
    lines = [f"Documents a {domain.kind_name(kind)} requires:"]
    lines += [f"{doc.name:<{width}}  {title}" for doc, title in required]
    found = products.PRODUCTS_BY_KIND.get(kind)
    if found is not None:
        lines += ["", *textwrap.wrap(found.source, 96)]
    else:
        lines.append("(none listed for this kind)")
    lines += ["", "Other documents:"]
    lines += [f"{doc.name:<{width}}  {doc.description}" for doc in others]
    return "\n".join(lines)


def run_report(store: Store, args: argparse.Namespace) -> int:
    from reviewer_tui.errors import InputError, PublicationError
    from reviewer_tui.reports import documents

    if args.list:  # with a review: the documents its kind requires, then the others
        try:
            review = store.review(args.review_id)
        except InputError as exc:
            print(f"reviewer-tui: {exc}", file=sys.stderr)
            return 1
        print(list_for_review(review.review_type))
        return 0
    if args.check is not None and args.review_id is not None:
        store.review(args.review_id)
        hits = documents.check_file(store, args.review_id, args.check)
        if hits:
            print(
                f"reviewer-tui: {args.check} is NOT publishable: {len(hits)} identifying "
                "detail(s) found:",
                file=sys.stderr,
            )
            for hit in hits:
                print(f"  {hit}", file=sys.stderr)
            return 1
        print(f"{args.check}: no name, date of birth or address from the register was found.")
        return 0
    missing = [
        flag
        for flag, value in (
            ("REVIEW_ID", args.review_id),
            ("--document", args.document),
            ("-o FILE.docx", args.output),
        )
        if value is None
    ]
    if missing:
        print(
            f"reviewer-tui report: give {', '.join(missing)} (or --list for the document names)",
            file=sys.stderr,
        )
        return 2
    try:
        store.review(args.review_id)
        result = documents.generate(
            store,
            args.review_id,
            args.document,
            args.output,
            publication=args.publication,
            final=args.final,
            interview_ids=args.interview,
        )
    except PublicationError as exc:
        print(f"reviewer-tui: {exc}", file=sys.stderr)
        for hit in exc.hits:
            print(f"  {hit}", file=sys.stderr)
        return 1
    except (TemplateProblem, InputError, OSError) as exc:
        print(f"reviewer-tui: {exc}", file=sys.stderr)
        return 1
    title = documents.document(args.document).title
    if result.version:
        what = f"draft version {result.version} of the {title}"
    elif args.publication:
        what = f"the publication version of the {title}"
    elif documents.document(args.document).drafts:
        what = f"the final version of the {title}"  # a report written with --final
    else:
        what = f"the {title}"
    print(f"Wrote {what} to {result.path}")
    for notice in result.notices:
        print(f"Note: {notice}")
    if documents.document(args.document).drafts and result.version is None:
        # The pre-publication check: what is still open is said, beside the file written.
        from reviewer_tui import quality

        still = quality.open_items(quality.check(store, args.review_id))
        if still:
            print(
                f"Quality check: {len(still)} open item{'s' if len(still) != 1 else ''} "
                "(fix each, or accept it with a reason in the app's checklist):",
                file=sys.stderr,
            )
            for item in still:
                print(f"  {item.heading}: {item.line}", file=sys.stderr)
    return 0


def add_drafts_command(commands: argparse._SubParsersAction) -> None:
    circulated = commands.add_parser(
        "drafts", help="returned drafts: read a recipient's Word file into the draft register"
    )
    actions = circulated.add_subparsers(dest="drafts_command", metavar="ACTION", required=True)
    importing = actions.add_parser(
        "import",
        help="add a returned draft's comments, tracked changes and untracked edits to the "
        "draft register (the file is matched to its draft whatever it is called)",
    )
    importing.add_argument("review_id", type=int, metavar="REVIEW_ID")
    importing.add_argument("file", type=Path, metavar="FILE.docx")
    importing.add_argument(
        "--from",
        dest="sender",
        metavar="NAME",
        help="who returned it (otherwise taken from the comment authors)",
    )


def run_drafts(store: Store, args: argparse.Namespace) -> int:
    from reviewer_tui.errors import InputError
    from reviewer_tui.reports import returned

    try:
        store.review(args.review_id)
        result = returned.import_returned(store, args.review_id, args.file, args.sender)
    except InputError as exc:
        print(f"reviewer-tui: {exc}", file=sys.stderr)
        return 1
    print(result.line(args.file.name))
    return 0
