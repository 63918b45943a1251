"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "app_setting",
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("value", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_app_setting")),
    )
    op.create_table(
        "review",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("review_type", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("criterion", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("child_name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("child_pseudonym", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("agency", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("commissioner_name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("commissioner_post", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("lead_reviewer_name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("lead_reviewer_post", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("lead_reviewer_address", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("lead_reviewer_telephone", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column(
            "lead_reviewer_independence_statement",
            sqlmodel.sql.sqltypes.AutoString(),
            nullable=False,
        ),
        sa.Column("commissioned_on", sa.Date(), nullable=True),
        sa.Column("brief", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("preliminary_questions", sa.JSON(), nullable=False),
        sa.Column("reason_for_review", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("support_for_reviewer", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("family_summary", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("created_at", sa.String(), nullable=False),
        sa.Column("updated_at", sa.String(), nullable=False),
        sa.Column("archived_at", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review")),
    )
    op.create_table(
        "agency_code",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["review.id"],
            name=op.f("fk_agency_code_review_id_review"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agency_code")),
        sa.UniqueConstraint("review_id", "code", name=op.f("uq_agency_code_review_id")),
    )
    with op.batch_alter_table("agency_code", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_agency_code_review_id"), ["review_id"], unique=False)

    op.create_table(
        "analysis",
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column(
            "practitioners_sensitive_to_needs_and_knowledgeable",
            sqlmodel.sql.sqltypes.AutoString(),
            nullable=False,
        ),
        sa.Column(
            "policies_and_procedures_in_place", sqlmodel.sql.sqltypes.AutoString(), nullable=False
        ),
        sa.Column(
            "key_points_for_assessment_and_decision_making",
            sqlmodel.sql.sqltypes.AutoString(),
            nullable=False,
        ),
        sa.Column(
            "actions_accorded_with_assessments_and_decisions",
            sqlmodel.sql.sqltypes.AutoString(),
            nullable=False,
        ),
        sa.Column(
            "appropriate_services_offered_or_provided",
            sqlmodel.sql.sqltypes.AutoString(),
            nullable=False,
        ),
        sa.Column(
            "child_protection_or_care_plans_and_reviews",
            sqlmodel.sql.sqltypes.AutoString(),
            nullable=False,
        ),
        sa.Column(
            "wishes_and_feelings_ascertained_and_recorded",
            sqlmodel.sql.sqltypes.AutoString(),
            nullable=False,
        ),
        sa.Column(
            "sensitivity_to_racial_cultural_linguistic_religious_identity",
            sqlmodel.sql.sqltypes.AutoString(),
            nullable=False,
        ),
        sa.Column(
            "supervision_and_case_management", sqlmodel.sql.sqltypes.AutoString(), nullable=False
        ),
        sa.Column(
            "service_provision_linked_to_capacity_or_resources",
            sqlmodel.sql.sqltypes.AutoString(),
            nullable=False,
        ),
        sa.Column(
            "consistency_with_agency_and_lscb_procedures",
            sqlmodel.sql.sqltypes.AutoString(),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["review.id"],
            name=op.f("fk_analysis_review_id_review"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("review_id", name=op.f("pk_analysis")),
    )
    op.create_table(
        "chronology_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("when", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("date_precision", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("sequence", sa.Integer(), nullable=True),
        sa.Column("event", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("participation", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("outcome", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("issues", sa.JSON(), nullable=False),
        sa.Column("significant", sa.Boolean(), nullable=True),
        sa.Column("risk", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("response", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("partnership", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("learning", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("significance", sa.JSON(), nullable=False),
        sa.Column("known_at_the_time", sa.Boolean(), nullable=True),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["review.id"],
            name=op.f("fk_chronology_entry_review_id_review"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_chronology_entry")),
        sa.UniqueConstraint("review_id", "key", name=op.f("uq_chronology_entry_review_id")),
    )
    with op.batch_alter_table("chronology_entry", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_chronology_entry_review_id"), ["review_id"], unique=False
        )

    op.create_table(
        "closing_steps",
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("distribution_agreed_on", sa.Date(), nullable=True),
        sa.Column("distribution_notes", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("finalised_on", sa.Date(), nullable=True),
        sa.Column("presented_on", sa.Date(), nullable=True),
        sa.Column("presented_to", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("release_decision", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("release_decided_on", sa.Date(), nullable=True),
        sa.Column("thanks_sent_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["review.id"],
            name=op.f("fk_closing_steps_review_id_review"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("review_id", name=op.f("pk_closing_steps")),
    )
    op.create_table(
        "escalation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("raised_on", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("summary", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("advised_commissioner_on", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("action_taken", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["review.id"],
            name=op.f("fk_escalation_review_id_review"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_escalation")),
    )
    with op.batch_alter_table("escalation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_escalation_review_id"), ["review_id"], unique=False)

    op.create_table(
        "family_contact",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("action", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("notes", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["review.id"],
            name=op.f("fk_family_contact_review_id_review"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_family_contact")),
    )
    with op.batch_alter_table("family_contact", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_family_contact_review_id"), ["review_id"], unique=False
        )

    op.create_table(
        "family_member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("pseudonym", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("relationship", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("date_of_birth", sa.Date(), nullable=True),
        sa.Column("address", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("also_known_as", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["review.id"],
            name=op.f("fk_family_member_review_id_review"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_family_member")),
        sa.UniqueConstraint("review_id", "key", name=op.f("uq_family_member_review_id")),
    )
    with op.batch_alter_table("family_member", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_family_member_review_id"), ["review_id"], unique=False)

    op.create_table(
        "finding",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("statement", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("notes", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["review.id"],
            name=op.f("fk_finding_review_id_review"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_finding")),
        sa.UniqueConstraint("review_id", "key", name=op.f("uq_finding_review_id")),
    )
    with op.batch_alter_table("finding", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_finding_review_id"), ["review_id"], unique=False)

    op.create_table(
        "learning",
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("good_practice", sa.JSON(), nullable=False),
        sa.Column("areas_for_development", sa.JSON(), nullable=False),
        sa.Column("training", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("management_and_supervision", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("partnership", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("resources", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("shared_with_training", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["review.id"],
            name=op.f("fk_learning_review_id_review"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("review_id", name=op.f("pk_learning")),
    )
    op.create_table(
        "limiting_factors_review",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("factors", sa.JSON(), nullable=False),
        sa.Column("notes", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["review.id"],
            name=op.f("fk_limiting_factors_review_review_id_review"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_limiting_factors_review")),
    )
    with op.batch_alter_table("limiting_factors_review", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_limiting_factors_review_review_id"), ["review_id"], unique=False
        )

    op.create_table(
        "meeting",
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("held_on", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("location", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("note_taker", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("open_discussion", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("worries_discussed", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column(
            "could_have_done_differently", sqlmodel.sql.sqltypes.AutoString(), nullable=False
        ),
        sa.Column("did_well", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("learnt", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("recommendations_suggested", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("next_steps_explained", sa.Boolean(), nullable=True),
        sa.Column("next_steps_read_out", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["review.id"],
            name=op.f("fk_meeting_review_id_review"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("review_id", name=op.f("pk_meeting")),
    )
    op.create_table(
        "meeting_other_attendee",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("role", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["review.id"],
            name=op.f("fk_meeting_other_attendee_review_id_review"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_other_attendee")),
    )
    with op.batch_alter_table("meeting_other_attendee", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_meeting_other_attendee_review_id"), ["review_id"], unique=False
        )

    op.create_table(
        "organisation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("notes", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["review.id"],
            name=op.f("fk_organisation_review_id_review"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisation")),
    )
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_organisation_review_id"), ["review_id"], unique=False)

    op.create_table(
        "other_area",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("area", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("arrangements", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["review.id"],
            name=op.f("fk_other_area_review_id_review"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_other_area")),
    )
    with op.batch_alter_table("other_area", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_other_area_review_id"), ["review_id"], unique=False)

    op.create_table(
        "parallel_process",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("notes", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["review.id"],
            name=op.f("fk_parallel_process_review_id_review"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_parallel_process")),
    )
    with op.batch_alter_table("parallel_process", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_parallel_process_review_id"), ["review_id"], unique=False
        )

    op.create_table(
        "person",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("full_name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("pseudonym", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("also_known_as", sa.JSON(), nullable=False),
        sa.Column("qualifications", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("designation", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("time_in_post", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("employing_body", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("employing_address", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("home_address", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("role_in_case", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("training_last_3_years", sa.JSON(), nullable=False),
        sa.Column("supporter", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["review.id"],
            name=op.f("fk_person_review_id_review"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person")),
        sa.UniqueConstraint("review_id", "key", name=op.f("uq_person_review_id")),
    )
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_person_review_id"), ["review_id"], unique=False)

    op.create_table(
        "recommendation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("action", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("owner", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("outcome", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("measure", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("impact", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["review.id"],
            name=op.f("fk_recommendation_review_id_review"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recommendation")),
        sa.UniqueConstraint("review_id", "key", name=op.f("uq_recommendation_review_id")),
    )
    with op.batch_alter_table("recommendation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_recommendation_review_id"), ["review_id"], unique=False
        )

    op.create_table(
        "record_examined",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("holder", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("available", sa.Boolean(), nullable=True),
        sa.Column("reason_unavailable", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("date_read", sa.Date(), nullable=True),
        sa.Column("notes", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["review.id"],
            name=op.f("fk_record_examined_review_id_review"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_record_examined")),
        sa.UniqueConstraint("review_id", "key", name=op.f("uq_record_examined_review_id")),
    )
    with op.batch_alter_table("record_examined", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_record_examined_review_id"), ["review_id"], unique=False
        )

    op.create_table(
        "report_details",
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("author_date", sa.Date(), nullable=True),
        sa.Column("production_process", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("supervision_arrangements", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("consultation_process", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("submitted_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["review.id"],
            name=op.f("fk_report_details_review_id_review"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("review_id", name=op.f("pk_report_details")),
    )
    op.create_table(
        "report_draft",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("version", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("circulated_on", sa.Date(), nullable=True),
        sa.Column("circulated_to", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("comments_by", sa.Date(), nullable=True),
        sa.Column("notes", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("document", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("generated_at", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["review.id"],
            name=op.f("fk_report_draft_review_id_review"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_draft")),
    )
    with op.batch_alter_table("report_draft", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_report_draft_review_id"), ["review_id"], unique=False)

    op.create_table(
        "scope",
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("key_issues", sa.JSON(), nullable=False),
        sa.Column("outside_expert_needed", sa.Boolean(), nullable=True),
        sa.Column("outside_expert_notes", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("period_from", sa.Date(), nullable=True),
        sa.Column("period_to", sa.Date(), nullable=True),
        sa.Column("family_involvement_level", sa.Integer(), nullable=True),
        sa.Column("family_involvement_notes", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column(
            "family_involvement_facilitator", sqlmodel.sql.sqltypes.AutoString(), nullable=False
        ),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("target_completion", sa.Date(), nullable=True),
        sa.Column("media_and_public_interest", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("agreed_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["review_id"], ["review.id"], name=op.f("fk_scope_review_id_review"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("review_id", name=op.f("pk_scope")),
    )
    op.create_table(
        "scope_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=True),
        sa.Column("change", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("agreed_with", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("agreed_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["review.id"],
            name=op.f("fk_scope_change_review_id_review"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scope_change")),
    )
    with op.batch_alter_table("scope_change", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_scope_change_review_id"), ["review_id"], unique=False)

    op.create_table(
        "draft_recipient",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_draft_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("sent_on", sa.Date(), nullable=True),
        sa.Column("comments", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("resolution", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_draft_id"],
            ["report_draft.id"],
            name=op.f("fk_draft_recipient_report_draft_id_report_draft"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_draft_recipient")),
    )
    with op.batch_alter_table("draft_recipient", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_draft_recipient_report_draft_id"), ["report_draft_id"], unique=False
        )

    op.create_table(
        "family_contact_member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("family_contact_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("family_member_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["family_contact_id"],
            ["family_contact.id"],
            name=op.f("fk_family_contact_member_family_contact_id_family_contact"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["family_member_id"],
            ["family_member.id"],
            name=op.f("fk_family_contact_member_family_member_id_family_member"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_family_contact_member")),
    )
    with op.batch_alter_table("family_contact_member", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_family_contact_member_family_contact_id"),
            ["family_contact_id"],
            unique=False,
        )

    op.create_table(
        "finding_chronology",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("finding_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("chronology_entry_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["chronology_entry_id"],
            ["chronology_entry.id"],
            name=op.f("fk_finding_chronology_chronology_entry_id_chronology_entry"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["finding_id"],
            ["finding.id"],
            name=op.f("fk_finding_chronology_finding_id_finding"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_finding_chronology")),
    )
    with op.batch_alter_table("finding_chronology", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_finding_chronology_finding_id"), ["finding_id"], unique=False
        )

    op.create_table(
        "finding_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("finding_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("record_examined_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["finding_id"],
            ["finding.id"],
            name=op.f("fk_finding_record_finding_id_finding"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["record_examined_id"],
            ["record_examined.id"],
            name=op.f("fk_finding_record_record_examined_id_record_examined"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_finding_record")),
    )
    with op.batch_alter_table("finding_record", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_finding_record_finding_id"), ["finding_id"], unique=False
        )

    op.create_table(
        "interview",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("scheduled_for", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("location", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("duration_minutes", sa.Integer(), nullable=True),
        sa.Column("recording_method", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("note_taker", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("confirmation_sent_on", sa.Date(), nullable=True),
        sa.Column("chronology_sent_on", sa.Date(), nullable=True),
        sa.Column("briefing", sa.JSON(), nullable=False),
        sa.Column("notes", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("contentious_points", sa.JSON(), nullable=False),
        sa.Column("sent_to_interviewee_on", sa.Date(), nullable=True),
        sa.Column("interviewee_comments", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("agreed_on", sa.Date(), nullable=True),
        sa.Column("signed_by_interviewee", sa.Boolean(), nullable=True),
        sa.Column("signed_by_interviewer", sa.Boolean(), nullable=True),
        sa.Column("matters_covered", sa.JSON(), nullable=False),
        sa.Column("contentious_points_checked_back", sa.Boolean(), nullable=True),
        sa.Column("disagreements", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("interviewee_signed_on", sa.Date(), nullable=True),
        sa.Column("interviewer_signed_on", sa.Date(), nullable=True),
        sa.Column("supporter_invited", sa.Boolean(), nullable=True),
        sa.Column("release_from_duties_agreed", sa.Boolean(), nullable=True),
        sa.Column("at_normal_workplace", sa.Boolean(), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_interview_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["review.id"],
            name=op.f("fk_interview_review_id_review"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interview")),
        sa.UniqueConstraint("review_id", "key", name=op.f("uq_interview_review_id")),
    )
    with op.batch_alter_table("interview", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_interview_person_id"), ["person_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_interview_review_id"), ["review_id"], unique=False)

    op.create_table(
        "meeting_attendee",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_meeting_attendee_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["review.id"],
            name=op.f("fk_meeting_attendee_review_id_review"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_attendee")),
        sa.UniqueConstraint("review_id", "person_id", name=op.f("uq_meeting_attendee_review_id")),
    )
    with op.batch_alter_table("meeting_attendee", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_meeting_attendee_person_id"), ["person_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_meeting_attendee_review_id"), ["review_id"], unique=False
        )

    op.create_table(
        "meeting_contribution",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("role", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("went_well", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("did_not_go_well", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_meeting_contribution_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["review.id"],
            name=op.f("fk_meeting_contribution_review_id_review"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_contribution")),
    )
    with op.batch_alter_table("meeting_contribution", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_meeting_contribution_person_id"), ["person_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_meeting_contribution_review_id"), ["review_id"], unique=False
        )

    op.create_table(
        "previous_employment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("employer", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("dates", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("posts_held", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_previous_employment_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_previous_employment")),
    )
    with op.batch_alter_table("previous_employment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_previous_employment_person_id"), ["person_id"], unique=False
        )

    op.create_table(
        "recommendation_evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recommendation_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("chronology_entry_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["chronology_entry_id"],
            ["chronology_entry.id"],
            name=op.f("fk_recommendation_evidence_chronology_entry_id_chronology_entry"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recommendation_id"],
            ["recommendation.id"],
            name=op.f("fk_recommendation_evidence_recommendation_id_recommendation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recommendation_evidence")),
    )
    with op.batch_alter_table("recommendation_evidence", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_recommendation_evidence_recommendation_id"),
            ["recommendation_id"],
            unique=False,
        )

    op.create_table(
        "recommendation_finding",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recommendation_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("finding_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["finding_id"],
            ["finding.id"],
            name=op.f("fk_recommendation_finding_finding_id_finding"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recommendation_id"],
            ["recommendation.id"],
            name=op.f("fk_recommendation_finding_recommendation_id_recommendation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recommendation_finding")),
    )
    with op.batch_alter_table("recommendation_finding", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_recommendation_finding_recommendation_id"),
            ["recommendation_id"],
            unique=False,
        )

    op.create_table(
        "recommendation_progress",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recommendation_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.ForeignKeyConstraint(
            ["recommendation_id"],
            ["recommendation.id"],
            name=op.f("fk_recommendation_progress_recommendation_id_recommendation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recommendation_progress")),
    )
    with op.batch_alter_table("recommendation_progress", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_recommendation_progress_recommendation_id"),
            ["recommendation_id"],
            unique=False,
        )

    op.create_table(
        "finding_interview",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("finding_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("interview_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["finding_id"],
            ["finding.id"],
            name=op.f("fk_finding_interview_finding_id_finding"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["interview_id"],
            ["interview.id"],
            name=op.f("fk_finding_interview_interview_id_interview"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_finding_interview")),
    )
    with op.batch_alter_table("finding_interview", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_finding_interview_finding_id"), ["finding_id"], unique=False
        )

    op.create_table(
        "interview_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("interview_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("received_at", sa.String(), nullable=False),
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("resolved", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["interview_id"],
            ["interview.id"],
            name=op.f("fk_interview_version_interview_id_interview"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interview_version")),
    )
    with op.batch_alter_table("interview_version", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_interview_version_interview_id"), ["interview_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("interview_version", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_interview_version_interview_id"))

    op.drop_table("interview_version")
    with op.batch_alter_table("finding_interview", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_finding_interview_finding_id"))

    op.drop_table("finding_interview")
    with op.batch_alter_table("recommendation_progress", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recommendation_progress_recommendation_id"))

    op.drop_table("recommendation_progress")
    with op.batch_alter_table("recommendation_finding", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recommendation_finding_recommendation_id"))

    op.drop_table("recommendation_finding")
    with op.batch_alter_table("recommendation_evidence", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recommendation_evidence_recommendation_id"))

    op.drop_table("recommendation_evidence")
    with op.batch_alter_table("previous_employment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_previous_employment_person_id"))

    op.drop_table("previous_employment")
    with op.batch_alter_table("meeting_contribution", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_contribution_review_id"))
        batch_op.drop_index(batch_op.f("ix_meeting_contribution_person_id"))

    op.drop_table("meeting_contribution")
    with op.batch_alter_table("meeting_attendee", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_attendee_review_id"))
        batch_op.drop_index(batch_op.f("ix_meeting_attendee_person_id"))

    op.drop_table("meeting_attendee")
    with op.batch_alter_table("interview", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_interview_review_id"))
        batch_op.drop_index(batch_op.f("ix_interview_person_id"))

    op.drop_table("interview")
    with op.batch_alter_table("finding_record", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_finding_record_finding_id"))

    op.drop_table("finding_record")
    with op.batch_alter_table("finding_chronology", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_finding_chronology_finding_id"))

    op.drop_table("finding_chronology")
    with op.batch_alter_table("family_contact_member", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_family_contact_member_family_contact_id"))

    op.drop_table("family_contact_member")
    with op.batch_alter_table("draft_recipient", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_draft_recipient_report_draft_id"))

    op.drop_table("draft_recipient")
    with op.batch_alter_table("scope_change", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_scope_change_review_id"))

    op.drop_table("scope_change")
    op.drop_table("scope")
    with op.batch_alter_table("report_draft", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_report_draft_review_id"))

    op.drop_table("report_draft")
    op.drop_table("report_details")
    with op.batch_alter_table("record_examined", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_record_examined_review_id"))

    op.drop_table("record_examined")
    with op.batch_alter_table("recommendation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recommendation_review_id"))

    op.drop_table("recommendation")
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_review_id"))

    op.drop_table("person")
    with op.batch_alter_table("parallel_process", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_parallel_process_review_id"))

    op.drop_table("parallel_process")
    with op.batch_alter_table("other_area", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_other_area_review_id"))

    op.drop_table("other_area")
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_organisation_review_id"))

    op.drop_table("organisation")
    with op.batch_alter_table("meeting_other_attendee", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_other_attendee_review_id"))

    op.drop_table("meeting_other_attendee")
    op.drop_table("meeting")
    with op.batch_alter_table("limiting_factors_review", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_limiting_factors_review_review_id"))

    op.drop_table("limiting_factors_review")
    op.drop_table("learning")
    with op.batch_alter_table("finding", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_finding_review_id"))

    op.drop_table("finding")
    with op.batch_alter_table("family_member", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_family_member_review_id"))

    op.drop_table("family_member")
    with op.batch_alter_table("family_contact", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_family_contact_review_id"))

    op.drop_table("family_contact")
    with op.batch_alter_table("escalation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_escalation_review_id"))

    op.drop_table("escalation")
    op.drop_table("closing_steps")
    with op.batch_alter_table("chronology_entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_chronology_entry_review_id"))

    op.drop_table("chronology_entry")
    op.drop_table("analysis")
    with op.batch_alter_table("agency_code", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agency_code_review_id"))

    op.drop_table("agency_code")
    op.drop_table("review")
    op.drop_table("app_setting")
