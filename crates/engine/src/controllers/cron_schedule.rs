//! CronJob schedules as `cron.ParseStandard` of github.com/robfig/cron/v3 reads them (the parser
//! Kubernetes uses): five fields `minute hour dom month dow` with ranges, lists, steps, month and
//! weekday names and `?`, the `@yearly`...`@hourly` descriptors and `@every <duration>` (valid in
//! Kubernetes: ParseStandard accepts descriptors), robfig's error texts, its day matching (dom OR
//! dow when both are restricted, AND when either is `*`), and `SpecSchedule.Next`'s search.
//!
//! Written here rather than taken from a crate: the Rust cron crates use other field sets
//! (seconds, years), other dom/dow rules and other error messages, and the error messages are what
//! a user sees from `kubectl create` (`spec.schedule: Invalid value: ...`).
//!
//! Times are unix seconds; `Zone` gives the UTC offset in force (fixed-offset zones only, see
//! `Zone::load`).

const STAR_BIT: u64 = 1 << 63;

#[derive(Debug, Clone, Copy)]
struct Bounds {
    min: u32,
    max: u32,
    names: &'static [(&'static str, u32)],
}

const MINUTES: Bounds = Bounds {
    min: 0,
    max: 59,
    names: &[],
};
const HOURS: Bounds = Bounds {
    min: 0,
    max: 23,
    names: &[],
};
const DOM: Bounds = Bounds {
    min: 1,
    max: 31,
    names: &[],
};
const MONTHS: Bounds = Bounds {
    min: 1,
    max: 12,
    names: &[
        ("jan", 1),
        ("feb", 2),
        ("mar", 3),
        ("apr", 4),
        ("may", 5),
        ("jun", 6),
        ("jul", 7),
        ("aug", 8),
        ("sep", 9),
        ("oct", 10),
        ("nov", 11),
        ("dec", 12),
    ],
};
const DOW: Bounds = Bounds {
    min: 0,
    max: 6,
    names: &[
        ("sun", 0),
        ("mon", 1),
        ("tue", 2),
        ("wed", 3),
        ("thu", 4),
        ("fri", 5),
        ("sat", 6),
    ],
};

/// A parsed schedule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Schedule {
    Spec {
        minute: u64,
        hour: u64,
        dom: u64,
        month: u64,
        dow: u64,
    },
    /// `@every <duration>`, whole seconds (at least 1).
    Every(i64),
}

fn bits(min: u32, max: u32, step: u32) -> u64 {
    if step == 1 {
        return !(u64::MAX << (max + 1)) & (u64::MAX << min);
    }
    let mut b = 0u64;
    let mut i = min;
    while i <= max {
        b |= 1 << i;
        i += step;
    }
    b
}

fn all(r: Bounds) -> u64 {
    bits(r.min, r.max, 1) | STAR_BIT
}

/// Go's `strconv.Atoi` error text.
fn must_parse_int(expr: &str) -> Result<u32, String> {
    let num: i64 = expr.parse().map_err(|_| {
        let why = if expr
            .trim_start_matches(['+', '-'])
            .chars()
            .all(|c| c.is_ascii_digit())
            && !expr.trim_start_matches(['+', '-']).is_empty()
        {
            "value out of range"
        } else {
            "invalid syntax"
        };
        format!("failed to parse int from {expr}: strconv.Atoi: parsing {expr:?}: {why}")
    })?;
    if num < 0 {
        return Err(format!("negative number ({num}) not allowed: {expr}"));
    }
    u32::try_from(num).map_err(|_| format!("end of range ({num}) above maximum: {expr}"))
}

fn parse_int_or_name(expr: &str, r: Bounds) -> Result<u32, String> {
    let lower = expr.to_lowercase();
    if let Some((_, v)) = r.names.iter().find(|(n, _)| *n == lower) {
        return Ok(*v);
    }
    must_parse_int(expr)
}

/// `getRange`.
fn get_range(expr: &str, r: Bounds) -> Result<u64, String> {
    let range_and_step: Vec<&str> = expr.split('/').collect();
    let low_and_high: Vec<&str> = range_and_step[0].split('-').collect();
    let single = low_and_high.len() == 1;
    let (start, mut end, mut extra);
    if low_and_high[0] == "*" || low_and_high[0] == "?" {
        start = r.min;
        end = r.max;
        extra = STAR_BIT;
    } else {
        start = parse_int_or_name(low_and_high[0], r)?;
        end = match low_and_high.len() {
            1 => start,
            2 => parse_int_or_name(low_and_high[1], r)?,
            _ => return Err(format!("too many hyphens: {expr}")),
        };
        extra = 0;
    }
    let step = match range_and_step.len() {
        1 => 1,
        2 => {
            let step = must_parse_int(range_and_step[1])?;
            // "N/step" means "N-max/step".
            if single {
                end = r.max;
            }
            if step > 1 {
                extra = 0;
            }
            step
        }
        _ => return Err(format!("too many slashes: {expr}")),
    };
    if start < r.min {
        return Err(format!(
            "beginning of range ({start}) below minimum ({}): {expr}",
            r.min
        ));
    }
    if end > r.max {
        return Err(format!(
            "end of range ({end}) above maximum ({}): {expr}",
            r.max
        ));
    }
    if start > end {
        return Err(format!(
            "beginning of range ({start}) beyond end of range ({end}): {expr}"
        ));
    }
    if step == 0 {
        return Err(format!("step of range should be a positive number: {expr}"));
    }
    Ok(bits(start, end, step) | extra)
}

fn get_field(field: &str, r: Bounds) -> Result<u64, String> {
    let mut b = 0;
    for expr in field.split(',').filter(|e| !e.is_empty()) {
        b |= get_range(expr, r)?;
    }
    Ok(b)
}

/// Go's `time.ParseDuration`, to whole seconds (robfig's `Every` drops the fraction, minimum 1 s).
pub fn parse_go_duration(s: &str) -> Result<i64, String> {
    let invalid = || format!("time: invalid duration {s:?}");
    let mut rest = s;
    let neg = rest.starts_with('-');
    rest = rest.trim_start_matches(['-', '+']);
    if rest == "0" {
        return Ok(0);
    }
    if rest.is_empty() {
        return Err(invalid());
    }
    let mut total_ns: f64 = 0.0;
    while !rest.is_empty() {
        let num_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let num = &rest[..num_len];
        if num.is_empty() || num == "." {
            return Err(invalid());
        }
        let value: f64 = num.parse().map_err(|_| invalid())?;
        rest = &rest[num_len..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let unit = &rest[..unit_len];
        rest = &rest[unit_len..];
        let scale = match unit {
            "" => return Err(format!("time: missing unit in duration {s:?}")),
            "ns" => 1.0,
            "us" | "µs" | "μs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            u => return Err(format!("time: unknown unit {u:?} in duration {s:?}")),
        };
        total_ns += value * scale;
    }
    if total_ns > 9.2e18 {
        return Err(invalid());
    }
    let secs = (total_ns / 1e9).trunc() as i64;
    Ok(if neg { -secs } else { secs })
}

/// `cron.ParseStandard`.
pub fn parse_standard(spec: &str) -> Result<Schedule, String> {
    if spec.is_empty() {
        return Err("empty spec string".into());
    }
    let mut spec = spec.trim_start();
    // TZ=/CRON_TZ= prefixes are for the legacy controller; the zone must exist.
    if spec.starts_with("TZ=") || spec.starts_with("CRON_TZ=") {
        let end = spec.find(' ').unwrap_or(spec.len());
        let zone = &spec[spec.find('=').map(|i| i + 1).unwrap_or(0)..end];
        if Zone::load(zone).is_none() {
            return Err(format!(
                "provided bad location {zone}: unknown time zone {zone}"
            ));
        }
        spec = spec[end..].trim();
    }
    if let Some(desc) = spec.strip_prefix('@') {
        let desc_full = format!("@{desc}");
        let spec_of = |m: u64, h: u64, dom: u64, mon: u64, dow: u64| Schedule::Spec {
            minute: m,
            hour: h,
            dom,
            month: mon,
            dow,
        };
        return match desc_full.as_str() {
            "@yearly" | "@annually" => Ok(spec_of(1, 1, 1 << 1, 1 << 1, all(DOW))),
            "@monthly" => Ok(spec_of(1, 1, 1 << 1, all(MONTHS), all(DOW))),
            "@weekly" => Ok(spec_of(1, 1, all(DOM), all(MONTHS), 1)),
            "@daily" | "@midnight" => Ok(spec_of(1, 1, all(DOM), all(MONTHS), all(DOW))),
            "@hourly" => Ok(spec_of(1, all(HOURS), all(DOM), all(MONTHS), all(DOW))),
            d => match d.strip_prefix("@every ") {
                Some(dur) => parse_go_duration(dur)
                    .map(|s| Schedule::Every(s.max(1)))
                    .map_err(|e| format!("failed to parse duration {d}: {e}")),
                None => Err(format!("unrecognized descriptor: {d}")),
            },
        };
    }
    let fields: Vec<&str> = spec.split_whitespace().collect();
    if fields.len() != 5 {
        return Err(format!(
            "expected exactly 5 fields, found {}: [{}]",
            fields.len(),
            fields.join(" ")
        ));
    }
    Ok(Schedule::Spec {
        minute: get_field(fields[0], MINUTES)?,
        hour: get_field(fields[1], HOURS)?,
        dom: get_field(fields[2], DOM)?,
        month: get_field(fields[3], MONTHS)?,
        dow: get_field(fields[4], DOW)?,
    })
}

/// A time zone as an offset from UTC. Only zones without daylight saving time are known (the
/// tz database is not bundled: it would be most of the wasm module), so a CronJob in, say,
/// `America/New_York` gets `UnknownTimeZone` here where a real cluster would run it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Zone {
    pub offset_secs: i64,
}

impl Zone {
    pub const UTC: Zone = Zone { offset_secs: 0 };

    /// `time.LoadLocation` for the zones podplay knows.
    pub fn load(name: &str) -> Option<Zone> {
        const FIXED: &[(&str, i64)] = &[
            ("UTC", 0),
            ("Etc/UTC", 0),
            ("Etc/GMT", 0),
            ("GMT", 0),
            ("Etc/Universal", 0),
            ("Etc/Zulu", 0),
            ("Universal", 0),
            ("Zulu", 0),
            ("Africa/Abidjan", 0),
            ("Africa/Lagos", 3600),
            ("Africa/Johannesburg", 7200),
            ("Africa/Nairobi", 3 * 3600),
            ("Asia/Shanghai", 8 * 3600),
            ("Asia/Chongqing", 8 * 3600),
            ("Asia/Hong_Kong", 8 * 3600),
            ("Asia/Taipei", 8 * 3600),
            ("Asia/Singapore", 8 * 3600),
            ("Asia/Manila", 8 * 3600),
            ("Asia/Tokyo", 9 * 3600),
            ("Asia/Seoul", 9 * 3600),
            ("Asia/Kolkata", 5 * 3600 + 1800),
            ("Asia/Calcutta", 5 * 3600 + 1800),
            ("Asia/Dubai", 4 * 3600),
            ("Asia/Jakarta", 7 * 3600),
            ("Asia/Bangkok", 7 * 3600),
            ("Asia/Ho_Chi_Minh", 7 * 3600),
            ("Asia/Karachi", 5 * 3600),
            ("Asia/Dhaka", 6 * 3600),
            ("Asia/Kathmandu", 5 * 3600 + 2700),
            ("Asia/Riyadh", 3 * 3600),
            ("Europe/Moscow", 3 * 3600),
            ("Europe/Istanbul", 3 * 3600),
            ("America/Phoenix", -7 * 3600),
            ("America/Bogota", -5 * 3600),
            ("America/Lima", -5 * 3600),
            ("America/Argentina/Buenos_Aires", -3 * 3600),
            ("America/Sao_Paulo", -3 * 3600),
            ("Pacific/Honolulu", -10 * 3600),
            ("PRC", 8 * 3600),
            ("Japan", 9 * 3600),
        ];
        if let Some((_, off)) = FIXED.iter().find(|(n, _)| *n == name) {
            return Some(Zone { offset_secs: *off });
        }
        // Etc/GMT+5 is five hours *behind* UTC (POSIX sign).
        let n = name.strip_prefix("Etc/GMT")?;
        let h: i64 = n.parse().ok()?;
        ((-14..=12).contains(&h) && (n.starts_with('+') || n.starts_with('-'))).then_some(Zone {
            offset_secs: -h * 3600,
        })
    }
}

/// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// A local civil time, to the second.
#[derive(Debug, Clone, Copy)]
struct Civil {
    y: i64,
    mo: u32,
    d: u32,
    h: u32,
    mi: u32,
    s: u32,
}

impl Civil {
    fn of(local: i64) -> Civil {
        let days = local.div_euclid(86_400);
        let sod = local.rem_euclid(86_400);
        let (y, mo, d) = civil_from_days(days);
        Civil {
            y,
            mo,
            d,
            h: (sod / 3600) as u32,
            mi: (sod % 3600 / 60) as u32,
            s: (sod % 60) as u32,
        }
    }
    fn secs(&self) -> i64 {
        days_from_civil(self.y, self.mo, self.d) * 86_400
            + i64::from(self.h) * 3600
            + i64::from(self.mi) * 60
            + i64::from(self.s)
    }
    fn weekday(&self) -> u32 {
        (days_from_civil(self.y, self.mo, self.d) + 4).rem_euclid(7) as u32
    }
    /// Go's `time.Date` normalisation of month overflow.
    fn add_months(&self, n: u32) -> Civil {
        let total = self.y * 12 + i64::from(self.mo) - 1 + i64::from(n);
        let mut c = *self;
        c.y = total.div_euclid(12);
        c.mo = (total.rem_euclid(12) + 1) as u32;
        Civil::of(
            days_from_civil(c.y, c.mo, 1) * 86_400
                + (i64::from(c.d) - 1) * 86_400
                + i64::from(c.h) * 3600
                + i64::from(c.mi) * 60
                + i64::from(c.s),
        )
    }
}

impl Schedule {
    /// `Schedule.Next`: the first activation strictly after `t` (unix seconds), in `zone`; None
    /// when nothing matches within five years (robfig returns the zero time).
    pub fn next(&self, t: i64, zone: Zone) -> Option<i64> {
        let (minute, hour, dom, month, dow) = match self {
            Schedule::Every(d) => return Some(t + d),
            Schedule::Spec {
                minute,
                hour,
                dom,
                month,
                dow,
            } => (*minute, *hour, *dom, *month, *dow),
        };
        let day_matches = |c: &Civil| {
            let dm = (1u64 << c.d) & dom > 0;
            let wm = (1u64 << c.weekday()) & dow > 0;
            if dom & STAR_BIT > 0 || dow & STAR_BIT > 0 {
                dm && wm
            } else {
                dm || wm
            }
        };
        let mut c = Civil::of(t + zone.offset_secs + 1);
        let year_limit = c.y + 5;
        let mut added = false;
        'wrap: loop {
            if c.y > year_limit {
                return None;
            }
            while (1u64 << c.mo) & month == 0 {
                if !added {
                    added = true;
                    c = Civil {
                        d: 1,
                        h: 0,
                        mi: 0,
                        s: 0,
                        ..c
                    };
                }
                c = c.add_months(1);
                if c.mo == 1 {
                    continue 'wrap;
                }
            }
            while !day_matches(&c) {
                if !added {
                    added = true;
                    c = Civil {
                        h: 0,
                        mi: 0,
                        s: 0,
                        ..c
                    };
                }
                c = Civil::of(c.secs() + 86_400);
                if c.d == 1 {
                    continue 'wrap;
                }
            }
            while (1u64 << c.h) & hour == 0 {
                if !added {
                    added = true;
                    c = Civil { mi: 0, s: 0, ..c };
                }
                c = Civil::of(c.secs() + 3600);
                if c.h == 0 {
                    continue 'wrap;
                }
            }
            while (1u64 << c.mi) & minute == 0 {
                if !added {
                    added = true;
                    c = Civil { s: 0, ..c };
                }
                c = Civil::of(c.secs() + 60);
                if c.mi == 0 {
                    continue 'wrap;
                }
            }
            // Seconds: always 0 for the standard parser.
            while c.s != 0 {
                if !added {
                    added = true;
                }
                c = Civil::of(c.secs() + 1);
                if c.s == 0 {
                    continue 'wrap;
                }
            }
            return Some(c.secs() - zone.offset_secs);
        }
    }
}

/// How many start times were missed (`missedSchedulesType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Missed {
    None,
    Few,
    Many,
}

/// `mostRecentScheduleTime` (cronjob utils.go): (earliest, most recent unmet time, missed).
/// Times in unix seconds; `sds` = startingDeadlineSeconds when it is to be applied.
pub fn most_recent_schedule_time(
    created: i64,
    last_schedule: Option<i64>,
    sds: Option<i64>,
    now: i64,
    sched: &Schedule,
    zone: Zone,
) -> Result<(i64, Option<i64>, Missed), String> {
    let mut earliest = last_schedule.unwrap_or(created);
    if let Some(sds) = sds {
        let deadline = now - sds;
        if deadline > earliest {
            earliest = deadline;
        }
    }
    let t1 = sched.next(earliest, zone);
    let t2 = t1.and_then(|t| sched.next(t, zone));
    if let Some(t1) = t1 {
        if now < t1 {
            return Ok((earliest, None, Missed::None));
        }
        if t2.is_none_or(|t2| now < t2) && t2.is_some() {
            return Ok((earliest, Some(t1), Missed::None));
        }
    }
    let (Some(t1), Some(t2)) = (t1, t2) else {
        return Err("time difference between two schedules is less than 1 second".into());
    };
    let between = t2 - t1;
    if between < 1 {
        return Err("time difference between two schedules is less than 1 second".into());
    }
    let elapsed = now - t1;
    let missed = elapsed / between + 1;
    let potential_earliest = t1 + (missed - 2) * between;
    let mut most_recent = None;
    let mut t = sched.next(potential_earliest, zone);
    while let Some(x) = t {
        if x > now {
            break;
        }
        most_recent = Some(x);
        t = sched.next(x, zone);
    }
    let kind = if missed > 100 {
        Missed::Many
    } else if missed > 1 {
        Missed::Few
    } else {
        Missed::None
    };
    Ok((earliest, most_recent, kind))
}

/// `nextScheduleTimeDuration`'s starting point: the most recent time, else the earliest when
/// nothing was missed, else now.
pub fn requeue_base(earliest: i64, recent: Option<i64>, missed: Missed, now: i64) -> i64 {
    match (recent, missed) {
        (Some(r), _) => r,
        (None, Missed::None) => earliest,
        (None, _) => now,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2016-05-19T10:00:00Z, a Thursday (utils_test.go's topOfTheHour).
    fn top_of_the_hour() -> i64 {
        days_from_civil(2016, 5, 19) * 86_400 + 10 * 3600
    }
    const M: i64 = 60;
    const H: i64 = 3600;

    fn p(s: &str) -> Schedule {
        parse_standard(s).unwrap_or(Schedule::Every(1))
    }

    #[test]
    fn parse_standard_rejects_what_robfig_rejects_with_its_words() {
        let cases = [
            ("", "empty spec string"),
            ("bad", "expected exactly 5 fields, found 1: [bad]"),
            ("* * * *", "expected exactly 5 fields, found 4: [* * * *]"),
            ("60 * * * *", "end of range (60) above maximum (59): 60"),
            ("* * 0 * *", "beginning of range (0) below minimum (1): 0"),
            (
                "5-1 * * * *",
                "beginning of range (5) beyond end of range (1): 5-1",
            ),
            (
                "*/0 * * * *",
                "step of range should be a positive number: */0",
            ),
            ("1-2-3 * * * *", "too many hyphens: 1-2-3"),
            ("*/1/2 * * * *", "too many slashes: */1/2"),
            (
                "x * * * *",
                "failed to parse int from x: strconv.Atoi: parsing \"x\": invalid syntax",
            ),
            ("* * * * 7", "end of range (7) above maximum (6): 7"),
            ("@often", "unrecognized descriptor: @often"),
            (
                "@every 1x",
                "failed to parse duration @every 1x: time: unknown unit \"x\" in duration \"1x\"",
            ),
        ];
        for (spec, want) in cases {
            assert_eq!(parse_standard(spec), Err(want.to_string()), "{spec:?}");
        }
        for ok in [
            "*/1 * * * *",
            "0 0 * * ?",
            "30 6-16/4 * * 1-5",
            "0 12 * JAN,feb Mon-fri",
            "@hourly",
            "@every 1h30m",
            "59 23 31 2 *",
        ] {
            assert!(parse_standard(ok).is_ok(), "{ok}");
        }
    }

    #[test]
    fn every_descriptor_is_valid_in_kubernetes() {
        // ParseStandard includes the Descriptor option, so `@every` passes apiserver validation.
        assert_eq!(parse_standard("@every 1h"), Ok(Schedule::Every(3600)));
        assert_eq!(parse_standard("@every 500ms"), Ok(Schedule::Every(1)));
    }

    #[test]
    fn dom_and_dow_both_restricted_match_either() {
        // 2016-05-19 is a Thursday; "0 0 1 * 5" fires on the 1st or on Fridays.
        let s = p("0 0 1 * 5");
        let t = top_of_the_hour();
        assert_eq!(
            s.next(t, Zone::UTC),
            Some(days_from_civil(2016, 5, 20) * 86_400)
        );
        // With dow `*`, only the 1st.
        let s = p("0 0 1 * *");
        assert_eq!(
            s.next(t, Zone::UTC),
            Some(days_from_civil(2016, 6, 1) * 86_400)
        );
    }

    #[test]
    fn impossible_date_has_no_next_time() {
        assert_eq!(p("59 23 31 2 *").next(top_of_the_hour(), Zone::UTC), None);
    }

    #[test]
    fn fixed_zone_shifts_the_wall_clock() {
        let shanghai = Zone::load("Asia/Shanghai").unwrap_or(Zone::UTC);
        // 10:00Z is 18:00 in Shanghai; the next 20:00 there is 12:00Z.
        let t = top_of_the_hour();
        assert_eq!(p("0 20 * * *").next(t, shanghai), Some(t + 2 * H));
        assert_eq!(
            Zone::load("Etc/GMT+5"),
            Some(Zone {
                offset_secs: -5 * H
            })
        );
        assert_eq!(Zone::load("Mars/Olympus"), None);
    }

    /// golden-controller-scenarios B7: utils_test.go TestMostRecentScheduleTime.
    #[test]
    fn test_most_recent_schedule_time() {
        let t = top_of_the_hour();
        type Case = (
            &'static str,
            &'static str,
            i64,
            Option<i64>,
            Option<i64>,
            i64,
            Result<(i64, Option<i64>, Missed), ()>,
        );
        let cases: Vec<Case> = vec![
            (
                "now before next schedule",
                "0 * * * *",
                t,
                None,
                None,
                t + 30,
                Ok((t, None, Missed::None)),
            ),
            (
                "now just after next schedule",
                "0 * * * *",
                t,
                None,
                None,
                t + H + M,
                Ok((t, Some(t + H), Missed::None)),
            ),
            (
                "missed 5 schedules",
                "0 * * * *",
                t + 10,
                None,
                None,
                t + 5 * H + M,
                Ok((t + 10, Some(t + 5 * H), Missed::Few)),
            ),
            (
                "complex schedule",
                "30 6-16/4 * * 1-5",
                t,
                Some(t + 30 * M),
                None,
                t + 24 * H + 31 * M,
                Ok((t + 30 * M, Some(t + 24 * H + 30 * M), Missed::Few)),
            ),
            (
                "another complex",
                "30 10,11,12 * * 1-5",
                t,
                Some(t + 30 * M),
                None,
                t + 30 * H + 30 * M,
                Ok((t + 30 * M, None, Missed::Few)),
            ),
            (
                "longer diff",
                "30 6-16/4 * * 1-5",
                t,
                Some(t + 30 * M),
                None,
                t + 96 * H + 31 * M,
                Ok((t + 30 * M, Some(t + 96 * H + 30 * M), Missed::Few)),
            ),
            (
                "@every (SDS not included)",
                "@every 1h",
                t - 59 * M,
                Some(t + M),
                None,
                t + 7 * 24 * H,
                Ok((t + M, Some(t + 6 * 24 * H + 23 * H + M), Missed::Many)),
            ),
            ("rogue", "59 23 31 2 *", t + 10, None, None, t + H, Err(())),
            (
                "earliest = lastSchedule",
                "*/5 * * * *",
                t,
                Some(t + 30 * M),
                None,
                t + 31 * M,
                Ok((t + 30 * M, None, Missed::None)),
            ),
            (
                "outside SDS",
                "*/5 * * * *",
                t,
                Some(t + 30 * M),
                Some(60),
                t + 32 * M,
                Ok((t + 31 * M, None, Missed::None)),
            ),
        ];
        for (name, sched, created, last, sds, now, want) in cases {
            let got = most_recent_schedule_time(created, last, sds, now, &p(sched), Zone::UTC);
            match want {
                Ok(w) => assert_eq!(got, Ok(w), "{name}"),
                Err(()) => assert_eq!(
                    got,
                    Err("time difference between two schedules is less than 1 second".into()),
                    "{name}"
                ),
            }
        }
    }

    /// B7 TestNextScheduleTime cases (`0 * * * ?`, T1 = 10:00, T2 = 11:00), through the
    /// controller's use of the most recent time.
    #[test]
    fn test_next_schedule_time() {
        let t1 = top_of_the_hour();
        let t2 = t1 + H;
        let s = p("0 * * * ?");
        let recent = |created: i64, last: Option<i64>, sds: Option<i64>, now: i64| {
            most_recent_schedule_time(created, last, sds, now, &s, Zone::UTC)
                .ok()
                .and_then(|(_, r, _)| r)
        };
        assert_eq!(recent(t1 - 10 * M, None, None, t1 - 7 * M), None);
        assert_eq!(recent(t1 - 10 * M, None, None, t1 + 2), Some(t1));
        assert_eq!(recent(t1 - 10 * M, Some(t1), None, t1 + 2 * M), None);
        assert_eq!(recent(t1 - 10 * M, Some(t1), None, t2 + 5 * M), Some(t2));
        assert_eq!(recent(t1 - 2 * H, Some(t1 - H), None, t2 + 5 * M), Some(t2));
        assert!(recent(t1 - 2 * H, Some(t1 - H), None, t2 + 10 * 24 * H).is_some());
        assert!(recent(t1 - 2 * H, Some(t1 - H), Some(2 * H), t2 + 10 * 24 * H).is_some());
    }

    /// B7 TestNextScheduleTimeDuration: the requeue delay is Next(most recent or earliest) − now.
    #[test]
    fn test_next_schedule_time_duration() {
        let t = top_of_the_hour();
        let next_in = |sched: &str, created: i64, last: Option<i64>, now: i64| {
            let s = p(sched);
            let (earliest, recent, missed) =
                most_recent_schedule_time(created, last, None, now, &s, Zone::UTC).unwrap_or((
                    now,
                    Some(now),
                    Missed::None,
                ));
            s.next(requeue_base(earliest, recent, missed, now), Zone::UTC)
                .map(|n| n - now)
        };
        assert_eq!(
            next_in(
                "30 6-16/4 * * 1-5",
                t,
                Some(t + 30 * M),
                t + 24 * H + 31 * M
            ),
            Some(3 * H + 59 * M)
        );
        assert_eq!(
            next_in(
                "30 10,11,12 * * 1-5",
                t,
                Some(t + 30 * M),
                t + 30 * H + 30 * M
            ),
            Some(66 * H)
        );
        assert_eq!(
            next_in(
                "0 12 * * 4",
                t,
                Some(t + 2 * H),
                t + 19 * 24 * H + H + 30 * M
            ),
            Some(48 * H + 30 * M)
        );
        assert_eq!(next_in("0 12 * * 5", t, None, t + 6 * H), Some(20 * H));
    }
}
