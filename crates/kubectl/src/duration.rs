//! Durations as kubectl prints them.
//!
//! Three Go formatters are mirrored here, because kubectl output mixes them:
//! - `human_duration`: apimachinery `duration.HumanDuration` (AGE columns, "(2m ago)", describe event ages);
//! - `short_human_duration`: apimachinery `duration.ShortHumanDuration` (coarser: one unit only);
//! - `go_duration`: Go's `time.Duration.String()` (kubelet messages such as `back-off 1m20s ...`,
//!   `Successfully pulled image "x" in 1.393s`).

use podplay_api::time::Millis;

/// apimachinery `HumanDuration`: two significant units while they are informative, one afterwards.
/// Seconds are truncated (Go `int(d.Seconds())`), never rounded.
pub fn human_duration(d: Millis) -> String {
    // Go truncates toward zero, so -1.9s counts as -1s: "almost now" (tolerates clock skew).
    let seconds = d / 1000;
    if seconds < -1 {
        return "<invalid>".to_string();
    }
    if seconds < 0 {
        return "0s".to_string();
    }
    if seconds < 60 * 2 {
        return format!("{seconds}s");
    }
    let minutes = seconds / 60;
    if minutes < 10 {
        let s = seconds % 60;
        if s == 0 {
            return format!("{minutes}m");
        }
        return format!("{minutes}m{s}s");
    }
    if minutes < 60 * 3 {
        return format!("{minutes}m");
    }
    let hours = minutes / 60;
    if hours < 8 {
        let m = minutes % 60;
        if m == 0 {
            return format!("{hours}h");
        }
        return format!("{hours}h{m}m");
    }
    if hours < 48 {
        return format!("{hours}h");
    }
    if hours < 24 * 8 {
        let h = hours % 24;
        if h == 0 {
            return format!("{}d", hours / 24);
        }
        return format!("{}d{}h", hours / 24, h);
    }
    if hours < 24 * 365 * 2 {
        return format!("{}d", hours / 24);
    }
    if hours < 24 * 365 * 8 {
        let dy = (hours / 24) % 365;
        if dy == 0 {
            return format!("{}y", hours / 24 / 365);
        }
        return format!("{}y{}d", hours / 24 / 365, dy);
    }
    format!("{}y", hours / 24 / 365)
}

/// apimachinery `ShortHumanDuration`: a single unit, truncated.
pub fn short_human_duration(d: Millis) -> String {
    let seconds = d / 1000;
    if seconds < -1 {
        return "<invalid>".to_string();
    }
    if seconds < 0 {
        return "0s".to_string();
    }
    if seconds < 60 {
        return format!("{seconds}s");
    }
    let minutes = seconds / 60;
    if minutes < 60 {
        return format!("{minutes}m");
    }
    let hours = minutes / 60;
    if hours < 24 {
        return format!("{hours}h");
    }
    if hours < 24 * 365 {
        return format!("{}d", hours / 24);
    }
    format!("{}y", hours / 24 / 365)
}

/// Go `time.Duration.String()` at millisecond resolution: `0s`, `229ms`, `1.393s`, `10s`, `1m20s`,
/// `5m0s`, `1h0m0s`. Below one second Go switches to the largest unit that keeps an integer part.
pub fn go_duration(d: Millis) -> String {
    if d == 0 {
        return "0s".to_string();
    }
    let neg = d < 0;
    let ms = d.unsigned_abs();
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    if ms < 1000 {
        out.push_str(&format!("{ms}ms"));
        return out;
    }
    let total_secs = ms / 1000;
    let frac = ms % 1000;
    let hours = total_secs / 3600;
    let minutes = total_secs % 3600 / 60;
    let secs = total_secs % 60;
    if hours > 0 {
        out.push_str(&format!("{hours}h"));
    }
    if hours > 0 || minutes > 0 {
        out.push_str(&format!("{minutes}m"));
    }
    out.push_str(&secs.to_string());
    if frac > 0 {
        // Go prints the fraction without trailing zeros: 1.5s, 1.05s, 1.393s.
        let digits = format!("{frac:03}");
        out.push('.');
        out.push_str(digits.trim_end_matches('0'));
    }
    out.push('s');
    out
}

/// kubectl's `translateTimestampSince`: the age of a timestamp, `<unknown>` when it is unset.
pub fn translate_timestamp_since(timestamp: Option<Millis>, now: Millis) -> String {
    match timestamp {
        Some(t) => human_duration(now - t),
        None => "<unknown>".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use podplay_api::time::{HOUR, MINUTE, SECOND};

    const DAY: Millis = 24 * HOUR;
    const YEAR: Millis = 365 * DAY;

    #[test]
    fn human_duration_matches_the_apimachinery_table() {
        let cases: &[(Millis, &str)] = &[
            (-2 * SECOND, "<invalid>"),
            (-1999, "0s"), // truncation toward zero: -1.999s is -1s, still "almost now"
            (-SECOND, "0s"),
            (0, "0s"),
            (999, "0s"),
            (45 * SECOND, "45s"),
            (119 * SECOND + 999, "119s"),
            (2 * MINUTE, "2m"),
            (5 * MINUTE + 40 * SECOND, "5m40s"),
            (9 * MINUTE + 59 * SECOND, "9m59s"),
            (10 * MINUTE + 30 * SECOND, "10m"),
            (15 * MINUTE, "15m"),
            (179 * MINUTE, "179m"),
            (3 * HOUR, "3h"),
            (3 * HOUR + 20 * MINUTE, "3h20m"),
            (8 * HOUR + 5 * MINUTE, "8h"),
            (23 * HOUR, "23h"),
            (47 * HOUR, "47h"),
            (48 * HOUR, "2d"),
            (2 * DAY + 8 * HOUR, "2d8h"),
            (2 * DAY + 9 * HOUR, "2d9h"),
            (8 * DAY + 5 * HOUR, "8d"),
            (300 * DAY, "300d"),
            (2 * YEAR, "2y"),
            (3 * YEAR + 12 * DAY, "3y12d"),
            (9 * YEAR, "9y"),
        ];
        for (d, want) in cases {
            assert_eq!(human_duration(*d), *want, "d={d}ms");
        }
    }

    #[test]
    fn short_human_duration_keeps_one_unit() {
        let cases: &[(Millis, &str)] = &[
            (-5 * SECOND, "<invalid>"),
            (-SECOND, "0s"),
            (59 * SECOND, "59s"),
            (60 * SECOND, "1m"),
            (119 * SECOND, "1m"),
            (59 * MINUTE, "59m"),
            (3 * HOUR + 20 * MINUTE, "3h"),
            (2 * DAY + 8 * HOUR, "2d"),
            (400 * DAY, "1y"),
        ];
        for (d, want) in cases {
            assert_eq!(short_human_duration(*d), *want, "d={d}ms");
        }
    }

    #[test]
    fn go_duration_string_formats_like_time_duration() {
        let cases: &[(Millis, &str)] = &[
            (0, "0s"),
            (229, "229ms"),
            (1393, "1.393s"),
            (1500, "1.5s"),
            (1050, "1.05s"),
            (10 * SECOND, "10s"),
            (80 * SECOND, "1m20s"),
            (160 * SECOND, "2m40s"),
            (300 * SECOND, "5m0s"),
            (HOUR, "1h0m0s"),
            (HOUR + 500, "1h0m0.5s"),
            (-1500, "-1.5s"),
        ];
        for (d, want) in cases {
            assert_eq!(go_duration(*d), *want, "d={d}ms");
        }
    }

    #[test]
    fn unset_timestamp_translates_to_unknown() {
        assert_eq!(translate_timestamp_since(None, 5000), "<unknown>");
        assert_eq!(translate_timestamp_since(Some(1000), 5000), "4s");
    }
}
