//! Peak memory of a one-hour, 50-pod session with its checkpoints (prints VmHWM on Linux).
fn main() {
    let yaml = include_str!("../benches/seek.rs");
    let start = yaml.find("apiVersion").unwrap_or(0);
    let end = yaml[start..].find("\";").map_or(yaml.len(), |e| start + e);
    let mut s = podplay_session::Session::new(1);
    s.apply(&yaml[start..end]).expect("valid");
    s.advance(3_600_000, u64::MAX);
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let hwm = status
        .lines()
        .find(|l| l.starts_with("VmHWM"))
        .unwrap_or("VmHWM: ?");
    println!(
        "tasks {} trace records {} {hwm}",
        s.tasks_processed(),
        s.trace().len()
    );
}
