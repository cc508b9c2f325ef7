//! `kubectl get daemonsets|statefulsets` rows, as the server-side table printers
//! (printers.go `printDaemonSet`, `printStatefulSet`) fill them from spec and status.

use podplay_api::time::Millis;
use podplay_api::types::ObjectMeta;
use serde_json::{Map, Value};

use super::get::{age, col, wide, workload_wide_cells, Column, Row};
use crate::resource::Kind;

pub const DAEMONSET_COLUMNS: &[Column] = &[
    col("NAME"),
    col("DESIRED"),
    col("CURRENT"),
    col("READY"),
    col("UP-TO-DATE"),
    col("AVAILABLE"),
    col("NODE SELECTOR"),
    col("AGE"),
    wide("CONTAINERS"),
    wide("IMAGES"),
    wide("SELECTOR"),
];

pub const STATEFULSET_COLUMNS: &[Column] = &[
    col("NAME"),
    col("READY"),
    col("AGE"),
    wide("CONTAINERS"),
    wide("IMAGES"),
];

fn n(v: &Value, f: &str) -> i64 {
    v.get(f).and_then(|x| x.as_i64()).unwrap_or(0)
}

/// DESIRED/CURRENT/READY/UP-TO-DATE/AVAILABLE from the status; NODE SELECTOR from the template's
/// nodeSelector (`labels.FormatLabels`, `<none>` when empty).
pub fn daemon_set_row(meta: &ObjectMeta, body: &Map<String, Value>, now: Millis) -> Row {
    let spec = body.get("spec").cloned().unwrap_or_default();
    let status = body.get("status").cloned().unwrap_or_default();
    let selector: std::collections::BTreeMap<String, String> = spec
        .pointer("/template/spec/nodeSelector")
        .and_then(|m| m.as_object())
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or("").to_string()))
                .collect()
        })
        .unwrap_or_default();
    let [c, i, sel] = workload_wide_cells(&spec);
    Row::new(
        Kind::DaemonSet,
        meta,
        vec![
            meta.name().to_string(),
            n(&status, "desiredNumberScheduled").to_string(),
            n(&status, "currentNumberScheduled").to_string(),
            n(&status, "numberReady").to_string(),
            n(&status, "updatedNumberScheduled").to_string(),
            n(&status, "numberAvailable").to_string(),
            super::get::format_labels(&selector),
            age(meta.creation_timestamp, now),
            c,
            i,
            sel,
        ],
    )
}

/// READY is readyReplicas/spec.replicas.
pub fn stateful_set_row(meta: &ObjectMeta, body: &Map<String, Value>, now: Millis) -> Row {
    let spec = body.get("spec").cloned().unwrap_or_default();
    let status = body.get("status").cloned().unwrap_or_default();
    let want = spec.get("replicas").and_then(|x| x.as_i64()).unwrap_or(1);
    let [c, i, _] = workload_wide_cells(&spec);
    Row::new(
        Kind::StatefulSet,
        meta,
        vec![
            meta.name().to_string(),
            format!("{}/{want}", n(&status, "readyReplicas")),
            age(meta.creation_timestamp, now),
            c,
            i,
        ],
    )
}
