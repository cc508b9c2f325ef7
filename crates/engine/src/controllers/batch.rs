//! The batch controllers' entry points: what the apiserver does when a Job or CronJob is created
//! (defaults, generated selector, validation), and the reconcile hook run after each task.

use podplay_api::types::OtherObject;
use std::collections::BTreeSet;

use super::cronjob::{prepare_cron_job_for_create, CronJobState};
use super::job::{prepare_job_for_create, JobState};
use crate::simulation::Simulation;

/// Controller memory of the Job and CronJob controllers (not API state).
#[derive(Debug, Clone, Default)]
pub struct BatchState {
    pub jobs: JobState,
    pub cron: CronJobState,
    /// (namespace/name/lastScheduleTime) already recorded in a CronJob trace row.
    pub seen_schedules: BTreeSet<String>,
}

/// Defaults and validation of a batch object being created; `Err` is kubectl's message.
pub fn prepare_for_create(o: &mut OtherObject) -> Result<(), String> {
    match o.kind.as_str() {
        "Job" => prepare_job_for_create(o),
        "CronJob" => prepare_cron_job_for_create(o),
        _ => Ok(()),
    }
}

pub fn is_batch_kind(kind: &str) -> bool {
    kind == "Job" || kind == "CronJob"
}

impl Simulation {
    /// After each task: Jobs react to their pods, CronJobs to their Jobs disappearing.
    pub(crate) fn reconcile_batch(&mut self) {
        if !self.cl.store.has_other_kind("Job") && !self.cl.store.has_other_kind("CronJob") {
            return;
        }
        self.reconcile_jobs();
        self.reconcile_cron_jobs_missing();
    }

    /// A Job or CronJob was just created through the API: its controller syncs at once.
    pub(crate) fn on_batch_object_created(&mut self, kind: &str, ns: &str, name: &str) {
        let key = (kind.to_string(), ns.to_string(), name.to_string());
        match kind {
            "Job" => self.sync_job(&key),
            "CronJob" => self.sync_cron_job(&key),
            _ => {}
        }
    }
}
