//! Architecture invariant: `parse_manifests` returns on any input (no panic, no hang).

use proptest::prelude::*;

const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  labels: {app: web}\nspec:\n  initContainers:\n  - name: init\n    image: busybox\n    restartPolicy: Always\n  containers:\n  - name: web\n    image: nginx:1.27\n    ports:\n    - containerPort: 80\n      name: http\n    resources:\n      limits: {cpu: 500m, memory: 128Mi}\n    livenessProbe:\n      httpGet: {path: /, port: http}\n      periodSeconds: 5\n    lifecycle:\n      preStop:\n        sleep: {seconds: 5}\n    volumeMounts:\n    - name: data\n      mountPath: /data\n  volumes:\n  - name: data\n    emptyDir: {}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector: {app: web}\n  ports:\n  - port: 80\n    targetPort: http\n";

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(s in "\\PC{0,300}") {
        let _ = podplay_api::parse_manifests("f.yaml", &s);
    }

    #[test]
    fn arbitrary_bytes_never_panic(b in proptest::collection::vec(any::<u8>(), 0..300)) {
        let s = String::from_utf8_lossy(&b);
        let _ = podplay_api::parse_manifests("f.yaml", &s);
    }

    #[test]
    fn mutations_of_a_valid_pod_never_panic(
        edits in proptest::collection::vec((0usize..2000, 0usize..4, "[ -~\\t\\n]{0,3}"), 1..6)
    ) {
        let mut s: Vec<char> = POD.chars().collect();
        for (at, op, text) in edits {
            let at = at % (s.len() + 1);
            match op {
                0 => { s.splice(at..at, text.chars()); }
                1 => { if at < s.len() { s.remove(at); } }
                2 => { let end = (at + text.len()).min(s.len()); s.splice(at..end, text.chars()); }
                _ => { if at < s.len() { let c = s[at]; s.insert(at, c); } }
            }
        }
        let s: String = s.into_iter().collect();
        let _ = podplay_api::parse_manifests("pod.yaml", &s);
    }
}

#[test]
fn the_mutation_seed_is_valid() {
    assert!(
        podplay_api::parse_manifests("pod.yaml", POD).is_ok(),
        "{:?}",
        podplay_api::parse_manifests("pod.yaml", POD).err()
    );
}
