//! Client-side errors of `kubectl` v1.32, recorded from the real binary (against a fake
//! apiserver that only answers discovery). Each case: arguments, exact stderr, exit code.

use podplay_kubectl::command::parse;

const CASES: &[(&[&str], &str, i32)] = &[
    (&["get", "pods", "--bogus"], "Error: unknown flag: --bogus\nSee 'kubectl get --help' for usage.\n", 1),
    (&["get", "pods", "-z"], "Error: unknown shorthand flag: 'z' in -z\nSee 'kubectl get --help' for usage.\n", 1),
    (&["get", "pods", "--namespace"], "Error: flag needs an argument: --namespace\nSee 'kubectl get --help' for usage.\n", 1),
    (&["get", "pods", "-w=maybe"], "Error: invalid argument \"maybe\" for \"-w, --watch\" flag: strconv.ParseBool: parsing \"maybe\": invalid syntax\nSee 'kubectl get --help' for usage.\n", 1),
    (&["get", "pods", "--watch=maybe"], "Error: invalid argument \"maybe\" for \"-w, --watch\" flag: strconv.ParseBool: parsing \"maybe\": invalid syntax\nSee 'kubectl get --help' for usage.\n", 1),
    (&["get"], "You must specify the type of resource to get. Use \"kubectl api-resources\" for a complete list of supported resources.\n\nerror: Required resource not specified.\nUse \"kubectl explain <resource>\" for a detailed description of that resource (e.g. kubectl explain pods).\nSee 'kubectl get -h' for help and examples\n", 1),
    (&["get", "foo"], "error: the server doesn't have a resource type \"foo\"\n", 1),
    (&["get", "pods,foo"], "error: the server doesn't have a resource type \"foo\"\n", 1),
    (&["get", "pods", "-o", "foo"], "error: unable to match a printer suitable for the output format \"foo\", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml\n", 1),
    (&["get", "pods", "-o", "custom-columns"], "error: custom-columns format specified but no custom columns given\n", 1),
    (&["get", "pod/x", "pods"], "error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'\n", 1),
    (&["get", "pods", "web", "-l", "a=b"], "error: name cannot be provided when a selector is specified\n", 1),
    (&["get", "pods", "-A", "web"], "error: a resource cannot be retrieved by name across all namespaces\n", 1),
    (&["describe"], "error: You must specify the type of resource to describe. Use \"kubectl api-resources\" for a complete list of supported resources.\n", 1),
    (&["describe", "foo"], "error: the server doesn't have a resource type \"foo\"\n", 1),
    (&["logs"], "error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee 'kubectl logs -h' for help and examples\n", 1),
    (&["logs", "a", "b", "c"], "error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee 'kubectl logs -h' for help and examples\n", 1),
    (&["logs", "web", "-c"], "Error: flag needs an argument: 'c' in -c\nSee 'kubectl logs --help' for usage.\n", 1),
    (&["logs", "web", "--tail=x"], "Error: invalid argument \"x\" for \"--tail\" flag: strconv.ParseInt: parsing \"x\": invalid syntax\nSee 'kubectl logs --help' for usage.\n", 1),
    (&["exec"], "error: pod, type/name or --filename must be specified\n", 1),
    (&["exec", "web"], "error: you must specify at least one command for the container\n", 1),
    (&["exec", "web", "extra", "ls"], "error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead\nSee 'kubectl exec -h' for help and examples\n", 1),
    (&["exec", "web", "-c"], "Error: flag needs an argument: 'c' in -c\nSee 'kubectl exec --help' for usage.\n", 1),
    (&["delete"], "error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'\n", 1),
    (&["delete", "pod"], "error: resource(s) were provided, but no name was specified\n", 1),
    (&["delete", "pod", "web", "--grace-period=x"], "Error: invalid argument \"x\" for \"--grace-period\" flag: strconv.ParseInt: parsing \"x\": invalid syntax\nSee 'kubectl delete --help' for usage.\n", 1),
    (&["delete", "pod", "web", "--all"], "error: name cannot be provided when a selector is specified\n", 1),
    (&["delete", "--all"], "error: at least one resource must be specified to use a selector\n", 1),
    (&["delete", "pods", "--all", "-l", "a=b"], "error: setting 'all' parameter but found a non empty selector. \n", 1),
    (&["delete", "-f"], "Error: flag needs an argument: 'f' in -f\nSee 'kubectl delete --help' for usage.\n", 1),
    (&["delete", "pod", "web", "--now", "--grace-period=5"], "error: --now and --grace-period cannot be specified together\n", 1),
    (&["apply"], "error: must specify one of -f and -k\n", 1),
    (&["apply", "-f"], "Error: flag needs an argument: 'f' in -f\nSee 'kubectl apply --help' for usage.\n", 1),
    (&["create"], "error: must specify one of -f and -k\n", 1),
    (&["label"], "error: one or more resources must be specified as <resource> <name> or <resource>/<name>\n", 1),
    (&["label", "pod", "web"], "error: at least one label update is required\n", 1),
    (&["label", "pod", "web", "a=b=c"], "error: invalid label spec: a=b=c\n", 1),
    (&["label", "pod", "web", "a=b", "a-"], "error: can not both modify and remove a label in the same command\n", 1),
    (&["annotate"], "error: one or more resources must be specified as <resource> <name> or <resource>/<name>\n", 1),
    (&["annotate", "pod", "web"], "error: at least one annotation update is required\n", 1),
    (&["run", "--image=nginx"], "error: NAME is required for run\nSee 'kubectl run -h' for help and examples\n", 1),
    (&["run", "web", "--image=nginx", "--rm"], "error: --rm should only be used for attached containers\nSee 'kubectl run -h' for help and examples\n", 1),
    (&["run", "web", "--image=nginx", "--restart=Bogus"], "error: invalid restart policy: Bogus\nSee 'kubectl run -h' for help and examples\n", 1),
    (&["run", "web", "--image=nginx", "--dry-run=client", "-it"], "error: --dry-run=[server|client] can't be used with attached containers options (--attach, --stdin, or --tty)\nSee 'kubectl run -h' for help and examples\n", 1),
    (&["scale", "--replicas=3"], "error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'\n", 1),
    (&["scale", "--replicas=x", "deploy", "web"], "Error: invalid argument \"x\" for \"--replicas\" flag: strconv.ParseInt: parsing \"x\": invalid syntax\nSee 'kubectl scale --help' for usage.\n", 1),
    (&["top", "pod", "--bogus"], "Error: unknown flag: --bogus\nSee 'kubectl top pod --help' for usage.\n", 1),
    (&["top", "foo"], "error: unknown command \"foo\"\nSee 'kubectl top -h' for help and examples\n", 1),
    (&["version", "--bogus"], "Error: unknown flag: --bogus\nSee 'kubectl version --help' for usage.\n", 1),
    (&["frobnicate"], "Error: unknown command \"frobnicate\" for \"kubectl\"\n", 1),
    (&["gte", "pods"], "Error: unknown command \"gte\" for \"kubectl\"\n\nDid you mean this?\n\tget\n\n", 1),
    (&["--bogus", "get", "pods"], "Error: flags cannot be placed before plugin name: --bogus\n", 1),
    (&["-n"], "Error: flag needs an argument: 'n' in -n\nSee 'kubectl --help' for usage.\n", 1),
];

#[test]
fn client_side_errors_match_kubectl_1_32_exactly() {
    let mut failures = Vec::new();
    for (args, want, code) in CASES {
        let argv: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        match parse(&argv) {
            Ok(c) => failures.push(format!("{args:?}: parsed as {c:?}, want error {want:?}")),
            Err(e) => {
                if e.stderr != *want || e.exit_code != *code {
                    failures.push(format!(
                        "{args:?}:\n got {:?} ({})\nwant {want:?} ({code})",
                        e.stderr, e.exit_code
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
