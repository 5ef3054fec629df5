"""The store's tables (SQLAlchemy Core). The database itself backs the invariants:
one row per position (no two boxes in one slot), a box above must reference the box below
(nothing floats), and a box is in the hub exactly when it has a place."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    text,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

site_layout = Table(
    "site_layout",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("code", String(32), nullable=False),
    Column("name", String(200), nullable=False),
    Column("source", String(500), nullable=False, comment="file the layout was read from"),
    Column("layout", Text, nullable=False, comment="the layout file's TOML text"),
    Column("installed_at", DateTime(timezone=True), nullable=False),
    CheckConstraint("id = 1", name="single_site"),
)

containers = Table(
    "containers",
    metadata,
    Column("number", String(11), primary_key=True, comment="ISO 6346 container number"),
    Column("size_type", String(4), nullable=False, comment="ISO 6346 size-type code"),
    Column("gross_mass_kg", Integer, nullable=False),
    Column("full", Boolean, nullable=False),
    Column("operator", String(35), nullable=False),
    Column("reefer_setpoint_c", Float),
    Column("imdg_class", String(3)),
    Column("next_leg", Text, comment="JSON: mode, reference, due, destination"),
    Column("customs_status", String(16), nullable=False),
    Column("seal", String(35)),
    Column("state", String(16), nullable=False, comment="announced, in_hub or departed"),
    Column("place", String(80), comment="canonical place text while in the hub"),
    Column(
        "carrier",
        String(60),
        comment="wagon:TRAIN, truck:VISIT, crane:ID or vessel:CALL while on one; NULL otherwise",
    ),
    Column("version", Integer, nullable=False, comment="optimistic lock, +1 per write"),
    CheckConstraint("state IN ('announced', 'in_hub', 'departed')", name="state"),
    CheckConstraint("(state = 'in_hub') = (place IS NOT NULL)", name="placed_iff_in_hub"),
    CheckConstraint("gross_mass_kg > 0", name="mass_positive"),
)
Index("ix_containers_carrier", containers.c.carrier)
Index("ix_containers_operator", containers.c.operator)
Index("ix_containers_state", containers.c.state, containers.c.carrier)

occupancy = Table(
    "occupancy",
    metadata,
    Column("position", String(80), primary_key=True, comment="one 20' position / spot / spreader"),
    Column("container_number", String(11), ForeignKey("containers.number"), nullable=False),
    Column("tier", Integer, comment="yard tier; NULL off the yard"),
    Column("stack", String(40), comment="yard ground stack BLOCK-BAY-ROW; NULL off the yard"),
    Column(
        "below",
        String(80),
        ForeignKey("occupancy.position", ondelete="RESTRICT"),
        comment="the yard position this box stands on; NULL on the ground",
    ),
    CheckConstraint("tier IS NULL OR tier >= 1", name="tier_positive"),
    CheckConstraint(
        "(tier IS NULL AND below IS NULL) OR (tier = 1 AND below IS NULL) "
        "OR (tier > 1 AND below IS NOT NULL)",
        name="nothing_floats",
    ),
)
Index("ix_occupancy_container", occupancy.c.container_number)
Index("ix_occupancy_stack", occupancy.c.stack)
# the foreign key's check on deleting a position looks up the box standing on it
Index("ix_occupancy_below", occupancy.c.below)

yard_stacks = Table(
    "yard_stacks",
    metadata,
    Column("block", String(16), primary_key=True),
    Column("bay", Integer, primary_key=True, comment="odd 20' ground bay"),
    Column("row", Integer, primary_key=True),
    Column("height", Integer, nullable=False, comment="20' positions taken, 0 when empty"),
    Column("top_number", String(11), comment="the box on top"),
    Column("top_forty", Boolean, nullable=False, comment="the top box is a 40' (or longer)"),
    Column("top_bay", Integer, comment="the bay of the top box's slot (even for a 40')"),
    Column("top_due", String(40), comment="ISO time the top box's next leg leaves"),
    Column("earliest_due", String(40), comment="ISO time of the soonest next leg in the stack"),
    Column("leg", String(80), comment="next-leg reference every box shares; NULL if mixed"),
    Column("reefers", Integer, nullable=False, comment="running reefers in the stack"),
    Column("dangerous", Integer, nullable=False, comment="IMDG boxes in the stack"),
    Column("forties", Integer, nullable=False, comment="positions taken by 40' boxes"),
    Column("version", Integer, nullable=False, comment="+1 per change: writers of one stack race"),
    CheckConstraint("height >= 0", name="height"),
    comment="one summary row per ground stack, kept current with every move (slot choice)",
)

trains = Table(
    "trains",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("service", String(80), nullable=False),
    Column("direction", String(8), nullable=False),
    Column("visit", Text, nullable=False, comment="JSON: the train visit with its wagons"),
    Column("state", String(16), nullable=False),
    Column("track", String(16)),
    Column("arrived_at", DateTime(timezone=True)),
    Column("departed_at", DateTime(timezone=True)),
    Column("version", Integer, nullable=False),
    CheckConstraint("state IN ('expected', 'on_site', 'departed')", name="state"),
)
Index("ix_trains_departed", trains.c.departed_at)
Index(
    "ux_trains_track_on_site",
    trains.c.track,
    unique=True,
    sqlite_where=text("state = 'on_site'"),
    postgresql_where=text("state = 'on_site'"),
)

trucks = Table(
    "trucks",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("plate", String(20), nullable=False),
    Column("appointment", String(40)),
    Column("collects", Text, nullable=False, server_default="[]"),
    Column("state", String(16), nullable=False),
    Column("arrived_at", DateTime(timezone=True)),
    Column("departed_at", DateTime(timezone=True)),
    Column("version", Integer, nullable=False),
    Column("shuttle", Boolean, nullable=False, server_default="0", comment="a hub shuttle"),
    Column(
        "location",
        String(12),
        nullable=False,
        server_default="station",
        comment="station, river_port, or road (a shuttle between them)",
    ),
    Column("bound_for", String(12), comment="on the road: the end it drives to"),
    Column("starts_at", String(12), nullable=False, server_default="station"),
    CheckConstraint("state IN ('on_site', 'departed')", name="state"),
)
Index("ix_trucks_departed", trucks.c.departed_at)

vessel_calls = Table(
    "vessel_calls",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("vessel", String(80), nullable=False, comment="the ship's or barge's name"),
    Column("kind", String(8), nullable=False, comment="barge or ship"),
    Column("voyage", String(40), nullable=False),
    Column("berth", String(16), nullable=False, comment="a berth of the river port"),
    Column("eta", DateTime(timezone=True), nullable=False, comment="berth window start"),
    Column("etd", DateTime(timezone=True), nullable=False, comment="berth window end"),
    Column("call", Text, nullable=False, comment="JSON: the vessel call"),
    Column("state", String(16), nullable=False),
    Column("bay_plan", Text, nullable=False, comment="JSON: box -> cell, boxes for the hub"),
    Column("load_list", Text, nullable=False, comment="JSON: the boxes it takes away"),
    Column("berthed_at", DateTime(timezone=True)),
    Column("departed_at", DateTime(timezone=True)),
    Column("version", Integer, nullable=False),
    CheckConstraint("state IN ('expected', 'on_site', 'departed')", name="state"),
    comment="barge and ship calls at the river port's berths",
)
Index("ix_vessel_calls_berth", vessel_calls.c.berth, vessel_calls.c.state)

crane_jobs = Table(
    "crane_jobs",
    metadata,
    Column("id", String(120), primary_key=True, comment="the job's id, stable across retries"),
    Column("container_number", String(11), nullable=False),
    Column("origin", String(60), nullable=False, comment="where the box is picked"),
    Column("destination", String(60), nullable=False, comment="where it is set down"),
    Column("reason", String(40), nullable=False),
    Column("state", String(16), nullable=False),
    Column("crane", String(16), comment="the crane that has the job, once assigned"),
    Column("box_aboard", Boolean, nullable=False, comment="the box hangs from the spreader"),
    Column("due", DateTime(timezone=True), comment="latest wanted completion"),
    Column("priority", Integer, nullable=False),
    Column("train_id", String(40)),
    Column("note", Text, nullable=False, comment="why the last change happened"),
    Column("updated_at", DateTime(timezone=True), nullable=False, comment="the clock's time"),
    Column("version", Integer, nullable=False, comment="+1 per change: writers of a job race"),
    CheckConstraint(
        "state IN ('planned', 'assigned', 'sent', 'picking', 'lifted', 'placing', 'done', "
        "'failed', 'cancelled')",
        name="state",
    ),
    comment="crane jobs and where each stands in its life (the log keeps the history)",
)
Index("ix_crane_jobs_open", crane_jobs.c.state, crane_jobs.c.crane)
Index("ix_crane_jobs_container", crane_jobs.c.container_number)
Index("ix_crane_jobs_train", crane_jobs.c.train_id)
Index("ix_crane_jobs_state_time", crane_jobs.c.state, crane_jobs.c.updated_at)

events = Table(
    "events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True, comment="order of application"),
    Column("occurred_at", DateTime(timezone=True), nullable=False, comment="the clock's time"),
    Column("event_type", String(40), nullable=False),
    Column("container_number", String(11)),
    Column("payload", Text, nullable=False, comment="JSON of the event"),
    Column("command", String(40), nullable=False, comment="the command that caused it"),
    Column("command_id", String(36), nullable=False),
    Column("idempotency_key", String(200), comment="the external message, if any"),
    Column("recorded_at", DateTime(timezone=True), nullable=False, comment="wall-clock time"),
    Column("author", String(80), comment="the account that asked for the command"),
    Column("author_role", String(12), comment="its role"),
    Column("channel", String(12), comment="api, console, edi, cli or runtime"),
)
Index("ix_events_container", events.c.container_number)
Index("ix_events_author", events.c.author, events.c.id)
Index("ix_events_type_time", events.c.event_type, events.c.occurred_at)
Index("ix_events_time", events.c.occurred_at)

inbox = Table(
    "inbox",
    metadata,
    Column("idempotency_key", String(200), primary_key=True),
    Column("command", String(40), nullable=False),
    Column("digest", String(64), nullable=False, comment="SHA-256 of the command's content"),
    Column("result", Text, nullable=False, comment="JSON answer returned to repeats"),
    Column("command_id", String(36), nullable=False),
    Column("handled_at", DateTime(timezone=True), nullable=False),
)

edi_interchanges = Table(
    "edi_interchanges",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("direction", String(3), nullable=False, comment="in (received) or out (sent)"),
    Column("partner", String(35), nullable=False, comment="UNB sender (in) or recipient (out)"),
    Column("control_reference", String(35), nullable=False, comment="UNB 0020"),
    Column("message_types", String(80), nullable=False, comment="e.g. COPRAR or COARRI,COARRI"),
    Column(
        "status",
        String(12),
        nullable=False,
        comment="applied, repeat, recorded, quarantined, resolved (quarantined, then applied) "
        "or sent",
    ),
    Column("file_name", String(500), comment="the inbox file or the export target"),
    Column("digest", String(64), nullable=False, comment="SHA-256 of the raw text"),
    Column("at", DateTime(timezone=True), nullable=False, comment="received or written"),
    Column("summary", Text, nullable=False, comment="JSON: per message, what it said and did"),
    Column("report", Text, comment="why it was quarantined, one problem per line"),
    Column("raw", Text, nullable=False, comment="the interchange exactly as received or sent"),
    CheckConstraint("direction IN ('in', 'out')", name="direction"),
    CheckConstraint(
        "status IN ('applied', 'repeat', 'recorded', 'quarantined', 'resolved', 'sent')",
        name="status",
    ),
)
Index("ix_edi_interchanges_digest", edi_interchanges.c.digest)
Index(
    "ix_edi_interchanges_partner_ref",
    edi_interchanges.c.partner,
    edi_interchanges.c.control_reference,
)

train_runs = Table(
    "train_runs",
    metadata,
    Column("id", String(40), primary_key=True, comment="the train visit"),
    Column("service", String(80), nullable=False, comment="corridor service name"),
    Column("direction", String(8), nullable=False, comment="inbound or outbound"),
    Column("origin", String(5)),
    Column("destination", String(5)),
    Column("arrived_at", DateTime(timezone=True), comment="on the hub's track"),
    Column("departed_at", DateTime(timezone=True), comment="left the hub"),
    Column("boxes_in", Integer, nullable=False, comment="boxes it brought"),
    Column("teu_in", Float, nullable=False),
    Column("boxes_out", Integer, nullable=False, comment="boxes it took away"),
    Column("teu_out", Float, nullable=False),
    Column("source", String(40), nullable=False, comment="operations, or synthetic:SEED"),
)
Index("ix_train_runs_departed", train_runs.c.departed_at)

customs_declarations = Table(
    "customs_declarations",
    metadata,
    Column("id", String(60), primary_key=True),
    Column("kind", String(10), nullable=False),
    Column("state", String(12), nullable=False),
    Column("office", String(20), nullable=False),
    Column("legs", Text, nullable=False),
    Column("continues", String(60)),
    Column("lodged_at", DateTime(timezone=True), nullable=False),
    Column("arrived_at", DateTime(timezone=True)),
    Column("released_at", DateTime(timezone=True)),
    Column("note", Text, nullable=False),
    Column("version", Integer, nullable=False),
    CheckConstraint(
        "state IN ('lodged', 'arrived', 'selected', 'released', 'cancelled')", name="state"
    ),
    comment="customs declarations and where each stands in its life",
)
customs_declaration_boxes = Table(
    "customs_declaration_boxes",
    metadata,
    Column(
        "declaration_id",
        String(60),
        ForeignKey("customs_declarations.id"),
        primary_key=True,
    ),
    Column("container_number", String(11), primary_key=True),
    comment="the boxes each declaration covers",
)
Index(
    "ix_customs_declarations_state", customs_declarations.c.state, customs_declarations.c.lodged_at
)
Index("ix_customs_declaration_boxes_container", customs_declaration_boxes.c.container_number)
customs_holds = Table(
    "customs_holds",
    metadata,
    Column("id", String(60), primary_key=True),
    Column("container_number", String(11), nullable=False),
    Column("kind", String(12), nullable=False),
    Column("reason", Text, nullable=False),
    Column("placed_at", DateTime(timezone=True), nullable=False),
    Column("lifted_at", DateTime(timezone=True)),
    Column("version", Integer, nullable=False),
    comment="customs holds and inspection orders on boxes",
)
Index("ix_customs_holds_container", customs_holds.c.container_number)
Index("ix_customs_holds_open", customs_holds.c.lifted_at)

appointments = Table(
    "appointments",
    metadata,
    Column("id", String(60), primary_key=True),
    Column("plate", String(20), nullable=False),
    Column("kind", String(10), nullable=False),
    Column("container_number", String(11), nullable=False),
    Column("window_start", DateTime(timezone=True), nullable=False),
    Column("window_end", DateTime(timezone=True), nullable=False),
    Column("state", String(12), nullable=False),
    Column("changes", Integer, nullable=False),
    Column("version", Integer, nullable=False),
    CheckConstraint("state IN ('booked', 'cancelled', 'used')", name="state"),
    comment="truck appointments at the gate",
)
Index("ix_appointments_window", appointments.c.window_start)
Index("ix_appointments_plate", appointments.c.plate)
Index("ix_appointments_box", appointments.c.container_number)

track_reservations = Table(
    "track_reservations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("track", String(16), nullable=False),
    Column("start_at", DateTime(timezone=True), nullable=False),
    Column("end_at", DateTime(timezone=True), nullable=False),
    Column("holder", String(80), nullable=False, comment="who holds it, e.g. futures:D1"),
    Column("active", Boolean, nullable=False),
    comment="a track kept from trains for a window (a futures delivery's slot)",
)
Index("ix_track_reservations_track", track_reservations.c.track, track_reservations.c.end_at)
