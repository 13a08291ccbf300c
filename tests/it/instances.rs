//! Several instances on one PostgreSQL database behind a round-robin proxy behave as one: a
//! browser's requests may land on any of them, limits are shared, each mail goes out once, and an
//! instance killed mid-work loses nothing. Real processes, so real seconds (short leases).

use std::{collections::HashSet, time::Duration};

use reqwest::StatusCode;

use crate::support::{burst, cluster::Cluster, count, location, on_postgres, SmtpSink, PASSWORD};

const LEASE: &str = "3";

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn three_instances_behind_a_proxy_behave_as_one() {
    if !on_postgres() {
        eprintln!("skipped: several instances share a PostgreSQL database (the PostgreSQL pass runs this)");
        return;
    }
    let cluster = Cluster::start(
        3,
        SmtpSink::start().await,
        &[
            ("GATEHOUSE_LOGIN_FAILURES_PER_IP", "30/5m"),
            ("GATEHOUSE_MAIL_LEASE_SECS", LEASE),
        ],
    )
    .await;

    // One browser, the whole flow, its requests spread over the instances.
    let browser = cluster.browser();
    let mut upstreams = HashSet::new();
    let mut note = |response: &reqwest::Response| {
        upstreams.insert(
            response
                .headers()
                .get("x-upstream")
                .map(|value| value.to_str().unwrap().to_string()),
        );
    };
    let registered = browser.register("spread", "spread@example.test").await;
    note(&registered);
    assert_eq!(location(&registered), "/verify");
    let page = browser.get("/verify").await;
    note(&page);
    assert!(page.text().await.unwrap().contains("s•••d@example.test"));
    let code = cluster.sink.wait_for_code("spread@example.test", 1).await;
    let verified = browser.verify(&code).await;
    note(&verified);
    assert_eq!(location(&verified), "/login?verified=1");
    let signed_in = browser.login("spread", PASSWORD).await;
    note(&signed_in);
    assert_eq!(location(&signed_in), "/dashboard");
    for _ in 0..3 {
        let dashboard = browser.get("/dashboard").await;
        note(&dashboard);
        assert_eq!(
            dashboard.status(),
            StatusCode::OK,
            "the session is known to every instance"
        );
    }
    let signed_out = browser.post_form("/api/logout", "/dashboard", &[]).await;
    note(&signed_out);
    assert_eq!(
        location(&browser.get("/dashboard").await),
        "/login?next=/dashboard"
    );
    assert_eq!(
        upstreams.len(),
        3,
        "the requests landed on all three instances: {upstreams:?}"
    );

    // A burst from one client, spread over the three, is limited as one.
    let statuses = burst(90, |index| {
        let attacker = cluster.browser_from(Some("198.51.100.66"));
        async move {
            attacker
                .try_login(&format!("nobody{index}"), "wrong password!", "")
                .await
                .0
        }
    })
    .await;
    assert_eq!(count(&statuses, StatusCode::UNAUTHORIZED), 30, "{statuses:?}");
    assert_eq!(count(&statuses, StatusCode::TOO_MANY_REQUESTS), 60);

    // Fifty registrations, fifty code mails: each sent once, by whichever instance claimed it.
    let statuses = burst(50, |index| {
        let browser = cluster.browser_from(Some(&format!("198.51.100.{}", index + 1)));
        async move {
            browser
                .register_call(&format!("many{index}"), &format!("many{index}@example.test"))
                .await
                .0
        }
    })
    .await;
    assert_eq!(count(&statuses, StatusCode::OK), 50, "{statuses:?}");
    for index in 0..50 {
        cluster
            .sink
            .wait_for(&format!("many{index}@example.test"), 1, Duration::from_secs(20))
            .await;
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    for index in 0..50 {
        let mails = cluster.sink.mails_to(&format!("many{index}@example.test")).await;
        assert_eq!(mails.len(), 1, "many{index} got {} mails", mails.len());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_instance_killed_in_the_middle_loses_no_registration_and_no_mail() {
    if !on_postgres() {
        eprintln!("skipped: the PostgreSQL pass runs this");
        return;
    }
    let mut cluster = Cluster::start(
        3,
        SmtpSink::start().await,
        &[("GATEHOUSE_MAIL_LEASE_SECS", LEASE)],
    )
    .await;
    let flood = {
        let browsers: Vec<_> = (0..60)
            .map(|index| cluster.browser_from(Some(&format!("203.0.113.{}", index + 1))))
            .collect();
        tokio::spawn(async move {
            let mut outcomes = Vec::new();
            for (index, browser) in browsers.into_iter().enumerate() {
                let (status, _) = browser
                    .register_call(&format!("flood{index}"), &format!("flood{index}@example.test"))
                    .await;
                outcomes.push(status);
            }
            outcomes
        })
    };
    // In the middle of the flood: once ten of its accounts are stored.
    let give_up = tokio::time::Instant::now() + Duration::from_secs(60);
    while cluster
        .db
        .number("select count(*) from users where username like 'flood%'")
        .await
        < 10
    {
        assert!(tokio::time::Instant::now() < give_up, "the flood stalled");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    cluster.kill(1).await;
    let outcomes = flood.await.unwrap();
    let accepted: Vec<usize> = (0..60)
        .filter(|index| outcomes[*index] == StatusCode::OK)
        .collect();
    assert!(
        accepted.len() >= 40,
        "most registrations went through: {outcomes:?}"
    );
    let registered = cluster
        .db
        .texts("select email from users where username like 'flood%'")
        .await;
    for index in &accepted {
        let address = format!("flood{index}@example.test");
        assert!(
            registered.contains(&address),
            "{address} was accepted but is not stored"
        );
    }
    // Every stored registration gets its mail, including any the dead instance had claimed: those
    // are taken over when their lease runs out.
    for address in &registered {
        cluster.sink.wait_for(address, 1, Duration::from_secs(20)).await;
    }
    let half_made = cluster.db.number("select count(*) from users u where not exists (select 1 from email_codes c where c.user_id = u.user_id)").await;
    assert_eq!(half_made, 0, "no account without its code flow");
    cluster.restart(1).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_mail_claimed_by_an_instance_that_died_mid_send_is_sent_by_another_after_its_lease() {
    if !on_postgres() {
        eprintln!("skipped: the PostgreSQL pass runs this");
        return;
    }
    let sink = SmtpSink::start().await;
    let mut hold = sink.hold_next_message();
    let mut cluster = Cluster::start(2, sink, &[("GATEHOUSE_MAIL_LEASE_SECS", LEASE)]).await;
    // Registered straight at the first instance: it claims the mail and hangs in the middle of
    // sending it (the mail server does not acknowledge it while the test holds it).
    let direct = {
        let mut headers = reqwest::header::HeaderMap::new();
        let origin = format!("http://127.0.0.1:{}", cluster.instance_port(0));
        headers.insert(reqwest::header::ORIGIN, origin.parse().unwrap());
        let client = reqwest::Client::builder()
            .default_headers(headers)
            .build()
            .unwrap();
        crate::support::Browser { client, origin }
    };
    let started = std::time::Instant::now();
    assert_eq!(
        direct.register_call("stalled", "stalled@example.test").await.0,
        StatusCode::OK
    );
    hold.until_received().await;
    assert!(
        cluster.sink.mails_to("stalled@example.test").await.is_empty(),
        "still hanging"
    );
    cluster.kill(0).await;
    let mail = cluster
        .sink
        .wait_for("stalled@example.test", 1, Duration::from_secs(20))
        .await;
    assert!(mail.code().is_some());
    assert!(
        started.elapsed() >= Duration::from_secs(3),
        "taken over only once the lease ran out"
    );
    tokio::time::sleep(Duration::from_secs(4)).await;
    assert_eq!(
        cluster.sink.mails_to("stalled@example.test").await.len(),
        1,
        "sent once"
    );
}
