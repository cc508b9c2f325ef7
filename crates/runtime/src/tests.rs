//! Behaviour tests, each named after the rule it checks.

use std::collections::BTreeMap;

use crate::*;

/// A tiny cluster: DNS names to IPs; HTTP to pod IPs answered by a closure-free table.
#[derive(Default)]
struct FakeWorld {
    dns: BTreeMap<String, Ip>,
    http: BTreeMap<(Ip, u16), HttpResponse>,
}

impl World for FakeWorld {
    fn resolve(&mut self, name: &str, ns: &str) -> Option<Ip> {
        let short = name
            .strip_suffix(&format!(".{ns}.svc.cluster.local"))
            .unwrap_or(name);
        self.dns.get(short).or_else(|| self.dns.get(name)).copied()
    }
    fn http(
        &mut self,
        _from: Ip,
        to: Ip,
        port: u16,
        _req: &HttpRequest,
        _now: Millis,
    ) -> Result<HttpResponse, NetError> {
        self.http.get(&(to, port)).cloned().ok_or(NetError::Refused)
    }
    fn tcp_connect(&mut self, _from: Ip, to: Ip, port: u16, _now: Millis) -> Result<(), NetError> {
        if self.http.contains_key(&(to, port)) {
            Ok(())
        } else {
            Err(NetError::Refused)
        }
    }
}

fn pod() -> PodEnv {
    PodEnv::new([10, 244, 1, 5], "web", "default", "web")
}

fn s(v: &[&str]) -> Vec<String> {
    v.iter().map(|x| x.to_string()).collect()
}

fn launch(name: &str, command: &[&str]) -> Launch {
    Launch {
        name: name.into(),
        command: s(command),
        ..Launch::default()
    }
}

fn started(image: &str, l: Launch, env: &mut PodEnv, w: &mut FakeWorld) -> Container {
    let img = Catalog::builtin().pull(image).expect("image pulls");
    let mut c = Container::new(&img, l);
    c.start(env, w, 0).expect("starts");
    c
}

fn run(
    c: &mut Container,
    argv: &[&str],
    env: &mut PodEnv,
    w: &mut FakeWorld,
    now: Millis,
) -> ExecResult {
    let id = c.exec(&s(argv), env, w, now);
    c.exec_result(id).expect("exec finished")
}

fn log_text(c: &Container) -> Vec<String> {
    c.logs().iter().map(|l| l.text().into_owned()).collect()
}

#[test]
fn catalog_parses_and_every_default_program_starts() {
    let cat = Catalog::builtin();
    for repo in cat.repositories() {
        if repo.starts_with("podplay/") {
            continue;
        }
        let img = cat
            .pull(&format!("{repo}:latest"))
            .or_else(|_| cat.pull(&format!("{repo}:1.36")))
            .or_else(|_| cat.pull(&format!("{repo}:2.40")))
            .or_else(|_| cat.pull(&format!("{repo}:3.9")))
            .or_else(|_| cat.pull(&format!("{repo}:0.1")));
        let img = img.unwrap_or_else(|e| panic!("{repo}: {e:?}"));
        let mut env = pod();
        let mut c = Container::new(
            &img,
            Launch {
                name: "c".into(),
                ports: vec![8080],
                env: vec![("MYSQL_ROOT_PASSWORD".into(), "x".into())],
                ..Launch::default()
            },
        );
        assert!(
            c.start(&mut env, &mut NoWorld, 0).is_ok(),
            "{repo} failed to start"
        );
    }
}

#[test]
fn nginx_index_html_is_the_real_615_bytes() {
    let mut env = pod();
    let mut w = FakeWorld::default();
    let mut c = started(
        "nginx:1.27",
        Launch {
            name: "web".into(),
            ..Launch::default()
        },
        &mut env,
        &mut w,
    );
    let r = c
        .serve_http(80, &HttpRequest::get("/"), &mut env, 1000)
        .expect("nginx serves");
    assert_eq!(r.status, 200);
    assert_eq!(r.body.len(), 615);
    assert!(r.body.contains("Welcome to nginx!"));
    assert!(c.is_running());
}

#[test]
fn nginx_writes_the_combined_access_log_line() {
    let mut env = pod();
    let mut w = FakeWorld::default();
    let mut c = started(
        "nginx:1.27",
        Launch {
            name: "web".into(),
            ..Launch::default()
        },
        &mut env,
        &mut w,
    );
    let req = HttpRequest {
        method: "GET".into(),
        path: "/".into(),
        host: "10.244.1.5:80".into(),
        headers: vec![],
        user_agent: "kube-probe/1.32".into(),
    };
    c.serve_http(80, &req, &mut env, 5000);
    let last = log_text(&c).last().cloned().unwrap_or_default();
    assert_eq!(last, "10.244.1.1 - - [01/Jun/2024:12:00:05 +0000] \"GET / HTTP/1.1\" 200 615 \"-\" \"kube-probe/1.32\" \"-\"");
    assert!(log_text(&c)
        .iter()
        .any(|l| l == "/docker-entrypoint.sh: Configuration complete; ready for start up"));
}

#[test]
fn restart_makes_files_fresh_from_the_image() {
    let mut env = pod();
    let mut w = FakeWorld::default();
    let mut c = started(
        "nginx:1.20.2",
        Launch {
            name: "web".into(),
            ..Launch::default()
        },
        &mut env,
        &mut w,
    );
    let r = run(
        &mut c,
        &[
            "sh",
            "-c",
            "cd /usr/share/nginx/html && mv index.html index.htm && ls",
        ],
        &mut env,
        &mut w,
        1000,
    );
    assert_eq!(r.output, "50x.html\nindex.htm\n");
    // index.htm is still an index file, so `/` keeps working; `/index.html` is gone.
    assert_eq!(
        c.serve_http(80, &HttpRequest::get("/"), &mut env, 2000)
            .map(|r| r.status),
        Some(200)
    );
    assert_eq!(
        c.serve_http(80, &HttpRequest::get("/index.html"), &mut env, 2000)
            .map(|r| r.status),
        Some(404)
    );
    run(
        &mut c,
        &["rm", "/usr/share/nginx/html/index.htm"],
        &mut env,
        &mut w,
        2500,
    );
    assert_eq!(
        c.serve_http(80, &HttpRequest::get("/"), &mut env, 3000)
            .map(|r| r.status),
        Some(403)
    );
    c.signal(Signal::Kill, &mut env, &mut w, 3000);
    let c2 = started(
        "nginx:1.20.2",
        Launch {
            name: "web".into(),
            ..Launch::default()
        },
        &mut env,
        &mut w,
    );
    let mut c2 = c2;
    let r = run(
        &mut c2,
        &["ls", "/usr/share/nginx/html"],
        &mut env,
        &mut w,
        4000,
    );
    assert_eq!(r.output, "50x.html\nindex.html\n");
}

#[test]
fn nginx_404_logs_open_failed_in_the_error_log() {
    let mut env = pod();
    let mut w = FakeWorld::default();
    let mut c = started(
        "nginx:1.27",
        Launch {
            name: "web".into(),
            ..Launch::default()
        },
        &mut env,
        &mut w,
    );
    let r = c
        .serve_http(80, &HttpRequest::get("/notfound"), &mut env, 2000)
        .expect("served");
    assert_eq!(r.status, 404);
    assert!(r.body.contains("<center><h1>404 Not Found</h1></center>"));
    assert!(log_text(&c).iter().any(|l| l.contains("[error] 29#29: *1 open() \"/usr/share/nginx/html/notfound\" failed (2: No such file or directory)")));
}

#[test]
fn sed_on_default_conf_and_reload_moves_nginx_to_port_81() {
    let mut env = pod();
    let mut w = FakeWorld::default();
    let mut c = started(
        "nginx:1.20.2",
        Launch {
            name: "web".into(),
            ..Launch::default()
        },
        &mut env,
        &mut w,
    );
    assert!(c.listens_on(80));
    let r = run(&mut c, &["sh", "-c", "cd /etc/nginx/conf.d/ && sed -i 's/listen       80;/listen       81;/g' default.conf && nginx -s reload"], &mut env, &mut w, 1000);
    assert_eq!(r.exit_code, 0, "{}", r.output);
    // The entrypoint's scripts used pids up to 28 and the worker is 29, so the exec'd shell is
    // 30 (the seed's bash session shows `41#41` after more commands).
    assert_eq!(
        r.output,
        "2024/06/01 12:00:01 [notice] 30#30: signal process started\n"
    );
    assert!(!c.listens_on(80));
    assert!(c.listens_on(81));
    let grep = run(
        &mut c,
        &[
            "sh",
            "-c",
            "cat /etc/nginx/conf.d/default.conf | grep listen",
        ],
        &mut env,
        &mut w,
        2000,
    );
    // The real file's comments mention "listening" too; grep shows them as on a real container.
    assert!(grep
        .output
        .starts_with("    listen       81;\n    listen  [::]:80;\n"));
}

#[test]
fn docs_exec_liveness_script_removes_the_file_after_30s() {
    let mut env = pod();
    let mut w = FakeWorld::default();
    let mut c = started(
        "registry.k8s.io/busybox:1.27.2",
        Launch {
            name: "liveness".into(),
            args: s(&[
                "/bin/sh",
                "-c",
                "touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600",
            ]),
            ..Launch::default()
        },
        &mut env,
        &mut w,
    );
    assert_eq!(c.next_wake(), Some(30_000));
    assert_eq!(
        run(&mut c, &["cat", "/tmp/healthy"], &mut env, &mut w, 10_000).exit_code,
        0
    );
    c.advance(&mut env, &mut w, 30_000);
    let r = run(&mut c, &["cat", "/tmp/healthy"], &mut env, &mut w, 35_000);
    assert_eq!(r.exit_code, 1);
    assert_eq!(
        r.output,
        "cat: can't open '/tmp/healthy': No such file or directory\n"
    );
    assert_eq!(c.next_wake(), Some(630_000));
}

#[test]
fn pid1_shell_ignores_sigterm_and_dies_137_on_sigkill() {
    let mut env = pod();
    let mut w = FakeWorld::default();
    let mut c = started(
        "busybox:1.36",
        launch("app", &["sh", "-c", "echo start; sleep 600"]),
        &mut env,
        &mut w,
    );
    c.signal(Signal::Term, &mut env, &mut w, 1000);
    assert!(c.main_exit().is_none());
    c.signal(Signal::Kill, &mut env, &mut w, 31_000);
    let e = c.main_exit().expect("exited");
    assert_eq!(
        (e.code, e.reason, e.signal),
        (137, "Error", Some(Signal::Kill))
    );
    assert_eq!(log_text(&c), vec!["start".to_string()]);
}

#[test]
fn a_term_trap_runs_its_handler() {
    let mut env = pod();
    let mut w = FakeWorld::default();
    let mut c = started(
        "busybox:1.36",
        launch(
            "app",
            &["sh", "-c", "trap 'echo bye; exit 0' TERM; sleep 600 & wait"],
        ),
        &mut env,
        &mut w,
    );
    c.signal(Signal::Term, &mut env, &mut w, 1000);
    let e = c.main_exit().expect("exited");
    assert_eq!((e.code, e.reason), (0, "Completed"));
    assert_eq!(log_text(&c), vec!["bye".to_string()]);
}

#[test]
fn nginx_exits_0_on_its_stop_signal() {
    let mut env = pod();
    let mut w = FakeWorld::default();
    let img = Catalog::builtin().pull("nginx").expect("pull");
    assert_eq!(img.stop_signal(), Signal::Quit);
    let mut c = started("nginx", launch("web", &[]), &mut env, &mut w);
    c.signal(img.stop_signal(), &mut env, &mut w, 5000);
    let e = c.main_exit().expect("exited");
    assert_eq!((e.code, e.reason), (0, "Completed"));
    assert!(env.listener(80).is_none());
}

#[test]
fn nginx_s_stop_in_a_shell_child_ends_the_container() {
    let mut env = pod();
    let mut w = FakeWorld::default();
    let mut c = started(
        "ikubernetes/myapp:v1",
        launch("myapp", &[]),
        &mut env,
        &mut w,
    );
    let r = run(
        &mut c,
        &["sh", "-c", "nginx -s stop"],
        &mut env,
        &mut w,
        2000,
    );
    assert_eq!(r.exit_code, 0);
    assert!(c.main_exit().is_some());
}

#[test]
fn myapp_serves_hostname_html_from_etc_hostname() {
    let mut env = pod();
    let mut w = FakeWorld::default();
    let mut c = started(
        "ikubernetes/myapp:v1",
        launch("myapp", &[]),
        &mut env,
        &mut w,
    );
    assert_eq!(
        c.serve_http(80, &HttpRequest::get("/hostname.html"), &mut env, 1000)
            .map(|r| r.body),
        Some("web\n".to_string())
    );
    assert_eq!(
        c.serve_http(80, &HttpRequest::get("/"), &mut env, 1000)
            .map(|r| r.body),
        Some("Hello MyApp | Version: v1 | <a href=\"hostname.html\">Pod Name</a>\n".to_string())
    );
}

#[test]
fn unknown_command_in_a_shell_is_127_not_found() {
    let mut env = pod();
    let mut w = FakeWorld::default();
    let mut c = started(
        "busybox",
        launch("app", &["sleep", "3600"]),
        &mut env,
        &mut w,
    );
    let r = run(&mut c, &["sh", "-c", "badcommand"], &mut env, &mut w, 0);
    assert_eq!(
        (r.exit_code, r.output.as_str()),
        (127, "sh: badcommand: not found\n")
    );
}

#[test]
fn direct_exec_of_a_missing_binary_is_the_oci_126_error() {
    let mut env = pod();
    let mut w = FakeWorld::default();
    let mut c = started("nginx", launch("app", &[]), &mut env, &mut w);
    let r = run(&mut c, &["badcommand"], &mut env, &mut w, 0);
    assert_eq!(r.exit_code, 126);
    assert_eq!(r.output, "OCI runtime exec failed: exec failed: unable to start container process: exec: \"badcommand\": executable file not found in $PATH: unknown\r\n");
}

#[test]
fn start_of_a_missing_command_is_a_start_error() {
    let img = Catalog::builtin().pull("busybox").expect("pull");
    let mut c = Container::new(&img, launch("app", &["badcommand"]));
    let e = c.start(&mut pod(), &mut NoWorld, 0).expect_err("fails");
    assert_eq!(e.exit_code, 128);
    assert_eq!(e.reason, "StartError");
    assert_eq!(e.message, "failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: \"badcommand\": executable file not found in $PATH: unknown");
}

#[test]
fn pull_of_a_missing_tag_is_containerds_not_found() {
    let e = Catalog::builtin()
        .pull("nginx:doesnotexist")
        .expect_err("fails");
    assert_eq!(e.reason, "ErrImagePull");
    assert_eq!(e.message, "rpc error: code = NotFound desc = failed to pull and unpack image \"docker.io/library/nginx:doesnotexist\": failed to resolve reference \"docker.io/library/nginx:doesnotexist\": docker.io/library/nginx:doesnotexist: not found");
    assert!(Catalog::builtin().pull("nginx:1.99.99").is_err());
    assert!(Catalog::builtin().pull("nginx:1.20.2").is_ok());
}

#[test]
fn pull_of_a_misspelt_repository_is_access_denied() {
    let e = Catalog::builtin().pull("ngnix").expect_err("fails");
    assert_eq!(e.message, "rpc error: code = Unknown desc = failed to pull and unpack image \"docker.io/library/ngnix:latest\": failed to resolve reference \"docker.io/library/ngnix:latest\": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed");
    let e = Catalog::builtin().pull("Nginx").expect_err("fails");
    assert_eq!(e.reason, "InvalidImageName");
}

#[test]
fn private_registry_images_run_a_generic_server_on_declared_ports() {
    let mut env = pod();
    let mut w = FakeWorld::default();
    let img = Catalog::builtin()
        .pull("harbor.example.com/team/app:1.0")
        .expect("pulls");
    assert_eq!(img.reference(), "harbor.example.com/team/app:1.0");
    let mut c = Container::new(
        &img,
        Launch {
            name: "app".into(),
            ports: vec![9090],
            ..Launch::default()
        },
    );
    c.start(&mut env, &mut w, 0).expect("starts");
    assert_eq!(
        c.serve_http(9090, &HttpRequest::get("/anything"), &mut env, 10)
            .map(|r| r.status),
        Some(200)
    );
}

#[test]
fn busybox_1_28_nslookup_prints_the_legacy_format() {
    let mut env = pod();
    let mut w = FakeWorld::default();
    let mut c = started(
        "busybox:1.28",
        launch("app", &["sleep", "3600"]),
        &mut env,
        &mut w,
    );
    let r = run(
        &mut c,
        &["nslookup", "myservice.default.svc.cluster.local"],
        &mut env,
        &mut w,
        0,
    );
    assert_eq!(r.exit_code, 1);
    assert_eq!(r.output, "Server:    10.96.0.10\nAddress 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local\n\nnslookup: can't resolve 'myservice.default.svc.cluster.local'\n");
    w.dns.insert("myservice".into(), [10, 99, 245, 243]);
    let r = run(
        &mut c,
        &["nslookup", "myservice.default.svc.cluster.local"],
        &mut env,
        &mut w,
        0,
    );
    assert_eq!(r.exit_code, 0);
    assert!(r.output.ends_with("Name:      myservice.default.svc.cluster.local\nAddress 1: 10.99.245.243 myservice.default.svc.cluster.local\n"));
}

#[test]
fn init_container_until_loop_finishes_once_the_service_resolves() {
    let mut env = pod();
    let mut w = FakeWorld::default();
    let script = "until nslookup myservice.$(cat /var/run/secrets/kubernetes.io/serviceaccount/namespace).svc.cluster.local; do echo waiting for myservice; sleep 2; done";
    let mut c = started(
        "busybox:1.28",
        launch("init-myservice", &["sh", "-c", script]),
        &mut env,
        &mut w,
    );
    assert_eq!(c.next_wake(), Some(2000));
    c.advance(&mut env, &mut w, 2000);
    assert!(c.main_exit().is_none());
    w.dns.insert("myservice".into(), [10, 99, 245, 243]);
    c.advance(&mut env, &mut w, 4000);
    let e = c.main_exit().expect("done");
    assert_eq!((e.code, e.reason, e.at), (0, "Completed", 4000));
    assert!(log_text(&c).iter().any(|l| l == "waiting for myservice"));
    assert!(log_text(&c)
        .iter()
        .any(|l| l == "nslookup: can't resolve 'myservice.default.svc.cluster.local'"));
}

#[test]
fn wget_reports_http_errors_and_refused_connections_like_busybox() {
    let mut env = pod();
    let mut w = FakeWorld::default();
    w.dns.insert("websvc".into(), [10, 96, 0, 20]);
    w.http
        .insert(([10, 96, 0, 20], 80), HttpResponse::new(404, "nope"));
    let mut c = started(
        "busybox:1.36",
        launch("app", &["sleep", "3600"]),
        &mut env,
        &mut w,
    );
    let r = run(
        &mut c,
        &["wget", "-qO-", "http://websvc/x"],
        &mut env,
        &mut w,
        0,
    );
    assert_eq!(
        (r.exit_code, r.output.as_str()),
        (1, "wget: server returned error: HTTP/1.1 404 Not Found\n")
    );
    let r = run(
        &mut c,
        &["wget", "-qO-", "http://10.96.0.10/"],
        &mut env,
        &mut w,
        0,
    );
    assert_eq!(
        r.output,
        "wget: can't connect to remote host (10.96.0.10): Connection refused\n"
    );
    let r = run(
        &mut c,
        &["wget", "-qO-", "http://nosuch/"],
        &mut env,
        &mut w,
        0,
    );
    assert_eq!(r.output, "wget: bad address 'nosuch'\n");
}

#[test]
fn curl_reaches_a_server_of_its_own_container_on_localhost() {
    let mut env = pod();
    let mut w = FakeWorld::default();
    let mut c = started("nginx:1.27", launch("web", &[]), &mut env, &mut w);
    let r = run(
        &mut c,
        &[
            "curl",
            "-s",
            "-o",
            "/dev/null",
            "-w",
            "%{http_code}",
            "http://localhost/",
        ],
        &mut env,
        &mut w,
        1000,
    );
    assert_eq!(r.output, "200");
    let r = run(
        &mut c,
        &["curl", "-s", "http://localhost:8080/"],
        &mut env,
        &mut w,
        1000,
    );
    assert_eq!(r.exit_code, 7);
}

#[test]
fn agnhost_liveness_is_healthy_for_10_seconds_then_500() {
    let mut env = pod();
    let mut w = FakeWorld::default();
    let img = Catalog::builtin()
        .pull("registry.k8s.io/e2e-test-images/agnhost:2.40")
        .expect("pull");
    let mut c = Container::new(
        &img,
        Launch {
            name: "liveness".into(),
            args: s(&["liveness"]),
            ..Launch::default()
        },
    );
    c.start(&mut env, &mut w, 1000).expect("start");
    assert_eq!(
        c.serve_http(8080, &HttpRequest::get("/healthz"), &mut env, 11_000)
            .map(|r| r.status),
        Some(200)
    );
    assert_eq!(
        c.serve_http(8080, &HttpRequest::get("/healthz"), &mut env, 11_001)
            .map(|r| r.status),
        Some(500)
    );
}

#[test]
fn envoy_admin_ready_fails_after_post_healthcheck_fail_and_sigterm_exits_0() {
    let mut env = pod();
    let mut w = FakeWorld::default();
    let mut c = started(
        "luksa/kiada-ssl-proxy:0.1",
        Launch {
            name: "envoy".into(),
            ..Launch::default()
        },
        &mut env,
        &mut w,
    );
    assert_eq!(
        c.serve_http(9901, &HttpRequest::get("/ready"), &mut env, 1000)
            .map(|r| r.status),
        Some(200)
    );
    let post = HttpRequest {
        method: "POST".into(),
        ..HttpRequest::get("/healthcheck/fail")
    };
    assert_eq!(
        c.serve_http(9901, &post, &mut env, 2000).map(|r| r.body),
        Some("OK\n".to_string())
    );
    assert_eq!(
        c.serve_http(9901, &HttpRequest::get("/ready"), &mut env, 3000)
            .map(|r| r.status),
        Some(503)
    );
    c.signal(Signal::Term, &mut env, &mut w, 75_000);
    assert_eq!(c.main_exit().map(|e| e.code), Some(0));
    // Its log lines carry the virtual time they were written at.
    assert!(log_text(&c).iter().any(|l| l
        == "[2024-06-01 12:01:15.000][1][warning][main] [source/server/server.cc:493] caught SIGTERM"));
}

#[test]
fn two_containers_binding_one_port_conflict_like_nginx() {
    let mut env = pod();
    let mut w = FakeWorld::default();
    let _a = started("nginx:1.27", launch("a", &[]), &mut env, &mut w);
    let b = started("nginx:1.27", launch("b", &[]), &mut env, &mut w);
    let e = b.main_exit().expect("b exits");
    assert_eq!(e.code, 1);
    assert!(log_text(&b)
        .iter()
        .any(|l| l == "nginx: [emerg] bind() to 0.0.0.0:80 failed (98: Address already in use)"));
    assert_eq!(env.listener(80), Some("a"));
}

#[test]
fn crash_script_exits_1_with_its_output_logged() {
    let mut env = pod();
    let mut w = FakeWorld::default();
    let c = started(
        "busybox:1.36",
        launch("crash", &["sh", "-c", "echo boom; exit 1"]),
        &mut env,
        &mut w,
    );
    let e = c.main_exit().expect("exited");
    assert_eq!((e.code, e.reason, e.at), (1, "Error", 0));
    assert_eq!(log_text(&c), vec!["boom".to_string()]);
}

#[test]
fn for_loop_with_sleep_logs_in_virtual_time() {
    let mut env = pod();
    let mut w = FakeWorld::default();
    let mut c = started(
        "busybox:1.30",
        launch(
            "c",
            &[
                "bin/sh",
                "-c",
                "for i in 9 8 7 6 5; do echo $i;sleep 5 ;done",
            ],
        ),
        &mut env,
        &mut w,
    );
    for t in [5_000, 10_000, 15_000, 20_000, 25_000] {
        c.advance(&mut env, &mut w, t);
    }
    let lines: Vec<(Millis, String)> = c
        .logs()
        .iter()
        .map(|l| (l.t, l.text().into_owned()))
        .collect();
    assert_eq!(
        lines,
        vec![
            (0, "9".into()),
            (5000, "8".into()),
            (10000, "7".into()),
            (15000, "6".into()),
            (20000, "5".into())
        ]
    );
    assert_eq!(c.main_exit().map(|e| (e.code, e.at)), Some((0, 25_000)));
}

#[test]
fn volumes_outlive_container_restarts() {
    let mut env = pod();
    env.add_volume("data", VolumeSource::EmptyDir);
    let mut w = FakeWorld::default();
    let mounts = vec![Mount {
        volume: "data".into(),
        mount_path: "/usr/share/nginx/html".into(),
        read_only: false,
        sub_path: None,
    }];
    let init = started(
        "busybox",
        Launch {
            name: "init".into(),
            command: s(&["sh", "-c", "echo hello > /work/index.html"]),
            mounts: vec![Mount {
                volume: "data".into(),
                mount_path: "/work".into(),
                read_only: false,
                sub_path: None,
            }],
            ..Launch::default()
        },
        &mut env,
        &mut w,
    );
    assert_eq!(init.main_exit().map(|e| e.code), Some(0));
    let _ = init.logs();
    let mut web = started(
        "nginx:1.27",
        Launch {
            name: "web".into(),
            mounts,
            ..Launch::default()
        },
        &mut env,
        &mut w,
    );
    assert_eq!(
        web.serve_http(80, &HttpRequest::get("/"), &mut env, 1000)
            .map(|r| r.body),
        Some("hello\n".to_string())
    );
}

#[test]
fn configmap_volumes_are_read_only() {
    let mut env = pod();
    let mut data = BTreeMap::new();
    data.insert("app.conf".to_string(), "x=1\n".to_string());
    env.add_volume("cfg", VolumeSource::ConfigMap(data));
    let mut w = FakeWorld::default();
    let mut c = started(
        "busybox",
        Launch {
            name: "c".into(),
            command: s(&["sleep", "1d"]),
            mounts: vec![Mount {
                volume: "cfg".into(),
                mount_path: "/etc/cfg".into(),
                read_only: true,
                sub_path: None,
            }],
            ..Launch::default()
        },
        &mut env,
        &mut w,
    );
    assert_eq!(
        run(&mut c, &["cat", "/etc/cfg/app.conf"], &mut env, &mut w, 0).output,
        "x=1\n"
    );
    let r = run(
        &mut c,
        &["sh", "-c", "echo y > /etc/cfg/app.conf"],
        &mut env,
        &mut w,
        0,
    );
    assert_eq!(
        r.output,
        "sh: can't create /etc/cfg/app.conf: Read-only file system\n"
    );
}

#[test]
fn memory_above_the_limit_is_oomkilled() {
    let mut env = pod();
    let mut w = FakeWorld::default();
    let img = Catalog::builtin().pull("polinux/stress").expect("pull");
    let mut c = Container::new(
        &img,
        Launch {
            name: "memory-demo".into(),
            command: s(&["stress"]),
            args: s(&["--vm", "1", "--vm-bytes", "250M", "--vm-hang", "1"]),
            memory_limit: Some(100 * 1024 * 1024),
            ..Launch::default()
        },
    );
    c.start(&mut env, &mut w, 0).expect("start");
    let e = c.main_exit().expect("killed");
    assert_eq!((e.code, e.reason), (137, "OOMKilled"));
}

#[test]
fn exec_probe_with_a_sleeping_command_stays_running_until_killed() {
    let mut env = pod();
    let mut w = FakeWorld::default();
    let mut c = started(
        "busybox",
        launch("c", &["sleep", "infinity"]),
        &mut env,
        &mut w,
    );
    let id = c.exec(&s(&["sleep", "5"]), &mut env, &mut w, 0);
    assert!(c.exec_result(id).is_none());
    c.kill_exec(id);
    assert_eq!(c.exec_result(id).map(|r| r.exit_code), Some(137));
    assert_eq!(c.next_wake(), None);
}

#[test]
fn shell_features_quotes_vars_if_while_arith_and_redirects() {
    let mut env = pod();
    let mut w = FakeWorld::default();
    let mut c = started(
        "busybox",
        launch("c", &["sleep", "infinity"]),
        &mut env,
        &mut w,
    );
    let script = r#"
        i=0
        while [ $i -lt 3 ]; do i=$((i+1)); echo "n=$i" >> /tmp/out; done
        if test -f /tmp/out && grep -q 'n=3' /tmp/out; then echo yes; else echo no; fi
        x=$(cat /tmp/out | wc -l); echo "lines: ${x}"
        echo err 1>&2; ls /nope 2>/dev/null || echo "missing $?"
        printf '%s-%d\n' a 7
        echo -n done
    "#;
    let r = run(&mut c, &["sh", "-c", script], &mut env, &mut w, 0);
    assert_eq!(r.output, "yes\nlines: 3\nerr\nmissing 1\na-7\ndone");
}

#[test]
fn gnu_coreutils_name_themselves_as_invoked_busybox_by_applet() {
    let mut env = pod();
    let mut w = FakeWorld::default();
    let mut c = started("nginx:1.17.9", Launch::default(), &mut env, &mut w);
    let r = run(
        &mut c,
        &["/bin/cat", "/tmp/mayikt.txt"],
        &mut env,
        &mut w,
        1_000,
    );
    assert_eq!(r.exit_code, 1);
    assert_eq!(
        r.output,
        "/bin/cat: /tmp/mayikt.txt: No such file or directory\n"
    );
    let r = run(&mut c, &["cat", "/tmp/mayikt.txt"], &mut env, &mut w, 1_000);
    assert_eq!(
        r.output,
        "cat: /tmp/mayikt.txt: No such file or directory\n"
    );
    // Through a shell, argv[0] is still the word as written.
    let r = run(
        &mut c,
        &["sh", "-c", "/bin/cat /nope"],
        &mut env,
        &mut w,
        1_000,
    );
    assert_eq!(r.output, "/bin/cat: /nope: No such file or directory\n");

    let mut b = started(
        "busybox:1.36",
        launch("app", &["sleep", "600"]),
        &mut env,
        &mut w,
    );
    let r = run(
        &mut b,
        &["/bin/cat", "/tmp/mayikt.txt"],
        &mut env,
        &mut w,
        1_000,
    );
    assert_eq!(
        r.output,
        "cat: can't open '/tmp/mayikt.txt': No such file or directory\n"
    );
}

#[test]
fn ps_shows_nginx_master_and_worker_titles_and_no_shell_for_a_direct_exec() {
    let mut env = pod();
    let mut w = FakeWorld::default();
    let mut c = started("myapp:v1", Launch::default(), &mut env, &mut w);
    let r = run(&mut c, &["ps"], &mut env, &mut w, 1_000);
    assert_eq!(
        r.output,
        "PID   USER     TIME  COMMAND\n    1 root      0:00 nginx: master process nginx -g daemon off;\n    2 nginx     0:00 nginx: worker process\n    3 root      0:00 ps\n"
    );
    // A reload forks a new worker with the container's next pid (the seed's `ps ax` after
    // `nginx -s reload` shows the worker right before ps).
    let r = run(&mut c, &["nginx", "-s", "reload"], &mut env, &mut w, 2_000);
    assert!(r.output.contains("[notice] 4#4: signal process started"));
    c.advance(&mut env, &mut w, 2_001);
    let r = run(&mut c, &["sh", "-c", "ps"], &mut env, &mut w, 3_000);
    assert_eq!(
        r.output,
        "PID   USER     TIME  COMMAND\n    1 root      0:00 nginx: master process nginx -g daemon off;\n    5 nginx     0:00 nginx: worker process\n    6 root      0:00 sh\n    7 root      0:00 ps\n"
    );
}
