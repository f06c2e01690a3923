//! The pure parts at scale, with no server: the offline SQL parse of a generated PostgreSQL
//! schema, and the differ and planner (`steps_with`: changes, drafts, order, hazards) between
//! its model and its mutated twin's, alone and as a whole `Plan` with fingerprints (1k, 5k and 10k
//! tables, 5% of objects changed). The SQL comes from `../shared/bench/gen_schema.py --seed 1`,
//! cut to the subset the offline reader takes (no views, GIN or expression indexes, and
//! `length` for `char_length`: it refuses what it cannot reproduce exactly);
//! `bench/run.py` writes it to `bench/out/models` (or `BENCH_MODELS`), runs this, and copies
//! the estimates into BENCHMARKS.md, with the 1k and 10k plans timed once more in alternating
//! rounds ([`interleaved`]). Run alone, the bench generates what is missing itself;
//! with `BENCH_ONCE=1` it makes one plan per size instead, for callgrind to count.

use std::alloc::{GlobalAlloc, Layout};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::Relaxed};

use criterion::{criterion_group, BenchmarkId, Criterion};
use schema_diff::PlanOptions;
use schema_model::sql::offline::parse_postgres;
use schema_model::sql::{split_statements, SourceFile};
use schema_model::{Dialect, Realm};

/// The allocator of the `schema` binary (crates/cli/src/main.rs), so the figures are its own,
/// counting what one plan asks of it while [`COUNTING`] is set (outside the timed runs).
#[global_allocator]
static ALLOCATOR: Counted = Counted;

/// Whether allocations are being counted.
static COUNTING: AtomicBool = AtomicBool::new(false);
/// Bytes asked for (allocations and the new sizes of reallocations) while counting.
static BYTES: AtomicUsize = AtomicUsize::new(0);
/// Allocations and reallocations while counting.
static BLOCKS: AtomicUsize = AtomicUsize::new(0);

/// mimalloc with a count of what is asked of it: the memory a plan writes is what it costs at
/// 10,000 tables, where nothing stays in cache.
struct Counted;

impl Counted {
    fn count(size: usize) {
        if COUNTING.load(Relaxed) {
            BYTES.fetch_add(size, Relaxed);
            BLOCKS.fetch_add(1, Relaxed);
        }
    }
}

unsafe impl GlobalAlloc for Counted {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        Counted::count(layout.size());
        // SAFETY: the caller's contract is passed on unchanged.
        unsafe { mimalloc::MiMalloc.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as above.
        unsafe { mimalloc::MiMalloc.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        Counted::count(new_size);
        // SAFETY: as above.
        unsafe { mimalloc::MiMalloc.realloc(ptr, layout, new_size) }
    }
}

/// What one run of `steps_with` allocates: (bytes, blocks).
fn allocated(from: &Realm, to: &Realm) -> (usize, usize) {
    let (bytes, blocks) = (BYTES.load(Relaxed), BLOCKS.load(Relaxed));
    COUNTING.store(true, Relaxed);
    let steps = schema_diff::steps_with(from, to, &PlanOptions::default()).expect("a plan");
    COUNTING.store(false, Relaxed);
    drop(steps);
    (BYTES.load(Relaxed) - bytes, BLOCKS.load(Relaxed) - blocks)
}

/// The table counts of the acceptance figures.
const SIZES: [usize; 3] = [1_000, 5_000, 10_000];

/// The repository's root.
fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Where the generated files are: `BENCH_MODELS`, or `bench/out/models` in the repository.
fn models_dir() -> PathBuf {
    std::env::var_os("BENCH_MODELS").map(PathBuf::from).unwrap_or_else(|| root().join("bench/out/models"))
}

/// The SQL of `a` (the base) or `b` (its twin) at `tables` tables, generated when missing, in
/// the offline subset.
fn source(which: &str, tables: usize) -> SourceFile {
    let dir = models_dir();
    let path = dir.join(format!("{which}-{tables}.sql"));
    if !path.exists() {
        generate(&path, tables, which == "b");
    }
    let file = SourceFile::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let kept: Vec<String> = split_statements(Dialect::Postgres, &file)
        .unwrap_or_else(|e| panic!("{}: {e:?}", path.display()))
        .into_iter()
        .filter(|st| offline(&st.text))
        .map(|st| st.text.replace("char_length(", "length("))
        .collect();
    SourceFile::new(file.name, kept.join(";\n") + ";\n")
}

/// Whether the offline reader takes a generated statement: not a view (PostgreSQL rewrites
/// its text), nor a GIN or expression index.
fn offline(text: &str) -> bool {
    let body = text.lines().filter(|l| !l.starts_with("--")).collect::<Vec<_>>().join("\n");
    let body = body.trim_start();
    if body.starts_with("CREATE VIEW")
        || body.starts_with("CREATE OR REPLACE VIEW")
        || body.starts_with("COMMENT ON VIEW")
    {
        return false;
    }
    let index = body.starts_with("CREATE INDEX") || body.starts_with("CREATE UNIQUE INDEX");
    let keys = body.split_once(" (").map_or("", |(_, k)| k.split(" WHERE ").next().unwrap_or(k));
    !(index && (body.contains("USING gin") || keys.contains('(')))
}

/// Runs the generator (`BENCH_GENERATOR`, or `../shared/bench/gen_schema.py` beside the repository).
fn generate(path: &Path, tables: usize, mutate: bool) {
    let generator = std::env::var_os("BENCH_GENERATOR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("../shared/bench/gen_schema.py"));
    std::fs::create_dir_all(path.parent().expect("a directory")).expect("the models directory");
    let mut cmd = Command::new("python3");
    cmd.arg(&generator).args(["--tables", &tables.to_string(), "--seed", "1", "--dialect", "postgres", "-q", "-o"]);
    cmd.arg(path);
    if mutate {
        cmd.arg("--mutate");
    }
    let status = cmd.status().unwrap_or_else(|e| panic!("{}: {e}", generator.display()));
    assert!(status.success(), "{} exited with {status}", generator.display());
}

/// The model the offline reader makes of `file`.
fn parse(file: &SourceFile) -> Realm {
    parse_postgres(std::slice::from_ref(file)).unwrap_or_else(|e| panic!("{}: {e:?}", file.name))
}

/// The sizes to run: `BENCH_SIZES` (comma-separated, for profiling one), or all of [`SIZES`].
fn sizes() -> Vec<usize> {
    match std::env::var("BENCH_SIZES") {
        Ok(list) => list.split(',').map(|n| n.trim().parse().expect("BENCH_SIZES: table counts")).collect(),
        Err(_) => SIZES.to_vec(),
    }
}

fn benches(c: &mut Criterion) {
    let mut group = c.benchmark_group("diff_and_plan");
    group.sample_size(10);
    let (mut parse_group, mut models) = (Vec::new(), Vec::new());
    for n in sizes() {
        let (a, b) = (source("a", n), source("b", n));
        let (from, to) = (parse(&a), parse(&b));
        let steps = schema_diff::plan(&from, &to).expect("a plan").steps.len();
        assert!(steps > 0, "the twin at {n} tables differs from its base");
        let (bytes, blocks) = allocated(&from, &to);
        // Read by bench/criterion.py beside the estimates.
        println!("allocated diff_and_plan/{n} bytes {bytes} blocks {blocks}");
        group.bench_with_input(BenchmarkId::from_parameter(n), &n, |bench, _| {
            bench.iter(|| schema_diff::steps_with(&from, &to, &PlanOptions::default()).expect("a plan"))
        });
        models.push((n, from, to));
        parse_group.push((n, a));
    }
    group.finish();
    interleaved(&models);
    // A whole `Plan` also carries the fingerprints of both sides (drift detection), hashed on
    // threads of their own while the plan is made.
    let mut group = c.benchmark_group("plan_with_fingerprints");
    group.sample_size(10);
    for (n, from, to) in &models {
        group.bench_with_input(BenchmarkId::from_parameter(n), n, |bench, _| {
            bench.iter(|| schema_diff::plan(from, to).expect("a plan"))
        });
    }
    group.finish();
    let mut group = c.benchmark_group("offline_parse");
    group.sample_size(10);
    for (n, a) in &parse_group {
        group.bench_with_input(BenchmarkId::from_parameter(n), a, |bench, a| bench.iter(|| parse(a)));
    }
    group.finish();
    // The same statements last to first: every index, comment and key names a table defined
    // further down, so each waits and runs again (the order of files must not matter).
    let mut group = c.benchmark_group("offline_parse_reversed");
    group.sample_size(10);
    for (n, a) in &parse_group {
        let reversed = reversed(a);
        assert_eq!(parse(&reversed), parse(a), "the reversed SQL at {n} tables gives the same model");
        group.bench_with_input(BenchmarkId::from_parameter(n), &reversed, |bench, r| bench.iter(|| parse(r)));
    }
    group.finish();
}

/// Rounds of [`interleaved`].
const ROUNDS: usize = 30;
/// 1k plans per round of [`interleaved`] (the round keeps their median).
const SMALL_PER_ROUND: usize = 10;

/// The 10k ÷ 1k cost of `steps_with` measured in alternating rounds (one plan at 10,000
/// tables, then ten at 1,000), so that both sizes run under the same conditions: on a shared
/// machine, how much of the last-level cache the neighbours leave changes from one second to
/// the next, and with it a 1k plan's time (its models fit in the cache, the 10k ones never do),
/// which makes the ratio of two separate criterion runs swing from 8.5x to 30x. Printed in
/// criterion's bencher format (the median of each size's per-round time, a round's 1k time
/// being the median of its ten) for `bench/criterion.py`.
fn interleaved(models: &[(usize, Realm, Realm)]) {
    let find = |n: usize| models.iter().find(|(m, _, _)| *m == n);
    let (Some((_, small_from, small_to)), Some((_, large_from, large_to))) = (find(1_000), find(10_000)) else {
        return;
    };
    let time = |from: &Realm, to: &Realm| {
        let start = std::time::Instant::now();
        one_plan(from, to);
        start.elapsed().as_nanos()
    };
    let median = |mut v: Vec<u128>| {
        v.sort_unstable();
        v[v.len() / 2]
    };
    let (mut small, mut large) = (Vec::new(), Vec::new());
    for _ in 0..ROUNDS {
        large.push(time(large_from, large_to));
        small.push(median((0..SMALL_PER_ROUND).map(|_| time(small_from, small_to)).collect()));
    }
    for (n, times) in [(1_000, small), (10_000, large)] {
        println!("test diff_and_plan_interleaved/{n} ... bench: {} ns/iter (+/- 0)", median(times));
    }
}

/// `file` with its statements in reverse order.
fn reversed(file: &SourceFile) -> SourceFile {
    let statements = split_statements(Dialect::Postgres, file).expect("statements");
    let texts: Vec<&str> = statements.iter().rev().map(|st| st.text.as_str()).collect();
    SourceFile::new(format!("{} (reversed)", file.name), texts.join(";\n") + ";\n")
}

/// One `steps_with` per size and nothing else, for `bench/criterion.py` to count under callgrind:
/// instructions and cache misses are the same from run to run, where times on a shared machine
/// are not, so they show whether the differ and planner stay linear.
fn once() {
    for n in sizes() {
        let (from, to) = (parse(&source("a", n)), parse(&source("b", n)));
        one_plan(&from, &to);
    }
}

/// The function callgrind counts (`--toggle-collect=*one_plan*`): one plan, freed.
#[inline(never)]
fn one_plan(from: &Realm, to: &Realm) {
    drop(std::hint::black_box(schema_diff::steps_with(from, to, &PlanOptions::default()).expect("a plan")));
}

criterion_group!(plan, benches);

/// criterion's `criterion_main!`, or [`once`] when `BENCH_ONCE` is set.
fn main() {
    if std::env::var_os("BENCH_ONCE").is_some() {
        return once();
    }
    plan();
    Criterion::default().configure_from_args().final_summary();
}
