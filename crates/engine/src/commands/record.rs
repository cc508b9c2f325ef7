//! `kubectl create|apply --record` (deprecated, still accepted by kubectl 1.32): every object
//! written gets the command line as its `kubernetes.io/change-cause` annotation, which the
//! Deployment controller copies to the new ReplicaSet and `rollout history` shows (seed 001).

use podplay_kubectl::command::Apply;
use podplay_kubectl::flags;
use podplay_kubectl::record::{change_cause, DEPRECATION};

use super::CommandOutput;
use crate::simulation::Simulation;

impl Simulation {
    /// `args` are the words after `kubectl` (`create -f x.yml --record`).
    pub(crate) fn kubectl_apply_recorded(&mut self, a: &Apply, args: &[String]) -> CommandOutput {
        if !a.record {
            return self.kubectl_apply(a);
        }
        let verb = args.first().map(String::as_str).unwrap_or("apply");
        let table = if verb == "create" {
            flags::CREATE
        } else {
            flags::APPLY
        };
        let cause = change_cause(
            &format!("kubectl {verb}"),
            args.get(1..).unwrap_or_default(),
            table,
        );
        self.record_change_cause = Some(cause);
        let mut out = self.kubectl_apply(a);
        self.record_change_cause = None;
        out.stderr = format!("{DEPRECATION}{}", out.stderr);
        out
    }
}
