//! POSIX signals a container's processes can receive (the subset Kubernetes users meet).

/// A signal, named as `kill -l` names it without the `SIG` prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Signal {
    Hup,
    Int,
    Quit,
    Kill,
    Usr1,
    Usr2,
    Term,
}

impl Signal {
    /// Linux x86-64 numbering; an exit by signal is reported as 128 + number.
    pub fn number(self) -> i32 {
        match self {
            Signal::Hup => 1,
            Signal::Int => 2,
            Signal::Quit => 3,
            Signal::Kill => 9,
            Signal::Usr1 => 10,
            Signal::Usr2 => 12,
            Signal::Term => 15,
        }
    }

    /// `SIGTERM`, as images' STOPSIGNAL and Kubernetes' `lifecycle.stopSignal` spell it.
    pub fn name(self) -> &'static str {
        match self {
            Signal::Hup => "SIGHUP",
            Signal::Int => "SIGINT",
            Signal::Quit => "SIGQUIT",
            Signal::Kill => "SIGKILL",
            Signal::Usr1 => "SIGUSR1",
            Signal::Usr2 => "SIGUSR2",
            Signal::Term => "SIGTERM",
        }
    }

    /// strsignal(3) text (glibc), used in messages such as pause's "Shutting down, got signal: Terminated".
    pub fn description(self) -> &'static str {
        match self {
            Signal::Hup => "Hangup",
            Signal::Int => "Interrupt",
            Signal::Quit => "Quit",
            Signal::Kill => "Killed",
            Signal::Usr1 => "User defined signal 1",
            Signal::Usr2 => "User defined signal 2",
            Signal::Term => "Terminated",
        }
    }

    pub fn from_number(n: i64) -> Option<Signal> {
        Some(match n {
            1 => Signal::Hup,
            2 => Signal::Int,
            3 => Signal::Quit,
            9 => Signal::Kill,
            10 => Signal::Usr1,
            12 => Signal::Usr2,
            15 => Signal::Term,
            _ => return None,
        })
    }

    /// Accepts `TERM`, `SIGTERM`, `term`, `15`, as `kill -s`, `trap` and STOPSIGNAL do.
    pub fn parse(s: &str) -> Option<Signal> {
        if let Ok(n) = s.parse::<i64>() {
            return Signal::from_number(n);
        }
        let up = s.to_ascii_uppercase();
        let bare = up.strip_prefix("SIG").unwrap_or(&up);
        Some(match bare {
            "HUP" => Signal::Hup,
            "INT" => Signal::Int,
            "QUIT" => Signal::Quit,
            "KILL" => Signal::Kill,
            "USR1" => Signal::Usr1,
            "USR2" => Signal::Usr2,
            "TERM" => Signal::Term,
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signal_names_parse_with_or_without_sig_prefix() {
        assert_eq!(Signal::parse("TERM"), Some(Signal::Term));
        assert_eq!(Signal::parse("SIGQUIT"), Some(Signal::Quit));
        assert_eq!(Signal::parse("9"), Some(Signal::Kill));
        assert_eq!(Signal::parse("BOGUS"), None);
        assert_eq!(Signal::Term.number() + 128, 143);
    }
}
