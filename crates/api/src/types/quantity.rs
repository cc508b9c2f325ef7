//! resource.Quantity and intstr.IntOrString: the two "either" scalars of the API.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A resource quantity as written (`100m`, `0.5`, `128Mi`, `1G`, `1e3`). Kept as text so that
/// printing shows what the user wrote; parsed on demand.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Default, Hash)]
pub struct Quantity(pub String);

/// The regular expression resource.ParseQuantity quotes when a quantity is malformed.
pub const QUANTITY_ERROR: &str =
    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

impl Quantity {
    pub fn new(s: impl Into<String>) -> Quantity {
        Quantity(s.into())
    }

    /// CPU in millicores, rounded up as `MilliValue()` does (`100m` → 100, `0.5` → 500, `1` → 1000).
    pub fn cpu_millis(&self) -> Option<i64> {
        self.scaled(3)
    }

    /// Bytes (or plain units), rounded up as `Value()` does (`128Mi` → 134217728, `1G` → 10^9).
    pub fn bytes(&self) -> Option<i64> {
        self.scaled(0)
    }

    /// Whether the text is a valid quantity.
    pub fn is_valid(&self) -> bool {
        parse(&self.0).is_some()
    }

    /// value × 10^scale, rounded up; `None` if malformed. A valid quantity too large for an i64
    /// saturates (`1e100` cpu is simply more than any node has), a vanishing one rounds up to 1.
    fn scaled(&self, scale: i32) -> Option<i64> {
        let q = parse(&self.0)?;
        let saturated = if q.mantissa < 0 { i64::MIN } else { i64::MAX };
        // value = mantissa × 10^(exp10 + scale) × 2^exp2
        let mut num: i128 = q.mantissa;
        let mut den: i128 = 1;
        let e10 = q.exp10 + scale;
        if e10 >= 0 {
            match 10i128
                .checked_pow(e10 as u32)
                .and_then(|p| num.checked_mul(p))
            {
                Some(n) => num = n,
                None => return Some(if q.mantissa == 0 { 0 } else { saturated }),
            }
        } else {
            match 10i128.checked_pow((-e10) as u32) {
                Some(d) => den = d,
                None => return Some(i64::from(q.mantissa > 0)),
            }
        }
        match 2i128.checked_pow(q.exp2).and_then(|p| num.checked_mul(p)) {
            Some(n) => num = n,
            None => return Some(if q.mantissa == 0 { 0 } else { saturated }),
        }
        let v = if num >= 0 {
            (num + den - 1) / den
        } else {
            -((-num) / den)
        };
        Some(i64::try_from(v).unwrap_or(saturated))
    }
}

/// The suffix family a quantity was written in; `String()` keeps it (quantity.go `Format`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QuantityFormat {
    /// `1e3`, `1E6`.
    DecimalExponent,
    /// `Ki`, `Mi`... (powers of 1024).
    BinarySI,
    /// `m`, `k`, `M`..., or none.
    DecimalSI,
}

impl Quantity {
    /// The format family of the suffix as written.
    pub fn format(&self) -> Option<QuantityFormat> {
        parse(&self.0)?;
        let suffix = self.0.trim_start_matches([
            '+', '-', '.', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9',
        ]);
        Some(if suffix.ends_with('i') {
            QuantityFormat::BinarySI
        } else if suffix.len() > 1 && suffix.starts_with(['e', 'E']) {
            QuantityFormat::DecimalExponent
        } else {
            QuantityFormat::DecimalSI
        })
    }

    /// The canonical text `resource.Quantity.String()` prints (`CanonicalizeBytes`): precision
    /// below 1n rounded up, the largest suffix of the input's family that keeps an integer
    /// mantissa (`1024Mi` → `1Gi`, `1000M` → `1G`, `0.5` → `500m`, `.001Ki` → `1024m`;
    /// binary values below 1024 or with a fraction fall back to decimal). `None` if malformed
    /// or beyond what 128 bits hold.
    pub fn canonical(&self) -> Option<String> {
        let format = self.format()?;
        let q = parse(&self.0)?;
        // value = m × 10^e
        let mut m: i128 = q.mantissa.checked_mul(2i128.checked_pow(q.exp2)?)?;
        let mut e: i32 = q.exp10;
        if m == 0 {
            return Some("0".into());
        }
        // Round up (away from zero) to nanos: you asked for some, you get some.
        if e < -9 {
            let d = 10i128.checked_pow((-9 - e) as u32)?;
            let up = m.abs() / d + i128::from(m.abs() % d != 0);
            m = if m < 0 { -up } else { up };
            e = -9;
        }
        let mut format = format;
        if format == QuantityFormat::BinarySI {
            let integer = if e >= 0 {
                m.checked_mul(10i128.checked_pow(e as u32)?)
            } else {
                let d = 10i128.checked_pow((-e) as u32)?;
                (m % d == 0).then_some(m / d)
            };
            match integer {
                Some(v) if v.abs() >= 1024 => {
                    let (mut v, mut exp) = (v, 0usize);
                    while v % 1024 == 0 && exp < 6 {
                        v /= 1024;
                        exp += 1;
                    }
                    let suffix = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"][exp];
                    return Some(format!("{v}{suffix}"));
                }
                _ => format = QuantityFormat::DecimalSI,
            }
        }
        while m % 10 == 0 {
            m /= 10;
            e += 1;
        }
        let r = e.rem_euclid(3);
        m = m.checked_mul(10i128.pow(r as u32))?;
        e -= r;
        let suffix = match (format, e) {
            (_, 0) => String::new(),
            (QuantityFormat::DecimalSI, -9) => "n".into(),
            (QuantityFormat::DecimalSI, -6) => "u".into(),
            (QuantityFormat::DecimalSI, -3) => "m".into(),
            (QuantityFormat::DecimalSI, 3) => "k".into(),
            (QuantityFormat::DecimalSI, 6) => "M".into(),
            (QuantityFormat::DecimalSI, 9) => "G".into(),
            (QuantityFormat::DecimalSI, 12) => "T".into(),
            (QuantityFormat::DecimalSI, 15) => "P".into(),
            (QuantityFormat::DecimalSI, 18) => "E".into(),
            (_, e) => format!("e{e}"),
        };
        Some(format!("{m}{suffix}"))
    }
}

struct Parsed {
    mantissa: i128,
    exp10: i32,
    exp2: u32,
}

/// `^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$` with the suffixes resource.Quantity knows.
fn parse(s: &str) -> Option<Parsed> {
    let b = s.as_bytes();
    let mut i = 0;
    let negative = match b.first() {
        Some(b'-') => {
            i += 1;
            true
        }
        Some(b'+') => {
            i += 1;
            false
        }
        _ => false,
    };
    let mut mantissa: i128 = 0;
    let mut exp10: i32 = 0;
    let mut digits = 0;
    let mut seen_dot = false;
    while let Some(&c) = b.get(i) {
        match c {
            b'0'..=b'9' => {
                digits += 1;
                // Beyond 30 significant digits precision no longer matters for a simulator.
                if mantissa < 10i128.pow(30) {
                    mantissa = mantissa * 10 + i128::from(c - b'0');
                    if seen_dot {
                        exp10 -= 1;
                    }
                } else if !seen_dot {
                    exp10 += 1;
                }
            }
            b'.' if !seen_dot => seen_dot = true,
            _ => break,
        }
        i += 1;
    }
    if digits == 0 {
        return None;
    }
    let suffix = s.get(i..)?;
    let (e10, e2) = match suffix {
        "" => (0, 0),
        "n" => (-9, 0),
        "u" => (-6, 0),
        "m" => (-3, 0),
        "k" => (3, 0),
        "M" => (6, 0),
        "G" => (9, 0),
        "T" => (12, 0),
        "P" => (15, 0),
        "E" => (18, 0),
        "Ki" => (0, 10),
        "Mi" => (0, 20),
        "Gi" => (0, 30),
        "Ti" => (0, 40),
        "Pi" => (0, 50),
        "Ei" => (0, 60),
        _ => {
            let rest = suffix.strip_prefix(['e', 'E'])?;
            let n: i32 = rest.parse().ok()?;
            if !(-100..=100).contains(&n) {
                return None;
            }
            (n, 0)
        }
    };
    Some(Parsed {
        mantissa: if negative { -mantissa } else { mantissa },
        exp10: exp10 + e10,
        exp2: e2,
    })
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for Quantity {
    fn from(s: &str) -> Quantity {
        Quantity(s.to_string())
    }
}

impl Serialize for Quantity {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Quantity {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Quantity;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("resource.Quantity")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Quantity, E> {
                let q = Quantity(v.trim().to_string());
                if q.is_valid() {
                    Ok(q)
                } else {
                    Err(E::custom(QUANTITY_ERROR))
                }
            }
            // resource.Quantity.UnmarshalJSON accepts bare JSON numbers too (`cpu: 1`, `cpu: 0.5`).
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Quantity, E> {
                Ok(Quantity(v.to_string()))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Quantity, E> {
                Ok(Quantity(v.to_string()))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Quantity, E> {
                let q = Quantity(format!("{v}"));
                if v.is_finite() && q.is_valid() {
                    Ok(q)
                } else {
                    Err(E::custom(QUANTITY_ERROR))
                }
            }
        }
        d.deserialize_any(V)
    }
}

/// intstr.IntOrString: a port number or a port name, a count or a percentage.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum IntOrString {
    Int(i32),
    String(String),
}

impl Default for IntOrString {
    fn default() -> Self {
        IntOrString::Int(0)
    }
}

impl fmt::Display for IntOrString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IntOrString::Int(n) => write!(f, "{n}"),
            IntOrString::String(s) => f.write_str(s),
        }
    }
}

impl Serialize for IntOrString {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            IntOrString::Int(n) => s.serialize_i32(*n),
            IntOrString::String(v) => s.serialize_str(v),
        }
    }
}

impl<'de> Deserialize<'de> for IntOrString {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = IntOrString;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("intstr.IntOrString")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<IntOrString, E> {
                Ok(IntOrString::String(v.to_string()))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<IntOrString, E> {
                i32::try_from(v).map(IntOrString::Int).map_err(|_| {
                    E::custom(format!(
                        "json: cannot unmarshal number {v} into Go value of type int32"
                    ))
                })
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<IntOrString, E> {
                i32::try_from(v).map(IntOrString::Int).map_err(|_| {
                    E::custom(format!(
                        "json: cannot unmarshal number {v} into Go value of type int32"
                    ))
                })
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantity_cpu_millis_parses_suffixes_and_fractions() {
        assert_eq!(Quantity::from("100m").cpu_millis(), Some(100));
        assert_eq!(Quantity::from("0.5").cpu_millis(), Some(500));
        assert_eq!(Quantity::from("1").cpu_millis(), Some(1000));
        assert_eq!(Quantity::from("1e3").cpu_millis(), Some(1_000_000));
        assert_eq!(Quantity::from("250u").cpu_millis(), Some(1)); // rounded up like MilliValue
    }

    #[test]
    fn quantity_bytes_parses_binary_and_decimal_suffixes() {
        assert_eq!(Quantity::from("128Mi").bytes(), Some(134_217_728));
        assert_eq!(Quantity::from("1G").bytes(), Some(1_000_000_000));
        assert_eq!(Quantity::from("1.5Gi").bytes(), Some(1_610_612_736));
        assert_eq!(Quantity::from("64k").bytes(), Some(64_000));
        assert_eq!(Quantity::from("1e3").bytes(), Some(1000));
    }

    #[test]
    fn quantity_rejects_malformed_text() {
        for bad in ["", "abc", "1MB", "1.2.3", "Mi", "--1"] {
            assert!(!Quantity::from(bad).is_valid(), "{bad}");
        }
    }
}
