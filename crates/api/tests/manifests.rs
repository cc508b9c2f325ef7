//! parse_manifests against the golden S18 rows (shared/reference/golden-pod-scenarios.md), the
//! `podplay check` examples (shared/design/cli-contract.md) and kubectl's texts for bad input.

use podplay_api::parse_manifests;
use podplay_api::types::Object;

fn pod_with_probe(probe_fields: &str) -> String {
    let mut s = String::from(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: web\n    image: nginx:1.27\n    livenessProbe:\n",
    );
    for line in probe_fields.lines() {
        s.push_str("      ");
        s.push_str(line);
        s.push('\n');
    }
    s
}

fn errors(file: &str, text: &str) -> Vec<podplay_api::Diagnostic> {
    match parse_manifests(file, text) {
        Ok(m) => panic!("expected diagnostics, got {} objects", m.len()),
        Err(d) => d,
    }
}

fn kubectl(text: &str) -> String {
    errors("pod.yaml", text)[0].kubectl.clone()
}

#[test]
fn s18_liveness_success_threshold_must_be_1() {
    let text = pod_with_probe("httpGet:\n  port: 80\nsuccessThreshold: 2");
    assert_eq!(
        kubectl(&text),
        "The Pod \"p\" is invalid: spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1"
    );
}

#[test]
fn s18_probe_with_two_handlers_forbids_the_second() {
    let text = pod_with_probe("httpGet:\n  port: 80\ntcpSocket:\n  port: 80");
    assert_eq!(
        kubectl(&text),
        "The Pod \"p\" is invalid: spec.containers[0].livenessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type"
    );
}

#[test]
fn s18_probe_without_handler_requires_one() {
    let text = pod_with_probe("periodSeconds: 5");
    assert_eq!(
        kubectl(&text),
        "The Pod \"p\" is invalid: spec.containers[0].livenessProbe: Required value: must specify a handler type"
    );
}

#[test]
fn s18_negative_period_must_be_non_negative() {
    let text = pod_with_probe("exec:\n  command: [cat, /tmp/healthy]\nperiodSeconds: -1");
    assert_eq!(
        kubectl(&text),
        "The Pod \"p\" is invalid: spec.containers[0].livenessProbe.periodSeconds: Invalid value: -1: must be greater than or equal to 0"
    );
}

#[test]
fn s18_readiness_probe_termination_grace_period_must_not_be_set() {
    let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: web\n    image: nginx\n    readinessProbe:\n      tcpSocket:\n        port: 80\n      terminationGracePeriodSeconds: 10\n";
    assert_eq!(
        kubectl(text),
        "The Pod \"p\" is invalid: spec.containers[0].readinessProbe.terminationGracePeriodSeconds: Invalid value: 10: must not be set for readinessProbes"
    );
}

#[test]
fn s18_pod_name_must_be_a_dns1123_subdomain() {
    let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: My-Pod\nspec:\n  containers:\n  - name: web\n    image: nginx\n";
    assert_eq!(
        kubectl(text),
        "The Pod \"My-Pod\" is invalid: metadata.name: Invalid value: \"My-Pod\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
    );
}

#[test]
fn s18_container_name_must_be_a_dns1123_label() {
    let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: Web_1\n    image: nginx\n";
    assert_eq!(
        kubectl(text),
        "The Pod \"p\" is invalid: spec.containers[0].name: Invalid value: \"Web_1\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
    );
}

#[test]
fn s18_misspelt_field_is_a_strict_decoding_error() {
    let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: web\n    image: nginx\n    livenessprobe:\n      tcpSocket:\n        port: 80\n";
    let d = errors("pod.yaml", text);
    assert_eq!(
        d[0].kubectl,
        "Error from server (BadRequest): error when creating \"pod.yaml\": Pod in version \"v1\" cannot be handled as a Pod: strict decoding error: unknown field \"spec.containers[0].livenessprobe\""
    );
    assert_eq!(
        d[0].to_string(),
        "pod.yaml:9:5: strict decoding error: unknown field \"spec.containers[0].livenessprobe\" (did you mean \"livenessProbe\"?)"
    );
}

#[test]
fn s18_bad_indentation_is_a_yaml_error_in_go_yamls_words() {
    let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: web\n    image: nginx\n      ports: []\n";
    let d = errors("pod.yaml", text);
    assert_eq!(
        d[0].kubectl,
        "error: error parsing pod.yaml: error converting YAML to JSON: yaml: line 9: mapping values are not allowed in this context"
    );
    assert_eq!(d[0].line, 9);
}

#[test]
fn s18_several_errors_are_bulleted() {
    let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: web\n    livenessProbe:\n      periodSeconds: 5\n";
    let d = errors("pod.yaml", text);
    assert_eq!(
        d[0].kubectl,
        "The Pod \"p\" is invalid: \n* spec.containers[0].image: Required value\n* spec.containers[0].livenessProbe: Required value: must specify a handler type"
    );
    assert_eq!(d.len(), 2, "one diagnostic per field error");
    assert_eq!(d[1].message, "The Pod \"p\" is invalid: spec.containers[0].livenessProbe: Required value: must specify a handler type");
}

#[test]
fn check_line_points_at_the_offending_field() {
    // The cli-contract example: successThreshold at line 14, column 9.
    let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27\n      livenessProbe:\n        httpGet:\n          path: /\n          port: 80\n        periodSeconds: 5\n        successThreshold: 2\n";
    let d = errors("pod.yaml", text);
    assert_eq!(
        d[0].to_string(),
        "pod.yaml:14:9: The Pod \"web\" is invalid: spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1"
    );
}

#[test]
fn check_line_suggests_the_near_spelling() {
    let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n containers:\n - name: web\n   livenessProbe:\n    initialDelaySecands: 5\n";
    let d = errors("pod.yaml", text);
    assert_eq!(
        d[0].to_string(),
        "pod.yaml:9:5: strict decoding error: unknown field \"spec.containers[0].livenessProbe.initialDelaySecands\" (did you mean \"initialDelaySeconds\"?)"
    );
}

#[test]
fn all_unknown_fields_of_a_document_are_joined_by_comma() {
    let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  lables: {a: b}\nspec:\n  containers:\n  - name: web\n    image: nginx\n    imagePolicy: Always\n";
    let d = errors("pod.yaml", text);
    assert_eq!(d.len(), 2);
    assert!(d[0].kubectl.ends_with(
        "strict decoding error: unknown field \"metadata.lables\", unknown field \"spec.containers[0].imagePolicy\""
    ));
    assert_eq!((d[0].line, d[0].column), (5, 3));
    assert_eq!((d[1].line, d[1].column), (10, 5));
}

#[test]
fn a_string_for_an_int_field_is_a_go_type_error() {
    let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: web\n    image: nginx\n    ports:\n    - containerPort: \"80\"\n";
    let d = errors("pod.yaml", text);
    assert_eq!(
        d[0].kubectl,
        "Error from server (BadRequest): error when creating \"pod.yaml\": Pod in version \"v1\" cannot be handled as a Pod: json: cannot unmarshal string into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32"
    );
    assert_eq!((d[0].line, d[0].column), (10, 22));
}

#[test]
fn a_number_for_a_string_field_is_a_go_type_error() {
    let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: web\n    image: 1\n";
    assert!(kubectl(text).ends_with(
        "json: cannot unmarshal number into Go struct field Container.spec.containers.image of type string"
    ));
}

#[test]
fn an_int32_overflow_keeps_the_number_in_the_message() {
    let text = pod_with_probe("exec:\n  command: [\"true\"]\nperiodSeconds: 99999999999999");
    assert!(kubectl(&text).ends_with(
        "json: cannot unmarshal number 99999999999999 into Go struct field Probe.spec.containers.livenessProbe.periodSeconds of type int32"
    ));
}

#[test]
fn duplicate_keys_are_rejected_as_sigs_yaml_rejects_them() {
    // sigs.k8s.io/yaml YAMLToJSONStrict over go-yaml v2: "error converting YAML to JSON: yaml:
    // unmarshal errors:\n  line 8: key \"name\" already set in map" (seen in kubernetes-sigs/yaml
    // tests and user reports).
    let text =
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  name: q\nspec:\n  containers: []\n";
    let d = errors("pod.yaml", text);
    assert_eq!(
        d[0].kubectl,
        "error: error parsing pod.yaml: error converting YAML to JSON: yaml: unmarshal errors:\n  line 5: key \"name\" already set in map"
    );
    assert_eq!((d[0].line, d[0].column), (5, 3));
}

#[test]
fn tabs_cannot_start_a_token() {
    let text = "apiVersion: v1\nkind: Pod\nmetadata:\n\tname: p\n";
    let d = errors("pod.yaml", text);
    assert!(
        d[0].kubectl
            .contains("found character that cannot start any token"),
        "{}",
        d[0].kubectl
    );
}

#[test]
fn missing_api_version_and_kind_fail_client_validation() {
    let d = errors("pod.yaml", "metadata:\n  name: p\n");
    assert_eq!(
        d[0].kubectl,
        "error: error validating \"pod.yaml\": error validating data: [apiVersion not set, kind not set]; if you choose to ignore these errors, turn validation off with --validate=false"
    );
    let d = errors("pod.yaml", "kind: Pod\nmetadata:\n  name: p\n");
    // The check line keeps kubectl's text after the file-naming wrapper, advice included.
    assert_eq!(
        d[0].message,
        "error validating data: apiVersion not set; if you choose to ignore these errors, turn validation off with --validate=false"
    );
}

#[test]
fn empty_input_has_no_objects_to_apply() {
    for text in ["", "# just a comment\n", "---\n---\n"] {
        let d = errors("pod.yaml", text);
        assert_eq!(d[0].kubectl, "error: no objects passed to apply");
        assert_eq!((d[0].line, d[0].column), (1, 1));
    }
}

#[test]
fn unknown_kinds_have_no_resource_mapping() {
    let d = errors(
        "x.yaml",
        "apiVersion: apps/v1\nkind: Deploymnt\nmetadata:\n  name: web\n",
    );
    assert_eq!(
        d[0].kubectl,
        "error: resource mapping not found for name: \"web\" namespace: \"\" from \"x.yaml\": no matches for kind \"Deploymnt\" in version \"apps/v1\"\nensure CRDs are installed first"
    );
}

#[test]
fn multi_document_streams_and_lists_give_every_object_with_its_position() {
    let text = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n---\napiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: cfg\n  data:\n    a: \"1\"\n- apiVersion: apps/v1\n  kind: Deployment\n  metadata:\n    name: web\n  spec:\n    replicas: 2\n";
    let m = parse_manifests("all.yaml", text).unwrap();
    assert_eq!(m.len(), 3);
    assert_eq!(m[0].object.kind(), "Namespace");
    assert_eq!((m[1].line, m[1].column), (9, 3));
    assert_eq!(m[1].object.metadata().namespace.as_deref(), Some("default"));
    match &m[2].object {
        Object::Other(o) => {
            assert_eq!(o.kind, "Deployment");
            assert_eq!(o.body["spec"]["replicas"], 2);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn alias_bomb_stops_at_the_budget() {
    let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    let mut prev = 'a';
    for c in 'b'..='k' {
        text.push_str(&format!("{c}: &{c} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
        prev = c;
    }
    let d = errors("bomb.yaml", &text);
    assert!(
        d[0].kubectl
            .contains("document contains excessive aliasing"),
        "{}",
        d[0].kubectl
    );
}

#[test]
fn deep_nesting_is_bounded() {
    let text = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let d = errors("deep.yaml", &text);
    assert!(!d.is_empty());
}

#[test]
fn garbage_bytes_are_diagnosed_not_panicked_on() {
    let text = String::from_utf8_lossy(&[0xff, 0x00, 0x1b, b':', b'\t', b'-', 0x7f]).into_owned();
    assert!(parse_manifests("g.yaml", &text).is_err());
}

#[test]
fn a_valid_pod_is_defaulted() {
    let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: web\n    image: nginx\n    ports:\n    - containerPort: 80\n    readinessProbe:\n      httpGet:\n        port: 80\n";
    let m = parse_manifests("pod.yaml", text).unwrap();
    let Object::Pod(p) = &m[0].object else {
        panic!()
    };
    assert_eq!(p.metadata.namespace.as_deref(), Some("default"));
    assert_eq!(p.spec.restart_policy.as_deref(), Some("Always"));
    assert_eq!(p.spec.termination_grace_period_seconds, Some(30));
    assert_eq!(p.spec.dns_policy.as_deref(), Some("ClusterFirst"));
    assert_eq!(p.spec.scheduler_name.as_deref(), Some("default-scheduler"));
    assert_eq!(p.spec.enable_service_links, Some(true));
    let c = &p.spec.containers[0];
    assert_eq!(c.image_pull_policy.as_deref(), Some("Always"));
    assert_eq!(
        c.termination_message_path.as_deref(),
        Some("/dev/termination-log")
    );
    assert_eq!(c.termination_message_policy.as_deref(), Some("File"));
    assert_eq!(c.ports[0].protocol.as_deref(), Some("TCP"));
    let r = c.readiness_probe.as_ref().unwrap();
    assert_eq!(
        (
            r.timeout_seconds,
            r.period_seconds,
            r.success_threshold,
            r.failure_threshold
        ),
        (Some(1), Some(10), Some(1), Some(3))
    );
    let h = r.http_get.as_ref().unwrap();
    assert_eq!(
        (h.path.as_deref(), h.scheme.as_deref()),
        (Some("/"), Some("HTTP"))
    );
}

#[test]
fn a_service_is_defaulted() {
    let text = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n  ports:\n  - port: 80\n";
    let m = parse_manifests("svc.yaml", text).unwrap();
    let Object::Service(s) = &m[0].object else {
        panic!()
    };
    assert_eq!(s.spec.type_.as_deref(), Some("ClusterIP"));
    assert_eq!(s.spec.session_affinity.as_deref(), Some("None"));
    assert_eq!(s.spec.ports[0].protocol.as_deref(), Some("TCP"));
    assert_eq!(
        s.spec.ports[0].target_port,
        Some(podplay_api::types::IntOrString::Int(80))
    );
}

#[test]
fn a_bool_in_a_string_list_is_a_go_type_error() {
    let text = pod_with_probe("exec:\n  command: [true]");
    assert!(kubectl(&text).ends_with(
        "json: cannot unmarshal bool into Go struct field ExecAction.spec.containers.livenessProbe.exec.command of type string"
    ));
}

#[test]
fn a_forgotten_colon_is_could_not_find_expected_colon() {
    let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name p\n  labels: {}\n";
    let d = errors("pod.yaml", text);
    assert_eq!(
        d[0].kubectl,
        "error: error parsing pod.yaml: error converting YAML to JSON: yaml: line 5: could not find expected ':'"
    );
}

#[test]
fn a_block_entry_after_a_mapping_is_did_not_find_expected_key_one_line_early() {
    // go-yaml prints parser errors with the 0-based line (one less than the editor's).
    let d = errors("x.yaml", "apiVersion: v1\n- c\n");
    assert!(
        d[0].kubectl
            .ends_with("yaml: line 1: did not find expected key"),
        "{}",
        d[0].kubectl
    );
    assert_eq!(d[0].line, 2);
}
