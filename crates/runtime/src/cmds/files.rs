//! File applets: cat, ls, touch, rm, mv, cp, mkdir, chmod, tee. Error texts follow the image's
//! userland: busybox (`cat: can't open 'x': ...`) or GNU coreutils (`cat: x: ...`).

use super::{CmdOut, Ctx};
use crate::fs::{self, FsError, Kind};
use crate::process::Sys;

fn split_flags(args: &[String]) -> (String, Vec<String>) {
    let mut flags = String::new();
    let mut rest = Vec::new();
    let mut done = false;
    for a in args {
        if !done && a == "--" {
            done = true;
        } else if !done && a.starts_with('-') && a.len() > 1 && !a.starts_with("--") {
            flags.push_str(&a[1..]);
        } else if !done && a.starts_with("--") {
            if a == "--recursive" {
                flags.push('r');
            } else if a == "--force" {
                flags.push('f');
            } else if a == "--parents" {
                flags.push('p');
            }
        } else {
            rest.push(a.clone());
        }
    }
    (flags, rest)
}

pub(super) fn cat(args: &[String], sys: &mut Sys, ctx: &Ctx) -> CmdOut {
    let (_, paths) = split_flags(args);
    if paths.is_empty() {
        return CmdOut::ok(ctx.stdin.clone());
    }
    let gnu = sys.image.gnu();
    let mut out = CmdOut::ok(String::new());
    for p in paths {
        if p == "-" {
            out.out.push_str(&ctx.stdin);
            continue;
        }
        match sys.files().read(&ctx.abs(&p)) {
            Ok(d) => out.out.push_str(&d),
            Err(e) => {
                out.status = 1;
                if gnu {
                    out.err.push_str(&format!("cat: {p}: {}\n", e.strerror()));
                } else if e == FsError::IsDir {
                    out.err
                        .push_str(&format!("cat: read error: {}\n", e.strerror()));
                } else {
                    out.err
                        .push_str(&format!("cat: can't open '{p}': {}\n", e.strerror()));
                }
            }
        }
    }
    out
}

pub(super) fn ls(args: &[String], sys: &mut Sys, ctx: &Ctx) -> CmdOut {
    let (flags, mut paths) = split_flags(args);
    let long = flags.contains('l');
    let all = flags.contains('a');
    let one = flags.contains('1') || long;
    if paths.is_empty() {
        paths.push(".".into());
    }
    let gnu = sys.image.gnu();
    let multi = paths.len() > 1;
    let mut out = CmdOut::ok(String::new());
    let mut first = true;
    for p in paths {
        let abs = ctx.abs(&p);
        let files = sys.files();
        match files.kind(&abs) {
            None => {
                out.status = if gnu { 2 } else { 1 };
                if gnu {
                    out.err.push_str(&format!(
                        "ls: cannot access '{p}': No such file or directory\n"
                    ));
                } else {
                    out.err
                        .push_str(&format!("ls: {p}: No such file or directory\n"));
                }
            }
            Some(Kind::File) => {
                let size = files.read(&abs).map(|d| d.len()).unwrap_or(0);
                if long {
                    let mode = if files.is_exec(&abs) {
                        "-rwxr-xr-x"
                    } else {
                        "-rw-r--r--"
                    };
                    out.out.push_str(&format!(
                        "{mode}    1 root     root      {size:>8} Jun  1 12:00 {p}\n"
                    ));
                } else {
                    out.out.push_str(&format!("{p}\n"));
                }
            }
            Some(Kind::Dir) => {
                let mut names = files.list(&abs).unwrap_or_default();
                if all {
                    names.insert(0, "..".into());
                    names.insert(0, ".".into());
                } else {
                    names.retain(|n| !n.starts_with('.'));
                }
                if multi {
                    if !first {
                        out.out.push('\n');
                    }
                    out.out.push_str(&format!("{p}:\n"));
                }
                if long {
                    out.out.push_str(&format!("total {}\n", names.len() * 4));
                    for n in &names {
                        let child = fs::normalize(&abs, n);
                        let (mode, size) = match files.kind(&child) {
                            Some(Kind::Dir) => ("drwxr-xr-x", 4096),
                            _ if files.is_exec(&child) => (
                                "-rwxr-xr-x",
                                files.read(&child).map(|d| d.len()).unwrap_or(0),
                            ),
                            _ => (
                                "-rw-r--r--",
                                files.read(&child).map(|d| d.len()).unwrap_or(0),
                            ),
                        };
                        out.out.push_str(&format!(
                            "{mode}    1 root     root      {size:>8} Jun  1 12:00 {n}\n"
                        ));
                    }
                } else if one || !names.is_empty() {
                    // Not a terminal: one name per line, as ls does when piped (kubectl exec without -t).
                    for n in &names {
                        out.out.push_str(n);
                        out.out.push('\n');
                    }
                }
            }
        }
        first = false;
    }
    out
}

pub(super) fn touch(args: &[String], sys: &mut Sys, ctx: &Ctx) -> CmdOut {
    let (_, paths) = split_flags(args);
    let gnu = sys.image.gnu();
    let mut out = CmdOut::ok(String::new());
    for p in paths {
        let abs = ctx.abs(&p);
        if sys.files().kind(&abs).is_some() {
            continue;
        }
        if let Err(e) = sys.files().write(&abs, "", true) {
            out.status = 1;
            if gnu {
                out.err
                    .push_str(&format!("touch: cannot touch '{p}': {}\n", e.strerror()));
            } else {
                out.err.push_str(&format!("touch: {p}: {}\n", e.strerror()));
            }
        }
    }
    out
}

pub(super) fn rm(args: &[String], sys: &mut Sys, ctx: &Ctx) -> CmdOut {
    let (flags, paths) = split_flags(args);
    let force = flags.contains('f');
    let rec = flags.contains('r') || flags.contains('R');
    let gnu = sys.image.gnu();
    let mut out = CmdOut::ok(String::new());
    if paths.is_empty() && !force {
        return CmdOut::fail(1, "rm: missing operand\n".into());
    }
    for p in paths {
        let abs = ctx.abs(&p);
        match sys.files().remove(&abs, rec) {
            Ok(()) => {}
            Err(FsError::NotFound) if force => {}
            Err(e) => {
                out.status = 1;
                let msg = if e == FsError::IsDir {
                    "Is a directory"
                } else {
                    e.strerror()
                };
                if gnu {
                    out.err
                        .push_str(&format!("rm: cannot remove '{p}': {msg}\n"));
                } else {
                    out.err
                        .push_str(&format!("rm: can't remove '{p}': {msg}\n"));
                }
            }
        }
    }
    out
}

pub(super) fn rmdir(args: &[String], sys: &mut Sys, ctx: &Ctx) -> CmdOut {
    let (_, paths) = split_flags(args);
    let mut out = CmdOut::ok(String::new());
    for p in paths {
        if let Err(e) = sys.files().rmdir(&ctx.abs(&p)) {
            out.status = 1;
            out.err
                .push_str(&format!("rmdir: '{p}': {}\n", e.strerror()));
        }
    }
    out
}

pub(super) fn mv_cp(args: &[String], sys: &mut Sys, ctx: &Ctx, is_mv: bool) -> CmdOut {
    let name = if is_mv { "mv" } else { "cp" };
    let (flags, paths) = split_flags(args);
    let rec = is_mv || flags.contains('r') || flags.contains('R') || flags.contains('a');
    let gnu = sys.image.gnu();
    if paths.len() < 2 {
        return CmdOut::fail(1, format!("{name}: missing file operand\n"));
    }
    let (dst, srcs) = match paths.split_last() {
        Some((d, s)) => (d.clone(), s.to_vec()),
        None => return CmdOut::status(1),
    };
    let dst_abs = ctx.abs(&dst);
    let dst_is_dir = sys.files().kind(&dst_abs) == Some(Kind::Dir);
    let mut out = CmdOut::ok(String::new());
    for s in srcs {
        let src_abs = ctx.abs(&s);
        let target = if dst_is_dir {
            fs::normalize(&dst_abs, fs::basename(&src_abs))
        } else {
            dst_abs.clone()
        };
        let kind = sys.files().kind(&src_abs);
        let res = match kind {
            None => Err(FsError::NotFound),
            Some(Kind::Dir) if !rec => {
                out.status = 1;
                out.err.push_str(&format!(
                    "{name}: -r not specified; omitting directory '{s}'\n"
                ));
                continue;
            }
            Some(_) => sys.files().copy(&src_abs, &target, is_mv),
        };
        if let Err(e) = res {
            out.status = 1;
            let verb = match (gnu, is_mv, e == FsError::NotFound) {
                (true, _, true) => format!("cannot stat '{s}'"),
                (false, true, true) => format!("can't rename '{s}'"),
                (false, false, true) => format!("can't stat '{s}'"),
                (true, true, false) => format!("cannot move '{s}' to '{dst}'"),
                (true, false, false) => format!("cannot create regular file '{dst}'"),
                (false, _, false) => format!("can't create '{dst}'"),
            };
            out.err
                .push_str(&format!("{name}: {verb}: {}\n", e.strerror()));
        }
    }
    out
}

pub(super) fn mkdir(args: &[String], sys: &mut Sys, ctx: &Ctx) -> CmdOut {
    let (flags, paths) = split_flags(args);
    let parents = flags.contains('p');
    let gnu = sys.image.gnu();
    let mut out = CmdOut::ok(String::new());
    for p in paths {
        if let Err(e) = sys.files().mkdir(&ctx.abs(&p), parents) {
            out.status = 1;
            if gnu {
                out.err.push_str(&format!(
                    "mkdir: cannot create directory '{p}': {}\n",
                    e.strerror()
                ));
            } else {
                out.err.push_str(&format!(
                    "mkdir: can't create directory '{p}': {}\n",
                    e.strerror()
                ));
            }
        }
    }
    out
}

pub(super) fn chmod(args: &[String], sys: &mut Sys, ctx: &Ctx) -> CmdOut {
    let mut rest: Vec<&String> = args
        .iter()
        .filter(|a| !(a.starts_with('-') && a.len() > 1 && !a.contains('x')))
        .collect();
    if rest.is_empty() {
        return CmdOut::fail(1, "chmod: missing operand\n".into());
    }
    let mode = rest.remove(0);
    let exec = if mode.contains("-x") {
        Some(false)
    } else if mode.contains('x')
        || mode.chars().all(|c| c.is_ascii_digit())
            && mode.chars().any(|c| matches!(c, '1' | '3' | '5' | '7'))
    {
        Some(true)
    } else {
        None
    };
    let mut out = CmdOut::ok(String::new());
    for p in rest {
        let abs = ctx.abs(p);
        if sys.files().kind(&abs).is_none() {
            out.status = 1;
            out.err
                .push_str(&format!("chmod: {p}: No such file or directory\n"));
            continue;
        }
        if let Some(x) = exec {
            if let Err(e) = sys.files().set_exec(&abs, x) {
                out.status = 1;
                out.err.push_str(&format!("chmod: {p}: {}\n", e.strerror()));
            }
        }
    }
    out
}

pub(super) fn tee(args: &[String], sys: &mut Sys, ctx: &Ctx) -> CmdOut {
    let (flags, paths) = split_flags(args);
    let append = flags.contains('a');
    let mut out = CmdOut::ok(ctx.stdin.clone());
    for p in paths {
        if let Err(e) = sys.files().write(&ctx.abs(&p), &ctx.stdin, append) {
            out.status = 1;
            out.err.push_str(&format!("tee: {p}: {}\n", e.strerror()));
        }
    }
    out
}
