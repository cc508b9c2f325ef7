//! Log-line timestamps in each program's own format, from virtual time (the wall clock is only
//! ever printed, never read), so `kubectl logs` shows when things happened in the run.

use podplay_api::time::{DateTime, Millis, EPOCH_UNIX_SECS};

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

fn month_name(d: &DateTime) -> &'static str {
    MONTHS
        .get(d.month.saturating_sub(1) as usize)
        .copied()
        .unwrap_or("Jan")
}

/// envoy (spdlog pattern `[%Y-%m-%d %T.%e]`): `[2024-06-01 12:00:40.058]`.
pub(crate) fn envoy(now: Millis) -> String {
    let d = DateTime::at(now);
    format!(
        "[{:04}-{:02}-{:02} {:02}:{:02}:{:02}.{:03}]",
        d.year, d.month, d.day, d.hour, d.minute, d.second, d.millis
    )
}

/// redis (`%d %b %Y %H:%M:%S.%03d`): `01 Jun 2024 12:00:40.058`.
pub(crate) fn redis(now: Millis) -> String {
    let d = DateTime::at(now);
    format!(
        "{:02} {} {:04} {:02}:{:02}:{:02}.{:03}",
        d.day,
        month_name(&d),
        d.year,
        d.hour,
        d.minute,
        d.second,
        d.millis
    )
}

/// Unix seconds, as redis's signal handler prints them.
pub(crate) fn unix(now: Millis) -> i64 {
    EPOCH_UNIX_SECS + now.div_euclid(1000)
}

/// klog header time (`mmdd hh:mm:ss.uuuuuu`): `0601 12:00:40.058000`.
pub(crate) fn klog(now: Millis) -> String {
    let d = DateTime::at(now);
    format!(
        "{:02}{:02} {:02}:{:02}:{:02}.{:03}000",
        d.month, d.day, d.hour, d.minute, d.second, d.millis
    )
}
