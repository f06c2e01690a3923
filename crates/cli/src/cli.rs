//! The command line: the stable interface of DESIGN.md, as clap definitions.

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Keep database structure as code: plan, apply, inspect and audit schema changes.
#[derive(Parser, Debug)]
#[command(name = "schema", version, about, long_about = LONG_ABOUT)]
pub struct Cli {
    /// The project file [default: schema.toml in the current directory, if there is one].
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<std::path::PathBuf>,
    /// The environment of the project file to use ([env.NAME]): its url, dev-url, to, schemas,
    /// excludes, allowed hazards, timeouts and online setting. Flags given on the command line win.
    #[arg(long = "env", global = true, value_name = "NAME")]
    pub env: Option<String>,
    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
}

const LONG_ABOUT: &str = "\
Keep database structure as code.

The desired structure lives in SQL or HCL files; `schema plan` shows the ordered statements that
would make a live database match them, with hazards and the way back; `schema apply` runs
them under a lock, verifies the result and records an audit trail in `schema_revisions`.

URLs: sqlite://path/to/file.db (the embedded default), sqlite::memory:
Exit codes: 0 success; 1 error; 2 plan not empty (with --exit-code);
            3 refused by the safety policy; 4 database drifted from a plan's starting point.";

/// The subcommands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Read what a database really is and print it as SQL, HCL, JSON or a Mermaid diagram.
    Inspect(InspectArgs),
    /// Show the ordered statements that would make a database match the desired files.
    Plan(PlanArgs),
    /// Make a database match the desired files, under a lock, verified and recorded.
    Apply(ApplyArgs),
    /// Show the statements that turn one state into another (files or databases).
    Diff(DiffArgs),
    /// List the recorded revisions of a database.
    History(HistoryArgs),
    /// Take a database back to the structure it had before a recorded revision.
    Rollback(RollbackArgs),
    /// Format HCL schema files in place (or, with --check, list those that are not formatted).
    Fmt(FmtArgs),
}

/// `schema fmt`.
#[derive(Args, Debug)]
pub struct FmtArgs {
    /// `.hcl` files, or directories whose `.hcl` files to format (not recursive).
    #[arg(value_name = "PATH", default_value = ".")]
    pub paths: Vec<String>,
    /// Change nothing; exit with code 2 when a file is not formatted.
    #[arg(long)]
    pub check: bool,
}

/// Filters over which objects are managed.
#[derive(Args, Debug, Clone, Default)]
pub struct Scope {
    /// Only this schema (repeatable). SQLite has one schema, `main`.
    #[arg(long = "schema", value_name = "NAME")]
    pub schemas: Vec<String>,
    /// Leave out tables and views whose name matches this glob (repeatable), e.g. 'tmp_*'.
    #[arg(long = "exclude", value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// PostgreSQL: manage the privileges (GRANT/REVOKE) of these roles, and the owners the
    /// desired state states (ALTER ... OWNER TO); without it neither is compared. A RULE is a
    /// role name (PUBLIC for every role), or ~REGEXP matched against the whole name; a
    /// ':no-revoke' suffix grants what is missing but never revokes. The first matching rule
    /// wins. Comma-separated or repeated, e.g. --manage-roles 'app,~report_.*:no-revoke'.
    #[arg(long = "manage-roles", value_name = "RULE", value_delimiter = ',')]
    pub manage_roles: Vec<String>,
}

/// `schema inspect`.
#[derive(Args, Debug)]
pub struct InspectArgs {
    /// The database to read, e.g. sqlite://app.db.
    #[arg(long, value_name = "URL", env = "SCHEMA_URL")]
    pub url: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = InspectFormat::Sql)]
    pub format: InspectFormat,
    /// Compare the database with these desired-state sources and report the drift instead.
    #[arg(long = "to", value_name = "SOURCE", num_args = 1..)]
    pub to: Vec<String>,
    /// An empty database to load the desired SQL on (with --to).
    #[arg(long, value_name = "URL", env = "SCHEMA_DEV_URL")]
    pub dev_url: Option<String>,
    /// With --to: exit with code 2 when the database drifted from the sources.
    #[arg(long)]
    pub exit_code: bool,
    #[command(flatten)]
    pub scope: Scope,
}

/// Formats of `inspect`.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum InspectFormat {
    /// CREATE statements in dependency order.
    Sql,
    /// The model as JSON.
    Json,
    /// The model as canonical HCL (Atlas's dialect), which `--to` reads back.
    Hcl,
    /// An entity-relationship diagram in Mermaid syntax.
    Mermaid,
}

/// `schema plan`.
#[derive(Args, Debug)]
pub struct PlanArgs {
    /// The database to change (or the environment's `url`).
    #[arg(long, value_name = "URL", env = "SCHEMA_URL")]
    pub url: Option<String>,
    /// The desired state: .sql and .hcl files, directories of them, or a database URL (or
    /// the environment's `to`).
    #[arg(long = "to", value_name = "SOURCE", num_args = 1..)]
    pub to: Vec<String>,
    /// An empty database to load the desired SQL on (SQLite always uses an in-memory one).
    #[arg(long, value_name = "URL", env = "SCHEMA_DEV_URL")]
    pub dev_url: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = PlanFormat::Text)]
    pub format: PlanFormat,
    /// Also write a plan file for `apply --plan`: the steps, the hash of the database they
    /// start from, and the desired state to verify against.
    #[arg(long, value_name = "PLAN.json")]
    pub out: Option<std::path::PathBuf>,
    /// Exit with code 2 when the plan is not empty (for CI drift checks).
    #[arg(long)]
    pub exit_code: bool,
    /// Plan for a live, busy database: PostgreSQL builds indexes CONCURRENTLY, adds foreign keys
    /// and checks NOT VALID then VALIDATEs them, and sets NOT NULL through a validated check.
    #[arg(long)]
    pub online: bool,
    /// Plan as usual even where schema.toml says `online = true`.
    #[arg(long, conflicts_with = "online")]
    pub no_online: bool,
    #[command(flatten)]
    pub timeouts: TimeoutArgs,
    #[command(flatten)]
    pub scope: Scope,
}

/// Timeouts and retries of online steps, shared by plan (which shows them) and apply.
#[derive(Args, Debug, Clone, Default)]
pub struct TimeoutArgs {
    /// How long to wait for a lock: for the apply lock, and under --online each step's
    /// lock_timeout, after which the step is retried [default: 10s].
    #[arg(long, value_name = "DURATION", value_parser = humantime::parse_duration)]
    pub lock_timeout: Option<std::time::Duration>,
    /// Under --online, the statement_timeout of an ordinary step [default: 1m].
    #[arg(long, value_name = "DURATION", value_parser = humantime::parse_duration)]
    pub statement_timeout: Option<std::time::Duration>,
    /// Under --online, the statement_timeout of concurrent index builds and validations, which
    /// do not block writes [default: none].
    #[arg(long, value_name = "DURATION", value_parser = humantime::parse_duration)]
    pub long_statement_timeout: Option<std::time::Duration>,
    /// Under --online, how many times a step that gives up on its lock timeout is tried in all,
    /// waiting 1s, 2s, 4s... between attempts [default: 5].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub lock_attempts: Option<u32>,
}

/// Formats of `plan`.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum PlanFormat {
    /// Numbered steps with hazards and the way back, for a person.
    Text,
    /// The plan as JSON.
    Json,
    /// The statements only, as a SQL script with hazards as comments.
    Sql,
    /// A pull-request comment: summary, hazards, SQL and reverse SQL in collapsible sections.
    Markdown,
}

/// The safety policy's switches, shared by apply and rollback.
#[derive(Args, Debug, Clone, Default)]
pub struct PolicyArgs {
    /// Allow the destructive hazards (DS101-DS104: dropped schemas, tables, columns, constraints).
    #[arg(long)]
    pub allow_destructive: bool,
    /// Allow these hazard codes, comma separated (e.g. LK106,MF101).
    #[arg(long, value_name = "CODE,...", value_delimiter = ',')]
    pub allow: Vec<String>,
}

/// `schema apply`.
#[derive(Args, Debug)]
pub struct ApplyArgs {
    /// The database to change (a missing SQLite file is created; or the environment's `url`).
    #[arg(long, value_name = "URL", env = "SCHEMA_URL")]
    pub url: Option<String>,
    /// The desired state: .sql and .hcl files, directories of them, or a database URL (or
    /// the environment's `to`).
    #[arg(long = "to", value_name = "SOURCE", num_args = 1.., conflicts_with = "plan")]
    pub to: Vec<String>,
    /// Run exactly the steps of a plan file written by `schema plan --out`; refused with exit
    /// code 4 when the database changed since.
    #[arg(long, value_name = "PLAN.json")]
    pub plan: Option<std::path::PathBuf>,
    /// An empty database to load the desired SQL on (SQLite always uses an in-memory one).
    #[arg(long, value_name = "URL", env = "SCHEMA_DEV_URL")]
    pub dev_url: Option<String>,
    /// Apply without asking for confirmation.
    #[arg(long)]
    pub auto_approve: bool,
    /// Plan and check the policy, but change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Plan for a live, busy database (see `schema plan --online`).
    #[arg(long)]
    pub online: bool,
    /// Plan as usual even where schema.toml says `online = true`.
    #[arg(long, conflicts_with = "online")]
    pub no_online: bool,
    #[command(flatten)]
    pub policy: PolicyArgs,
    #[command(flatten)]
    pub timeouts: TimeoutArgs,
    #[command(flatten)]
    pub scope: Scope,
}

/// `schema diff`.
#[derive(Args, Debug)]
pub struct DiffArgs {
    /// The state to start from: .sql and .hcl files, directories, or a database URL.
    #[arg(long = "from", value_name = "SOURCE", required = true, num_args = 1..)]
    pub from: Vec<String>,
    /// The state to reach.
    #[arg(long = "to", value_name = "SOURCE", required = true, num_args = 1..)]
    pub to: Vec<String>,
    /// An empty database to load SQL files on.
    #[arg(long, value_name = "URL", env = "SCHEMA_DEV_URL")]
    pub dev_url: Option<String>,
    /// The dialect of SQL files when no URL names one (default: sqlite).
    #[arg(long, value_enum)]
    pub dialect: Option<DialectArg>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DiffFormat::Sql)]
    pub format: DiffFormat,
    #[command(flatten)]
    pub scope: Scope,
}

/// Formats of `diff`.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum DiffFormat {
    /// A SQL script.
    Sql,
    /// The plan as JSON.
    Json,
}

/// Dialect names on the command line.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum DialectArg {
    /// SQLite.
    Sqlite,
    /// PostgreSQL.
    Postgres,
    /// MySQL or MariaDB.
    Mysql,
}

/// `schema history`.
#[derive(Args, Debug)]
pub struct HistoryArgs {
    /// The database whose revisions to list (or the environment's `url`).
    #[arg(long, value_name = "URL", env = "SCHEMA_URL")]
    pub url: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = HistoryFormat::Text)]
    pub format: HistoryFormat,
}

/// Formats of `history`.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum HistoryFormat {
    /// A table for a person.
    Text,
    /// JSON.
    Json,
}

/// `schema rollback`.
#[derive(Args, Debug)]
pub struct RollbackArgs {
    /// The database to take back (or the environment's `url`).
    #[arg(long, value_name = "URL", env = "SCHEMA_URL")]
    pub url: Option<String>,
    /// The revision to undo, with every later one (default: the latest applied).
    #[arg(long, value_name = "ID")]
    pub to_revision: Option<i64>,
    /// Roll back without asking for confirmation.
    #[arg(long)]
    pub auto_approve: bool,
    /// Show the plan back, change nothing.
    #[arg(long)]
    pub dry_run: bool,
    #[command(flatten)]
    pub policy: PolicyArgs,
    /// How long to wait for the database lock.
    #[arg(long, value_name = "DURATION", default_value = "10s", value_parser = humantime::parse_duration)]
    pub lock_timeout: std::time::Duration,
}
