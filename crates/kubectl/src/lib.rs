//! podplay-kubectl: kubectl command parsing and printers.
