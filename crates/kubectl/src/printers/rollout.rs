//! What `kubectl rollout status` and `kubectl rollout history` print for a Deployment
//! (kubectl `pkg/polymorphichelpers/rollout_status.go`, `history.go`; controllers-semantics §1.10,
//! §1.12). Pure: objects in, text out.

use crate::table::TabWriter;
use serde_json::{Map, Value};

/// The numbers `DeploymentStatusViewer.Status` looks at.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeploymentRollout {
    pub name: String,
    pub generation: i64,
    pub spec_replicas: i64,
    pub observed_generation: i64,
    pub replicas: i64,
    pub updated: i64,
    pub available: i64,
    /// The Progressing condition's reason, if any.
    pub progressing_reason: Option<String>,
}

impl DeploymentRollout {
    /// Reads a Deployment's body (spec and status) and metadata.generation.
    pub fn from_body(name: &str, generation: i64, body: &Map<String, Value>) -> DeploymentRollout {
        let st = body.get("status");
        let n = |f: &str| {
            st.and_then(|s| s.get(f))
                .and_then(Value::as_i64)
                .unwrap_or(0)
        };
        let reason = st
            .and_then(|s| s.get("conditions"))
            .and_then(Value::as_array)
            .and_then(|cs| {
                cs.iter()
                    .find(|c| c.get("type").and_then(Value::as_str) == Some("Progressing"))
            })
            .and_then(|c| c.get("reason"))
            .and_then(Value::as_str)
            .map(str::to_string);
        DeploymentRollout {
            name: name.to_string(),
            generation,
            spec_replicas: body
                .get("spec")
                .and_then(|s| s.get("replicas"))
                .and_then(Value::as_i64)
                .unwrap_or(1),
            observed_generation: n("observedGeneration"),
            replicas: n("replicas"),
            updated: n("updatedReplicas"),
            available: n("availableReplicas"),
            progressing_reason: reason,
        }
    }
}

/// `DeploymentStatusViewer.Status`: Ok((message, done)) or the error kubectl prints after `error: `.
pub fn deployment_status(d: &DeploymentRollout) -> Result<(String, bool), String> {
    let n = &d.name;
    if d.generation <= d.observed_generation {
        if d.progressing_reason.as_deref() == Some("ProgressDeadlineExceeded") {
            return Err(format!("deployment {n:?} exceeded its progress deadline"));
        }
        if d.updated < d.spec_replicas {
            return Ok((format!("Waiting for deployment {n:?} rollout to finish: {} out of {} new replicas have been updated...\n", d.updated, d.spec_replicas), false));
        }
        if d.replicas > d.updated {
            return Ok((format!("Waiting for deployment {n:?} rollout to finish: {} old replicas are pending termination...\n", d.replicas - d.updated), false));
        }
        if d.available < d.updated {
            return Ok((format!("Waiting for deployment {n:?} rollout to finish: {} of {} updated replicas are available...\n", d.available, d.updated), false));
        }
        return Ok((format!("deployment {n:?} successfully rolled out\n"), true));
    }
    Ok((
        "Waiting for deployment spec update to be observed...\n".to_string(),
        false,
    ))
}

/// `rollout history` without `--revision`: the name printer's line, then the table
/// (`REVISION  CHANGE-CAUSE`), then the name printer's newline.
pub fn history_table(qualified: &str, revisions: &[(i64, Option<String>)]) -> String {
    if revisions.is_empty() {
        return format!("{qualified} \nNo rollout history found.\n");
    }
    let mut w = TabWriter::new(0, 2, false);
    w.write_row(&["REVISION", "CHANGE-CAUSE"]);
    let mut sorted = revisions.to_vec();
    sorted.sort();
    for (r, cause) in sorted {
        let c = cause.filter(|c| !c.is_empty()).unwrap_or("<none>".into());
        w.write_row(&[r.to_string(), c]);
    }
    format!("{qualified} \n{}\n", w.flush())
}

/// `rollout history --revision=N`: the header and the pod template as `kubectl describe` shows it.
pub fn history_revision(qualified: &str, revision: i64, template: &Value) -> String {
    format!(
        "{qualified} with revision #{revision}\n{}\n",
        pod_template(template)
    )
}

/// `DescribePodTemplate`: the part `rollout history --revision` and `describe deployment` share.
pub fn pod_template(t: &Value) -> String {
    crate::printers::workloads::pod_template_text(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(
        gen: i64,
        spec: i64,
        observed: i64,
        replicas: i64,
        updated: i64,
        available: i64,
    ) -> DeploymentRollout {
        DeploymentRollout {
            name: "foo".into(),
            generation: gen,
            spec_replicas: spec,
            observed_generation: observed,
            replicas,
            updated,
            available,
            progressing_reason: None,
        }
    }

    /// B8: rollout_status_test.go TestDeploymentStatusViewerStatus.
    #[test]
    fn test_deployment_status_viewer_status() {
        let cases = [
            (d(0, 1, 1, 1, 0, 1), "Waiting for deployment \"foo\" rollout to finish: 0 out of 1 new replicas have been updated...\n", false),
            (d(1, 1, 1, 2, 1, 2), "Waiting for deployment \"foo\" rollout to finish: 1 old replicas are pending termination...\n", false),
            (d(1, 2, 1, 2, 2, 1), "Waiting for deployment \"foo\" rollout to finish: 1 of 2 updated replicas are available...\n", false),
            (d(1, 2, 1, 2, 2, 2), "deployment \"foo\" successfully rolled out\n", true),
            (d(2, 2, 1, 2, 2, 2), "Waiting for deployment spec update to be observed...\n", false),
        ];
        for (input, msg, done) in cases {
            assert_eq!(
                deployment_status(&input),
                Ok((msg.to_string(), done)),
                "{input:?}"
            );
        }
    }

    #[test]
    fn rollout_status_reports_the_progress_deadline_as_an_error() {
        let mut x = d(1, 3, 1, 3, 1, 0);
        x.progressing_reason = Some("ProgressDeadlineExceeded".into());
        assert_eq!(
            deployment_status(&x),
            Err("deployment \"foo\" exceeded its progress deadline".into())
        );
    }

    #[test]
    fn rollout_history_prints_name_line_then_table() {
        let s = history_table(
            "deployment.apps/web",
            &[(2, None), (1, Some("first".into()))],
        );
        assert_eq!(
            s,
            "deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         first\n2         <none>\n\n"
        );
    }
}
