use podplay_api::types::{IntOrString, Pod};
use podplay_api::yaml;

const POD: &str = r#"
apiVersion: v1
kind: Pod
metadata:
  name: liveness-exec
  labels:
    test: liveness
spec:
  containers:
  - name: liveness
    image: registry.k8s.io/busybox:1.27.2
    args:
    - /bin/sh
    - -c
    - touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600
    ports:
    - containerPort: 80
      name: http
    resources:
      limits:
        cpu: 500m
        memory: 128Mi
    livenessProbe:
      httpGet:
        path: /healthz
        port: http
      initialDelaySeconds: 5
      periodSeconds: 5
"#;

#[test]
fn from_str_reads_a_tutorial_pod() {
    let pod: Pod = yaml::from_str(POD).unwrap();
    assert_eq!(pod.metadata.name.as_deref(), Some("liveness-exec"));
    let c = &pod.spec.containers[0];
    assert_eq!(c.args.len(), 3);
    assert_eq!(c.ports[0].container_port, 80);
    assert_eq!(c.resources.limits["memory"].bytes(), Some(134_217_728));
    let p = c.liveness_probe.as_ref().unwrap();
    assert_eq!(
        p.http_get.as_ref().unwrap().port,
        IntOrString::String("http".into())
    );
    assert_eq!(p.period(), 5);
    assert_eq!(p.failure_threshold(), 3);
}

#[test]
fn from_str_is_lenient_about_plain_scalars_in_string_fields() {
    #[derive(serde::Deserialize)]
    struct Img {
        tag: String,
        size: i64,
    }
    let i: Img = yaml::from_str("tag: 1.27\nsize: \"42\"\n").unwrap();
    assert_eq!(i.tag, "1.27");
    assert_eq!(i.size, 42);
}

#[test]
fn from_str_rejects_unknown_fields_of_strict_types_with_position() {
    let e =
        yaml::from_str::<Pod>("apiVersion: v1\nkind: Pod\nspec:\n  containerz: []\n").unwrap_err();
    assert_eq!(e.message, "unknown field \"spec.containerz\"");
    assert_eq!((e.pos.line, e.pos.column), (4, 3));
}
