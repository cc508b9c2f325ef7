//! The wall clock for pacing frames and measuring engine slices. Never reaches the simulation,
//! which runs on virtual time only.

/// Milliseconds from an arbitrary start (performance.now() in the browser).
#[cfg(target_arch = "wasm32")]
pub fn now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// Natively (tests) a monotonic clock from the first call.
#[cfg(not(target_arch = "wasm32"))]
pub fn now() -> f64 {
    use std::sync::OnceLock;
    use std::time::Instant;
    static START: OnceLock<Instant> = OnceLock::new();
    START.get_or_init(Instant::now).elapsed().as_secs_f64() * 1000.0
}
