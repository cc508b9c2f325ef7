//! Virtual time. Everything in podplay counts integer milliseconds from the simulation epoch;
//! wall-clock dates are only ever *printed*, from `EPOCH_UNIX_SECS` plus virtual time, so that the
//! same run prints the same dates on every machine.

/// Virtual milliseconds since the simulation epoch (t = 0, when the manifests are applied).
pub type Millis = i64;

pub const SECOND: Millis = 1_000;
pub const MINUTE: Millis = 60 * SECOND;
pub const HOUR: Millis = 60 * MINUTE;

/// `n` seconds as milliseconds, saturating: user input such as `terminationGracePeriodSeconds:
/// 9223372036854775807` must not overflow.
pub fn seconds(n: i64) -> Millis {
    n.saturating_mul(SECOND)
}

/// The wall-clock moment that virtual t = 0 stands for: 2024-06-01T12:00:00Z. Fixed (not "now")
/// because traces must be byte-identical across machines and days.
pub const EPOCH_UNIX_SECS: i64 = 1_717_243_200;

/// Civil date-time of a virtual instant, UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateTime {
    pub year: i64,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
    pub millis: u32,
    /// 0 = Sunday.
    pub weekday: u32,
}

impl DateTime {
    pub fn at(t: Millis) -> DateTime {
        let total_ms = EPOCH_UNIX_SECS * 1000 + t;
        let secs = total_ms.div_euclid(1000);
        let millis = total_ms.rem_euclid(1000) as u32;
        let days = secs.div_euclid(86_400);
        let sod = secs.rem_euclid(86_400);
        let (year, month, day) = civil_from_days(days);
        DateTime {
            year,
            month,
            day,
            hour: (sod / 3600) as u32,
            minute: (sod % 3600 / 60) as u32,
            second: (sod % 60) as u32,
            millis,
            weekday: (days + 4).rem_euclid(7) as u32,
        }
    }

    /// `2024-06-01T12:00:05Z`, as Kubernetes serialises metav1.Time.
    pub fn rfc3339(&self) -> String {
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        )
    }

    /// `Sat, 01 Jun 2024 12:00:05 +0000`, as `kubectl describe` prints times (time.RFC1123Z).
    pub fn rfc1123z(&self) -> String {
        const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
        format!(
            "{}, {:02} {} {:04} {:02}:{:02}:{:02} +0000",
            DAYS[self.weekday as usize],
            self.day,
            MONTHS[(self.month - 1) as usize],
            self.year,
            self.hour,
            self.minute,
            self.second
        )
    }

    /// `01/Jun/2024:12:00:05 +0000`, nginx's access-log time.
    pub fn clf(&self) -> String {
        format!(
            "{:02}/{}/{:04}:{:02}:{:02}:{:02} +0000",
            self.day,
            MONTHS[(self.month - 1) as usize],
            self.year,
            self.hour,
            self.minute,
            self.second
        )
    }
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Howard Hinnant's days-to-civil algorithm (proleptic Gregorian).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Howard Hinnant's civil-to-days algorithm (proleptic Gregorian), the inverse of `civil_from_days`.
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = m as i64;
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Parses an RFC 3339 date-time (`2024-06-01T12:00:05Z`, `2024-06-01T14:00:05.5+02:00`) into virtual
/// milliseconds (relative to `EPOCH_UNIX_SECS`). `None` when the text is not RFC 3339.
pub fn parse_rfc3339(s: &str) -> Option<Millis> {
    let b = s.as_bytes();
    let num = |from: usize, len: usize| -> Option<i64> {
        let part = b.get(from..from + len)?;
        if !part.iter().all(u8::is_ascii_digit) {
            return None;
        }
        std::str::from_utf8(part).ok()?.parse().ok()
    };
    let sep = |at: usize, c: &[u8]| b.get(at).is_some_and(|x| c.contains(x));
    let year = num(0, 4)?;
    let month = num(5, 2)?;
    let day = num(8, 2)?;
    let hour = num(11, 2)?;
    let minute = num(14, 2)?;
    let second = num(17, 2)?;
    if !(sep(4, b"-") && sep(7, b"-") && sep(10, b"Tt ") && sep(13, b":") && sep(16, b":")) {
        return None;
    }
    if !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let mut i = 19;
    let mut millis = 0i64;
    if sep(i, b".") {
        i += 1;
        let start = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            if i - start < 3 {
                millis = millis * 10 + i64::from(b[i] - b'0');
            }
            i += 1;
        }
        if i == start {
            return None;
        }
        for _ in (i - start)..3 {
            millis *= 10;
        }
    }
    let offset_secs = match b.get(i) {
        Some(b'Z') | Some(b'z') if i + 1 == b.len() => 0,
        Some(c @ (b'+' | b'-')) if i + 6 == b.len() && sep(i + 3, b":") => {
            let oh = num(i + 1, 2)?;
            let om = num(i + 4, 2)?;
            let sign = if *c == b'+' { 1 } else { -1 };
            sign * (oh * 3600 + om * 60)
        }
        _ => return None,
    };
    let days = days_from_civil(year, month as u32, day as u32);
    let unix = days * 86_400 + hour * 3600 + minute * 60 + second - offset_secs;
    Some((unix - EPOCH_UNIX_SECS) * 1000 + millis)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_prints_as_the_documented_date() {
        let d = DateTime::at(0);
        assert_eq!(d.rfc3339(), "2024-06-01T12:00:00Z");
        assert_eq!(d.rfc1123z(), "Sat, 01 Jun 2024 12:00:00 +0000");
        assert_eq!(DateTime::at(65_500).clf(), "01/Jun/2024:12:01:05 +0000");
    }

    #[test]
    fn rfc3339_round_trips_through_virtual_time() {
        assert_eq!(parse_rfc3339("2024-06-01T12:00:00Z"), Some(0));
        assert_eq!(parse_rfc3339("2024-06-01T12:01:05Z"), Some(65_000));
        assert_eq!(parse_rfc3339("2024-06-01T14:00:00.5+02:00"), Some(500));
        assert_eq!(
            parse_rfc3339("2023-12-31T23:59:59Z").map(|t| DateTime::at(t).rfc3339()),
            Some("2023-12-31T23:59:59Z".to_string())
        );
        assert_eq!(parse_rfc3339("yesterday"), None);
        assert_eq!(parse_rfc3339("2024-06-01T12:00:00"), None);
    }
}
