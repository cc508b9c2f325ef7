//! Flag tables of kubectl v1.32, generated from `kubectl <cmd> --help` / `kubectl options`.
//! Data, not logic: the parser in `command` looks flags up here, so an unknown flag is rejected
//! exactly where real kubectl rejects it and every real flag is at least accepted.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlagKind {
    /// `--x`, `--x=true|false`; never consumes the next argument.
    Bool,
    /// `--x v` or `--x=v`.
    Value,
    /// A value flag with a default when given bare (`--dry-run` means `--dry-run=unchanged`).
    OptionalValue,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Flag {
    pub long: &'static str,
    pub short: Option<char>,
    pub kind: FlagKind,
    /// The default shown by `--help` (used in pflag's invalid-argument messages).
    pub default: &'static str,
}

pub const GLOBAL: &[Flag] = &[
    Flag {
        long: "as",
        short: None,
        kind: FlagKind::Value,
        default: "",
    },
    Flag {
        long: "as-group",
        short: None,
        kind: FlagKind::Value,
        default: "[]",
    },
    Flag {
        long: "as-uid",
        short: None,
        kind: FlagKind::Value,
        default: "",
    },
    Flag {
        long: "cache-dir",
        short: None,
        kind: FlagKind::Value,
        default: "/root/.kube/cache",
    },
    Flag {
        long: "certificate-authority",
        short: None,
        kind: FlagKind::Value,
        default: "",
    },
    Flag {
        long: "client-certificate",
        short: None,
        kind: FlagKind::Value,
        default: "",
    },
    Flag {
        long: "client-key",
        short: None,
        kind: FlagKind::Value,
        default: "",
    },
    Flag {
        long: "cluster",
        short: None,
        kind: FlagKind::Value,
        default: "",
    },
    Flag {
        long: "context",
        short: None,
        kind: FlagKind::Value,
        default: "",
    },
    Flag {
        long: "disable-compression",
        short: None,
        kind: FlagKind::Bool,
        default: "false",
    },
    Flag {
        long: "insecure-skip-tls-verify",
        short: None,
        kind: FlagKind::Bool,
        default: "false",
    },
    Flag {
        long: "kubeconfig",
        short: None,
        kind: FlagKind::Value,
        default: "",
    },
    Flag {
        long: "log-flush-frequency",
        short: None,
        kind: FlagKind::Value,
        default: "5s",
    },
    Flag {
        long: "match-server-version",
        short: None,
        kind: FlagKind::Bool,
        default: "false",
    },
    Flag {
        long: "namespace",
        short: Some('n'),
        kind: FlagKind::Value,
        default: "",
    },
    Flag {
        long: "password",
        short: None,
        kind: FlagKind::Value,
        default: "",
    },
    Flag {
        long: "profile",
        short: None,
        kind: FlagKind::Value,
        default: "none",
    },
    Flag {
        long: "profile-output",
        short: None,
        kind: FlagKind::Value,
        default: "profile.pprof",
    },
    Flag {
        long: "request-timeout",
        short: None,
        kind: FlagKind::Value,
        default: "0",
    },
    Flag {
        long: "server",
        short: Some('s'),
        kind: FlagKind::Value,
        default: "",
    },
    Flag {
        long: "tls-server-name",
        short: None,
        kind: FlagKind::Value,
        default: "",
    },
    Flag {
        long: "token",
        short: None,
        kind: FlagKind::Value,
        default: "",
    },
    Flag {
        long: "user",
        short: None,
        kind: FlagKind::Value,
        default: "",
    },
    Flag {
        long: "username",
        short: None,
        kind: FlagKind::Value,
        default: "",
    },
    Flag {
        long: "v",
        short: Some('v'),
        kind: FlagKind::Value,
        default: "0",
    },
    Flag {
        long: "vmodule",
        short: None,
        kind: FlagKind::Value,
        default: "",
    },
    Flag {
        long: "warnings-as-errors",
        short: None,
        kind: FlagKind::Bool,
        default: "false",
    },
];

pub const GET: &[Flag] = &[
    Flag {
        long: "all-namespaces",
        short: Some('A'),
        kind: FlagKind::Bool,
        default: "false",
    },
    Flag {
        long: "allow-missing-template-keys",
        short: None,
        kind: FlagKind::Bool,
        default: "true",
    },
    Flag {
        long: "chunk-size",
        short: None,
        kind: FlagKind::Value,
        default: "500",
    },
    Flag {
        long: "field-selector",
        short: None,
        kind: FlagKind::Value,
        default: "",
    },
    Flag {
        long: "filename",
        short: Some('f'),
        kind: FlagKind::Value,
        default: "[]",
    },
    Flag {
        long: "ignore-not-found",
        short: None,
        kind: FlagKind::Bool,
        default: "false",
    },
    Flag {
        long: "kustomize",
        short: Some('k'),
        kind: FlagKind::Value,
        default: "",
    },
    Flag {
        long: "label-columns",
        short: Some('L'),
        kind: FlagKind::Value,
        default: "[]",
    },
    Flag {
        long: "no-headers",
        short: None,
        kind: FlagKind::Bool,
        default: "false",
    },
    Flag {
        long: "output",
        short: Some('o'),
        kind: FlagKind::Value,
        default: "",
    },
    Flag {
        long: "output-watch-events",
        short: None,
        kind: FlagKind::Bool,
        default: "false",
    },
    Flag {
        long: "raw",
        short: None,
        kind: FlagKind::Value,
        default: "",
    },
    Flag {
        long: "recursive",
        short: Some('R'),
        kind: FlagKind::Bool,
        default: "false",
    },
    Flag {
        long: "selector",
        short: Some('l'),
        kind: FlagKind::Value,
        default: "",
    },
    Flag {
        long: "server-print",
        short: None,
        kind: FlagKind::Bool,
        default: "true",
    },
    Flag {
        long: "show-kind",
        short: None,
        kind: FlagKind::Bool,
        default: "false",
    },
    Flag {
        long: "show-labels",
        short: None,
        kind: FlagKind::Bool,
        default: "false",
    },
    Flag {
        long: "show-managed-fields",
        short: None,
        kind: FlagKind::Bool,
        default: "false",
    },
    Flag {
        long: "sort-by",
        short: None,
        kind: FlagKind::Value,
        default: "",
    },
    Flag {
        long: "subresource",
        short: None,
        kind: FlagKind::Value,
        default: "",
    },
    Flag {
        long: "template",
        short: None,
        kind: FlagKind::Value,
        default: "",
    },
    Flag {
        long: "watch",
        short: Some('w'),
        kind: FlagKind::Bool,
        default: "false",
    },
    Flag {
        long: "watch-only",
        short: None,
        kind: FlagKind::Bool,
        default: "false",
    },
];

pub const DESCRIBE: &[Flag] = &[
    Flag {
        long: "all-namespaces",
        short: Some('A'),
        kind: FlagKind::Bool,
        default: "false",
    },
    Flag {
        long: "chunk-size",
        short: None,
        kind: FlagKind::Value,
        default: "500",
    },
    Flag {
        long: "filename",
        short: Some('f'),
        kind: FlagKind::Value,
        default: "[]",
    },
    Flag {
        long: "kustomize",
        short: Some('k'),
        kind: FlagKind::Value,
        default: "",
    },
    Flag {
        long: "recursive",
        short: Some('R'),
        kind: FlagKind::Bool,
        default: "false",
    },
    Flag {
        long: "selector",
        short: Some('l'),
        kind: FlagKind::Value,
        default: "",
    },
    Flag {
        long: "show-events",
        short: None,
        kind: FlagKind::Bool,
        default: "true",
    },
];

pub const LOGS: &[Flag] = &[
    Flag {
        long: "all-containers",
        short: None,
        kind: FlagKind::Bool,
        default: "false",
    },
    Flag {
        long: "all-pods",
        short: None,
        kind: FlagKind::Bool,
        default: "false",
    },
    Flag {
        long: "container",
        short: Some('c'),
        kind: FlagKind::Value,
        default: "",
    },
    Flag {
        long: "follow",
        short: Some('f'),
        kind: FlagKind::Bool,
        default: "false",
    },
    Flag {
        long: "ignore-errors",
        short: None,
        kind: FlagKind::Bool,
        default: "false",
    },
    Flag {
        long: "insecure-skip-tls-verify-backend",
        short: None,
        kind: FlagKind::Bool,
        default: "false",
    },
    Flag {
        long: "limit-bytes",
        short: None,
        kind: FlagKind::Value,
        default: "0",
    },
    Flag {
        long: "max-log-requests",
        short: None,
        kind: FlagKind::Value,
        default: "5",
    },
    Flag {
        long: "pod-running-timeout",
        short: None,
        kind: FlagKind::Value,
        default: "20s",
    },
    Flag {
        long: "prefix",
        short: None,
        kind: FlagKind::Bool,
        default: "false",
    },
    Flag {
        long: "previous",
        short: Some('p'),
        kind: FlagKind::Bool,
        default: "false",
    },
    Flag {
        long: "selector",
        short: Some('l'),
        kind: FlagKind::Value,
        default: "",
    },
    Flag {
        long: "since",
        short: None,
        kind: FlagKind::Value,
        default: "0s",
    },
    Flag {
        long: "since-time",
        short: None,
        kind: FlagKind::Value,
        default: "",
    },
    Flag {
        long: "tail",
        short: None,
        kind: FlagKind::Value,
        default: "-1",
    },
    Flag {
        long: "timestamps",
        short: None,
        kind: FlagKind::Bool,
        default: "false",
    },
];

pub const EXEC: &[Flag] = &[
    Flag {
        long: "container",
        short: Some('c'),
        kind: FlagKind::Value,
        default: "",
    },
    Flag {
        long: "filename",
        short: Some('f'),
        kind: FlagKind::Value,
        default: "[]",
    },
    Flag {
        long: "pod-running-timeout",
        short: None,
        kind: FlagKind::Value,
        default: "1m0s",
    },
    Flag {
        long: "quiet",
        short: Some('q'),
        kind: FlagKind::Bool,
        default: "false",
    },
    Flag {
        long: "stdin",
        short: Some('i'),
        kind: FlagKind::Bool,
        default: "false",
    },
    Flag {
        long: "tty",
        short: Some('t'),
        kind: FlagKind::Bool,
        default: "false",
    },
];

pub const DELETE: &[Flag] = &[
    Flag {
        long: "all",
        short: None,
        kind: FlagKind::Bool,
        default: "false",
    },
    Flag {
        long: "all-namespaces",
        short: Some('A'),
        kind: FlagKind::Bool,
        default: "false",
    },
    Flag {
        long: "cascade",
        short: None,
        kind: FlagKind::Value,
        default: "background",
    },
    Flag {
        long: "dry-run",
        short: None,
        kind: FlagKind::OptionalValue,
        default: "none",
    },
    Flag {
        long: "field-selector",
        short: None,
        kind: FlagKind::Value,
        default: "",
    },
    Flag {
        long: "filename",
        short: Some('f'),
        kind: FlagKind::Value,
        default: "[]",
    },
    Flag {
        long: "force",
        short: None,
        kind: FlagKind::Bool,
        default: "false",
    },
    Flag {
        long: "grace-period",
        short: None,
        kind: FlagKind::Value,
        default: "-1",
    },
    Flag {
        long: "ignore-not-found",
        short: None,
        kind: FlagKind::Bool,
        default: "false",
    },
    Flag {
        long: "interactive",
        short: Some('i'),
        kind: FlagKind::Bool,
        default: "false",
    },
    Flag {
        long: "kustomize",
        short: Some('k'),
        kind: FlagKind::Value,
        default: "",
    },
    Flag {
        long: "now",
        short: None,
        kind: FlagKind::Bool,
        default: "false",
    },
    Flag {
        long: "output",
        short: Some('o'),
        kind: FlagKind::Value,
        default: "",
    },
    Flag {
        long: "raw",
        short: None,
        kind: FlagKind::Value,
        default: "",
    },
    Flag {
        long: "recursive",
        short: Some('R'),
        kind: FlagKind::Bool,
        default: "false",
    },
    Flag {
        long: "selector",
        short: Some('l'),
        kind: FlagKind::Value,
        default: "",
    },
    Flag {
        long: "timeout",
        short: None,
        kind: FlagKind::Value,
        default: "0s",
    },
    Flag {
        long: "wait",
        short: None,
        kind: FlagKind::Bool,
        default: "true",
    },
];

pub const APPLY: &[Flag] = &[
    Flag {
        long: "all",
        short: None,
        kind: FlagKind::Bool,
        default: "false",
    },
    Flag {
        long: "allow-missing-template-keys",
        short: None,
        kind: FlagKind::Bool,
        default: "true",
    },
    Flag {
        long: "cascade",
        short: None,
        kind: FlagKind::Value,
        default: "background",
    },
    Flag {
        long: "dry-run",
        short: None,
        kind: FlagKind::OptionalValue,
        default: "none",
    },
    Flag {
        long: "field-manager",
        short: None,
        kind: FlagKind::Value,
        default: "kubectl-client-side-apply",
    },
    Flag {
        long: "filename",
        short: Some('f'),
        kind: FlagKind::Value,
        default: "[]",
    },
    Flag {
        long: "force",
        short: None,
        kind: FlagKind::Bool,
        default: "false",
    },
    Flag {
        long: "force-conflicts",
        short: None,
        kind: FlagKind::Bool,
        default: "false",
    },
    Flag {
        long: "grace-period",
        short: None,
        kind: FlagKind::Value,
        default: "-1",
    },
    Flag {
        long: "kustomize",
        short: Some('k'),
        kind: FlagKind::Value,
        default: "",
    },
    Flag {
        long: "openapi-patch",
        short: None,
        kind: FlagKind::Bool,
        default: "true",
    },
    Flag {
        long: "output",
        short: Some('o'),
        kind: FlagKind::Value,
        default: "",
    },
    Flag {
        long: "overwrite",
        short: None,
        kind: FlagKind::Bool,
        default: "true",
    },
    Flag {
        long: "prune",
        short: None,
        kind: FlagKind::Bool,
        default: "false",
    },
    Flag {
        long: "prune-allowlist",
        short: None,
        kind: FlagKind::Value,
        default: "[]",
    },
    Flag {
        long: "record",
        short: None,
        kind: FlagKind::Bool,
        default: "false",
    },
    Flag {
        long: "recursive",
        short: Some('R'),
        kind: FlagKind::Bool,
        default: "false",
    },
    Flag {
        long: "selector",
        short: Some('l'),
        kind: FlagKind::Value,
        default: "",
    },
    Flag {
        long: "server-side",
        short: None,
        kind: FlagKind::Bool,
        default: "false",
    },
    Flag {
        long: "show-managed-fields",
        short: None,
        kind: FlagKind::Bool,
        default: "false",
    },
    Flag {
        long: "subresource",
        short: None,
        kind: FlagKind::Value,
        default: "",
    },
    Flag {
        long: "template",
        short: None,
        kind: FlagKind::Value,
        default: "",
    },
    Flag {
        long: "timeout",
        short: None,
        kind: FlagKind::Value,
        default: "0s",
    },
    Flag {
        long: "validate",
        short: None,
        kind: FlagKind::Value,
        default: "strict",
    },
    Flag {
        long: "wait",
        short: None,
        kind: FlagKind::Bool,
        default: "false",
    },
];

pub const CREATE: &[Flag] = &[
    Flag {
        long: "allow-missing-template-keys",
        short: None,
        kind: FlagKind::Bool,
        default: "true",
    },
    Flag {
        long: "dry-run",
        short: None,
        kind: FlagKind::OptionalValue,
        default: "none",
    },
    Flag {
        long: "edit",
        short: None,
        kind: FlagKind::Bool,
        default: "false",
    },
    Flag {
        long: "field-manager",
        short: None,
        kind: FlagKind::Value,
        default: "kubectl-create",
    },
    Flag {
        long: "filename",
        short: Some('f'),
        kind: FlagKind::Value,
        default: "[]",
    },
    Flag {
        long: "kustomize",
        short: Some('k'),
        kind: FlagKind::Value,
        default: "",
    },
    Flag {
        long: "output",
        short: Some('o'),
        kind: FlagKind::Value,
        default: "",
    },
    Flag {
        long: "raw",
        short: None,
        kind: FlagKind::Value,
        default: "",
    },
    Flag {
        long: "record",
        short: None,
        kind: FlagKind::Bool,
        default: "false",
    },
    Flag {
        long: "recursive",
        short: Some('R'),
        kind: FlagKind::Bool,
        default: "false",
    },
    Flag {
        long: "save-config",
        short: None,
        kind: FlagKind::Bool,
        default: "false",
    },
    Flag {
        long: "selector",
        short: Some('l'),
        kind: FlagKind::Value,
        default: "",
    },
    Flag {
        long: "show-managed-fields",
        short: None,
        kind: FlagKind::Bool,
        default: "false",
    },
    Flag {
        long: "template",
        short: None,
        kind: FlagKind::Value,
        default: "",
    },
    Flag {
        long: "validate",
        short: None,
        kind: FlagKind::Value,
        default: "strict",
    },
    Flag {
        long: "windows-line-endings",
        short: None,
        kind: FlagKind::Bool,
        default: "false",
    },
];

pub const LABEL: &[Flag] = &[
    Flag {
        long: "all",
        short: None,
        kind: FlagKind::Bool,
        default: "false",
    },
    Flag {
        long: "all-namespaces",
        short: Some('A'),
        kind: FlagKind::Bool,
        default: "false",
    },
    Flag {
        long: "allow-missing-template-keys",
        short: None,
        kind: FlagKind::Bool,
        default: "true",
    },
    Flag {
        long: "dry-run",
        short: None,
        kind: FlagKind::OptionalValue,
        default: "none",
    },
    Flag {
        long: "field-manager",
        short: None,
        kind: FlagKind::Value,
        default: "kubectl-label",
    },
    Flag {
        long: "field-selector",
        short: None,
        kind: FlagKind::Value,
        default: "",
    },
    Flag {
        long: "filename",
        short: Some('f'),
        kind: FlagKind::Value,
        default: "[]",
    },
    Flag {
        long: "kustomize",
        short: Some('k'),
        kind: FlagKind::Value,
        default: "",
    },
    Flag {
        long: "list",
        short: None,
        kind: FlagKind::Bool,
        default: "false",
    },
    Flag {
        long: "local",
        short: None,
        kind: FlagKind::Bool,
        default: "false",
    },
    Flag {
        long: "output",
        short: Some('o'),
        kind: FlagKind::Value,
        default: "",
    },
    Flag {
        long: "overwrite",
        short: None,
        kind: FlagKind::Bool,
        default: "false",
    },
    Flag {
        long: "recursive",
        short: Some('R'),
        kind: FlagKind::Bool,
        default: "false",
    },
    Flag {
        long: "resource-version",
        short: None,
        kind: FlagKind::Value,
        default: "",
    },
    Flag {
        long: "selector",
        short: Some('l'),
        kind: FlagKind::Value,
        default: "",
    },
    Flag {
        long: "show-managed-fields",
        short: None,
        kind: FlagKind::Bool,
        default: "false",
    },
    Flag {
        long: "template",
        short: None,
        kind: FlagKind::Value,
        default: "",
    },
];

pub const ANNOTATE: &[Flag] = &[
    Flag {
        long: "all",
        short: None,
        kind: FlagKind::Bool,
        default: "false",
    },
    Flag {
        long: "all-namespaces",
        short: Some('A'),
        kind: FlagKind::Bool,
        default: "false",
    },
    Flag {
        long: "allow-missing-template-keys",
        short: None,
        kind: FlagKind::Bool,
        default: "true",
    },
    Flag {
        long: "dry-run",
        short: None,
        kind: FlagKind::OptionalValue,
        default: "none",
    },
    Flag {
        long: "field-manager",
        short: None,
        kind: FlagKind::Value,
        default: "kubectl-annotate",
    },
    Flag {
        long: "field-selector",
        short: None,
        kind: FlagKind::Value,
        default: "",
    },
    Flag {
        long: "filename",
        short: Some('f'),
        kind: FlagKind::Value,
        default: "[]",
    },
    Flag {
        long: "kustomize",
        short: Some('k'),
        kind: FlagKind::Value,
        default: "",
    },
    Flag {
        long: "list",
        short: None,
        kind: FlagKind::Bool,
        default: "false",
    },
    Flag {
        long: "local",
        short: None,
        kind: FlagKind::Bool,
        default: "false",
    },
    Flag {
        long: "output",
        short: Some('o'),
        kind: FlagKind::Value,
        default: "",
    },
    Flag {
        long: "overwrite",
        short: None,
        kind: FlagKind::Bool,
        default: "false",
    },
    Flag {
        long: "recursive",
        short: Some('R'),
        kind: FlagKind::Bool,
        default: "false",
    },
    Flag {
        long: "resource-version",
        short: None,
        kind: FlagKind::Value,
        default: "",
    },
    Flag {
        long: "selector",
        short: Some('l'),
        kind: FlagKind::Value,
        default: "",
    },
    Flag {
        long: "show-managed-fields",
        short: None,
        kind: FlagKind::Bool,
        default: "false",
    },
    Flag {
        long: "template",
        short: None,
        kind: FlagKind::Value,
        default: "",
    },
];

pub const RUN: &[Flag] = &[
    Flag {
        long: "allow-missing-template-keys",
        short: None,
        kind: FlagKind::Bool,
        default: "true",
    },
    Flag {
        long: "annotations",
        short: None,
        kind: FlagKind::Value,
        default: "[]",
    },
    Flag {
        long: "attach",
        short: None,
        kind: FlagKind::Bool,
        default: "false",
    },
    Flag {
        long: "cascade",
        short: None,
        kind: FlagKind::Value,
        default: "background",
    },
    Flag {
        long: "command",
        short: None,
        kind: FlagKind::Bool,
        default: "false",
    },
    Flag {
        long: "dry-run",
        short: None,
        kind: FlagKind::OptionalValue,
        default: "none",
    },
    Flag {
        long: "env",
        short: None,
        kind: FlagKind::Value,
        default: "[]",
    },
    Flag {
        long: "expose",
        short: None,
        kind: FlagKind::Bool,
        default: "false",
    },
    Flag {
        long: "field-manager",
        short: None,
        kind: FlagKind::Value,
        default: "kubectl-run",
    },
    Flag {
        long: "filename",
        short: Some('f'),
        kind: FlagKind::Value,
        default: "[]",
    },
    Flag {
        long: "force",
        short: None,
        kind: FlagKind::Bool,
        default: "false",
    },
    Flag {
        long: "grace-period",
        short: None,
        kind: FlagKind::Value,
        default: "-1",
    },
    Flag {
        long: "image",
        short: None,
        kind: FlagKind::Value,
        default: "",
    },
    Flag {
        long: "image-pull-policy",
        short: None,
        kind: FlagKind::Value,
        default: "",
    },
    Flag {
        long: "kustomize",
        short: Some('k'),
        kind: FlagKind::Value,
        default: "",
    },
    Flag {
        long: "labels",
        short: Some('l'),
        kind: FlagKind::Value,
        default: "",
    },
    Flag {
        long: "leave-stdin-open",
        short: None,
        kind: FlagKind::Bool,
        default: "false",
    },
    Flag {
        long: "output",
        short: Some('o'),
        kind: FlagKind::Value,
        default: "",
    },
    Flag {
        long: "override-type",
        short: None,
        kind: FlagKind::Value,
        default: "merge",
    },
    Flag {
        long: "overrides",
        short: None,
        kind: FlagKind::Value,
        default: "",
    },
    Flag {
        long: "pod-running-timeout",
        short: None,
        kind: FlagKind::Value,
        default: "1m0s",
    },
    Flag {
        long: "port",
        short: None,
        kind: FlagKind::Value,
        default: "",
    },
    Flag {
        long: "privileged",
        short: None,
        kind: FlagKind::Bool,
        default: "false",
    },
    Flag {
        long: "quiet",
        short: Some('q'),
        kind: FlagKind::Bool,
        default: "false",
    },
    Flag {
        long: "recursive",
        short: Some('R'),
        kind: FlagKind::Bool,
        default: "false",
    },
    Flag {
        long: "restart",
        short: None,
        kind: FlagKind::Value,
        default: "Always",
    },
    Flag {
        long: "rm",
        short: None,
        kind: FlagKind::Bool,
        default: "false",
    },
    Flag {
        long: "save-config",
        short: None,
        kind: FlagKind::Bool,
        default: "false",
    },
    Flag {
        long: "show-managed-fields",
        short: None,
        kind: FlagKind::Bool,
        default: "false",
    },
    Flag {
        long: "stdin",
        short: Some('i'),
        kind: FlagKind::Bool,
        default: "false",
    },
    Flag {
        long: "template",
        short: None,
        kind: FlagKind::Value,
        default: "",
    },
    Flag {
        long: "timeout",
        short: None,
        kind: FlagKind::Value,
        default: "0s",
    },
    Flag {
        long: "tty",
        short: Some('t'),
        kind: FlagKind::Bool,
        default: "false",
    },
    Flag {
        long: "wait",
        short: None,
        kind: FlagKind::Bool,
        default: "false",
    },
];

pub const SCALE: &[Flag] = &[
    Flag {
        long: "all",
        short: None,
        kind: FlagKind::Bool,
        default: "false",
    },
    Flag {
        long: "allow-missing-template-keys",
        short: None,
        kind: FlagKind::Bool,
        default: "true",
    },
    Flag {
        long: "current-replicas",
        short: None,
        kind: FlagKind::Value,
        default: "-1",
    },
    Flag {
        long: "dry-run",
        short: None,
        kind: FlagKind::OptionalValue,
        default: "none",
    },
    Flag {
        long: "filename",
        short: Some('f'),
        kind: FlagKind::Value,
        default: "[]",
    },
    Flag {
        long: "kustomize",
        short: Some('k'),
        kind: FlagKind::Value,
        default: "",
    },
    Flag {
        long: "output",
        short: Some('o'),
        kind: FlagKind::Value,
        default: "",
    },
    Flag {
        long: "recursive",
        short: Some('R'),
        kind: FlagKind::Bool,
        default: "false",
    },
    Flag {
        long: "replicas",
        short: None,
        kind: FlagKind::Value,
        default: "0",
    },
    Flag {
        long: "resource-version",
        short: None,
        kind: FlagKind::Value,
        default: "",
    },
    Flag {
        long: "selector",
        short: Some('l'),
        kind: FlagKind::Value,
        default: "",
    },
    Flag {
        long: "show-managed-fields",
        short: None,
        kind: FlagKind::Bool,
        default: "false",
    },
    Flag {
        long: "template",
        short: None,
        kind: FlagKind::Value,
        default: "",
    },
    Flag {
        long: "timeout",
        short: None,
        kind: FlagKind::Value,
        default: "0s",
    },
];

pub const TOP_POD: &[Flag] = &[
    Flag {
        long: "all-namespaces",
        short: Some('A'),
        kind: FlagKind::Bool,
        default: "false",
    },
    Flag {
        long: "containers",
        short: None,
        kind: FlagKind::Bool,
        default: "false",
    },
    Flag {
        long: "field-selector",
        short: None,
        kind: FlagKind::Value,
        default: "",
    },
    Flag {
        long: "no-headers",
        short: None,
        kind: FlagKind::Bool,
        default: "false",
    },
    Flag {
        long: "selector",
        short: Some('l'),
        kind: FlagKind::Value,
        default: "",
    },
    Flag {
        long: "sort-by",
        short: None,
        kind: FlagKind::Value,
        default: "",
    },
    Flag {
        long: "sum",
        short: None,
        kind: FlagKind::Bool,
        default: "false",
    },
    Flag {
        long: "use-protocol-buffers",
        short: None,
        kind: FlagKind::Bool,
        default: "true",
    },
];

pub const TOP_NODE: &[Flag] = &[
    Flag {
        long: "no-headers",
        short: None,
        kind: FlagKind::Bool,
        default: "false",
    },
    Flag {
        long: "selector",
        short: Some('l'),
        kind: FlagKind::Value,
        default: "",
    },
    Flag {
        long: "show-capacity",
        short: None,
        kind: FlagKind::Bool,
        default: "false",
    },
    Flag {
        long: "sort-by",
        short: None,
        kind: FlagKind::Value,
        default: "",
    },
    Flag {
        long: "use-protocol-buffers",
        short: None,
        kind: FlagKind::Bool,
        default: "true",
    },
];

pub const VERSION: &[Flag] = &[
    Flag {
        long: "client",
        short: None,
        kind: FlagKind::Bool,
        default: "false",
    },
    Flag {
        long: "output",
        short: Some('o'),
        kind: FlagKind::Value,
        default: "",
    },
];
