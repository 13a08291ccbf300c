//! The console's front page: counts, and the last days' activity as a chart and a table.

use leptos::prelude::*;
use leptos_meta::Title;

use super::{refused, AdminNav};
use crate::{
    api::admin::fetch_admin_overview,
    i18n::{language, t, t_with},
    model::{utc_timestamp, AdminOverview, DayActivity},
};

#[component]
pub fn AdminOverviewPage() -> impl IntoView {
    let overview = Resource::new(|| (), |_| fetch_admin_overview());
    view! {
        <Title text=t("console-title")/>
        <h1>{t("console-title")}</h1>
        <AdminNav/>
        <Suspense fallback=|| view! { <p>{t("loading")}</p> }>
            {move || overview.get().map(|result| match result {
                Ok(overview) => view! { <Counts overview/> }.into_any(),
                Err(error) => refused(error),
            })}
        </Suspense>
    }
}

#[component]
fn Counts(overview: AdminOverview) -> impl IntoView {
    let number = |count: i64| language().number(count);
    let link = move |filter: &str, count: i64| {
        view! { <a href=format!("/admin/users?filter={filter}")>{number(count)}</a> }
    };
    view! {
        <section aria-labelledby="accounts-heading">
            <h2 id="accounts-heading">{t("console-accounts")}</h2>
            <dl class="account" data-testid="account-counts">
                <dt>{t("console-all-accounts")}</dt>
                <dd>{link("all", overview.accounts)}</dd>
                <dt>{t("console-unverified")}</dt>
                <dd>{link("unverified", overview.unverified)}</dd>
                <dt>{t("console-locked")}</dt>
                <dd>{link("locked", overview.locked)}</dd>
                <dt>{t("console-disabled")}</dt>
                <dd>{link("disabled", overview.disabled)}</dd>
                <dt>{t("console-administrators")}</dt>
                <dd>{link("admin", overview.admins)}</dd>
                <dt>{t("console-with-two-factor")}</dt>
                <dd>{link("two_factor_on", overview.two_factor)}</dd>
            </dl>
        </section>
        <section aria-labelledby="today-heading">
            <h2 id="today-heading">{t("console-today")}</h2>
            <dl class="account" data-testid="today-counts">
                <dt>{t("console-codes-sent")}</dt>
                <dd>{number(overview.codes_sent_today)}</dd>
                <dt>{t("console-series-sign-ins")}</dt>
                <dd>{number(overview.sign_ins_today)}</dd>
                <dt>{t("console-failed-sign-ins")}</dt>
                <dd>{number(overview.failed_sign_ins_today)}</dd>
                <dt>{t("console-refused-requests")}</dt>
                <dd>{number(overview.refusals_today)}</dd>
            </dl>
        </section>
        <section aria-labelledby="chart-heading">
            <h2 id="chart-heading">{t("console-last-30-days")}</h2>
            <ActivityChart days=overview.days/>
        </section>
    }
    .into_any()
}

/// The chart's series: name (a catalogue key), colour, dash pattern (so they differ without colour too), value.
type Series = (&'static str, &'static str, &'static str, fn(&DayActivity) -> i64);

const SERIES: [Series; 5] = [
    ("console-series-registrations", "#1f4e79", "", |day| {
        day.registrations
    }),
    ("console-series-verifications", "#2e7d32", "8 4", |day| {
        day.verifications
    }),
    ("console-series-failed-codes", "#b42318", "2 3", |day| {
        day.failed_codes
    }),
    ("console-series-sign-ins", "#6a1b9a", "12 4 2 4", |day| {
        day.sign_ins
    }),
    ("console-series-refusals", "#8a5a00", "4 4", |day| day.refusals),
];

/// A line per series, drawn on the server as SVG (no script, no external service), with the
/// numbers in a table beneath for anyone who cannot read the lines.
#[component]
fn ActivityChart(days: Vec<DayActivity>) -> impl IntoView {
    const WIDTH: f64 = 600.0;
    const HEIGHT: f64 = 220.0;
    const LEFT: f64 = 56.0;
    const MARGIN: f64 = 16.0;
    let top = SERIES
        .iter()
        .flat_map(|(_, _, _, value)| days.iter().map(value))
        .max()
        .unwrap_or(0)
        .max(1);
    let step = (WIDTH - LEFT - MARGIN) / (days.len().max(2) - 1) as f64;
    let y = move |value: i64| HEIGHT - MARGIN - value as f64 * (HEIGHT - 2.0 * MARGIN) / top as f64;
    let lines = SERIES
        .iter()
        .map(|(name, colour, dash, value)| {
            let points = days
                .iter()
                .enumerate()
                .map(|(index, day)| format!("{:.1},{:.1}", LEFT + index as f64 * step, y(value(day))))
                .collect::<Vec<_>>()
                .join(" ");
            view! {
                <polyline points=points fill="none" stroke=*colour stroke-width="2.5" stroke-dasharray=*dash>
                    <title>{t(name)}</title>
                </polyline>
            }
        })
        .collect_view();
    let first = days.first().map(|day| day_label(day.start)).unwrap_or_default();
    let last = days.last().map(|day| day_label(day.start)).unwrap_or_default();
    let summary = t_with(
        "console-chart-summary",
        &[
            ("first", first.as_str().into()),
            ("last", last.as_str().into()),
            ("top", top.into()),
        ],
    );
    view! {
        <figure class="chart">
            <svg viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img" aria-label=summary.clone()>
                <line x1=LEFT y1=MARGIN x2=LEFT y2=HEIGHT - MARGIN stroke="#5b6673"/>
                <line x1=LEFT y1=HEIGHT - MARGIN x2=WIDTH - MARGIN y2=HEIGHT - MARGIN stroke="#5b6673"/>
                <text x=LEFT - 6.0 y=MARGIN + 4.0 text-anchor="end" font-size="18" fill="#1f2328">{top}</text>
                <text x=LEFT - 6.0 y=HEIGHT - MARGIN + 4.0 text-anchor="end" font-size="18" fill="#1f2328">"0"</text>
                {lines}
            </svg>
            <figcaption>
                <ul class="legend">
                    {SERIES.iter().map(|(name, colour, dash, _)| view! {
                        <li>
                            <svg viewBox="0 0 30 10" width="30" height="10" aria-hidden="true">
                                <line x1="0" y1="5" x2="30" y2="5" stroke=*colour stroke-width="2.5" stroke-dasharray=*dash/>
                            </svg>
                            " " {t(name)}
                        </li>
                    }).collect_view()}
                </ul>
                {t_with("console-chart-range", &[("first", first.into()), ("last", last.into())])}
            </figcaption>
        </figure>
        <ActivityTable days/>
    }
    .into_any()
}

#[component]
fn ActivityTable(days: Vec<DayActivity>) -> impl IntoView {
    view! {
        <details>
            <summary>{t("console-numbers")}</summary>
            <table class="numbers">
                <thead>
                    <tr>
                        <th scope="col">{t("console-day")}</th>
                        {SERIES.iter().map(|(name, ..)| view! { <th scope="col">{t(name)}</th> }).collect_view()}
                    </tr>
                </thead>
                <tbody>
                    {days.iter().rev().map(|day| view! {
                        <tr>
                            <th scope="row">{day_label(day.start)}</th>
                            {SERIES.iter().map(|(_, _, _, value)| view! { <td>{value(day)}</td> }).collect_view()}
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </details>
    }
    .into_any()
}

/// `2026-11-25`.
fn day_label(start: i64) -> String {
    utc_timestamp(start)[..10].to_string()
}
