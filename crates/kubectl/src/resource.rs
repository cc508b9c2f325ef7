//! Resource types as kubectl resolves them from the command line (`po`, `pods`, `Pod`,
//! `deploy.apps`...), with the metadata printers need.

/// The kinds podplay's kubectl knows. The engine may still answer "doesn't have a resource type"
/// for kinds it does not simulate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Pod,
    Service,
    Endpoints,
    Node,
    Namespace,
    ConfigMap,
    Secret,
    Event,
    ServiceAccount,
    Deployment,
    ReplicaSet,
    StatefulSet,
    DaemonSet,
    Job,
    CronJob,
    HorizontalPodAutoscaler,
}

struct Info {
    kind: Kind,
    name: &'static str,
    plural: &'static str,
    singular: &'static str,
    short: &'static [&'static str],
    group: &'static str,
    namespaced: bool,
}

#[rustfmt::skip]
const TABLE: &[Info] = &[
    Info { kind: Kind::Pod, name: "Pod", plural: "pods", singular: "pod", short: &["po"], group: "", namespaced: true },
    Info { kind: Kind::Service, name: "Service", plural: "services", singular: "service", short: &["svc"], group: "", namespaced: true },
    Info { kind: Kind::Endpoints, name: "Endpoints", plural: "endpoints", singular: "endpoints", short: &["ep"], group: "", namespaced: true },
    Info { kind: Kind::Node, name: "Node", plural: "nodes", singular: "node", short: &["no"], group: "", namespaced: false },
    Info { kind: Kind::Namespace, name: "Namespace", plural: "namespaces", singular: "namespace", short: &["ns"], group: "", namespaced: false },
    Info { kind: Kind::ConfigMap, name: "ConfigMap", plural: "configmaps", singular: "configmap", short: &["cm"], group: "", namespaced: true },
    Info { kind: Kind::Secret, name: "Secret", plural: "secrets", singular: "secret", short: &[], group: "", namespaced: true },
    Info { kind: Kind::Event, name: "Event", plural: "events", singular: "event", short: &["ev"], group: "", namespaced: true },
    Info { kind: Kind::ServiceAccount, name: "ServiceAccount", plural: "serviceaccounts", singular: "serviceaccount", short: &["sa"], group: "", namespaced: true },
    Info { kind: Kind::Deployment, name: "Deployment", plural: "deployments", singular: "deployment", short: &["deploy"], group: "apps", namespaced: true },
    Info { kind: Kind::ReplicaSet, name: "ReplicaSet", plural: "replicasets", singular: "replicaset", short: &["rs"], group: "apps", namespaced: true },
    Info { kind: Kind::StatefulSet, name: "StatefulSet", plural: "statefulsets", singular: "statefulset", short: &["sts"], group: "apps", namespaced: true },
    Info { kind: Kind::DaemonSet, name: "DaemonSet", plural: "daemonsets", singular: "daemonset", short: &["ds"], group: "apps", namespaced: true },
    Info { kind: Kind::Job, name: "Job", plural: "jobs", singular: "job", short: &[], group: "batch", namespaced: true },
    Info { kind: Kind::CronJob, name: "CronJob", plural: "cronjobs", singular: "cronjob", short: &["cj"], group: "batch", namespaced: true },
    Info { kind: Kind::HorizontalPodAutoscaler, name: "HorizontalPodAutoscaler", plural: "horizontalpodautoscalers", singular: "horizontalpodautoscaler", short: &["hpa"], group: "autoscaling", namespaced: true },
];

/// What `kubectl get all` expands to, in the order kubectl prints the groups.
pub const ALL_CATEGORY: &[Kind] = &[
    Kind::Pod,
    Kind::Service,
    Kind::DaemonSet,
    Kind::Deployment,
    Kind::ReplicaSet,
    Kind::StatefulSet,
    Kind::HorizontalPodAutoscaler,
    Kind::CronJob,
    Kind::Job,
];

impl Kind {
    fn info(self) -> &'static Info {
        // The table holds every variant; fall back to the first row rather than panic.
        TABLE.iter().find(|i| i.kind == self).unwrap_or(&TABLE[0])
    }

    /// `Pod`, `Deployment`.
    pub fn name(self) -> &'static str {
        self.info().name
    }

    /// `pods`, `deployments` (the REST resource, as in `pods "x" not found`).
    pub fn plural(self) -> &'static str {
        self.info().plural
    }

    pub fn singular(self) -> &'static str {
        self.info().singular
    }

    /// API group (`""` for core, `apps`, `batch`, `autoscaling`).
    pub fn group(self) -> &'static str {
        self.info().group
    }

    pub fn namespaced(self) -> bool {
        self.info().namespaced
    }

    /// How `-o name` and `get all` name objects: `pod/web`, `deployment.apps/web`.
    pub fn qualified_singular(self) -> String {
        let i = self.info();
        if i.group.is_empty() {
            i.singular.to_string()
        } else {
            format!("{}.{}", i.singular, i.group)
        }
    }

    /// `deployments.apps` (core kinds stay `pods`), as in `deployments.apps "web" not found`.
    pub fn qualified_plural(self) -> String {
        let i = self.info();
        if i.group.is_empty() {
            i.plural.to_string()
        } else {
            format!("{}.{}", i.plural, i.group)
        }
    }

    pub fn all() -> impl Iterator<Item = Kind> {
        TABLE.iter().map(|i| i.kind)
    }

    /// Resolve a resource word the way kubectl's RESTMapper does: plural, singular, short name or
    /// kind, case-insensitively, optionally qualified by `.group` or `.version.group`.
    pub fn resolve(word: &str) -> Option<Kind> {
        let lower = word.to_ascii_lowercase();
        let (base, qualifier) = match lower.split_once('.') {
            Some((b, q)) => (b.to_string(), Some(q.to_string())),
            None => (lower.clone(), None),
        };
        let info = TABLE.iter().find(|i| {
            i.plural == base
                || i.singular == base
                || i.short.contains(&base.as_str())
                || i.name.to_ascii_lowercase() == base
        })?;
        match qualifier {
            None => Some(info.kind),
            Some(q) => {
                let group_ok = |g: &str| g == info.group;
                let ok = if info.group.is_empty() {
                    // Core resources are addressed as `pods.v1.` or `pods.v1`.
                    q == "v1" || q == "v1."
                } else {
                    group_ok(&q)
                        || q.split_once('.')
                            .is_some_and(|(version, g)| version.starts_with('v') && group_ok(g))
                };
                ok.then_some(info.kind)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resource_words_resolve_by_plural_singular_short_and_kind() {
        for w in ["po", "pod", "pods", "Pod", "PODS"] {
            assert_eq!(Kind::resolve(w), Some(Kind::Pod), "{w}");
        }
        assert_eq!(Kind::resolve("svc"), Some(Kind::Service));
        assert_eq!(Kind::resolve("ep"), Some(Kind::Endpoints));
        assert_eq!(Kind::resolve("no"), Some(Kind::Node));
        assert_eq!(Kind::resolve("ns"), Some(Kind::Namespace));
        assert_eq!(Kind::resolve("cm"), Some(Kind::ConfigMap));
        assert_eq!(Kind::resolve("ev"), Some(Kind::Event));
        assert_eq!(Kind::resolve("deploy"), Some(Kind::Deployment));
        assert_eq!(Kind::resolve("hpa"), Some(Kind::HorizontalPodAutoscaler));
        assert_eq!(Kind::resolve("foo"), None);
    }

    #[test]
    fn group_qualified_words_must_name_the_right_group() {
        assert_eq!(Kind::resolve("deployments.apps"), Some(Kind::Deployment));
        assert_eq!(Kind::resolve("deploy.v1.apps"), Some(Kind::Deployment));
        assert_eq!(Kind::resolve("deployments.batch"), None);
        assert_eq!(Kind::resolve("jobs.batch"), Some(Kind::Job));
    }

    #[test]
    fn qualified_names_follow_kubectl() {
        assert_eq!(Kind::Pod.qualified_singular(), "pod");
        assert_eq!(Kind::Deployment.qualified_singular(), "deployment.apps");
        assert_eq!(Kind::Deployment.qualified_plural(), "deployments.apps");
        assert!(Kind::all().all(|k| k.info().kind == k));
    }
}
