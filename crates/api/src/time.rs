//! Virtual time. Everything in podplay counts integer milliseconds from the simulation epoch;
//! wall-clock dates are only ever *printed*, from `EPOCH_UNIX_SECS` plus virtual time, so that the
//! same run prints the same dates on every machine.

/// Virtual milliseconds since the simulation epoch (t = 0, when the manifests are applied).
pub type Millis = i64;

pub const SECOND: Millis = 1_000;
pub const MINUTE: Millis = 60 * SECOND;
pub const HOUR: Millis = 60 * MINUTE;

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
}
