//! Every table that grows with traffic is swept (sessions, used challenges and counted refusals
//! included), and the lookups on hot paths use an index.

use crate::{
    proof_of_work::{challenge_of, solve},
    support::{fixture, on_postgres, shipped_limits, verified_user, PASSWORD},
};

async fn sweep(f: &crate::support::Fixture) {
    f.app
        .state
        .store
        .sweep(&gatehouse::server::sweep_policy(&f.app.state))
        .await
        .unwrap();
}

async fn counts(f: &crate::support::Fixture) -> [i64; 9] {
    let db = &f.db;
    [
        db.number("select count(*) from users where verified_at is null")
            .await,
        db.number("select count(*) from email_codes where user_id is null")
            .await,
        db.number("select count(*) from email_codes where finished_at is not null")
            .await,
        db.number("select count(*) from email_outbox where sent_at is not null")
            .await,
        db.number("select count(*) from sign_in_throttle").await,
        db.number("select count(*) from rate_limit_hits").await,
        db.number("select count(*) from sessions").await,
        db.number("select count(*) from used_challenges").await,
        db.number("select count(*) from refusals").await,
    ]
}

#[tokio::test]
async fn what_has_outlived_its_use_is_swept() {
    let f = fixture(|s| {
        shipped_limits(s);
        s.code_log_retention_days = 30;
        s.event_retention_days = 30;
        s.pow_after_login_failures = 2;
        s.login_delay_after = 100;
    })
    .await;
    let known = verified_user(&f, "tove").await; // a finished flow and a sent mail
    known.login("tove", PASSWORD).await;
    f.app
        .browser()
        .register("never-verified", "pending@example.test")
        .await; // an unverified account
    f.app.browser().register("copycat", "tove@example.test").await; // a stand-in account
    f.app
        .browser()
        .call("/api/recover", &[("identifier", "nobody-here")])
        .await; // a decoy flow
    for name in ["ghost1", "ghost2", "ghost3"] {
        f.app.browser().try_login(name, "wrong password!", "").await; // throttle rows for unknown names
    }
    let prober = f.app.browser();
    prober.try_login("ghost1", "wrong password!", "").await;
    let (_, asked) = prober.try_login("ghost1", "wrong password!", "").await; // a refusal
    let proof = solve(&challenge_of(&asked));
    prober.try_login("ghost1", "wrong password!", &proof).await; // a used challenge
    f.app.flush_refusals().await;
    let before = counts(&f).await;
    assert!(before.iter().all(|rows| *rows > 0), "{before:?}");

    sweep(&f).await;
    assert_eq!(counts(&f).await, before, "nothing is swept before its time");
    f.advance(24 * 3600 + 1);
    sweep(&f).await;
    let after_a_day = counts(&f).await;
    assert_eq!(
        after_a_day[..2],
        [0, 0],
        "unverified accounts, stand-ins and decoys go after their day"
    );
    f.advance(30 * 86_400);
    sweep(&f).await;
    let after_a_month = counts(&f).await;
    assert_eq!(
        after_a_month[2..4],
        [0, 0],
        "finished flows and sent mail go after their retention"
    );
    f.advance(7 * 86_400);
    sweep(&f).await;
    assert_eq!(counts(&f).await, [0; 9]);
    assert_eq!(
        f.db.number("select count(*) from users").await,
        1,
        "the verified account stays"
    );
}

#[tokio::test]
async fn the_outbox_is_looked_up_by_its_code_through_an_index() {
    let f = fixture(|_| {}).await;
    let indexed = if on_postgres() {
        f.db.number("select count(*) from pg_indexes where tablename = 'email_outbox' and indexdef like '%(code_id)%'").await
    } else {
        f.db.number("select count(*) from sqlite_master where type = 'index' and tbl_name = 'email_outbox' and sql like '%(code_id)%'").await
    };
    assert_eq!(indexed, 1);
}
