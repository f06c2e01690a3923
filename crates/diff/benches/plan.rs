//! The differ and planner alone at scale: between the models of a generated schema and its
//! mutated twin (1k, 5k and 10k tables). The models are what `schema inspect --format json`
//! read from PostgreSQL databases loaded with `../shared/bench/gen_schema.py` output;
//! `bench/run.py` writes them to `bench/out/models` (or `BENCH_MODELS`), runs this, and copies
//! the estimates into BENCHMARKS.md.

use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use schema_model::Realm;

/// The table counts of the acceptance figures.
const SIZES: [usize; 3] = [1_000, 5_000, 10_000];

/// Where the models are: `BENCH_MODELS`, or `bench/out/models` in the repository.
fn models_dir() -> PathBuf {
    std::env::var_os("BENCH_MODELS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../bench/out/models"))
}

/// The model `a` (the base) or `b` (its twin) at `tables` tables.
fn model(which: &str, tables: usize) -> Realm {
    let path = models_dir().join(format!("{which}-{tables}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!("{}: {e}; run `python3 bench/run.py --models-only` first (or set BENCH_MODELS)", path.display())
    });
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn benches(c: &mut Criterion) {
    let mut group = c.benchmark_group("diff_and_plan");
    group.sample_size(10);
    for n in SIZES {
        let (from, to) = (model("a", n), model("b", n));
        let steps = schema_diff::plan(&from, &to).expect("a plan").steps.len();
        assert!(steps > 0, "the twin at {n} tables differs from its base");
        group.bench_with_input(BenchmarkId::from_parameter(n), &n, |bench, _| {
            bench.iter(|| schema_diff::plan(&from, &to).expect("a plan"))
        });
    }
    group.finish();
}

criterion_group!(plan, benches);
criterion_main!(plan);
