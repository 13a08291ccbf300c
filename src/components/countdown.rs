use std::time::Duration;

use leptos::prelude::*;

/// Seconds left until a deadline the server gave as "`seconds` from now". The server-rendered
/// page shows the starting value; in the browser it ticks from the moment the page hydrated,
/// measured on the local monotonic-enough clock, so a wrong client clock does not matter.
/// The server stays the authority: this is only what the user sees.
pub fn use_countdown(seconds: u64) -> ReadSignal<u64> {
    let (remaining, set_remaining) = signal(seconds);
    Effect::new(move |_| {
        let deadline = js_sys::Date::now() + seconds as f64 * 1000.0;
        use_interval(Duration::from_millis(250), move || {
            let left = ((deadline - js_sys::Date::now()) / 1000.0).ceil().max(0.0) as u64;
            if left != remaining.get_untracked() {
                set_remaining.set(left);
            }
        });
    });
    remaining
}

/// Calls `tick` every `period` in the browser until the calling component goes away.
pub fn use_interval(period: Duration, tick: impl Fn() + 'static) {
    if let Ok(handle) = set_interval_with_handle(tick, period) {
        on_cleanup(move || handle.clear());
    }
}

/// `299` → `4:59`.
pub fn format_duration(seconds: u64) -> String {
    format!("{}:{:02}", seconds / 60, seconds % 60)
}
