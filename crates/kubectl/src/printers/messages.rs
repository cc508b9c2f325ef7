//! One-line messages kubectl prints around results (stderr unless noted).

use crate::resource::Kind;

/// `get` with nothing to show: `No resources found in default namespace.`; across all
/// namespaces or for cluster-scoped kinds: `No resources found`.
pub fn no_resources_found(kind: Kind, namespace: &str, all_namespaces: bool) -> String {
    if all_namespaces || !kind.namespaced() {
        "No resources found\n".to_string()
    } else {
        format!("No resources found in {namespace} namespace.\n")
    }
}

/// `Error from server (NotFound): pods "x" not found` (get, describe, delete, exec, label...).
pub fn not_found(kind: Kind, name: &str) -> String {
    format!(
        "Error from server (NotFound): {} \"{name}\" not found\n",
        kind.qualified_plural()
    )
}

/// `kubectl logs` wraps the server error: `error: error from server (NotFound): pods "x" not
/// found in namespace "default"` (recorded from kubectl 1.32).
pub fn logs_not_found(kind: Kind, name: &str, namespace: &str) -> String {
    format!(
        "error: error from server (NotFound): {} \"{name}\" not found in namespace \"{namespace}\"\n",
        kind.qualified_plural()
    )
}

/// `kubectl logs` on a multi-container pod without `-c`... and other container lookups.
pub fn container_not_found(container: &str, pod: &str) -> String {
    format!("error: container {container} is not valid for pod {pod}\n")
}

/// stdout of `delete`: `pod "web" deleted` (kubectl ≤1.33 wording).
pub fn deleted(kind: Kind, name: &str) -> String {
    format!("{} \"{name}\" deleted\n", kind.qualified_singular())
}

/// stdout of `apply`: `pod/web created`, `configured`, `unchanged`.
pub fn applied(kind: Kind, name: &str, verb: &str) -> String {
    format!("{}/{name} {verb}\n", kind.qualified_singular())
}

/// stdout of `label`/`annotate`: `pod/web labeled`, `pod/web annotated`, `pod/web not labeled`.
pub fn labeled(kind: Kind, name: &str, verb: &str) -> String {
    format!("{}/{name} {verb}\n", kind.qualified_singular())
}

/// stdout of `scale`: `deployment.apps/web scaled`.
pub fn scaled(kind: Kind, name: &str) -> String {
    format!("{}/{name} scaled\n", kind.qualified_singular())
}

/// `label` without `--overwrite` on an existing key.
pub fn label_exists(key: &str, value: &str) -> String {
    format!("error: '{key}' already has a value ({value}), and --overwrite is false\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_resources_found_names_the_namespace_only_when_namespaced() {
        assert_eq!(
            no_resources_found(Kind::Pod, "default", false),
            "No resources found in default namespace.\n"
        );
        assert_eq!(
            no_resources_found(Kind::Pod, "default", true),
            "No resources found\n"
        );
        assert_eq!(
            no_resources_found(Kind::Node, "default", false),
            "No resources found\n"
        );
    }

    #[test]
    fn not_found_uses_the_group_qualified_plural() {
        assert_eq!(
            not_found(Kind::Pod, "x"),
            "Error from server (NotFound): pods \"x\" not found\n"
        );
        assert_eq!(
            not_found(Kind::Deployment, "web"),
            "Error from server (NotFound): deployments.apps \"web\" not found\n"
        );
        assert_eq!(
            logs_not_found(Kind::Pod, "web", "default"),
            "error: error from server (NotFound): pods \"web\" not found in namespace \"default\"\n"
        );
    }

    #[test]
    fn verbs_follow_kubectl_resource_names() {
        assert_eq!(deleted(Kind::Pod, "web"), "pod \"web\" deleted\n");
        assert_eq!(
            applied(Kind::Deployment, "web", "created"),
            "deployment.apps/web created\n"
        );
        assert_eq!(
            scaled(Kind::Deployment, "web"),
            "deployment.apps/web scaled\n"
        );
    }
}
