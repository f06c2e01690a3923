//! The second connection of the benchmark: inserts and updates in a loop, one statement per
//! transaction, noting when each write completes and every write that failed.

use std::time::{Duration, Instant};

use sqlx::{Connection, PgConnection};
use tokio::sync::watch;

/// What the writer saw.
pub struct Writes {
    /// When each write completed, in order.
    pub done: Vec<Instant>,
    /// Writes that failed, with the server's message.
    pub failed: Vec<String>,
}

impl Writes {
    /// The longest time without a completed write inside `[from, to]`: the gaps between
    /// consecutive completions, the window's edges included.
    pub fn longest_stall(&self, from: Instant, to: Instant) -> Duration {
        let mut last = from;
        let mut longest = Duration::ZERO;
        for &t in self.done.iter().filter(|&&t| t > from) {
            longest = longest.max(t - last);
            last = t;
            if t > to {
                break;
            }
        }
        longest.max(to.saturating_duration_since(last))
    }
}

/// Writes until `stop` turns true: an insert, then an update of a row picked at random among
/// the first `rows`, and again.
pub async fn run(url: String, rows: i64, mut stop: watch::Receiver<bool>) -> Result<Writes, String> {
    let mut c = PgConnection::connect(&url).await.map_err(|e| format!("the writer cannot connect: {e}"))?;
    let mut w = Writes { done: Vec::new(), failed: Vec::new() };
    let mut seed: i64 = 0x2545_f491;
    let mut i: i64 = 0;
    while !*stop.borrow_and_update() {
        seed = (seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407)) & i64::MAX;
        let id = 1 + seed % rows;
        let result = if i % 2 == 0 {
            sqlx::query("INSERT INTO t (parent_id, n, note) VALUES ($1, $2, 'written during the change')")
                .bind((1 + id % 1000) as i32)
                .bind(id as i32)
                .execute(&mut c)
                .await
        } else {
            sqlx::query("UPDATE t SET n = n + 1 WHERE id = $1").bind(id).execute(&mut c).await
        };
        match result {
            Ok(_) => w.done.push(Instant::now()),
            Err(e) => w.failed.push(e.to_string()),
        }
        i += 1;
    }
    Ok(w)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_longest_gap_counts_the_window_edges() {
        let t0 = Instant::now();
        let at = |ms: u64| t0 + Duration::from_millis(ms);
        let w = Writes { done: vec![at(5), at(10), at(400), at(410), at(2000)], failed: vec![] };
        assert_eq!(w.longest_stall(at(0), at(500)), Duration::from_millis(1590));
        assert_eq!(w.longest_stall(at(0), at(300)), Duration::from_millis(390));
        let idle = Writes { done: vec![], failed: vec![] };
        assert_eq!(idle.longest_stall(at(0), at(50)), Duration::from_millis(50));
    }
}
