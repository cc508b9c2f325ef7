//! Named, timed stages: each prints its name when it starts and its duration when it ends, and a
//! summary table closes the run, so a slow or failing step is obvious in a long CI log.

use std::time::{Duration, Instant};

pub struct Stages {
    title: &'static str,
    started: Instant,
    done: Vec<Record>,
}

struct Record {
    name: &'static str,
    outcome: Outcome,
    took: Duration,
}

enum Outcome {
    Passed,
    Failed,
    Skipped(&'static str),
}

impl Stages {
    pub fn new(title: &'static str) -> Self {
        Self {
            title,
            started: Instant::now(),
            done: Vec::new(),
        }
    }

    /// Runs one stage. The error is printed here, so callers may drop it and go on.
    pub fn run<T, E: std::fmt::Display>(
        &mut self,
        name: &'static str,
        stage: impl FnOnce() -> Result<T, E>,
    ) -> Result<T, String> {
        println!("\n==> {name}");
        let started = Instant::now();
        let outcome = stage();
        let took = started.elapsed();
        let (status, result) = match outcome {
            Ok(value) => (Outcome::Passed, Ok(value)),
            Err(error) => {
                let message = format!("{name}: {error}");
                eprintln!("xtask: {message}");
                (Outcome::Failed, Err(message))
            }
        };
        let word = match status {
            Outcome::Passed => "ok",
            _ => "FAILED",
        };
        println!("<== {name}: {word} in {}", human(took));
        self.done.push(Record {
            name,
            outcome: status,
            took,
        });
        result
    }

    pub fn skip(&mut self, name: &'static str, why: &'static str) {
        println!("\n==> {name}: skipped ({why})");
        self.done.push(Record {
            name,
            outcome: Outcome::Skipped(why),
            took: Duration::ZERO,
        });
    }

    pub fn print_summary(&self) {
        println!("\n{} — stages:", self.title);
        for record in &self.done {
            let status = match record.outcome {
                Outcome::Passed => "ok".to_string(),
                Outcome::Failed => "FAILED".to_string(),
                Outcome::Skipped(why) => format!("skipped ({why})"),
            };
            println!("  {:<32} {:>9}  {status}", record.name, human(record.took));
        }
        println!("  {:<32} {:>9}", "total", human(self.started.elapsed()));
    }

    /// Err when any stage failed or was skipped.
    pub fn result(&self) -> Result<(), String> {
        let bad: Vec<&str> = self
            .done
            .iter()
            .filter(|record| !matches!(record.outcome, Outcome::Passed))
            .map(|record| record.name)
            .collect();
        if bad.is_empty() {
            Ok(())
        } else {
            Err(format!("not passed: {}", bad.join(", ")))
        }
    }
}

/// `4.2s`, `3m07s`: seconds are what a reader compares.
pub fn human(took: Duration) -> String {
    let seconds = took.as_secs_f64();
    if seconds < 60.0 {
        format!("{seconds:.1}s")
    } else {
        let whole = took.as_secs();
        format!("{}m{:02}s", whole / 60, whole % 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_under_a_minute_show_tenths_of_seconds() {
        assert_eq!(human(Duration::from_millis(4_240)), "4.2s");
    }

    #[test]
    fn durations_over_a_minute_show_minutes_and_seconds() {
        assert_eq!(human(Duration::from_secs(187)), "3m07s");
    }

    #[test]
    fn a_failed_stage_makes_the_run_fail() {
        let mut stages = Stages::new("t");
        let _ = stages.run("good", || Ok::<(), String>(()));
        let _ = stages.run("bad", || Err::<(), String>("boom".into()));
        assert_eq!(stages.result(), Err("not passed: bad".to_string()));
    }
}
