//! One test per validation rule, quoting the API server's message.

use podplay_api::parse_manifests;

fn pod(spec: &str) -> String {
    format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n{spec}")
}

fn messages(text: &str) -> Vec<String> {
    match parse_manifests("f.yaml", text) {
        Ok(_) => Vec::new(),
        Err(d) => d.into_iter().map(|d| d.message).collect(),
    }
}

fn has(text: &str, want: &str) {
    let got = messages(text);
    assert!(
        got.iter().any(|m| m.ends_with(want)),
        "want …{want}\ngot {got:#?}"
    );
}

#[test]
fn image_is_required() {
    has(
        &pod("  containers:\n  - name: web\n"),
        "spec.containers[0].image: Required value",
    );
}

#[test]
fn container_names_are_unique_across_init_and_app_containers() {
    has(
        &pod("  initContainers:\n  - name: web\n    image: busybox\n  containers:\n  - name: web\n    image: nginx\n"),
        "spec.initContainers[0].name: Duplicate value: \"web\"",
    );
}

#[test]
fn container_port_must_be_between_1_and_65535() {
    has(
        &pod("  containers:\n  - name: web\n    image: nginx\n    ports:\n    - containerPort: 70000\n"),
        "spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive",
    );
}

#[test]
fn port_names_are_iana_svc_names() {
    has(
        &pod("  containers:\n  - name: web\n    image: nginx\n    ports:\n    - containerPort: 80\n      name: http-port-number-one\n"),
        "spec.containers[0].ports[0].name: Invalid value: \"http-port-number-one\": must be no more than 15 characters",
    );
}

#[test]
fn probe_port_name_must_be_a_valid_port_name() {
    has(
        &pod("  containers:\n  - name: web\n    image: nginx\n    livenessProbe:\n      tcpSocket:\n        port: HTTP\n"),
        "spec.containers[0].livenessProbe.tcpSocket.port: Invalid value: \"HTTP\": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)",
    );
}

#[test]
fn undeclared_named_probe_port_passes_validation() {
    let text = pod("  containers:\n  - name: web\n    image: nginx\n    livenessProbe:\n      httpGet:\n        port: web\n");
    assert!(parse_manifests("f.yaml", &text).is_ok());
}

#[test]
fn restart_policy_values_are_always_onfailure_never() {
    has(
        &pod("  restartPolicy: Sometimes\n  containers:\n  - name: web\n    image: nginx\n"),
        "spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\"",
    );
}

#[test]
fn init_container_restart_policy_may_only_be_always() {
    has(
        &pod("  initContainers:\n  - name: side\n    image: busybox\n    restartPolicy: Never\n  containers:\n  - name: web\n    image: nginx\n"),
        "spec.initContainers[0].restartPolicy: Unsupported value: \"Never\": supported values: \"Always\"",
    );
}

#[test]
fn regular_containers_may_not_set_restart_policy() {
    has(
        &pod("  containers:\n  - name: web\n    image: nginx\n    restartPolicy: Always\n"),
        "spec.containers[0].restartPolicy: Forbidden: may not be set for non-init containers",
    );
}

#[test]
fn probes_on_plain_init_containers_are_forbidden() {
    has(
        &pod("  initContainers:\n  - name: init\n    image: busybox\n    readinessProbe:\n      exec:\n        command: [\"true\"]\n  containers:\n  - name: web\n    image: nginx\n"),
        "spec.initContainers[0].readinessProbe: Forbidden: may not be set for init containers without restartPolicy=Always",
    );
}

#[test]
fn lifecycle_handler_needs_exactly_one_action() {
    has(
        &pod("  containers:\n  - name: web\n    image: nginx\n    lifecycle:\n      preStop: {}\n"),
        "spec.containers[0].lifecycle.preStop: Required value: must specify a handler type",
    );
}

#[test]
fn exec_command_is_required() {
    has(
        &pod(
            "  containers:\n  - name: web\n    image: nginx\n    livenessProbe:\n      exec: {}\n",
        ),
        "spec.containers[0].livenessProbe.exec.command: Required value",
    );
}

#[test]
fn http_scheme_is_http_or_https() {
    has(
        &pod("  containers:\n  - name: web\n    image: nginx\n    livenessProbe:\n      httpGet:\n        port: 80\n        scheme: FTP\n"),
        "spec.containers[0].livenessProbe.httpGet.scheme: Unsupported value: \"FTP\": supported values: \"HTTP\", \"HTTPS\"",
    );
}

#[test]
fn volume_mounts_must_name_a_volume() {
    has(
        &pod("  containers:\n  - name: web\n    image: nginx\n    volumeMounts:\n    - name: data\n      mountPath: /data\n"),
        "spec.containers[0].volumeMounts[0].name: Not found: \"data\"",
    );
}

#[test]
fn requests_may_not_exceed_limits() {
    has(
        &pod("  containers:\n  - name: web\n    image: nginx\n    resources:\n      requests: {memory: 256Mi}\n      limits: {memory: 128Mi}\n"),
        "spec.containers[0].resources.requests[memory]: Invalid value: \"256Mi\": must be less than or equal to memory limit of 128Mi",
    );
}

#[test]
fn malformed_quantity_is_a_decoding_error() {
    has(
        &pod("  containers:\n  - name: web\n    image: nginx\n    resources:\n      limits: {memory: 1MB}\n"),
        "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
    );
}

#[test]
fn service_needs_ports_and_valid_type() {
    let svc = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  type: Internal\n";
    has(svc, "spec.ports: Required value");
    has(svc, "spec.type: Unsupported value: \"Internal\": supported values: \"ClusterIP\", \"ExternalName\", \"LoadBalancer\", \"NodePort\"");
}

#[test]
fn service_names_are_dns1035_labels() {
    has(
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: 1web\nspec:\n  ports:\n  - port: 80\n",
        "metadata.name: Invalid value: \"1web\": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
    );
}

#[test]
fn multi_port_services_need_port_names() {
    has(
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n  - port: 80\n  - port: 443\n",
        "spec.ports[0].name: Required value",
    );
}

#[test]
fn node_taint_effect_is_one_of_three() {
    has(
        "apiVersion: v1\nkind: Node\nmetadata:\n  name: n1\nspec:\n  taints:\n  - key: k\n    effect: Sometimes\n",
        "spec.taints[0].effect: Unsupported value: \"Sometimes\": supported values: \"NoSchedule\", \"PreferNoSchedule\", \"NoExecute\"",
    );
}

#[test]
fn name_is_required() {
    has(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {}\n",
        "metadata.name: Required value: name or generateName is required",
    );
}

#[test]
fn secret_data_must_be_base64() {
    has(
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  password: not-base64!\n",
        "Secret in version \"v1\" cannot be handled as a Secret: illegal base64 data at input byte 3",
    );
}
